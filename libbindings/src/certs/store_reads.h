// Internal: the certificates layer's side of the functions of
// sslbind/certificates.h, sslbind/ccs.h and sslbind/openssl.h that take a
// Store. The certificates layer sits below Store: it reads registry keys
// only through a RegistryReader and key files only through a KeyFolder,
// which Store hands it (store/store_certificates.cc); inside a write, the
// same code reads through the write transaction (certs/certificate_ops.h).
#ifndef SSLBIND_SRC_CERTS_STORE_READS_H_
#define SSLBIND_SRC_CERTS_STORE_READS_H_

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "certs/key_folder.h"
#include "sslbind/certificates.h"
#include "sslbind/openssl.h"
#include "storage/registry_reader.h"

namespace sslbind::internal {

// As ListCertificates, GetCertificate and CheckCertificates of
// sslbind/certificates.h, over `reader` and `keys`.
Result<std::vector<StoredCertificate>> ListCertificates(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name);
Result<StoredCertificate> GetCertificate(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint);
Result<std::vector<CertificateFinding>> CheckCertificates(
    RegistryReader& reader, const KeyFolder& keys,
    std::span<const Binding> bindings, const CertificateCheckOptions& options);

// Makes a CertificateLoader (see sslbind/openssl.h).
struct CertificateLoaderAccess {
  // A loader reading certificates and the CCS settings through `reader`,
  // which it keeps (and with it whatever owns it) as long as it lives and
  // uses one thread at a time, and private keys and the CCS password
  // through `keys`.
  static std::unique_ptr<CertificateLoader> Make(
      std::shared_ptr<RegistryReader> reader, KeyFolder keys);
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_STORE_READS_H_
