#include "auth/base64url.h"

#include <openssl/evp.h>

namespace nmscds {

namespace {
bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
}  // namespace

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  // EVP_DecodeBlock takes an int length; nothing nmscds decodes comes near 1 GiB.
  if (text.size() % 4 == 1 || text.size() > (std::size_t{1} << 30)) return std::nullopt;
  std::string standard;
  standard.reserve(text.size() + 3);
  for (char c : text) {
    if (!IsBase64UrlChar(c)) return std::nullopt;
    standard.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
  }
  const std::size_t padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  if (standard.empty()) return std::string();
  std::string out(standard.size() / 4 * 3, '\0');
  // EVP_DecodeBlock counts the zero bytes that stand for the padding in its result; they are cut below.
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(standard.data()),
                                      static_cast<int>(standard.size()));
  if (decoded < 0 || static_cast<std::size_t>(decoded) != out.size()) return std::nullopt;
  out.resize(out.size() - padding);
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  if (bytes.size() > (std::size_t{1} << 29)) return std::string();  // int-sized buffers only; see above
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');  // EVP_EncodeBlock writes a terminating NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return out;
}

}  // namespace nmscds
