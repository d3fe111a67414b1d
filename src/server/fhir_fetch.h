#pragma once
// Fetching absent prefetch data from the EHR's FHIR server (interfaces.md §8.6).
//
// One GET with `Accept: application/fhir+json`, the bearer token of fhirAuthorization when there is one
// (never the client's JWT), no redirects, at most `max_bytes` of body, and a total wait bounded by
// `timeout` (connection, each read, and the whole transfer). The token is used for this call only and is
// never logged.
#include <chrono>
#include <cstddef>
#include <string>

namespace nmscds {

struct FetchRequest {
  std::string url;           // absolute http(s) URL
  std::string bearer_token;  // empty = no Authorization header
  std::chrono::milliseconds timeout{500};
  std::size_t max_bytes = 8388608;
};

struct FetchResult {
  bool ok = false;     // 2xx with a complete body within the limits
  int status = 0;      // HTTP status, 0 when no response
  std::string body;
  std::string error;   // why it failed, without the URL's query or any token
  bool timed_out = false;
};

FetchResult FetchFhir(const FetchRequest& request);

// Splits "https://host:port/base/path?q" into the scheme-host-port part and the rest ("/base/path?q").
// False when the URL is not absolute http(s).
bool SplitUrl(const std::string& url, std::string& origin, std::string& path);

}  // namespace nmscds
