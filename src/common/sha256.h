#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace nmscds {
// Lower-case hex SHA-256 of the bytes (OpenSSL EVP).
std::string Sha256Hex(std::string_view bytes);
// Lower-case hex of raw bytes (digests, MACs).
std::string LowerHex(const unsigned char* bytes, std::size_t size);
}  // namespace nmscds
