#pragma once
// GET / (interfaces.md §8.12): the bedside page, built into the binary from the files of web/
// (cmake/embed_web.cmake). No external scripts, fonts or styles; the page stores nothing in the browser and
// keeps the bearer token in page memory. doc/web.md describes the page.
#include <span>
#include <string_view>

namespace nmscds {

struct WebAsset {
  std::string_view path;          // "/app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
};

// Every embedded file of web/, by path (generated).
std::span<const WebAsset> WebAssets();

// The asset served at `path`: "/" is /index.html. nullptr for any other path.
const WebAsset* FindWebAsset(std::string_view path);

// The Content-Security-Policy of §8.12, sent with every asset of the page.
inline constexpr std::string_view kWebPageCsp = "default-src 'self'; style-src 'self' 'unsafe-inline'";

}  // namespace nmscds
