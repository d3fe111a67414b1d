#include "auth/trusted_issuers.h"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "auth/base64url.h"
#include "auth/openssl_handles.h"
#include "common/json_dom.h"

namespace nmscds {

namespace {

using Element = simdjson::dom::element;

constexpr std::size_t kP384CoordinateBytes = 48;  // RFC 7518 §6.2.1.2: x and y are full-length octets
constexpr int kMinRsaBits = 2048;                 // §8.3 step 3

void AddIssue(std::vector<Issue>& issues, std::string code, std::string pointer, std::string message) {
  issues.push_back(Issue{std::move(code), std::move(pointer), "json_pointer", std::move(message)});
}

void WrongType(std::vector<Issue>& issues, const std::string& pointer, std::string_view expected, Element found) {
  AddIssue(issues, "wrong_type", pointer, fmt::format("expected {}, found {}", expected, JsonTypeName(found)));
}

// Every member of `object` whose name is not in `allowed` is an unknown_member.
void CheckMembers(simdjson::dom::object object, const std::string& pointer,
                  std::initializer_list<std::string_view> allowed, std::vector<Issue>& issues) {
  for (auto field : object) {
    if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
      AddIssue(issues, "unknown_member", PointerAppend(pointer, field.key),
               fmt::format("'{}' is not a member of this object", field.key));
    }
  }
}

// The string member `name` of `object`; a missing_required issue when `required` and absent, wrong_type when
// it is not a string.
std::optional<std::string_view> StringMember(simdjson::dom::object object, std::string_view name,
                                             const std::string& pointer, bool required,
                                             std::vector<Issue>& issues) {
  Element value;
  if (object.at_key(name).get(value) != simdjson::SUCCESS) {
    if (required) AddIssue(issues, "missing_required", PointerAppend(pointer, name), fmt::format("'{}' is required", name));
    return std::nullopt;
  }
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    WrongType(issues, PointerAppend(pointer, name), "a string", value);
    return std::nullopt;
  }
  return text;
}

// A non-empty array of non-empty strings at `pointer`.
std::optional<std::vector<std::string>> StringArray(Element value, const std::string& pointer,
                                                    std::vector<Issue>& issues) {
  simdjson::dom::array array;
  if (value.get(array) != simdjson::SUCCESS) {
    WrongType(issues, pointer, "an array of strings", value);
    return std::nullopt;
  }
  if (array.size() == 0) {
    AddIssue(issues, "missing_required", pointer, "the list is empty; list at least one value or leave the member out");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const std::size_t issues_before = issues.size();
  std::size_t index = 0;
  for (Element item : array) {
    const std::string item_pointer = PointerAppend(pointer, index++);
    std::string_view text;
    if (item.get(text) != simdjson::SUCCESS) {
      WrongType(issues, item_pointer, "a string", item);
    } else if (text.empty()) {
      AddIssue(issues, "missing_required", item_pointer, "the value is empty");
    } else {
      out.emplace_back(text);
    }
  }
  if (issues.size() != issues_before) return std::nullopt;
  return out;
}

// The bytes of a base64url member of a JWK; unsupported_value when it is not base64url.
std::optional<std::string> Base64UrlMember(simdjson::dom::object jwk, std::string_view name,
                                           const std::string& pointer, std::vector<Issue>& issues) {
  auto text = StringMember(jwk, name, pointer, true, issues);
  if (!text) return std::nullopt;
  auto bytes = Base64UrlDecode(*text);
  if (!bytes || bytes->empty()) {
    AddIssue(issues, "unsupported_value", PointerAppend(pointer, name), "not a non-empty unpadded base64url value");
    return std::nullopt;
  }
  return bytes;
}

// Builds a public EVP_PKEY of `type` ("EC", "RSA") from OpenSSL parameters and runs OpenSSL's public-key
// check (point on the curve; RSA modulus and exponent sane). nullptr when either fails.
std::shared_ptr<EVP_PKEY> PublicKeyFromParams(const char* type, const OSSL_PARAM* params) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) != 1) {
    return nullptr;
  }
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

std::shared_ptr<EVP_PKEY> EcP384PublicKey(const std::string& x, const std::string& y) {
  std::string point(1, '\x04');  // SEC 1 uncompressed point: 0x04 || X || Y
  point += x;
  point += y;
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return nullptr;
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  return params ? PublicKeyFromParams("EC", params.get()) : nullptr;
}

std::shared_ptr<EVP_PKEY> RsaPublicKey(const std::string& n, const std::string& e) {
  BignumPtr modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  BignumPtr exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr));
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (!modulus || !exponent || !builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return nullptr;
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  return params ? PublicKeyFromParams("RSA", params.get()) : nullptr;
}

// One JWK at `pointer` (§8.3 step 3). Every problem is appended to `issues`; the key is returned only when
// there is none.
std::optional<VerificationKey> ReadJwk(Element value, const std::string& pointer, std::vector<Issue>& issues) {
  simdjson::dom::object jwk;
  if (value.get(jwk) != simdjson::SUCCESS) {
    WrongType(issues, pointer, "a JWK object", value);
    return std::nullopt;
  }
  const std::size_t issues_before = issues.size();
  auto kid = StringMember(jwk, "kid", pointer, true, issues);
  auto kty = StringMember(jwk, "kty", pointer, true, issues);
  auto alg = StringMember(jwk, "alg", pointer, false, issues);
  auto use = StringMember(jwk, "use", pointer, false, issues);
  if (use && *use != "sig") {
    AddIssue(issues, "enum_value", PointerAppend(pointer, "use"), fmt::format("'use' is '{}'; only 'sig' keys verify tokens", *use));
  }
  if (kid && kid->empty()) AddIssue(issues, "missing_required", PointerAppend(pointer, "kid"), "'kid' is empty");
  if (!kty) return std::nullopt;

  VerificationKey key;
  if (*kty == "EC") {
    key.algorithm = JwsAlgorithm::kEs384;
    auto crv = StringMember(jwk, "crv", pointer, true, issues);
    if (crv && *crv != "P-384") {
      AddIssue(issues, "enum_value", PointerAppend(pointer, "crv"),
               fmt::format("EC key on curve '{}'; ES384 needs 'P-384'", *crv));
    }
    if (!crv || *crv != "P-384") return std::nullopt;  // the coordinates of another curve are not wrong as such
    auto x = Base64UrlMember(jwk, "x", pointer, issues);
    auto y = Base64UrlMember(jwk, "y", pointer, issues);
    for (const auto& [name, coordinate] : {std::pair{"x", &x}, std::pair{"y", &y}}) {
      if (*coordinate && (*coordinate)->size() != kP384CoordinateBytes) {
        AddIssue(issues, "unsupported_value", PointerAppend(pointer, name),
                 fmt::format("a P-384 coordinate has {} bytes, found {}", kP384CoordinateBytes, (*coordinate)->size()));
      }
    }
    if (issues.size() == issues_before) {
      key.public_key = EcP384PublicKey(*x, *y);
      if (!key.public_key) AddIssue(issues, "unsupported_value", pointer, "x and y are not a point on P-384");
    }
  } else if (*kty == "RSA") {
    key.algorithm = JwsAlgorithm::kRs384;
    auto n = Base64UrlMember(jwk, "n", pointer, issues);
    auto e = Base64UrlMember(jwk, "e", pointer, issues);
    if (n && e) {
      key.public_key = RsaPublicKey(*n, *e);
      if (!key.public_key) {
        AddIssue(issues, "unsupported_value", pointer, "n and e are not a usable RSA public key");
      } else if (EVP_PKEY_get_bits(key.public_key.get()) < kMinRsaBits) {
        AddIssue(issues, "out_of_range", PointerAppend(pointer, "n"),
                 fmt::format("RSA key of {} bits; RS384 needs at least {}", EVP_PKEY_get_bits(key.public_key.get()), kMinRsaBits));
      }
    }
  } else {
    AddIssue(issues, "enum_value", PointerAppend(pointer, "kty"), fmt::format("key type '{}'; only 'EC' and 'RSA' verify tokens", *kty));
    return std::nullopt;
  }
  if (alg && *alg != JwsAlgorithmName(key.algorithm)) {
    AddIssue(issues, "enum_value", PointerAppend(pointer, "alg"),
             fmt::format("'alg' is '{}'; a {} key verifies {} only", *alg, *kty, JwsAlgorithmName(key.algorithm)));
  }
  if (issues.size() != issues_before) return std::nullopt;
  key.kid = std::string(*kid);
  return key;
}

// A JWK Set object at `pointer`; see UnusableKeys for what happens to keys with problems.
JwkSet ReadJwkSet(Element value, const std::string& pointer, UnusableKeys unusable, std::vector<Issue>& issues) {
  JwkSet set;
  simdjson::dom::object object;
  if (value.get(object) != simdjson::SUCCESS) {
    WrongType(issues, pointer, "a JWK Set object", value);
    return set;
  }
  Element keys_value;
  simdjson::dom::array keys;
  if (object.at_key("keys").get(keys_value) != simdjson::SUCCESS) {
    AddIssue(issues, "missing_required", PointerAppend(pointer, "keys"), "'keys' is required");
    return set;
  }
  if (keys_value.get(keys) != simdjson::SUCCESS) {
    WrongType(issues, PointerAppend(pointer, "keys"), "an array", keys_value);
    return set;
  }
  std::size_t index = 0;
  std::set<std::string, std::less<>> repeated_kids;
  for (Element item : keys) {
    const std::string key_pointer = PointerAppend(PointerAppend(pointer, "keys"), index++);
    std::vector<Issue> key_issues;
    auto key = ReadJwk(item, key_pointer, key_issues);
    if (unusable == UnusableKeys::kReject) issues.insert(issues.end(), key_issues.begin(), key_issues.end());
    if (!key) continue;
    if (set.FindKid(key->kid) != nullptr) {
      repeated_kids.insert(key->kid);
      if (unusable == UnusableKeys::kReject) {
        AddIssue(issues, "duplicate_member", PointerAppend(key_pointer, "kid"), fmt::format("key id '{}' appears twice", key->kid));
      }
      continue;
    }
    set.keys.push_back(std::move(*key));
  }
  // A repeated kid is ambiguous: which key the sender meant cannot be known, so none of them is used.
  std::erase_if(set.keys, [&](const VerificationKey& k) { return repeated_kids.contains(k.kid); });
  return set;
}

std::string ErrnoText(int error_number) { return std::generic_category().message(error_number); }

// The whole of a regular file, at most kMaxTrustedIssuersFileBytes.
Result<std::string> ReadSmallFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::Unreadable(fmt::format("cannot read '{}': {}", path, ErrnoText(errno)));
  if (!S_ISREG(st.st_mode)) return Error::Unreadable(fmt::format("cannot read '{}': not a regular file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Unreadable(fmt::format("cannot read '{}': {}", path, ErrnoText(errno)));
  std::string bytes;
  std::array<char, 1 << 14> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    bytes.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxTrustedIssuersFileBytes) {
      return Error::Invalid({Issue{"too_large", "", "", fmt::format("'{}' is larger than 1 MiB", path)}});
    }
  }
  if (in.bad()) return Error::Unreadable(fmt::format("cannot read '{}': read error", path));
  return bytes;
}

std::string ResolveRelative(const std::string& base_dir, std::string_view path) {
  if (path.starts_with('/') || base_dir.empty()) return std::string(path);
  return base_dir.ends_with('/') ? base_dir + std::string(path) : base_dir + "/" + std::string(path);
}

// The keys of a `jwks_file` member at `pointer` into `keys`. Problems inside the file are reported at the
// member, naming the pointer inside the file. Returns false when the file cannot be read.
bool ReadJwksFile(std::string_view file, const std::string& base_dir, const std::string& pointer, JwkSet& keys,
                  std::vector<Issue>& issues) {
  const std::string path = ResolveRelative(base_dir, file);
  auto bytes = ReadSmallFile(path);
  if (!bytes.ok()) {
    if (bytes.error().kind == ErrorKind::kUnreadable) {
      AddIssue(issues, "unreadable", pointer, bytes.error().message);
      return false;
    }
    for (const Issue& issue : bytes.error().issues) AddIssue(issues, issue.code, pointer, issue.message);
    return true;
  }
  JsonParser parser;
  auto document = parser.Parse(*bytes);
  std::vector<Issue> file_issues;
  if (!document.ok()) {
    file_issues = document.error().issues;
  } else {
    keys = ReadJwkSet(*document, "", UnusableKeys::kReject, file_issues);
  }
  for (const Issue& issue : file_issues) {
    AddIssue(issues, issue.code, pointer,
             issue.location.empty() ? fmt::format("in '{}': {}", path, issue.message)
                                    : fmt::format("in '{}' at {}: {}", path, issue.location, issue.message));
  }
  return true;
}

// Moves the keys of `more` into `into`; a kid already there is a duplicate_member at `pointer`.
void MergeKeys(JwkSet& into, JwkSet&& more, const std::string& pointer, std::vector<Issue>& issues) {
  for (VerificationKey& key : more.keys) {
    if (into.FindKid(key.kid) != nullptr) {
      AddIssue(issues, "duplicate_member", pointer, fmt::format("key id '{}' is also in 'jwks'", key.kid));
      continue;
    }
    into.keys.push_back(std::move(key));
  }
}

// One `issuers[]` entry. Sets `unreadable` when its jwks_file cannot be read.
std::optional<TrustedIssuer> ReadIssuer(Element value, const std::string& pointer, const std::string& base_dir,
                                        std::vector<Issue>& issues, bool& unreadable) {
  simdjson::dom::object entry;
  if (value.get(entry) != simdjson::SUCCESS) {
    WrongType(issues, pointer, "an issuer object", value);
    return std::nullopt;
  }
  const std::size_t issues_before = issues.size();
  CheckMembers(entry, pointer, {"iss", "jwks", "jwks_file", "jku_allow", "fhir_servers", "tenants"}, issues);
  TrustedIssuer issuer;
  if (auto iss = StringMember(entry, "iss", pointer, true, issues)) {
    if (iss->empty()) AddIssue(issues, "missing_required", PointerAppend(pointer, "iss"), "'iss' is empty");
    issuer.iss = std::string(*iss);
  }
  Element member;
  const bool has_jwks = entry.at_key("jwks").get(member) == simdjson::SUCCESS;
  if (has_jwks) issuer.configured_keys = ReadJwkSet(member, PointerAppend(pointer, "jwks"), UnusableKeys::kReject, issues);
  if (auto file = StringMember(entry, "jwks_file", pointer, false, issues)) {
    const std::string file_pointer = PointerAppend(pointer, "jwks_file");
    JwkSet file_keys;
    if (file->empty()) {
      AddIssue(issues, "missing_required", file_pointer, "'jwks_file' is empty");
    } else if (!ReadJwksFile(*file, base_dir, file_pointer, file_keys, issues)) {
      unreadable = true;
    }
    MergeKeys(issuer.configured_keys, std::move(file_keys), file_pointer, issues);
  }
  if (entry.at_key("jku_allow").get(member) == simdjson::SUCCESS) {
    const std::string jku_pointer = PointerAppend(pointer, "jku_allow");
    if (auto urls = StringArray(member, jku_pointer, issues)) {
      for (std::size_t i = 0; i < urls->size(); ++i) {
        // §8.3 step 3: key sets are fetched over HTTPS only.
        if (!(*urls)[i].starts_with("https://")) {
          AddIssue(issues, "unsupported_value", PointerAppend(jku_pointer, i), "a jku_allow URL must start with 'https://'");
        }
      }
      issuer.jku_allow = std::move(*urls);
    }
  }
  if (entry.at_key("fhir_servers").get(member) == simdjson::SUCCESS) {
    if (auto prefixes = StringArray(member, PointerAppend(pointer, "fhir_servers"), issues)) issuer.fhir_servers = std::move(*prefixes);
  }
  if (entry.at_key("tenants").get(member) == simdjson::SUCCESS) {
    issuer.tenants = StringArray(member, PointerAppend(pointer, "tenants"), issues);
  }
  const bool has_key_source = has_jwks || entry.at_key("jwks_file").error() == simdjson::SUCCESS ||
                              entry.at_key("jku_allow").error() == simdjson::SUCCESS;
  if (!has_key_source) {
    AddIssue(issues, "missing_required", pointer, "an issuer needs at least one of 'jwks', 'jwks_file' or 'jku_allow'");
  }
  if (issues.size() != issues_before) return std::nullopt;
  return issuer;
}

}  // namespace

std::string_view JwsAlgorithmName(JwsAlgorithm algorithm) {
  switch (algorithm) {
    case JwsAlgorithm::kEs384: return "ES384";
    case JwsAlgorithm::kRs384: return "RS384";
  }
  return "";
}

const VerificationKey* JwkSet::FindKid(std::string_view kid) const {
  for (const VerificationKey& key : keys) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

const TrustedIssuer* TrustedIssuers::Find(std::string_view iss) const {
  for (const TrustedIssuer& issuer : issuers) {
    if (issuer.iss == iss) return &issuer;
  }
  return nullptr;
}

Result<JwkSet> ParseJwkSet(std::string_view json, UnusableKeys unusable) {
  JsonParser parser;
  auto document = parser.Parse(json);
  if (!document.ok()) return document.error();
  std::vector<Issue> issues;
  JwkSet set = ReadJwkSet(*document, "", unusable, issues);
  if (!issues.empty()) return Error::Invalid(std::move(issues), "the JWK Set is not valid");
  return set;
}

Result<TrustedIssuers> ParseTrustedIssuers(std::string_view json, const std::string& base_dir) {
  JsonParser parser;
  auto document = parser.Parse(json);
  if (!document.ok()) return document.error();
  std::vector<Issue> issues;
  bool unreadable = false;
  TrustedIssuers trusted;
  simdjson::dom::object root;
  if (document->get(root) != simdjson::SUCCESS) {
    WrongType(issues, "", "an object", *document);
  } else {
    CheckMembers(root, "", {"issuers"}, issues);
    Element issuers_value;
    simdjson::dom::array issuers;
    if (root.at_key("issuers").get(issuers_value) != simdjson::SUCCESS) {
      AddIssue(issues, "missing_required", "/issuers", "'issuers' is required");
    } else if (issuers_value.get(issuers) != simdjson::SUCCESS) {
      WrongType(issues, "/issuers", "an array", issuers_value);
    } else if (issuers.size() == 0) {
      AddIssue(issues, "missing_required", "/issuers", "no issuer is listed, so no token could be accepted");
    } else {
      std::size_t index = 0;
      for (Element item : issuers) {
        const std::string pointer = PointerAppend("/issuers", index++);
        auto issuer = ReadIssuer(item, pointer, base_dir, issues, unreadable);
        if (!issuer) continue;
        if (trusted.Find(issuer->iss) != nullptr) {
          AddIssue(issues, "duplicate_member", PointerAppend(pointer, "iss"), fmt::format("issuer '{}' is listed twice", issuer->iss));
          continue;
        }
        trusted.issuers.push_back(std::move(*issuer));
      }
    }
  }
  if (unreadable) {
    return Error{ErrorKind::kUnreadable, "a jwks_file of the trusted-issuers file cannot be read", std::move(issues)};
  }
  if (!issues.empty()) {
    const std::size_t count = issues.size();
    return Error::Invalid(std::move(issues), fmt::format("{} problem{} in the trusted-issuers file", count, count == 1 ? "" : "s"));
  }
  return trusted;
}

Result<TrustedIssuers> LoadTrustedIssuersFile(const std::string& path) {
  auto bytes = ReadSmallFile(path);
  if (!bytes.ok()) return bytes.error();
  const std::size_t slash = path.rfind('/');
  const std::string base_dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  return ParseTrustedIssuers(*bytes, base_dir);
}

}  // namespace nmscds
