#pragma once
// Patient hashing for the audit database (interfaces.md §9.2): the secret salt file and the keyed hash that
// stands in for a patient id. Without the salt a stored hash cannot be linked back to a patient.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {

inline constexpr std::size_t kAuditSaltBytes = 32;

struct AuditSalt {
  std::string bytes;                  // exactly kAuditSaltBytes
  bool created = false;               // the file did not exist and was made now
  std::vector<std::string> warnings;  // for the operator: the file is readable by group or others
};

// Reads the salt file at `path`, or creates it when missing: kAuditSaltBytes from OpenSSL's RAND_bytes,
// written through open(O_CREAT | O_EXCL, 0600) so that no other process ever sees a partial or readable
// file. kUnreadable when the file cannot be read or created, is not a regular file, or is not exactly
// kAuditSaltBytes long (a truncated or foreign salt would silently make new hashes unlinkable to old ones).
Result<AuditSalt> LoadOrCreateAuditSalt(const std::string& path);

// Lower-case hex HMAC-SHA-256 of `message` under `key` (OpenSSL EVP_Q_mac; throws, like Sha256Hex, only when
// OpenSSL cannot provide it at all).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// §9.2: HMAC-SHA-256 under the salt of "<issuer>\n<patient id>"; issuer is the JWT iss, empty for the CLI
// and unauthenticated mode.
std::string PatientHash(std::string_view salt, std::string_view issuer, std::string_view patient_id);

}  // namespace nmscds
