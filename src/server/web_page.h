#pragma once
// GET / (interfaces.md §8.12): one self-contained HTML page built into the binary. No external scripts,
// fonts or styles; it stores nothing in the browser; the bearer token stays in page memory.
#include <string_view>

namespace nmscds {

std::string_view WebPageHtml();
// GET /app.js: the page's script (the CSP of §8.12 allows no inline script).
std::string_view WebPageScript();

}  // namespace nmscds
