#include "auth/jwks_fetcher.h"

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <optional>
#include <string_view>

namespace nmscds {

namespace {

struct HttpsUrl {
  std::string host;
  int port = 443;
  std::string path_and_query;
};

// Splits "https://host[:port][/path][?query]"; nullopt for anything else (another scheme, user info, a bad
// port). An IPv6 literal keeps its brackets out of `host`.
std::optional<HttpsUrl> ParseHttpsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  const std::size_t authority_end = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, authority_end);
  HttpsUrl out;
  out.path_and_query = authority_end == std::string_view::npos ? "/" : std::string(url.substr(authority_end));
  if (out.path_and_query.front() != '/') out.path_and_query.insert(0, "/");
  if (const std::size_t fragment = out.path_and_query.find('#'); fragment != std::string::npos) out.path_and_query.resize(fragment);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (error != std::errc() || end != port.data() + port.size() || out.port <= 0 || out.port > 65535) return std::nullopt;
    host = authority.substr(0, colon);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::nullopt;
  out.host = std::string(host);
  return out;
}

}  // namespace

JwksFetcher MakeHttpsJwksFetcher(HttpsJwksFetcherOptions options) {
  return [options = std::move(options)](const std::string& url) -> Result<std::string> {
    auto parsed = ParseHttpsUrl(url);
    if (!parsed) return Error::Unreadable("the jku is not an https URL nmscds can fetch");
    httplib::SSLClient client(parsed->host, parsed->port);
    client.enable_server_certificate_verification(true);
    if (!options.ca_cert_file.empty()) client.set_ca_cert_path(options.ca_cert_file);
    client.set_follow_location(false);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options.timeout - seconds);
    client.set_connection_timeout(seconds.count(), micros.count());
    client.set_read_timeout(seconds.count(), micros.count());
    client.set_write_timeout(seconds.count(), micros.count());

    std::string body;
    bool too_large = false;
    auto response = client.Get(parsed->path_and_query, httplib::Headers{{"Accept", "application/json"}},
                               [&](const char* data, std::size_t length) {
                                 if (body.size() + length > options.max_body_bytes) {
                                   too_large = true;
                                   return false;
                                 }
                                 body.append(data, length);
                                 return true;
                               });
    if (too_large) return Error::Unreadable(fmt::format("the key set at the jku is larger than {} bytes", options.max_body_bytes));
    if (!response) return Error::Unreadable(fmt::format("fetching the jku failed: {}", httplib::to_string(response.error())));
    if (response->status != 200) return Error::Unreadable(fmt::format("fetching the jku returned HTTP {}", response->status));
    return body;
  };
}

}  // namespace nmscds
