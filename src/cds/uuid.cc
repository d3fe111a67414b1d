#include "cds/uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace nmscds {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  std::array<unsigned char, 16> ns{};
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < namespace_uuid.size() && n < ns.size();) {
    if (namespace_uuid[i] == '-') { ++i; continue; }
    ns[n++] = static_cast<unsigned char>(HexValue(namespace_uuid[i]) * 16 + HexValue(namespace_uuid[i + 1]));
    i += 2;
  }
  std::string message(reinterpret_cast<const char*>(ns.data()), ns.size());
  message.append(name);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(message.data(), message.size(), digest.data(), &length, EVP_sha1(), nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0F]);
  }
  return out;
}

}  // namespace nmscds
