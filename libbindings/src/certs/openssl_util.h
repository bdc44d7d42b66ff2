// Internal: RAII over OpenSSL objects and the parsing shared by the
// certificate store, the CCS and the loader.
#ifndef SSLBIND_SRC_CERTS_OPENSSL_UTIL_H_
#define SSLBIND_SRC_CERTS_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/wipe.h"  // Wipe, for the secrets parsed here
#include "sslbind/certificates.h"
#include "sslbind/status.h"

namespace sslbind::internal {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct Pkcs12Free {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, Pkcs12Free>;

// Takes and clears OpenSSL's error queue: its last reason, or "" if empty.
std::string TakeOpenSslError();

// A DER certificate; InvalidArgument if the bytes are not exactly one.
Result<X509Ptr> ParseDerCertificate(std::span<const uint8_t> der);
std::vector<uint8_t> ToDer(X509* cert);
std::vector<uint8_t> Sha1Thumbprint(std::span<const uint8_t> der);
CertificateInfo DescribeCertificate(X509* cert, std::span<const uint8_t> der);

// A private key in PEM (any form OpenSSL reads: PKCS#8, traditional RSA/EC,
// encrypted PKCS#8 with `password`).
Result<EvpPkeyPtr> ParsePemPrivateKey(std::string_view pem,
                                      std::string_view password);
// PKCS#8 PEM of a key, unencrypted.
Result<std::string> ToPkcs8Pem(EVP_PKEY* key);

// The contents of a PKCS#12 file.
struct Pkcs12Contents {
  X509Ptr certificate;  // the one the key belongs to, else the first
  EvpPkeyPtr key;       // may be null
  std::vector<X509Ptr> others;
};
// Opens a PKCS#12 file with `password` (an empty password also tries none).
// InvalidArgument: not PKCS#12, a wrong password, unsupported encryption.
Result<Pkcs12Contents> ParsePkcs12(std::span<const uint8_t> data,
                                   std::string_view password);
// True if the bytes are DER shaped like a PKCS#12 file.
bool LooksLikePkcs12(std::span<const uint8_t> data);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_OPENSSL_UTIL_H_
