// JWT verification for the CDS Hooks routes (interfaces.md §8.3 steps 1-8, the 401/503 responses of §8.4).
// Every token is made here with OpenSSL keys of the test's own (tests/jwt_test_signer.h).
#include "auth/jwt.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "auth/jwks_fetcher.h"
#include "jwt_test_signer.h"
#include "test_util.h"

namespace nmscds {
namespace {

using testing::Bearer;
using testing::CompactJws;
using testing::IssuerEntry;
using testing::Json;
using testing::SignToken;
using testing::SigningInput;
using testing::StandardClaims;
using testing::StandardHeader;
using testing::TestKeyPair;
using testing::TrustedIssuersDocument;

constexpr std::int64_t kNow = 1'900'000'000;
constexpr std::string_view kIss = "https://ehr.example.org";
constexpr std::string_view kAud = "https://cds.example.org/nmscds/cds-services/nms-assessment";

const TestKeyPair& EcKey() { return testing::EcP384Key(); }
const TestKeyPair& Rsa2048() { return testing::Rsa2048Key(); }
const TestKeyPair& Rsa3072() { return testing::Rsa3072Key(); }

TrustedIssuers Issuers(const Json& document) {
  auto loaded = ParseTrustedIssuers(document.dump(), "");
  if (!loaded.ok()) throw std::runtime_error("test issuers do not load: " + loaded.error().issues.at(0).message);
  return std::move(*loaded);
}

// One issuer with the three keys, a FHIR server prefix and no tenant restriction.
Json DefaultIssuerEntry() {
  Json entry = IssuerEntry(kIss, {&EcKey(), &Rsa2048(), &Rsa3072()});
  entry["fhir_servers"] = {"https://ehr.example.org/fhir"};
  return entry;
}

// Distinct jtis, so that tests never trip over replay detection by accident.
std::string NextJti() {
  static std::atomic<int> counter{0};
  return "jti-" + std::to_string(counter++);
}

Json Claims() { return StandardClaims(kIss, kAud, kNow, NextJti()); }

std::string ReasonOf(const JwtVerification& result) {
  if (const auto* failure = std::get_if<AuthFailure>(&result)) return std::string(failure->reason_code());
  return "accepted";
}

// ---- Valid tokens --------------------------------------------------------------------------------------------

TEST(JwtVerify, AcceptsValidEs384Token) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  Json claims = Claims();
  claims["tenant"] = "org-1";
  auto result = verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow);
  ASSERT_EQ(ReasonOf(result), "accepted");
  const auto& token = std::get<VerifiedToken>(result);
  EXPECT_EQ(token.iss, kIss);
  EXPECT_EQ(token.jti, claims["jti"].get<std::string>());
  EXPECT_EQ(token.exp, kNow + 300);
  EXPECT_EQ(token.tenant, "org-1");
  EXPECT_EQ(token.fhir_servers, std::vector<std::string>{"https://ehr.example.org/fhir"});
  EXPECT_EQ(verifier.replay_cache_size(), 1u);
}

TEST(JwtVerify, AcceptsValidRs384TokensOf2048And3072Bits) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(Rsa2048(), Claims())), kAud, kNow)), "accepted");
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(Rsa3072(), Claims())), kAud, kNow)), "accepted");
}

TEST(JwtVerify, AcceptsTheSchemeInAnyCaseAndTypInAnyCase) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  Json header = StandardHeader(EcKey());
  header["typ"] = "jwt";
  EXPECT_EQ(ReasonOf(verifier.Verify("bearer " + SignToken(EcKey(), Claims(), header), kAud, kNow)), "accepted");
  EXPECT_EQ(ReasonOf(verifier.Verify("BEARER  " + SignToken(EcKey(), Claims()), kAud, kNow)), "accepted");
}

// ---- Refused tokens, each with its reason code ---------------------------------------------------------------

struct RefusedCase {
  const char* name;
  std::function<std::string()> authorization;  // the Authorization header value
  const char* reason;
};

void PrintTo(const RefusedCase& row, std::ostream* os) { *os << row.name; }

class JwtRefused : public ::testing::TestWithParam<RefusedCase> {};

TEST_P(JwtRefused, WithItsReasonCode) {
  Json entry = DefaultIssuerEntry();
  entry["jku_allow"] = {"https://ehr.example.org/.well-known/jwks.json"};
  Json tenant_issuer = IssuerEntry("https://tenanted.example.org", {&EcKey()});
  tenant_issuer["tenants"] = {"org-1"};
  // A fetcher that counts: a jku that is not allow-listed must never be fetched.
  std::atomic<int> fetches{0};
  JwtVerifierOptions options;
  options.fetch_jwks = [&](const std::string&) -> Result<std::string> {
    ++fetches;
    return Error::Unreadable("no network in this test");
  };
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({entry, tenant_issuer})), std::move(options));
  auto result = verifier.Verify(GetParam().authorization(), kAud, kNow);
  EXPECT_EQ(ReasonOf(result), GetParam().reason);
  if (const auto* failure = std::get_if<AuthFailure>(&result)) {
    EXPECT_EQ(failure->http_status(), 401);
  }
  EXPECT_EQ(verifier.replay_cache_size(), 0u) << "a refused token must not be remembered";
  EXPECT_EQ(fetches.load(), 0) << "no row names an allow-listed jku, so nothing may be fetched";
}

// A token whose claims are `change`d from valid ones, signed properly with `key`.
std::function<std::string()> WithClaims(std::function<void(Json&)> change, const TestKeyPair& key = EcKey()) {
  return [change, &key] {
    Json claims = Claims();
    change(claims);
    return Bearer(SignToken(key, claims));
  };
}
// A token whose header is `change`d, signed properly with `key`.
std::function<std::string()> WithHeader(std::function<void(Json&)> change, const TestKeyPair& key = EcKey()) {
  return [change, &key] {
    Json header = StandardHeader(key);
    change(header);
    return Bearer(SignToken(key, Claims(), header));
  };
}
// A token made of three given parts.
std::function<std::string()> Raw(std::string token) {
  return [token] { return Bearer(token); };
}
std::string ValidPayloadPart() { return Base64UrlEncode(Claims().dump()); }
std::string ValidHeaderPart() { return Base64UrlEncode(StandardHeader(EcKey()).dump()); }
// A token whose header and claims are given as JSON text, validly signed by the EC key.
std::function<std::string()> SignedText(std::string header_text, std::string claims_text) {
  return [header_text, claims_text] {
    const std::string input = Base64UrlEncode(header_text) + "." + Base64UrlEncode(claims_text);
    return Bearer(input + "." + Base64UrlEncode(testing::SignEs384(EcKey(), input)));
  };
}

const RefusedCase kRefusedCases[] = {
    // Missing or not a bearer token.
    {"MissingHeader", [] { return std::string(); }, "missing_token"},
    {"OtherScheme", [] { return std::string("Basic dXNlcjpwYXNz"); }, "malformed_token"},
    {"BearerWithoutToken", [] { return std::string("Bearer "); }, "malformed_token"},
    // Step 1: algorithm.
    {"AlgNone",
     [] {
       Json header{{"alg", "none"}, {"typ", "JWT"}, {"kid", "ec-1"}};
       return Bearer(CompactJws(header, Claims(), ""));
     },
     "alg_not_allowed"},
    {"Hs256SignedWithThePublicKeyPem",  // the classic key-confusion attack
     [] {
       Json header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "rsa-2048"}};
       Json claims = Claims();
       return Bearer(CompactJws(header, claims, testing::SignHs256(Rsa2048().PublicKeyPem(), SigningInput(header, claims))));
     },
     "alg_not_allowed"},
    {"Hs384SignedWithTheJwk",
     [] {
       Json header{{"alg", "HS384"}, {"typ", "JWT"}, {"kid", "ec-1"}};
       Json claims = Claims();
       return Bearer(CompactJws(header, claims, testing::SignHs256(EcKey().PublicJwk().dump(), SigningInput(header, claims))));
     },
     "alg_not_allowed"},
    {"Es256", WithHeader([](Json& h) { h["alg"] = "ES256"; }), "alg_not_allowed"},
    {"AlgInLowerCase", WithHeader([](Json& h) { h["alg"] = "es384"; }), "alg_not_allowed"},
    {"Rs384HeaderOnAnEcKey", WithHeader([](Json& h) { h["alg"] = "RS384"; }), "alg_not_allowed"},
    {"AlgMissing", WithHeader([](Json& h) { h.erase("alg"); }), "malformed_token"},
    {"TypMissing", WithHeader([](Json& h) { h.erase("typ"); }), "malformed_token"},
    {"TypOther", WithHeader([](Json& h) { h["typ"] = "at+jwt"; }), "malformed_token"},
    {"KidMissing", WithHeader([](Json& h) { h.erase("kid"); }), "malformed_token"},
    {"CritExtension", WithHeader([](Json& h) { h["crit"] = {"exp"}; }), "malformed_token"},
    // Not a compact JWS.
    {"TwoParts", [] { return Bearer(ValidHeaderPart() + "." + ValidPayloadPart()); }, "malformed_token"},
    {"FourParts", [] { return Bearer(SignToken(EcKey(), Claims()) + ".AAAA"); }, "malformed_token"},
    {"OnlyDots", Raw(".."), "malformed_token"},
    {"HeaderNotBase64Url", [] { return Bearer("eyJ+bGci." + ValidPayloadPart() + ".AAAA"); }, "malformed_token"},
    {"PaddedPayload", [] { return Bearer(ValidHeaderPart() + "." + ValidPayloadPart() + "==.AAAA"); }, "malformed_token"},
    {"SignatureNotBase64Url", [] { return Bearer(ValidHeaderPart() + "." + ValidPayloadPart() + ".AA*A"); }, "malformed_token"},
    {"HeaderNotJson", SignedText("alg=ES384", Claims().dump()), "malformed_token"},
    {"HeaderAnArray", SignedText(R"(["ES384"])", Claims().dump()), "malformed_token"},
    {"HeaderDuplicateMember", SignedText(R"({"alg":"ES384","typ":"JWT","kid":"ec-1","kid":"rsa-2048"})", Claims().dump()), "malformed_token"},
    {"ClaimsNotJson", SignedText(StandardHeader(EcKey()).dump(), "not json"), "malformed_token"},
    {"ClaimsAString", SignedText(StandardHeader(EcKey()).dump(), R"("claims")"), "malformed_token"},
    // Step 2: required claims and their JSON types.
    {"ExpAString", WithClaims([](Json& c) { c["exp"] = std::to_string(kNow + 300); }), "malformed_token"},
    {"IatMissing", WithClaims([](Json& c) { c.erase("iat"); }), "malformed_token"},
    {"ExpMissing", WithClaims([](Json& c) { c.erase("exp"); }), "malformed_token"},
    {"JtiMissing", WithClaims([](Json& c) { c.erase("jti"); }), "malformed_token"},
    {"JtiANumber", WithClaims([](Json& c) { c["jti"] = 7; }), "malformed_token"},
    {"IssMissing", WithClaims([](Json& c) { c.erase("iss"); }), "malformed_token"},
    {"IssAnArray", WithClaims([](Json& c) { c["iss"] = {kIss}; }), "malformed_token"},
    {"AudMissing", WithClaims([](Json& c) { c.erase("aud"); }), "malformed_token"},
    {"AudANumber", WithClaims([](Json& c) { c["aud"] = 1; }), "malformed_token"},
    {"AudArrayWithANumber", WithClaims([](Json& c) { c["aud"] = Json::array({Json(kAud), Json(2)}); }), "malformed_token"},
    {"NbfABoolean", WithClaims([](Json& c) { c["nbf"] = true; }), "malformed_token"},
    {"ExpHuge", WithClaims([](Json& c) { c["exp"] = 1e300; }), "malformed_token"},
    {"UntrustedIssuer", WithClaims([](Json& c) { c["iss"] = "https://evil.example.org"; }), "unknown_issuer"},
    {"IssuerWithTrailingSlash", WithClaims([](Json& c) { c["iss"] = std::string(kIss) + "/"; }), "unknown_issuer"},
    // Step 3: key.
    {"UnknownKid", WithHeader([](Json& h) { h["kid"] = "ec-2"; }), "unknown_kid"},
    {"JkuNotAllowListed", WithHeader([](Json& h) { h["jku"] = "https://evil.example.org/jwks.json"; }), "jku_not_allowed"},
    {"JkuAlmostAllowListed", WithHeader([](Json& h) { h["jku"] = "https://ehr.example.org/.well-known/jwks.json?"; }), "jku_not_allowed"},
    // Step 4: signature.
    {"Es384SignatureInDer",
     [] {
       Json header = StandardHeader(EcKey());
       Json claims = Claims();
       return Bearer(CompactJws(header, claims, testing::SignSha384(EcKey(), SigningInput(header, claims))));
     },
     "bad_signature"},
    {"SignedByAnotherKeyWithTheSameKid",
     [] {
       static const TestKeyPair impostor = TestKeyPair::Ec("ec-1");
       return Bearer(SignToken(impostor, Claims()));
     },
     "bad_signature"},
    {"PayloadChangedAfterSigning",
     [] {
       const std::string token = SignToken(EcKey(), Claims());
       Json changed = Claims();
       changed["tenant"] = "org-2";
       const std::size_t dot1 = token.find('.');
       const std::size_t dot2 = token.find('.', dot1 + 1);
       return Bearer(token.substr(0, dot1 + 1) + Base64UrlEncode(changed.dump()) + token.substr(dot2));
     },
     "bad_signature"},
    {"Rs384SignatureTruncated",
     [] {
       Json header = StandardHeader(Rsa2048());
       Json claims = Claims();
       std::string signature = testing::SignSha384(Rsa2048(), SigningInput(header, claims));
       signature.pop_back();
       return Bearer(CompactJws(header, claims, signature));
     },
     "bad_signature"},
    // Step 5: audience, byte-exact.
    {"WrongAudience", WithClaims([](Json& c) { c["aud"] = "https://cds.example.org/nmscds/cds-services/nms-trigger-order"; }), "aud_mismatch"},
    {"AudienceWithTrailingSlash", WithClaims([](Json& c) { c["aud"] = std::string(kAud) + "/"; }), "aud_mismatch"},
    {"AudienceInOtherCase", WithClaims([](Json& c) { c["aud"] = "https://CDS.example.org/nmscds/cds-services/nms-assessment"; }), "aud_mismatch"},
    {"AudienceArrayWithoutTheUrl", WithClaims([](Json& c) { c["aud"] = {"https://a.example.org", "https://b.example.org"}; }), "aud_mismatch"},
    {"AudienceArrayEmpty", WithClaims([](Json& c) { c["aud"] = Json::array(); }), "aud_mismatch"},
    // Step 6: time.
    {"Expired", WithClaims([](Json& c) { c["iat"] = kNow - 600; c["exp"] = kNow - 300; }), "expired"},
    {"NotBeforeInTheFuture", WithClaims([](Json& c) { c["nbf"] = kNow + 120; }), "not_yet_valid"},
    {"IssuedInTheFuture", WithClaims([](Json& c) { c["iat"] = kNow + 120; c["exp"] = kNow + 400; }), "not_yet_valid"},
    {"LifetimeTooLong", WithClaims([](Json& c) { c["iat"] = kNow; c["exp"] = kNow + 3601; }), "lifetime_too_long"},
    // Step 8: tenant.
    {"WrongTenant", WithClaims([](Json& c) { c["iss"] = "https://tenanted.example.org"; c["tenant"] = "org-2"; }), "tenant_not_allowed"},
    {"NoTenantWhereTenantsAreListed", WithClaims([](Json& c) { c["iss"] = "https://tenanted.example.org"; }), "tenant_not_allowed"},
    {"TenantNotAString", WithClaims([](Json& c) { c["iss"] = "https://tenanted.example.org"; c["tenant"] = {"org-1"}; }), "tenant_not_allowed"},
};

INSTANTIATE_TEST_SUITE_P(Rows, JwtRefused, ::testing::ValuesIn(kRefusedCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(JwtVerify, FirstFailingStepDecidesTheReason) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  // Expired and for another audience: step 5 comes before step 6.
  Json claims = Claims();
  claims["aud"] = "https://elsewhere.example.org";
  claims["iat"] = kNow - 7200;
  claims["exp"] = kNow - 3600;
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "aud_mismatch");
  // An untrusted issuer with an HS256 header: step 1 comes before step 2.
  Json header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "x"}};
  claims["iss"] = "https://evil.example.org";
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(CompactJws(header, claims, "sig")), kAud, kNow)), "alg_not_allowed");
}

TEST(JwtVerify, AudienceMayBeAnArrayContainingTheUrl) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  Json claims = Claims();
  claims["aud"] = {"https://other.example.org", kAud};
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "accepted");
}

TEST(JwtVerify, FeedbackAcceptsEitherOfItsTwoUrls) {
  // §8.3 step 5: feedback tokens may name <public-url>/cds-services/{id}/feedback or .../{id}.
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  const std::string feedback = std::string(kAud) + "/feedback";
  const std::string_view audiences[] = {feedback, kAud};
  Json claims = Claims();
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), audiences, kNow)), "accepted");
  claims = Claims();
  claims["aud"] = feedback;
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), audiences, kNow)), "accepted");
  claims = Claims();
  claims["aud"] = "https://cds.example.org/nmscds/cds-services";
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), audiences, kNow)), "aud_mismatch");
}

TEST(JwtVerify, OnlyTheEntryOfTheTokensIssuerIsUsed) {
  // A key of issuer B never verifies a token that claims issuer A.
  static const TestKeyPair other_key = TestKeyPair::Ec("b-1");
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry(), IssuerEntry("https://b.example.org", {&other_key})})));
  Json header = StandardHeader(other_key);
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(other_key, Claims(), header)), kAud, kNow)), "unknown_kid");
}

// ---- Time boundaries, 60 s skew (§8.3 step 6) ------------------------------------------------------------------

struct TimeCase {
  const char* name;
  std::int64_t iat;
  std::int64_t exp;
  std::optional<std::int64_t> nbf;
  const char* reason;
};

void PrintTo(const TimeCase& row, std::ostream* os) { *os << row.name; }

class JwtTimeBoundary : public ::testing::TestWithParam<TimeCase> {};

TEST_P(JwtTimeBoundary, SixtySecondsOfSkew) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  Json claims = Claims();
  claims["iat"] = kNow + GetParam().iat;
  claims["exp"] = kNow + GetParam().exp;
  if (GetParam().nbf) claims["nbf"] = kNow + *GetParam().nbf;
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), GetParam().reason);
}

// Times relative to now.
const TimeCase kTimeCases[] = {
    {"ExpNowMinus60Refused", -300, -60, std::nullopt, "expired"},
    {"ExpNowMinus59Accepted", -300, -59, std::nullopt, "accepted"},
    {"IatNowPlus60Accepted", 60, 360, std::nullopt, "accepted"},
    {"IatNowPlus61Refused", 61, 361, std::nullopt, "not_yet_valid"},
    {"NbfNowPlus60Accepted", 0, 300, 60, "accepted"},
    {"NbfNowPlus61Refused", 0, 300, 61, "not_yet_valid"},
    {"LifetimeOf3600Accepted", -100, 3500, std::nullopt, "accepted"},
    {"LifetimeOf3601Refused", -100, 3501, std::nullopt, "lifetime_too_long"},
};

INSTANTIATE_TEST_SUITE_P(Rows, JwtTimeBoundary, ::testing::ValuesIn(kTimeCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(JwtVerify, FractionalTimesAreRoundedTowardsRefusal) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  Json claims = Claims();
  claims["exp"] = static_cast<double>(kNow - 59) - 0.5;  // read as now - 60: expired
  claims["iat"] = static_cast<double>(kNow - 300);
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "expired");
  claims = Claims();
  claims["iat"] = static_cast<double>(kNow + 60) + 0.25;  // read as now + 61: not yet valid
  claims["exp"] = static_cast<double>(kNow + 300);
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "not_yet_valid");
}

// ---- Replay (§8.3 step 7) ----------------------------------------------------------------------------------------

TEST(JwtReplay, SecondUseOfAJtiIsRefusedUntilExpiry) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  const std::string token = Bearer(SignToken(EcKey(), Claims()));
  EXPECT_EQ(ReasonOf(verifier.Verify(token, kAud, kNow)), "accepted");
  EXPECT_EQ(ReasonOf(verifier.Verify(token, kAud, kNow + 1)), "replayed");
  // A new token (new signature) with the same jti is a replay too.
  Json claims = Claims();
  claims["jti"] = "fixed-jti";
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "accepted");
  claims["iat"] = kNow + 10;
  claims["exp"] = kNow + 310;
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(Rsa2048(), claims)), kAud, kNow + 10)), "replayed");
}

TEST(JwtReplay, SameJtiFromAnotherIssuerIsNotAReplay) {
  static const TestKeyPair other_key = TestKeyPair::Ec("b-1");
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry(), IssuerEntry("https://b.example.org", {&other_key})})));
  Json claims = Claims();
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "accepted");
  claims["iss"] = "https://b.example.org";
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(other_key, claims)), kAud, kNow)), "accepted");
}

TEST(JwtReplay, RefusedTokenDoesNotUseUpItsJti) {
  Json entry = DefaultIssuerEntry();
  entry["tenants"] = {"org-1"};
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({entry})));
  Json claims = Claims();
  claims["tenant"] = "org-2";
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "tenant_not_allowed");
  claims["tenant"] = "org-1";
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), claims)), kAud, kNow)), "accepted");
}

TEST(JwtReplay, FullCacheOfUnexpiredEntriesGives503UntilEntriesExpire) {
  EXPECT_EQ(JwtVerifierOptions{}.replay_cache_capacity, 100'000u);  // §8.3 step 7
  JwtVerifierOptions options;
  options.replay_cache_capacity = 2;
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})), std::move(options));
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), Claims())), kAud, kNow)), "accepted");
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), Claims())), kAud, kNow)), "accepted");
  const std::string third = Bearer(SignToken(EcKey(), Claims()));
  auto full = verifier.Verify(third, kAud, kNow);
  ASSERT_EQ(ReasonOf(full), "replay_cache_full");
  const auto& failure = std::get<AuthFailure>(full);
  EXPECT_EQ(failure.http_status(), 503);
  EXPECT_EQ(failure.operation_outcome_code(), "throttled");
  EXPECT_EQ(failure.www_authenticate(), "");
  // The first two are remembered until exp + 60 = now + 360; at now + 360 they are forgotten.
  Json late = StandardClaims(kIss, kAud, kNow + 359, NextJti());
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), late)), kAud, kNow + 359)), "replay_cache_full");
  late = StandardClaims(kIss, kAud, kNow + 360, NextJti());
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(EcKey(), late)), kAud, kNow + 360)), "accepted");
  EXPECT_EQ(verifier.replay_cache_size(), 1u);
}

TEST(JwtReplay, ConcurrentUsesOfOneTokenAcceptExactlyOne) {
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  const std::string shared = Bearer(SignToken(EcKey(), Claims()));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::string> own[kThreads];
  for (auto& tokens : own) {
    for (int i = 0; i < kPerThread; ++i) tokens.push_back(Bearer(SignToken(i % 2 ? EcKey() : Rsa2048(), Claims())));
  }
  std::atomic<int> shared_accepted{0};
  std::atomic<int> own_accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (ReasonOf(verifier.Verify(shared, kAud, kNow)) == "accepted") ++shared_accepted;
        if (ReasonOf(verifier.Verify(own[t][static_cast<std::size_t>(i)], kAud, kNow)) == "accepted") ++own_accepted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(shared_accepted.load(), 1);
  EXPECT_EQ(own_accepted.load(), kThreads * kPerThread);
}

// ---- What the HTTP layer sends (§8.3, §8.4) -----------------------------------------------------------------------

TEST(AuthFailureResponse, HeaderStatusAndOutcomeCodeForEveryReason) {
  struct Row {
    AuthFailureReason reason;
    const char* code;
    int status;
    const char* www_authenticate;
    const char* outcome;
  };
  const char* kInvalid = "Bearer error=\"invalid_token\"";
  const Row rows[] = {
      {AuthFailureReason::kMissingToken, "missing_token", 401, "Bearer", "login"},
      {AuthFailureReason::kMalformedToken, "malformed_token", 401, kInvalid, "security"},
      {AuthFailureReason::kAlgNotAllowed, "alg_not_allowed", 401, kInvalid, "security"},
      {AuthFailureReason::kUnknownIssuer, "unknown_issuer", 401, kInvalid, "security"},
      {AuthFailureReason::kUnknownKid, "unknown_kid", 401, kInvalid, "security"},
      {AuthFailureReason::kJkuNotAllowed, "jku_not_allowed", 401, kInvalid, "security"},
      {AuthFailureReason::kBadSignature, "bad_signature", 401, kInvalid, "security"},
      {AuthFailureReason::kAudMismatch, "aud_mismatch", 401, kInvalid, "security"},
      {AuthFailureReason::kExpired, "expired", 401, kInvalid, "expired"},
      {AuthFailureReason::kNotYetValid, "not_yet_valid", 401, kInvalid, "security"},
      {AuthFailureReason::kLifetimeTooLong, "lifetime_too_long", 401, kInvalid, "security"},
      {AuthFailureReason::kReplayed, "replayed", 401, kInvalid, "security"},
      {AuthFailureReason::kTenantNotAllowed, "tenant_not_allowed", 401, kInvalid, "security"},
      {AuthFailureReason::kReplayCacheFull, "replay_cache_full", 503, "", "throttled"},
  };
  for (const Row& row : rows) {
    const AuthFailure failure{row.reason};
    EXPECT_EQ(failure.reason_code(), row.code);
    EXPECT_EQ(failure.http_status(), row.status) << row.code;
    EXPECT_EQ(failure.www_authenticate(), row.www_authenticate) << row.code;
    EXPECT_EQ(failure.operation_outcome_code(), row.outcome) << row.code;
  }
}

// ---- Reload on SIGHUP ----------------------------------------------------------------------------------------------

TEST(JwtReload, ReplacesTheIssuerSetAndKeepsItWhenTheNewFileIsBroken) {
  static const TestKeyPair rotated = TestKeyPair::Ec("ec-2026-2");
  const std::string dir = testing::MakeTempDir("jwt_reload");
  const std::string path = dir + "/issuers.json";
  JwtVerifier verifier(Issuers(TrustedIssuersDocument({DefaultIssuerEntry()})));
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(rotated, Claims())), kAud, kNow)), "unknown_kid");
  const std::string remembered = Bearer(SignToken(EcKey(), Claims()));
  EXPECT_EQ(ReasonOf(verifier.Verify(remembered, kAud, kNow)), "accepted");

  testing::WriteTrustedIssuersFile(path, TrustedIssuersDocument({IssuerEntry(kIss, {&rotated, &EcKey()})}));
  auto reloaded = verifier.ReloadIssuersFile(path);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(*reloaded, 1u);
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(rotated, Claims())), kAud, kNow)), "accepted");
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(Rsa2048(), Claims())), kAud, kNow)), "unknown_kid");
  EXPECT_EQ(ReasonOf(verifier.Verify(remembered, kAud, kNow)), "replayed");  // the replay cache survives

  testing::WriteFile(path, R"({"issuers": [{"iss": "https://ehr.example.org"}]})");
  auto broken = verifier.ReloadIssuersFile(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(ReasonOf(verifier.Verify(Bearer(SignToken(rotated, Claims())), kAud, kNow)), "accepted");
}

TEST(JwtReload, VerifyingWhileTheIssuersAreReplacedSeesOneSetOrTheOther) {
  // Both sets trust the EC key; only the second trusts the RSA key. A call sees the old set or the new one,
  // never a half-replaced one, so EC tokens are always accepted.
  const TrustedIssuers with_ec = Issuers(TrustedIssuersDocument({IssuerEntry(kIss, {&EcKey()})}));
  const TrustedIssuers with_both = Issuers(TrustedIssuersDocument({IssuerEntry(kIss, {&EcKey(), &Rsa2048()})}));
  JwtVerifier verifier(with_ec);
  constexpr int kTokens = 40;
  std::vector<std::string> tokens;
  for (int i = 0; i < kTokens; ++i) tokens.push_back(Bearer(SignToken(EcKey(), Claims())));
  std::atomic<bool> done{false};
  std::thread reloader([&] {
    for (int i = 0; !done.load(); ++i) verifier.ReplaceIssuers(i % 2 ? with_ec : with_both);
  });
  std::atomic<int> accepted{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&, t] {
      for (int i = t; i < kTokens; i += 2) {
        if (ReasonOf(verifier.Verify(tokens[static_cast<std::size_t>(i)], kAud, kNow)) == "accepted") ++accepted;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  done = true;
  reloader.join();
  EXPECT_EQ(accepted.load(), kTokens);
}

// ---- jku key sets over HTTPS from a loopback server (§8.3 step 3) --------------------------------------------

// An HTTPS server on 127.0.0.1 with a self-signed certificate, serving a JWK Set at /jwks.json and counting
// requests.
class LoopbackJwksServer {
 public:
  LoopbackJwksServer()
      : tls_key_(TestKeyPair::Ec("tls", "prime256v1")),
        certificate_(testing::SelfSignedCertificate(tls_key_)),
        server_(certificate_.get(), tls_key_.pkey()) {
    ca_file_ = testing::MakeTempDir("jwks_server") + "/ca.pem";
    testing::WriteFile(ca_file_, testing::CertificatePem(certificate_.get()));
    server_.Get("/jwks.json", [this](const httplib::Request&, httplib::Response& response) {
      ++requests_;
      std::lock_guard lock(mutex_);
      response.status = status_;
      response.set_content(body_, "application/json");
    });
    server_.Get("/slow.json", [this](const httplib::Request&, httplib::Response& response) {
      std::this_thread::sleep_for(std::chrono::milliseconds(800));
      std::lock_guard lock(mutex_);
      response.set_content(body_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 5000 && port_ > 0 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~LoopbackJwksServer() {
    server_.stop();
    thread_.join();
  }

  std::string Url(std::string_view path = "/jwks.json") const {
    return "https://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  const std::string& ca_file() const { return ca_file_; }
  int port() const { return port_; }
  int requests() const { return requests_.load(); }
  void Serve(const Json& set, int status = 200) {
    std::lock_guard lock(mutex_);
    body_ = set.dump();
    status_ = status;
  }

 private:
  TestKeyPair tls_key_;
  std::shared_ptr<X509> certificate_;
  httplib::SSLServer server_;
  std::string ca_file_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::string body_ = "{}";
  int status_ = 200;
};

class JwtJku : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GT(server_.port(), 0) << "the loopback server did not start";
    HttpsJwksFetcherOptions fetch;
    fetch.ca_cert_file = server_.ca_file();
    JwtVerifierOptions options;
    options.fetch_jwks = MakeHttpsJwksFetcher(fetch);
    Json entry = IssuerEntry(kIss, {&Rsa2048()});
    entry["jku_allow"] = {server_.Url(), server_.Url("/slow.json")};
    verifier_ = std::make_unique<JwtVerifier>(Issuers(TrustedIssuersDocument({entry})), std::move(options));
  }

  // A token by `key` naming the server's key set in `jku`, issued at `at`.
  std::string JkuToken(const TestKeyPair& key, std::int64_t at, std::string_view path = "/jwks.json") {
    Json header = StandardHeader(key);
    header["jku"] = server_.Url(path);
    return Bearer(SignToken(key, StandardClaims(kIss, kAud, at, NextJti()), header));
  }

  LoopbackJwksServer server_;
  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(JwtJku, FetchesAnAllowListedKeySetOnceAndCachesItForAnHour) {
  server_.Serve(testing::JwkSet({&EcKey()}));
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow), kAud, kNow)), "accepted");
  EXPECT_EQ(server_.requests(), 1);
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow + 3599), kAud, kNow + 3599)), "accepted");
  EXPECT_EQ(server_.requests(), 1) << "cached for an hour";
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow + 3600), kAud, kNow + 3600)), "accepted");
  EXPECT_EQ(server_.requests(), 2) << "fetched again after an hour";
  // A configured key needs no fetch even with a jku.
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(Rsa2048(), kNow + 3600), kAud, kNow + 3600)), "accepted");
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(JwtJku, UnknownKidRefetchesAtMostOnceAMinute) {
  static const TestKeyPair rotated = TestKeyPair::Ec("ec-rotated");
  server_.Serve(testing::JwkSet({&EcKey()}));
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow), kAud, kNow)), "accepted");
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(rotated, kNow + 10), kAud, kNow + 10)), "unknown_kid");
  EXPECT_EQ(server_.requests(), 1) << "within a minute of the last fetch";
  server_.Serve(testing::JwkSet({&EcKey(), &rotated}));
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(rotated, kNow + 59), kAud, kNow + 59)), "unknown_kid");
  EXPECT_EQ(server_.requests(), 1);
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(rotated, kNow + 60), kAud, kNow + 60)), "accepted");
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(JwtJku, KeysThatBreakTheRulesAreNotUsedAndFailedFetchesFindNoKey) {
  const TestKeyPair& weak = testing::Rsa1024Key();
  server_.Serve(testing::JwkSet({&weak}));
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(weak, kNow), kAud, kNow)), "unknown_kid");
  server_.Serve(testing::JwkSet({&EcKey()}), 500);
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow + 60), kAud, kNow + 60)), "unknown_kid");
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(JwtJku, ReloadForgetsFetchedKeySets) {
  server_.Serve(testing::JwkSet({&EcKey()}));
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow), kAud, kNow)), "accepted");
  Json entry = IssuerEntry(kIss, {&Rsa2048()});
  entry["jku_allow"] = {server_.Url()};
  verifier_->ReplaceIssuers(Issuers(TrustedIssuersDocument({entry})));
  EXPECT_EQ(ReasonOf(verifier_->Verify(JkuToken(EcKey(), kNow + 1), kAud, kNow + 1)), "accepted");
  EXPECT_EQ(server_.requests(), 2);
}

TEST(JwksFetcher, TimesOutAndRefusesUntrustedCertificatesAndOtherSchemes) {
  EXPECT_EQ(HttpsJwksFetcherOptions{}.timeout, std::chrono::milliseconds(2000));  // §8.3 step 3
  LoopbackJwksServer server;
  server.Serve(testing::JwkSet({&EcKey()}));
  HttpsJwksFetcherOptions trusting;
  trusting.ca_cert_file = server.ca_file();
  auto fetched = MakeHttpsJwksFetcher(trusting)(server.Url());
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_NE(fetched->find("ec-1"), std::string::npos);

  // The self-signed certificate is not in the system's trust store.
  auto untrusted = MakeHttpsJwksFetcher()(server.Url());
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().kind, ErrorKind::kUnreadable);

  HttpsJwksFetcherOptions impatient = trusting;
  impatient.timeout = std::chrono::milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(MakeHttpsJwksFetcher(impatient)(server.Url("/slow.json")).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(700));

  HttpsJwksFetcherOptions tiny = trusting;
  tiny.max_body_bytes = 10;
  EXPECT_FALSE(MakeHttpsJwksFetcher(tiny)(server.Url()).ok());

  EXPECT_FALSE(MakeHttpsJwksFetcher(trusting)("http://127.0.0.1:" + server.Url().substr(server.Url().rfind(':') + 1)).ok());
  EXPECT_FALSE(MakeHttpsJwksFetcher(trusting)("https://user@127.0.0.1/jwks.json").ok());
}

}  // namespace
}  // namespace nmscds
