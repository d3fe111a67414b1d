#pragma once
// A test-only JWT issuer for the §8.3 tests (unit and HTTP level): makes key pairs with OpenSSL, exports
// their public halves as JWKs, signs tokens with any header and claims (ES384, RS384, and the forbidden
// HS256 and `none`, for the attacks the verifier must refuse), and writes trusted-issuers files.
// Header-only so that any test binary can include it.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/base64url.h"
#include "test_util.h"

namespace nmscds::testing {

using Json = nlohmann::ordered_json;

// A key pair made for a test. Copies share the key.
class TestKeyPair {
 public:
  // An EC key on `group` (OpenSSL name: "secp384r1" is P-384; "prime256v1" is P-256, for wrong-curve tests).
  static TestKeyPair Ec(std::string kid, const char* group = "secp384r1") {
    return TestKeyPair(std::move(kid), EVP_EC_gen(group));
  }
  static TestKeyPair Rsa(std::string kid, unsigned bits) {
    return TestKeyPair(std::move(kid), EVP_RSA_gen(bits));
  }

  const std::string& kid() const { return kid_; }
  EVP_PKEY* pkey() const { return key_.get(); }
  bool is_ec() const { return EVP_PKEY_is_a(key_.get(), "EC") == 1; }
  // "ES384" for an EC key, "RS384" for an RSA key.
  std::string jws_alg() const { return is_ec() ? "ES384" : "RS384"; }

  // The public key as a JWK: kty, kid, then crv/x/y or n/e (no alg, no use: add them where a test wants).
  Json PublicJwk() const {
    Json jwk;
    if (is_ec()) {
      char group[64] = {};
      EVP_PKEY_get_utf8_string_param(key_.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
      const std::string_view name(group);
      const int field_bytes = (EVP_PKEY_get_bits(key_.get()) + 7) / 8;
      jwk["kty"] = "EC";
      jwk["kid"] = kid_;
      jwk["crv"] = name == "secp384r1" ? "P-384" : name == "prime256v1" ? "P-256" : name == "secp521r1" ? "P-521" : std::string(name);
      jwk["x"] = Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_EC_PUB_X, field_bytes));
      jwk["y"] = Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_EC_PUB_Y, field_bytes));
    } else {
      jwk["kty"] = "RSA";
      jwk["kid"] = kid_;
      jwk["n"] = Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_RSA_N, 0));
      jwk["e"] = Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_RSA_E, 0));
    }
    return jwk;
  }

  // The public key as SubjectPublicKeyInfo PEM: the "secret" of the HS256 key-confusion attack.
  std::string PublicKeyPem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), key_.get());
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
  }

 private:
  TestKeyPair(std::string kid, EVP_PKEY* key) : kid_(std::move(kid)), key_(key, EVP_PKEY_free) {
    if (!key) throw std::runtime_error("OpenSSL could not generate the test key");
  }

  // A big-number parameter as big-endian bytes, left-padded to `width` (0: no padding).
  std::string BnParam(const char* name, int width) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &bn);
    std::string out(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(bn)), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    BN_free(bn);
    return out;
  }

  std::string kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

// Keys made once per test binary (RSA generation takes a while), named by their kids.
inline const TestKeyPair& EcP384Key() {  // kid "ec-1"
  static const TestKeyPair key = TestKeyPair::Ec("ec-1");
  return key;
}
inline const TestKeyPair& EcP256Key() {  // kid "ec-p256": the wrong curve for ES384
  static const TestKeyPair key = TestKeyPair::Ec("ec-p256", "prime256v1");
  return key;
}
inline const TestKeyPair& Rsa1024Key() {  // kid "rsa-1024": too short for RS384
  static const TestKeyPair key = TestKeyPair::Rsa("rsa-1024", 1024);
  return key;
}
inline const TestKeyPair& Rsa2048Key() {  // kid "rsa-2048"
  static const TestKeyPair key = TestKeyPair::Rsa("rsa-2048", 2048);
  return key;
}
inline const TestKeyPair& Rsa3072Key() {  // kid "rsa-3072"
  static const TestKeyPair key = TestKeyPair::Rsa("rsa-3072", 3072);
  return key;
}

// ---- Signatures over a JWS signing input ("b64(header).b64(payload)") ----------------------------------------

// The signature OpenSSL makes with SHA-384: DER for EC keys, PKCS#1 v1.5 for RSA keys.
inline std::string SignSha384(const TestKeyPair& key, std::string_view input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key.pkey());
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size());
  std::string signature(length, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data, input.size());
  signature.resize(length);
  return signature;
}

// ES384 as JWS wants it: R || S, 48 bytes each (RFC 7518 §3.4).
inline std::string SignEs384(const TestKeyPair& key, std::string_view input) {
  const std::string der = SignSha384(key, input);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())),
                                                             ECDSA_SIG_free);
  std::string raw(96, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 48);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 48, 48);
  return raw;
}

// HMAC-SHA-256 with `secret` (for HS256 attack tokens).
inline std::string SignHs256(std::string_view secret, std::string_view input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, sizeof mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

// ---- Tokens ----------------------------------------------------------------------------------------------------

// "b64(header).b64(claims)" of the compact JSON texts.
inline std::string SigningInput(const Json& header, const Json& claims) {
  return Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
}

// A compact JWS with the given signature bytes.
inline std::string CompactJws(const Json& header, const Json& claims, std::string_view signature) {
  return SigningInput(header, claims) + "." + Base64UrlEncode(signature);
}

// The header the verifier expects for `key`: alg ES384/RS384, typ JWT, kid.
inline Json StandardHeader(const TestKeyPair& key) {
  return Json{{"alg", key.jws_alg()}, {"typ", "JWT"}, {"kid", key.kid()}};
}

// Claims valid at `now` for five minutes.
inline Json StandardClaims(std::string_view iss, std::string_view aud, std::int64_t now, std::string_view jti) {
  return Json{{"iss", iss}, {"aud", aud}, {"exp", now + 300}, {"iat", now}, {"jti", jti}};
}

// A token signed the way a well-behaved issuer signs it, with `header` (StandardHeader(key) by default).
inline std::string SignToken(const TestKeyPair& key, const Json& claims, const Json& header) {
  const std::string input = SigningInput(header, claims);
  return input + "." + Base64UrlEncode(key.is_ec() ? SignEs384(key, input) : SignSha384(key, input));
}
inline std::string SignToken(const TestKeyPair& key, const Json& claims) {
  return SignToken(key, claims, StandardHeader(key));
}

// The Authorization header value for `token`.
inline std::string Bearer(std::string_view token) { return "Bearer " + std::string(token); }

// ---- Trusted-issuers files ---------------------------------------------------------------------------------------

// {"keys": [public JWK of each key]}.
inline Json JwkSet(const std::vector<const TestKeyPair*>& keys) {
  Json set{{"keys", Json::array()}};
  for (const TestKeyPair* key : keys) set["keys"].push_back(key->PublicJwk());
  return set;
}

// {"iss": iss, "jwks": {...}}: one entry of `issuers[]`; add fhir_servers, tenants, jku_allow as needed.
inline Json IssuerEntry(std::string_view iss, const std::vector<const TestKeyPair*>& keys) {
  return Json{{"iss", iss}, {"jwks", JwkSet(keys)}};
}

// {"issuers": [entries...]}.
inline Json TrustedIssuersDocument(std::vector<Json> entries) {
  return Json{{"issuers", Json(std::move(entries))}};
}

inline void WriteTrustedIssuersFile(const std::string& path, const Json& document) {
  WriteFile(path, document.dump(2));
}

// ---- TLS for loopback test servers ---------------------------------------------------------------------------

// A self-signed certificate for `key`, valid for a day, naming 127.0.0.1 and localhost (subjectAltName), so
// that an HTTPS client that trusts it verifies the host name of a loopback server.
inline std::shared_ptr<X509> SelfSignedCertificate(const TestKeyPair& key) {
  std::shared_ptr<X509> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.pkey());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  if (X509_sign(cert.get(), key.pkey(), EVP_sha256()) <= 0) throw std::runtime_error("could not sign the test certificate");
  return cert;
}

inline std::string CertificatePem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace nmscds::testing
