#pragma once
// Verification of the CDS Hooks bearer token (interfaces.md §8.3): a compact JWS signed with ES384 or RS384
// by a trusted issuer. `JwtVerifier::Verify` runs the eight steps of §8.3 in their order and reports the
// first failure as its reason code, the HTTP status and the header and OperationOutcome code to send, so the
// HTTP layer needs no rule of its own.
//
// Tokens are never logged or stored: the only thing kept after a call is the (iss, jti) pair in the replay
// cache, until the token's expiry.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/trusted_issuers.h"
#include "nmscds/status.h"

namespace nmscds {

// §8.3 limits.
inline constexpr std::int64_t kJwtClockSkewSeconds = 60;        // step 6
inline constexpr std::int64_t kJwtMaxLifetimeSeconds = 3600;    // step 6: exp - iat
inline constexpr std::size_t kReplayCacheCapacity = 100'000;    // step 7
inline constexpr std::int64_t kJkuCacheSeconds = 3600;          // step 3: a fetched key set is used 1 hour
inline constexpr std::int64_t kJkuRefetchIntervalSeconds = 60;  // step 3: at most one fetch a minute per URL
// An Authorization value longer than this is not read (a CDS Hooks token is well under 4 KiB).
inline constexpr std::size_t kMaxAuthorizationBytes = 16 * 1024;

// Why a token was refused. The §8.3 reason codes, plus kReplayCacheFull (HTTP 503).
enum class AuthFailureReason {
  kMissingToken,
  kMalformedToken,
  kAlgNotAllowed,
  kUnknownIssuer,
  kUnknownKid,
  kJkuNotAllowed,
  kBadSignature,
  kAudMismatch,
  kExpired,
  kNotYetValid,
  kLifetimeTooLong,
  kReplayed,
  kTenantNotAllowed,
  kReplayCacheFull,
};

struct AuthFailure {
  AuthFailureReason reason = AuthFailureReason::kMalformedToken;

  // The OperationOutcome `diagnostics`: the §8.3 reason code ("missing_token", ...), or "replay_cache_full".
  std::string_view reason_code() const;
  // 401, or 503 when the replay cache is full of unexpired entries (§8.3 step 7).
  int http_status() const;
  // The WWW-Authenticate value for a 401: `Bearer` when the header was missing, else
  // `Bearer error="invalid_token"`. Empty for the 503, which carries none.
  std::string_view www_authenticate() const;
  // The OperationOutcome issue code (§8.4): `login` (missing), `expired` (expired), `throttled` (503),
  // else `security`.
  std::string_view operation_outcome_code() const;
};

// What a verified token tells the service.
struct VerifiedToken {
  std::string iss;
  std::string jti;
  std::int64_t exp = 0;  // seconds since the epoch
  // The `tenant` claim when it is a string; empty when absent (then the issuer lists no tenants).
  std::string tenant;
  // The issuer's `fhir_servers` prefixes: where the service may fetch FHIR data for this request (§8.6).
  std::vector<std::string> fhir_servers;
};

using JwtVerification = std::variant<VerifiedToken, AuthFailure>;

// Fetches the JWK Set document at an https URL (§8.3 step 3). Returns its body, or an Error when it cannot
// be fetched. Called from HTTP worker threads; must be thread-safe. See jwks_fetcher.h for the HTTPS one.
using JwksFetcher = std::function<Result<std::string>(const std::string& url)>;

struct JwtVerifierOptions {
  std::size_t replay_cache_capacity = kReplayCacheCapacity;
  // Used for a header `jku` that the issuer allow-lists. Empty: nothing is fetched, and a kid found in no
  // configured key set is an unknown_kid.
  JwksFetcher fetch_jwks;
};

// Thread-safe: Verify may run on many threads at once, also while ReplaceIssuers runs.
class JwtVerifier {
 public:
  explicit JwtVerifier(TrustedIssuers issuers, JwtVerifierOptions options = {});
  ~JwtVerifier();
  JwtVerifier(const JwtVerifier&) = delete;
  JwtVerifier& operator=(const JwtVerifier&) = delete;

  // Verifies the value of the Authorization header (`authorization` empty when the header is missing) for a
  // call to the endpoint whose exact URL is `audience` (§8.3 step 5), at `now` (seconds since the epoch).
  // A token that passes is remembered for replay detection; one that fails is not.
  JwtVerification Verify(std::string_view authorization, std::string_view audience, std::int64_t now);
  // The same where more than one URL is the endpoint's (the feedback route, §8.3 step 5): `aud` must
  // contain one of `audiences`.
  JwtVerification Verify(std::string_view authorization, std::span<const std::string_view> audiences,
                         std::int64_t now);

  // Replaces the issuer set at once (SIGHUP, §8.3): calls already running finish with the old set. Keys
  // fetched from jku URLs are forgotten; the replay cache is kept, so a token cannot be replayed across a
  // reload. Not async-signal-safe: call it from a normal thread after the signal was noted.
  void ReplaceIssuers(TrustedIssuers issuers);
  // Loads `path` (LoadTrustedIssuersFile) and replaces the issuers with it. On an error the current set stays
  // in force and the error is returned; on success the number of issuers now trusted.
  Result<std::size_t> ReloadIssuersFile(const std::string& path);

  // Entries in the replay cache (for /metrics and tests).
  std::size_t replay_cache_size() const;

 private:
  struct JkuKeySet;
  class ReplayCache;

  std::shared_ptr<const TrustedIssuers> issuers() const;
  // The key for `kid` from the key set published at the allow-listed `url`, fetching it when §8.3 step 3
  // allows; nullptr when there is none.
  std::shared_ptr<const VerificationKey> KeyFromJku(const std::string& url, std::string_view kid, std::int64_t now);

  JwksFetcher fetch_jwks_;
  mutable std::mutex issuers_mutex_;
  std::shared_ptr<const TrustedIssuers> issuers_;
  std::mutex jku_mutex_;
  std::map<std::string, std::shared_ptr<JkuKeySet>, std::less<>> jku_sets_;
  std::unique_ptr<ReplayCache> replay_cache_;
};

}  // namespace nmscds
