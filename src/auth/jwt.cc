#include "auth/jwt.h"

#include <fmt/format.h>

#include <cmath>
#include <queue>
#include <unordered_set>
#include <utility>

#include "auth/base64url.h"
#include "auth/openssl_handles.h"
#include "common/json_dom.h"

namespace nmscds {

namespace {

using Element = simdjson::dom::element;

constexpr std::size_t kEs384SignatureBytes = 96;  // R || S, 48 bytes each (RFC 7518 §3.4)
// NumericDate values beyond ±2^53 are refused, so that the time arithmetic below cannot overflow.
constexpr double kMaxNumericDate = 9007199254740992.0;

AuthFailure Fail(AuthFailureReason reason) { return AuthFailure{reason}; }

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The compact JWS in an Authorization value "Bearer <token>" (scheme case-insensitive, RFC 7235 §2.1);
// nullopt when the value is not a bearer credential.
std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() || !EqualsIgnoringAsciiCase(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

// A JSON number read as a NumericDate (RFC 7519 §2), rounded towards the cautious side: `round_up` for
// times a token must not be used before (iat, nbf), down for its expiry. nullopt when not a number or out of
// range.
std::optional<std::int64_t> NumericDate(Element value, bool round_up) {
  double seconds = 0;
  std::int64_t whole = 0;
  if (value.get(whole) == simdjson::SUCCESS) {
    seconds = static_cast<double>(whole);
  } else if (value.is_double()) {
    seconds = value.get_double().value_unsafe();
  } else {
    return std::nullopt;  // not a number, or an unsigned value above INT64_MAX
  }
  if (!std::isfinite(seconds) || std::fabs(seconds) > kMaxNumericDate) return std::nullopt;
  if (value.is_int64()) return whole;
  return static_cast<std::int64_t>(round_up ? std::ceil(seconds) : std::floor(seconds));
}

// The JOSE header members §8.3 step 1 reads.
struct JoseHeader {
  std::string alg;
  std::string kid;
  std::optional<std::string> jku;
};

// Step 1. The header must be a JSON object with string `alg`, `typ` and `kid`; `crit` is refused because
// nmscds understands no JWS extension (RFC 7515 §4.1.11).
std::variant<JoseHeader, AuthFailure> ReadHeader(JsonParser& parser, std::string_view json) {
  auto document = parser.Parse(json);
  simdjson::dom::object header;
  if (!document.ok() || document->get(header) != simdjson::SUCCESS) return Fail(AuthFailureReason::kMalformedToken);
  std::string_view alg;
  if (header["alg"].get(alg) != simdjson::SUCCESS) return Fail(AuthFailureReason::kMalformedToken);
  if (alg != "ES384" && alg != "RS384") return Fail(AuthFailureReason::kAlgNotAllowed);
  std::string_view typ;
  std::string_view kid;
  if (header["typ"].get(typ) != simdjson::SUCCESS || !EqualsIgnoringAsciiCase(typ, "JWT") ||
      header["kid"].get(kid) != simdjson::SUCCESS || kid.empty() || header["crit"].error() == simdjson::SUCCESS) {
    return Fail(AuthFailureReason::kMalformedToken);
  }
  JoseHeader out{std::string(alg), std::string(kid), std::nullopt};
  Element jku;
  if (header["jku"].get(jku) == simdjson::SUCCESS) {
    std::string_view url;
    if (jku.get(url) != simdjson::SUCCESS) return Fail(AuthFailureReason::kMalformedToken);
    out.jku = std::string(url);
  }
  return out;
}

// The claims §8.3 steps 2-8 read.
struct Claims {
  std::string iss;
  std::vector<std::string> aud;
  std::int64_t exp = 0;
  std::int64_t iat = 0;
  std::optional<std::int64_t> nbf;
  std::string jti;
  std::optional<std::string> tenant;  // only when the claim is a string
};

// Step 2, the shape half: a JSON object with string `iss` and `jti`, `aud` a string or an array of strings,
// NumericDate `exp` and `iat`, and `nbf` a NumericDate when present.
std::optional<Claims> ReadClaims(JsonParser& parser, std::string_view json) {
  auto document = parser.Parse(json);
  simdjson::dom::object payload;
  if (!document.ok() || document->get(payload) != simdjson::SUCCESS) return std::nullopt;
  Claims claims;
  std::string_view text;
  if (payload["iss"].get(text) != simdjson::SUCCESS) return std::nullopt;
  claims.iss = std::string(text);
  if (payload["jti"].get(text) != simdjson::SUCCESS || text.empty()) return std::nullopt;
  claims.jti = std::string(text);
  Element aud;
  if (payload["aud"].get(aud) != simdjson::SUCCESS) return std::nullopt;
  if (aud.get(text) == simdjson::SUCCESS) {
    claims.aud.emplace_back(text);
  } else if (simdjson::dom::array audiences; aud.get(audiences) == simdjson::SUCCESS) {
    // A named array: iterating `get_array().value_unsafe()` would range over a destroyed temporary.
    for (Element item : audiences) {
      if (item.get(text) != simdjson::SUCCESS) return std::nullopt;
      claims.aud.emplace_back(text);
    }
  } else {
    return std::nullopt;
  }
  Element time;
  if (payload["exp"].get(time) != simdjson::SUCCESS) return std::nullopt;
  auto exp = NumericDate(time, /*round_up=*/false);
  if (payload["iat"].get(time) != simdjson::SUCCESS) return std::nullopt;
  auto iat = NumericDate(time, /*round_up=*/true);
  if (!exp || !iat) return std::nullopt;
  claims.exp = *exp;
  claims.iat = *iat;
  if (payload["nbf"].get(time) == simdjson::SUCCESS) {
    claims.nbf = NumericDate(time, /*round_up=*/true);
    if (!claims.nbf) return std::nullopt;
  }
  if (payload["tenant"].get(text) == simdjson::SUCCESS) claims.tenant = std::string(text);
  return claims;
}

// Step 4: the JWS signature over `signing_input` ("header.payload") with SHA-384. ES384 signatures are the
// fixed-length R || S of RFC 7518 §3.4; OpenSSL wants DER, so they are converted, and any other length
// (DER included) is refused.
bool SignatureVerifies(const VerificationKey& key, std::string_view signing_input, std::string_view signature) {
  std::string der;
  if (key.algorithm == JwsAlgorithm::kEs384) {
    if (signature.size() != kEs384SignatureBytes) return false;
    const auto* bytes = reinterpret_cast<const unsigned char*>(signature.data());
    constexpr int kHalf = static_cast<int>(kEs384SignatureBytes / 2);
    BignumPtr r(BN_bin2bn(bytes, kHalf, nullptr));
    BignumPtr s(BN_bin2bn(bytes + kHalf, kHalf, nullptr));
    EcdsaSigPtr ecdsa(ECDSA_SIG_new());
    if (!r || !s || !ecdsa || ECDSA_SIG_set0(ecdsa.get(), r.get(), s.get()) != 1) return false;
    (void)r.release();  // owned by `ecdsa` now
    (void)s.release();
    const int length = i2d_ECDSA_SIG(ecdsa.get(), nullptr);
    if (length <= 0) return false;
    der.resize(static_cast<std::size_t>(length));
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_ECDSA_SIG(ecdsa.get(), &out) != length) return false;
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key.public_key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  for (const std::string& item : list) {
    if (item == value) return true;
  }
  return false;
}

}  // namespace

// ---- AuthFailure -----------------------------------------------------------------------------------------

std::string_view AuthFailure::reason_code() const {
  switch (reason) {
    case AuthFailureReason::kMissingToken: return "missing_token";
    case AuthFailureReason::kMalformedToken: return "malformed_token";
    case AuthFailureReason::kAlgNotAllowed: return "alg_not_allowed";
    case AuthFailureReason::kUnknownIssuer: return "unknown_issuer";
    case AuthFailureReason::kUnknownKid: return "unknown_kid";
    case AuthFailureReason::kJkuNotAllowed: return "jku_not_allowed";
    case AuthFailureReason::kBadSignature: return "bad_signature";
    case AuthFailureReason::kAudMismatch: return "aud_mismatch";
    case AuthFailureReason::kExpired: return "expired";
    case AuthFailureReason::kNotYetValid: return "not_yet_valid";
    case AuthFailureReason::kLifetimeTooLong: return "lifetime_too_long";
    case AuthFailureReason::kReplayed: return "replayed";
    case AuthFailureReason::kTenantNotAllowed: return "tenant_not_allowed";
    case AuthFailureReason::kReplayCacheFull: return "replay_cache_full";
  }
  return "malformed_token";
}

int AuthFailure::http_status() const { return reason == AuthFailureReason::kReplayCacheFull ? 503 : 401; }

std::string_view AuthFailure::www_authenticate() const {
  switch (reason) {
    case AuthFailureReason::kMissingToken: return "Bearer";
    case AuthFailureReason::kReplayCacheFull: return "";
    default: return "Bearer error=\"invalid_token\"";
  }
}

std::string_view AuthFailure::operation_outcome_code() const {
  switch (reason) {
    case AuthFailureReason::kMissingToken: return "login";
    case AuthFailureReason::kExpired: return "expired";
    case AuthFailureReason::kReplayCacheFull: return "throttled";
    default: return "security";
  }
}

// ---- Replay cache (§8.3 step 7) -----------------------------------------------------------------------------

class JwtVerifier::ReplayCache {
 public:
  explicit ReplayCache(std::size_t capacity) : capacity_(capacity) {}

  enum class Outcome { kFresh, kReplayed, kFull };

  // Step 7 for the pair `key`, remembered until `forget_at` (exp + 60 s, when step 6 refuses the token
  // anyway). kReplayed when the pair is remembered; kFull when no room is left after forgetting every entry
  // whose time has come; else kFresh, and the pair is remembered only when `remember` (the later checks
  // passed too), so a refused token does not use up its jti.
  Outcome Admit(std::string key, std::int64_t forget_at, std::int64_t now, bool remember) {
    std::lock_guard lock(mutex_);
    ForgetUntil(now);
    if (seen_.contains(key)) return Outcome::kReplayed;
    if (seen_.size() >= capacity_) return Outcome::kFull;
    if (remember) {
      seen_.insert(key);
      by_expiry_.emplace(forget_at, std::move(key));
    }
    return Outcome::kFresh;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return seen_.size();
  }

 private:
  void ForgetUntil(std::int64_t now) {
    while (!by_expiry_.empty() && by_expiry_.top().first <= now) {
      seen_.erase(by_expiry_.top().second);
      by_expiry_.pop();
    }
  }

  using Entry = std::pair<std::int64_t, std::string>;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> seen_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> by_expiry_;  // earliest first
};

// ---- jku key sets (§8.3 step 3) -----------------------------------------------------------------------------

struct JwtVerifier::JkuKeySet {
  std::mutex mutex;  // guards the members below and serialises fetches of this URL
  std::shared_ptr<const JwkSet> keys;
  std::int64_t fetched_at = 0;
  std::optional<std::int64_t> last_attempt;
};

std::shared_ptr<const VerificationKey> JwtVerifier::KeyFromJku(const std::string& url, std::string_view kid,
                                                               std::int64_t now) {
  std::shared_ptr<JkuKeySet> entry;
  {
    std::lock_guard lock(jku_mutex_);
    auto& slot = jku_sets_[url];
    if (!slot) slot = std::make_shared<JkuKeySet>();
    entry = slot;
  }
  std::lock_guard lock(entry->mutex);
  auto cached_key = [&]() -> std::shared_ptr<const VerificationKey> {
    if (!entry->keys || now - entry->fetched_at >= kJkuCacheSeconds) return nullptr;  // none, or older than 1 h
    const VerificationKey* key = entry->keys->FindKid(kid);
    return key ? std::shared_ptr<const VerificationKey>(entry->keys, key) : nullptr;
  };
  if (auto key = cached_key()) return key;
  // Not cached, expired, or an unknown kid: fetch, but at most once a minute, so that tokens with invented
  // kids cannot make the service hammer the issuer.
  if (!fetch_jwks_ || (entry->last_attempt && now - *entry->last_attempt < kJkuRefetchIntervalSeconds)) return nullptr;
  entry->last_attempt = now;
  auto body = fetch_jwks_(url);
  if (body.ok()) {
    auto set = ParseJwkSet(*body, UnusableKeys::kSkip);
    if (set.ok()) {
      entry->keys = std::make_shared<const JwkSet>(std::move(*set));
      entry->fetched_at = now;
    }
  }
  return cached_key();
}

// ---- JwtVerifier ---------------------------------------------------------------------------------------------

JwtVerifier::JwtVerifier(TrustedIssuers issuers, JwtVerifierOptions options)
    : fetch_jwks_(std::move(options.fetch_jwks)),
      issuers_(std::make_shared<const TrustedIssuers>(std::move(issuers))),
      replay_cache_(std::make_unique<ReplayCache>(options.replay_cache_capacity)) {}

JwtVerifier::~JwtVerifier() = default;

std::shared_ptr<const TrustedIssuers> JwtVerifier::issuers() const {
  std::lock_guard lock(issuers_mutex_);
  return issuers_;
}

void JwtVerifier::ReplaceIssuers(TrustedIssuers issuers) {
  auto replacement = std::make_shared<const TrustedIssuers>(std::move(issuers));
  {
    std::lock_guard lock(issuers_mutex_);
    issuers_.swap(replacement);
  }
  std::lock_guard lock(jku_mutex_);
  jku_sets_.clear();
}

Result<std::size_t> JwtVerifier::ReloadIssuersFile(const std::string& path) {
  auto loaded = LoadTrustedIssuersFile(path);
  if (!loaded.ok()) return loaded.error();
  const std::size_t count = loaded->issuers.size();
  ReplaceIssuers(std::move(*loaded));
  return count;
}

std::size_t JwtVerifier::replay_cache_size() const { return replay_cache_->size(); }

JwtVerification JwtVerifier::Verify(std::string_view authorization, std::string_view audience, std::int64_t now) {
  return Verify(authorization, std::span<const std::string_view>(&audience, 1), now);
}

JwtVerification JwtVerifier::Verify(std::string_view authorization, std::span<const std::string_view> audiences,
                                    std::int64_t now) {
  if (authorization.empty()) return Fail(AuthFailureReason::kMissingToken);
  if (authorization.size() > kMaxAuthorizationBytes) return Fail(AuthFailureReason::kMalformedToken);
  auto token = BearerToken(authorization);
  if (!token) return Fail(AuthFailureReason::kMalformedToken);

  // Compact JWS: exactly three base64url parts.
  const std::size_t dot1 = token->find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token->find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token->find('.', dot2 + 1) != std::string_view::npos) {
    return Fail(AuthFailureReason::kMalformedToken);
  }
  const std::string_view signing_input = token->substr(0, dot2);
  auto header_json = Base64UrlDecode(token->substr(0, dot1));
  auto payload_json = Base64UrlDecode(token->substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = Base64UrlDecode(token->substr(dot2 + 1));
  if (!header_json || !payload_json || !signature) return Fail(AuthFailureReason::kMalformedToken);

  // One parser per thread; each element is read out before the parser's next document.
  thread_local JsonParser parser;
  // Step 1: header.
  auto header_or_failure = ReadHeader(parser, *header_json);
  if (auto* failure = std::get_if<AuthFailure>(&header_or_failure)) return *failure;
  const JoseHeader& header = std::get<JoseHeader>(header_or_failure);

  // Step 2: claims (not yet trusted) and the issuer.
  auto claims = ReadClaims(parser, *payload_json);
  if (!claims) return Fail(AuthFailureReason::kMalformedToken);
  const std::shared_ptr<const TrustedIssuers> trusted = issuers();
  const TrustedIssuer* issuer = trusted->Find(claims->iss);
  if (issuer == nullptr) return Fail(AuthFailureReason::kUnknownIssuer);

  // Step 3: the key. A jku is checked against the allow-list before anything else is done with it.
  if (header.jku && !Contains(issuer->jku_allow, *header.jku)) return Fail(AuthFailureReason::kJkuNotAllowed);
  std::shared_ptr<const VerificationKey> key;
  if (const VerificationKey* configured = issuer->configured_keys.FindKid(header.kid)) {
    key = std::shared_ptr<const VerificationKey>(trusted, configured);
  } else if (header.jku) {
    key = KeyFromJku(*header.jku, header.kid, now);
  }
  if (!key) return Fail(AuthFailureReason::kUnknownKid);
  // The key decides the algorithm: an RSA key never verifies an ES384 token and the other way round.
  if (JwsAlgorithmName(key->algorithm) != header.alg) return Fail(AuthFailureReason::kAlgNotAllowed);

  // Step 4: signature.
  if (!SignatureVerifies(*key, signing_input, *signature)) return Fail(AuthFailureReason::kBadSignature);

  // Step 5: audience, byte-exact.
  bool audience_matches = false;
  for (const std::string& aud : claims->aud) {
    for (std::string_view expected : audiences) audience_matches = audience_matches || aud == expected;
  }
  if (!audience_matches) return Fail(AuthFailureReason::kAudMismatch);

  // Step 6: time, with the allowed skew.
  if (claims->exp <= now - kJwtClockSkewSeconds) return Fail(AuthFailureReason::kExpired);
  if (claims->iat > now + kJwtClockSkewSeconds) return Fail(AuthFailureReason::kNotYetValid);
  if (claims->nbf && *claims->nbf > now + kJwtClockSkewSeconds) return Fail(AuthFailureReason::kNotYetValid);
  if (claims->exp - claims->iat > kJwtMaxLifetimeSeconds) return Fail(AuthFailureReason::kLifetimeTooLong);

  // Step 8 is decided before step 7 records the pair, but reported after it, in the order of §8.3.
  const bool tenant_allowed = !issuer->tenants || (claims->tenant && Contains(*issuer->tenants, *claims->tenant));
  // Step 7: replay. The key is length-prefixed so that no (iss, jti) pair can imitate another.
  std::string replay_key = fmt::format("{}:{}{}", claims->iss.size(), claims->iss, claims->jti);
  switch (replay_cache_->Admit(std::move(replay_key), claims->exp + kJwtClockSkewSeconds, now, tenant_allowed)) {
    case ReplayCache::Outcome::kReplayed: return Fail(AuthFailureReason::kReplayed);
    case ReplayCache::Outcome::kFull: return Fail(AuthFailureReason::kReplayCacheFull);
    case ReplayCache::Outcome::kFresh: break;
  }
  if (!tenant_allowed) return Fail(AuthFailureReason::kTenantNotAllowed);

  return VerifiedToken{std::move(claims->iss), std::move(claims->jti), claims->exp,
                       claims->tenant.value_or(std::string()), issuer->fhir_servers};
}

}  // namespace nmscds
