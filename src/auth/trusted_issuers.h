#pragma once
// The trusted-issuers file of `nmscds serve` (interfaces.md §8.3, §7.4) and the JSON Web Keys it holds.
//
// Every key is checked once, when it is read, against §8.3 step 3: an EC key must be on P-384 (it then
// verifies ES384 only), an RSA key must have at least 2048 bits (RS384 only), and a JWK that names `alg` or
// `use` must name ES384/RS384 and `sig`. A key in the operator's own file that breaks a rule is an error of
// the file (exit 3), so that a weak key is found at start rather than at the first request.
#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {

// The only JWS algorithms the service accepts (§8.3 step 1).
enum class JwsAlgorithm { kEs384, kRs384 };
std::string_view JwsAlgorithmName(JwsAlgorithm algorithm);  // "ES384", "RS384"

// One public key that may verify tokens.
struct VerificationKey {
  std::string kid;
  JwsAlgorithm algorithm = JwsAlgorithm::kEs384;  // kty EC -> ES384, kty RSA -> RS384
  // Read-only after loading; OpenSSL allows concurrent verification with one EVP_PKEY.
  std::shared_ptr<EVP_PKEY> public_key;
};

// A JWK Set (RFC 7517 §5) reduced to the keys nmscds can use. Key ids are unique within a set.
struct JwkSet {
  std::vector<VerificationKey> keys;
  // The key with this `kid`, or nullptr.
  const VerificationKey* FindKid(std::string_view kid) const;
};

// What to do with a JWK that breaks a §8.3 step 3 rule, has no `kid`, or repeats another key's `kid`.
enum class UnusableKeys {
  kReject,  // the whole set is invalid: the operator's own file
  kSkip,    // the key is left out (a repeated kid leaves out every key with that kid): a set fetched from a
            // `jku`, which may also publish keys for other purposes (RFC 7517 §5 lets readers ignore them)
};

// Parses a JWK Set document. kInvalidInput with one Issue per problem (location_type json_pointer, pointers
// relative to the document) when the document is not JSON, not an object with a `keys` array, or (with
// kReject) holds an unusable key.
Result<JwkSet> ParseJwkSet(std::string_view json, UnusableKeys unusable);

// One entry of `issuers[]`.
struct TrustedIssuer {
  std::string iss;                                // compared byte for byte with the token's `iss`
  JwkSet configured_keys;                         // `jwks` and `jwks_file` together
  std::vector<std::string> jku_allow;             // exact https URLs a token's `jku` may name
  std::vector<std::string> fhir_servers;          // URL prefixes the service may fetch from (§8.6)
  std::optional<std::vector<std::string>> tenants;  // absent: any tenant, or none, is accepted
};

struct TrustedIssuers {
  std::vector<TrustedIssuer> issuers;  // in file order; `iss` values are unique
  // The entry whose `iss` equals `iss` exactly, or nullptr.
  const TrustedIssuer* Find(std::string_view iss) const;
};

// The largest trusted-issuers or jwks_file nmscds reads.
inline constexpr std::size_t kMaxTrustedIssuersFileBytes = std::size_t{1} << 20;

// Reads and checks the trusted-issuers file at `path` (§8.3). A `jwks_file` is resolved against the
// directory of `path` unless it is absolute.
//   kUnreadable (exit 4): `path` or a `jwks_file` is missing, not a regular file, not permitted or fails to
//     read; the Issue of a jwks_file (code `unreadable`) points at its `/issuers/i/jwks_file` member.
//   kInvalidInput (exit 3): every problem of the document, each with its JSON pointer: json_syntax,
//     duplicate_member (also a repeated `iss` or key id), unknown_member, missing_required (no `iss`, no
//     key source), wrong_type, enum_value (`kty`, `crv`, `alg`, `use`), out_of_range (RSA under 2048 bits),
//     unsupported_value (bad base64url, a point not on the curve, a jku_allow URL that is not https),
//     too_large. Problems inside a jwks_file are reported at its member, the message naming the pointer
//     inside that file.
Result<TrustedIssuers> LoadTrustedIssuersFile(const std::string& path);

// The same checks on a document already in memory; `base_dir` resolves relative `jwks_file` paths ("" for
// the current directory).
Result<TrustedIssuers> ParseTrustedIssuers(std::string_view json, const std::string& base_dir);

}  // namespace nmscds
