// The trusted-issuers file and its keys (interfaces.md §8.3 "Trusted-issuers file", step 3 key rules, §7.4
// startup exit codes).
#include "auth/trusted_issuers.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <functional>
#include <string>

#include "auth/base64url.h"
#include "jwt_test_signer.h"
#include "test_util.h"

namespace nmscds {
namespace {

using testing::IssuerEntry;
using testing::Json;
using testing::TestKeyPair;
using testing::TrustedIssuersDocument;

const TestKeyPair& EcKey() { return testing::EcP384Key(); }
const TestKeyPair& EcP256() { return testing::EcP256Key(); }
const TestKeyPair& Rsa1024() { return testing::Rsa1024Key(); }
const TestKeyPair& Rsa2048() { return testing::Rsa2048Key(); }

std::string CurveName(EVP_PKEY* key) {
  char group[64] = {};
  EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
  return group;
}

// ---- Base64url (RFC 4648 §5 through OpenSSL) ----------------------------------------------------------------

TEST(Base64Url, RoundTripsEveryLengthModuloThree) {
  const std::string bytes("\x00\xfb\xff\x3e\x3f\x80\x01", 7);
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    const std::string encoded = Base64UrlEncode(bytes.substr(0, n));
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << encoded;
    auto decoded = Base64UrlDecode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, bytes.substr(0, n));
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RefusesWhatAJwsMustNotContain) {
  for (std::string_view text : {"-_8=", "+/8", "ab cd", "abcde", "ab\ncd", "YQ==", "a"}) {
    EXPECT_FALSE(Base64UrlDecode(text).has_value()) << text;
  }
}

// ---- Loading ---------------------------------------------------------------------------------------------------

TEST(TrustedIssuers, LoadsEveryMemberOfAnEntry) {
  Json entry = IssuerEntry("https://ehr.example.org", {&EcKey(), &Rsa2048()});
  entry["jku_allow"] = {"https://ehr.example.org/.well-known/jwks.json"};
  entry["fhir_servers"] = {"https://ehr.example.org/fhir"};
  entry["tenants"] = {"org-1", "org-2"};
  Json other = IssuerEntry("https://other.example.org", {&EcKey()});
  auto loaded = ParseTrustedIssuers(TrustedIssuersDocument({entry, other}).dump(), "");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->issuers.size(), 2u);
  const TrustedIssuer* issuer = loaded->Find("https://ehr.example.org");
  ASSERT_NE(issuer, nullptr);
  ASSERT_EQ(issuer->configured_keys.keys.size(), 2u);
  const VerificationKey* ec = issuer->configured_keys.FindKid("ec-1");
  ASSERT_NE(ec, nullptr);
  EXPECT_EQ(ec->algorithm, JwsAlgorithm::kEs384);
  EXPECT_EQ(CurveName(ec->public_key.get()), "secp384r1");
  const VerificationKey* rsa = issuer->configured_keys.FindKid("rsa-2048");
  ASSERT_NE(rsa, nullptr);
  EXPECT_EQ(rsa->algorithm, JwsAlgorithm::kRs384);
  EXPECT_EQ(EVP_PKEY_get_bits(rsa->public_key.get()), 2048);
  EXPECT_EQ(issuer->jku_allow, std::vector<std::string>{"https://ehr.example.org/.well-known/jwks.json"});
  EXPECT_EQ(issuer->fhir_servers, std::vector<std::string>{"https://ehr.example.org/fhir"});
  ASSERT_TRUE(issuer->tenants.has_value());
  EXPECT_EQ(*issuer->tenants, (std::vector<std::string>{"org-1", "org-2"}));
  // Issuers are matched exactly (§8.3 step 2): no trailing-slash or case variants.
  EXPECT_EQ(loaded->Find("https://ehr.example.org/"), nullptr);
  EXPECT_EQ(loaded->Find("https://EHR.example.org"), nullptr);
  EXPECT_FALSE(loaded->Find("https://other.example.org")->tenants.has_value());
}

TEST(TrustedIssuers, AcceptsKeysThatNameTheirAlgorithmAndUse) {
  Json ec = EcKey().PublicJwk();
  ec["alg"] = "ES384";
  ec["use"] = "sig";
  Json rsa = Rsa2048().PublicJwk();
  rsa["alg"] = "RS384";
  rsa["use"] = "sig";
  Json rsa3072 = testing::Rsa3072Key().PublicJwk();
  Json document = TrustedIssuersDocument({Json{{"iss", "https://ehr.example.org"}, {"jwks", {{"keys", {ec, rsa, rsa3072}}}}}});
  auto loaded = ParseTrustedIssuers(document.dump(), "");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->issuers[0].configured_keys.keys.size(), 3u);
}

TEST(TrustedIssuers, SandboxPublicKeyLoadsAsEcP384) {
  const std::string path = testing::SharedDir() + "/data/cds-hooks-requests/sandbox-jwks.json";
  auto set = ParseJwkSet(testing::ReadFile(path), UnusableKeys::kReject);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->keys.size(), 1u);
  const VerificationKey& key = set->keys[0];
  EXPECT_EQ(key.kid, "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f");
  EXPECT_EQ(key.algorithm, JwsAlgorithm::kEs384);
  EXPECT_EQ(EVP_PKEY_is_a(key.public_key.get(), "EC"), 1);
  EXPECT_EQ(CurveName(key.public_key.get()), "secp384r1");
  EXPECT_EQ(EVP_PKEY_get_bits(key.public_key.get()), 384);

  // The same file named by `jwks_file` (an absolute path here).
  const std::string dir = testing::MakeTempDir("trusted_sandbox");
  testing::WriteTrustedIssuersFile(dir + "/issuers.json",
                                   TrustedIssuersDocument({Json{{"iss", "https://sandbox.cds-hooks.org"}, {"jwks_file", path}}}));
  auto loaded = LoadTrustedIssuersFile(dir + "/issuers.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_NE(loaded->issuers[0].configured_keys.FindKid("44823f3d-0b01-4a6c-a80e-b9d3e8a7226f"), nullptr);
}

TEST(TrustedIssuers, JwksFileIsRelativeToTheIssuersFileAndAddsToInlineKeys) {
  const std::string dir = testing::MakeTempDir("trusted_relative");
  testing::WriteFile(dir + "/keys.json", testing::JwkSet({&Rsa2048()}).dump());
  Json entry = IssuerEntry("https://ehr.example.org", {&EcKey()});
  entry["jwks_file"] = "keys.json";
  testing::WriteTrustedIssuersFile(dir + "/issuers.json", TrustedIssuersDocument({entry}));
  auto loaded = LoadTrustedIssuersFile(dir + "/issuers.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const JwkSet& keys = loaded->issuers[0].configured_keys;
  EXPECT_NE(keys.FindKid("ec-1"), nullptr);
  EXPECT_NE(keys.FindKid("rsa-2048"), nullptr);
}

// ---- Invalid files: every problem with its JSON pointer (exit 3) ---------------------------------------------

struct InvalidCase {
  const char* name;
  std::function<void(Json&)> change;  // applied to a valid one-issuer document
  const char* code;
  const char* pointer;
};

void PrintTo(const InvalidCase& row, std::ostream* os) { *os << row.name; }

class TrustedIssuersInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(TrustedIssuersInvalid, ReportsTheProblemAtItsPointer) {
  Json document = TrustedIssuersDocument({IssuerEntry("https://ehr.example.org", {&EcKey()})});
  GetParam().change(document);
  auto loaded = ParseTrustedIssuers(document.dump(), "");
  ASSERT_FALSE(loaded.ok()) << document.dump();
  EXPECT_EQ(loaded.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(ExitCode(loaded.error().kind), 3);
  bool found = false;
  for (const Issue& issue : loaded.error().issues) {
    found = found || (issue.code == GetParam().code && issue.location == GetParam().pointer);
    EXPECT_EQ(issue.location_type, "json_pointer");
  }
  EXPECT_TRUE(found) << "expected " << GetParam().code << " at " << GetParam().pointer << "; got "
                     << loaded.error().issues.at(0).code << " at " << loaded.error().issues.at(0).location << ": "
                     << loaded.error().issues.at(0).message;
}

Json& Key0(Json& document) { return document["issuers"][0]["jwks"]["keys"][0]; }

const InvalidCase kInvalidCases[] = {
    {"UnknownTopLevelMember", [](Json& d) { d["issuer"] = Json::array(); }, "unknown_member", "/issuer"},
    {"UnknownIssuerMember", [](Json& d) { d["issuers"][0]["audience"] = "x"; }, "unknown_member", "/issuers/0/audience"},
    {"MissingIss", [](Json& d) { d["issuers"][0].erase("iss"); }, "missing_required", "/issuers/0/iss"},
    {"EmptyIss", [](Json& d) { d["issuers"][0]["iss"] = ""; }, "missing_required", "/issuers/0/iss"},
    {"IssNotAString", [](Json& d) { d["issuers"][0]["iss"] = 7; }, "wrong_type", "/issuers/0/iss"},
    {"NoKeySource", [](Json& d) { d["issuers"][0].erase("jwks"); }, "missing_required", "/issuers/0"},
    {"MissingIssuers", [](Json& d) { d.erase("issuers"); }, "missing_required", "/issuers"},
    {"NoIssuers", [](Json& d) { d["issuers"] = Json::array(); }, "missing_required", "/issuers"},
    {"IssuersNotAnArray", [](Json& d) { d["issuers"] = Json::object(); }, "wrong_type", "/issuers"},
    {"IssuerRepeated", [](Json& d) { d["issuers"].push_back(d["issuers"][0]); }, "duplicate_member", "/issuers/1/iss"},
    {"JwksWithoutKeys", [](Json& d) { d["issuers"][0]["jwks"] = Json::object(); }, "missing_required", "/issuers/0/jwks/keys"},
    {"KidRepeated", [](Json& d) { d["issuers"][0]["jwks"]["keys"].push_back(Key0(d)); }, "duplicate_member", "/issuers/0/jwks/keys/1/kid"},
    {"KeyWithoutKid", [](Json& d) { Key0(d).erase("kid"); }, "missing_required", "/issuers/0/jwks/keys/0/kid"},
    {"EcKeyOnP256", [](Json& d) { Key0(d) = EcP256().PublicJwk(); }, "enum_value", "/issuers/0/jwks/keys/0/crv"},
    {"RsaKeyOf1024Bits", [](Json& d) { Key0(d) = Rsa1024().PublicJwk(); }, "out_of_range", "/issuers/0/jwks/keys/0/n"},
    {"EcKeyNamingRs384", [](Json& d) { Key0(d)["alg"] = "RS384"; }, "enum_value", "/issuers/0/jwks/keys/0/alg"},
    {"EcKeyNamingEs256", [](Json& d) { Key0(d)["alg"] = "ES256"; }, "enum_value", "/issuers/0/jwks/keys/0/alg"},
    {"RsaKeyNamingRs256", [](Json& d) { Key0(d) = Rsa2048().PublicJwk(); Key0(d)["alg"] = "RS256"; }, "enum_value", "/issuers/0/jwks/keys/0/alg"},
    {"EncryptionKey", [](Json& d) { Key0(d)["use"] = "enc"; }, "enum_value", "/issuers/0/jwks/keys/0/use"},
    {"SymmetricKey", [](Json& d) { Key0(d) = Json{{"kty", "oct"}, {"kid", "k"}, {"k", "c2VjcmV0"}}; }, "enum_value", "/issuers/0/jwks/keys/0/kty"},
    {"CoordinateNotBase64Url", [](Json& d) { Key0(d)["x"] = "not base64!"; }, "unsupported_value", "/issuers/0/jwks/keys/0/x"},
    {"CoordinateTooShort", [](Json& d) { Key0(d)["x"] = Base64UrlEncode(std::string(47, '\x01')); }, "unsupported_value", "/issuers/0/jwks/keys/0/x"},
    {"PointNotOnTheCurve", [](Json& d) { Key0(d)["y"] = Key0(d)["x"]; }, "unsupported_value", "/issuers/0/jwks/keys/0"},
    {"JkuNotHttps", [](Json& d) { d["issuers"][0]["jku_allow"] = {"http://ehr.example.org/jwks.json"}; }, "unsupported_value", "/issuers/0/jku_allow/0"},
    {"EmptyTenants", [](Json& d) { d["issuers"][0]["tenants"] = Json::array(); }, "missing_required", "/issuers/0/tenants"},
    {"TenantNotAString", [](Json& d) { d["issuers"][0]["tenants"] = {1}; }, "wrong_type", "/issuers/0/tenants/0"},
    {"FhirServersNotAnArray", [](Json& d) { d["issuers"][0]["fhir_servers"] = "https://x"; }, "wrong_type", "/issuers/0/fhir_servers"},
};

INSTANTIATE_TEST_SUITE_P(Rows, TrustedIssuersInvalid, ::testing::ValuesIn(kInvalidCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(TrustedIssuers, JsonProblemsAreInvalidInput) {
  for (std::string_view text : {"{", "[]", R"({"issuers": [], "issuers": []})"}) {
    auto loaded = ParseTrustedIssuers(text, "");
    ASSERT_FALSE(loaded.ok()) << text;
    EXPECT_EQ(loaded.error().kind, ErrorKind::kInvalidInput) << text;
  }
  EXPECT_EQ(ParseTrustedIssuers(R"({"issuers": [], "issuers": []})", "").error().issues.at(0).code, "duplicate_member");
}

TEST(TrustedIssuers, ListsEveryProblemNotJustTheFirst) {
  Json document = TrustedIssuersDocument({IssuerEntry("https://a.example.org", {&Rsa1024()}),
                                          Json{{"iss", "https://b.example.org"}, {"colour", "red"}}});
  auto loaded = ParseTrustedIssuers(document.dump(), "");
  ASSERT_FALSE(loaded.ok());
  std::vector<std::string> where;
  for (const Issue& issue : loaded.error().issues) where.push_back(issue.code + " " + issue.location);
  EXPECT_EQ(where, (std::vector<std::string>{"out_of_range /issuers/0/jwks/keys/0/n", "unknown_member /issuers/1/colour",
                                             "missing_required /issuers/1"}));
}

// ---- Unreadable (exit 4) versus invalid (exit 3) ----------------------------------------------------------------

TEST(TrustedIssuers, UnreadableJwksFileIsUnreadable) {
  const std::string dir = testing::MakeTempDir("trusted_unreadable");
  Json entry = IssuerEntry("https://ehr.example.org", {&EcKey()});
  entry["jwks_file"] = "missing-keys.json";
  testing::WriteTrustedIssuersFile(dir + "/issuers.json", TrustedIssuersDocument({entry}));
  auto loaded = LoadTrustedIssuersFile(dir + "/issuers.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::kUnreadable);
  EXPECT_EQ(ExitCode(loaded.error().kind), 4);
  ASSERT_EQ(loaded.error().issues.size(), 1u);
  EXPECT_EQ(loaded.error().issues[0].code, "unreadable");
  EXPECT_EQ(loaded.error().issues[0].location, "/issuers/0/jwks_file");
  EXPECT_NE(loaded.error().issues[0].message.find("missing-keys.json"), std::string::npos);

  // A directory is not a key file either.
  entry["jwks_file"] = ".";
  testing::WriteTrustedIssuersFile(dir + "/issuers.json", TrustedIssuersDocument({entry}));
  EXPECT_EQ(LoadTrustedIssuersFile(dir + "/issuers.json").error().kind, ErrorKind::kUnreadable);
}

TEST(TrustedIssuers, UnreadableIssuersFileIsUnreadable) {
  const std::string dir = testing::MakeTempDir("trusted_missing");
  EXPECT_EQ(LoadTrustedIssuersFile(dir + "/none.json").error().kind, ErrorKind::kUnreadable);
  EXPECT_EQ(LoadTrustedIssuersFile(dir).error().kind, ErrorKind::kUnreadable);
}

TEST(TrustedIssuers, InvalidJwksFileIsReportedAtItsMember) {
  const std::string dir = testing::MakeTempDir("trusted_bad_jwks_file");
  testing::WriteFile(dir + "/keys.json", testing::JwkSet({&EcKey(), &EcP256()}).dump());
  testing::WriteTrustedIssuersFile(dir + "/issuers.json",
                                   TrustedIssuersDocument({Json{{"iss", "https://ehr.example.org"}, {"jwks_file", "keys.json"}}}));
  auto loaded = LoadTrustedIssuersFile(dir + "/issuers.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::kInvalidInput);
  ASSERT_EQ(loaded.error().issues.size(), 1u);
  EXPECT_EQ(loaded.error().issues[0].code, "enum_value");
  EXPECT_EQ(loaded.error().issues[0].location, "/issuers/0/jwks_file");
  EXPECT_NE(loaded.error().issues[0].message.find("at /keys/1/crv"), std::string::npos) << loaded.error().issues[0].message;
}

// ---- Key sets fetched from a jku: unusable keys are left out, not fatal -------------------------------------

TEST(JwkSetFetched, LeavesOutUnusableKeysAndRepeatedKids) {
  Json weak = Rsa1024().PublicJwk();
  Json p256 = EcP256().PublicJwk();
  Json encryption = Rsa2048().PublicJwk();
  encryption["kid"] = "enc-1";
  encryption["use"] = "enc";
  Json repeated = EcKey().PublicJwk();
  repeated["kid"] = "twice";
  Json set{{"keys", {EcKey().PublicJwk(), weak, p256, encryption, repeated, repeated, Json{{"kty", "oct"}, {"k", "AA"}}}}};
  auto lenient = ParseJwkSet(set.dump(), UnusableKeys::kSkip);
  ASSERT_TRUE(lenient.ok()) << lenient.error().message;
  ASSERT_EQ(lenient->keys.size(), 1u);
  EXPECT_EQ(lenient->keys[0].kid, "ec-1");
  EXPECT_FALSE(ParseJwkSet(set.dump(), UnusableKeys::kReject).ok());
  EXPECT_FALSE(ParseJwkSet(R"({"keys": {}})", UnusableKeys::kSkip).ok());
  EXPECT_FALSE(ParseJwkSet("<html>", UnusableKeys::kSkip).ok());
}

}  // namespace
}  // namespace nmscds
