#pragma once
// The HTTPS fetch of a JWK Set named by an allow-listed `jku` (interfaces.md §8.3 step 3), with
// cpp-httplib's SSLClient. The verifier receives it as a JwksFetcher, so that its caching rules can be
// tested without a network and this part can be tested against a loopback HTTPS server.
#include <chrono>
#include <cstddef>
#include <string>

#include "auth/jwt.h"

namespace nmscds {

struct HttpsJwksFetcherOptions {
  // §8.3 step 3: 2 s. Applied to connecting, and to each read and write (cpp-httplib has no total deadline).
  std::chrono::milliseconds timeout{2000};
  // PEM file of the certificate authorities to trust; empty: the system's (OpenSSL default paths).
  std::string ca_cert_file;
  // A key set larger than this is refused (a JWK Set with a few keys is a few KiB).
  std::size_t max_body_bytes = std::size_t{1} << 20;
};

// A JwksFetcher for https URLs only. The server certificate and host name are always verified; redirects
// are not followed; only a 200 response is a key set. Failures are kUnreadable errors whose message says
// why (never the body). Thread-safe: each call uses its own connection.
JwksFetcher MakeHttpsJwksFetcher(HttpsJwksFetcherOptions options = {});

}  // namespace nmscds
