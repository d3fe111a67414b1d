#pragma once
// Options of `nmscds serve` (interfaces.md §7.4), with their defaults.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nmscds {

// Upper bound of --max-concurrent and --threads (each request in progress holds a thread).
inline constexpr int kMaxConcurrentLimit = 4096;

struct ServerOptions {
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string public_url;  // required unless allow_unauthenticated; the JWT `aud` base (§8.3 step 5)
  std::string audit_path = "./nmscds-audit.db";
  std::string audit_salt_file;  // default <audit_path>.salt
  int audit_retention_days = 365;
  std::string trusted_issuers_file;
  bool allow_unauthenticated = false;
  std::vector<std::string> cors_origins;
  std::size_t max_body = 8388608;
  int max_concurrent = 64;
  int deadline_ms = 500;
  int threads = 0;  // assessments at once; 0 = hardware threads
  std::string tls_cert, tls_key;
  bool allow_http_fhir = false;
  std::string log_format = "text";  // text | json
  // The clock for T0 and token times, seconds since the epoch; empty = the system clock. Not a command-line
  // option: tests pin it so that dated example data give the same answer every day.
  std::function<std::int64_t()> clock;
};

}  // namespace nmscds
