#include "server/fhir_fetch.h"

#include <httplib.h>

namespace nmscds {

bool SplitUrl(const std::string& url, std::string& origin, std::string& path) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") return false;
  std::size_t path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) {
    origin = url;
    path = "/";
  } else {
    origin = url.substr(0, path_start);
    path = url.substr(path_start);
  }
  return origin.size() > scheme_end + 3;
}

FetchResult FetchFhir(const FetchRequest& request) {
  FetchResult result;
  std::string origin, path;
  if (!SplitUrl(request.url, origin, path)) {
    result.error = "not an absolute http(s) URL";
    return result;
  }
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + request.timeout;
  httplib::Client client(origin);
  if (!client.is_valid()) {
    result.error = "cannot create a client for the FHIR server";
    return result;
  }
  const auto timeout_us = std::chrono::duration_cast<std::chrono::microseconds>(request.timeout).count();
  const time_t sec = static_cast<time_t>(timeout_us / 1000000);
  const time_t usec = static_cast<time_t>(timeout_us % 1000000);
  client.set_connection_timeout(sec, usec);
  client.set_read_timeout(sec, usec);
  client.set_write_timeout(sec, usec);
  client.set_follow_location(false);
  client.set_keep_alive(false);
  httplib::Headers headers{{"Accept", "application/fhir+json"}};
  if (!request.bearer_token.empty()) headers.emplace("Authorization", "Bearer " + request.bearer_token);

  bool too_large = false;
  bool too_slow = false;
  auto response = client.Get(path, headers, [&](const char* data, std::size_t length) {
    if (std::chrono::steady_clock::now() > deadline) {
      too_slow = true;
      return false;
    }
    if (result.body.size() + length > request.max_bytes) {
      too_large = true;
      return false;
    }
    result.body.append(data, length);
    return true;
  });
  const bool late = std::chrono::steady_clock::now() > deadline;
  if (!response) {
    result.timed_out = too_slow || late || response.error() == httplib::Error::Read ||
                       response.error() == httplib::Error::ConnectionTimeout;
    result.error = too_large  ? "the response is larger than the body limit"
                   : too_slow ? "the FHIR server did not answer within the time budget"
                              : "no response from the FHIR server (" + httplib::to_string(response.error()) + ")";
    result.body.clear();
    return result;
  }
  result.status = response->status;
  if (response->status < 200 || response->status > 299) {
    result.error = "the FHIR server answered HTTP " + std::to_string(response->status);
    result.body.clear();
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace nmscds
