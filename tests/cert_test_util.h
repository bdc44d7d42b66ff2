// Test certificates made with OpenSSL's C API while the tests run: no
// private key is ever committed. Self-signed, EC P-256 (fast to generate).
#ifndef SSLBIND_TESTS_CERT_TEST_UTIL_H_
#define SSLBIND_TESTS_CERT_TEST_UTIL_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sslbind::testing {

struct CertSpec {
  std::string common_name = "www.contoso.com";
  std::vector<std::string> dns_names = {"www.contoso.com"};
  // Validity, in seconds relative to now.
  int64_t not_before = -86400;
  int64_t not_after = 365 * 86400;
  // An RSA 2048 key instead of EC P-256.
  bool rsa = false;
};

// A generated certificate with its key, in the forms files hold.
struct TestCert {
  std::string cert_pem;
  std::string key_pem;  // PKCS#8
  std::vector<uint8_t> der;
  std::shared_ptr<X509> x509;
  std::shared_ptr<EVP_PKEY> key;

  // SHA-1 of the DER, computed here independently of the library.
  std::vector<uint8_t> Sha1() const {
    std::vector<uint8_t> md(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    EVP_Digest(der.data(), der.size(), md.data(), &n, EVP_sha1(), nullptr);
    md.resize(n);
    return md;
  }

  // A PKCS#12 file. `password` nullptr: no encryption and no MAC at all;
  // "": the empty password (what Windows writes for "no password").
  // `chain` certificates are added as CA certificates; without `with_key`
  // the file holds certificates only.
  std::vector<uint8_t> Pfx(const char* password,
                           const std::vector<const TestCert*>& chain = {},
                           bool with_key = true) const {
    STACK_OF(X509)* ca = sk_X509_new_null();
    for (const TestCert* c : chain) sk_X509_push(ca, c->x509.get());
    int nid = password ? 0 : -1;  // -1: NID_undef, no encryption
    PKCS12* p12 =
        PKCS12_create(password, "test", with_key ? key.get() : nullptr,
                      x509.get(), ca, nid, nid, 0, password ? 0 : -1, 0);
    sk_X509_free(ca);
    if (!p12) throw std::runtime_error("PKCS12_create failed");
    unsigned char* buf = nullptr;
    int len = i2d_PKCS12(p12, &buf);
    PKCS12_free(p12);
    std::vector<uint8_t> out(buf, buf + len);
    OPENSSL_free(buf);
    return out;
  }
};

inline std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(bio);
  return s;
}

inline TestCert MakeCert(const CertSpec& spec = {}) {
  TestCert t;
  EVP_PKEY* pkey = spec.rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  if (!pkey) throw std::runtime_error("key generation failed");
  t.key.reset(pkey, EVP_PKEY_free);
  X509* x = X509_new();
  t.x509.reset(x, X509_free);
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  time_t now = std::time(nullptr);
  X509_time_adj_ex(X509_getm_notBefore(x), 0, spec.not_before, &now);
  X509_time_adj_ex(X509_getm_notAfter(x), 0, spec.not_after, &now);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Contoso"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
      0);
  X509_set_issuer_name(x, name);
  X509_set_pubkey(x, pkey);
  if (!spec.dns_names.empty()) {
    std::string san;
    for (const std::string& n : spec.dns_names) {
      san += (san.empty() ? "DNS:" : ",DNS:") + n;
    }
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* ext =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
    if (!ext) throw std::runtime_error("bad SAN " + san);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x, pkey, EVP_sha256()) == 0) {
    throw std::runtime_error("X509_sign failed");
  }
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  t.der.assign(der, der + len);
  OPENSSL_free(der);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  t.cert_pem = BioText(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  t.key_pem = BioText(bio);
  return t;
}

inline std::vector<uint8_t> Bytes(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

inline void WriteFile(const std::string& path,
                      const std::vector<uint8_t>& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()),
            static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace sslbind::testing

#endif  // SSLBIND_TESTS_CERT_TEST_UTIL_H_
