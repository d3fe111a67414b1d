#pragma once
#include <string>
#include <string_view>

namespace nmscds {
// Lower-case hex SHA-256 of the bytes (OpenSSL EVP).
std::string Sha256Hex(std::string_view bytes);
}  // namespace nmscds
