#pragma once
// Base64url (RFC 4648 §5, without padding) as JWS compact serialisation and JWKs use it (RFC 7515 §2,
// RFC 7518 §6). The conversion itself is OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock; this file only
// translates the alphabet and the padding, and refuses what the standard base64 decoder would accept but a
// JWS must not contain (padding, whitespace, the '+' and '/' characters).
#include <optional>
#include <string>
#include <string_view>

namespace nmscds {

// The bytes `text` encodes, or nullopt when `text` is not unpadded base64url: a character outside
// [A-Za-z0-9_-], '=' padding, or a length that leaves a single dangling character (length % 4 == 1).
// The empty text decodes to the empty string.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Unpadded base64url of `bytes` (at most 512 MiB: larger input is a programming error and yields "").
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace nmscds
