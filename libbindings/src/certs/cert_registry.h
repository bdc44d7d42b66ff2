// Internal: how a certificate is laid out in the hive, and how a stored
// certificate is read back with the state of its private key -- "is this
// certificate in its store, with its private key?", asked here once for the
// write path (error 1312), CertificateLoader and GetCertificate.
#ifndef SSLBIND_SRC_CERTS_CERT_REGISTRY_H_
#define SSLBIND_SRC_CERTS_CERT_REGISTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certs/key_folder.h"
#include "certs/openssl_util.h"
#include "sslbind/certificates.h"
#include "sslbind/registry.h"
#include "storage/registry_reader.h"

namespace sslbind {

// The write path's access to a bundle's key (see CertificateBundle).
struct CertificateBundleAccess {
  static const std::string& KeyPem(const CertificateBundle& bundle) {
    return bundle.key_pem_;
  }
  static CertificateBundle Make(std::vector<uint8_t> der, CertificateInfo info,
                                std::string key_pem, size_t ignored) {
    CertificateBundle bundle;
    bundle.der_ = std::move(der);
    bundle.info_ = std::move(info);
    bundle.key_pem_ = std::move(key_pem);
    bundle.ignored_certificates_ = ignored;
    return bundle;
  }
};

namespace internal {

inline constexpr std::string_view kBlobValue = "Blob";
// Names the private key file (see key_folder.h); absent without a key.
inline constexpr std::string_view kKeyIdValue = "SslbindKeyId";

// "<store>\Certificates\<HEX>" below kSystemCertificatesPath.
struct CertificateLocation {
  std::string store_name;  // as the path spells it
  std::vector<uint8_t> thumbprint;
};

// The location a path names, or nullopt if it is not a certificate's key.
std::optional<CertificateLocation> ParseCertificatePath(std::string_view path);
// The path of the folder of one store's certificates.
std::string CertificatesFolderPath(std::string_view store_name);

// The key of a certificate, with its key file's id (empty: no key).
RegistryKey EncodeCertificate(std::string_view store_name,
                              const std::vector<uint8_t>& der,
                              std::string_view key_id);
// The SslbindKeyId value, or "" if there is none (or it is malformed).
std::string KeyIdOf(const RegistryKey& key);

// A stored certificate, parsed, and its private key if it has a usable one.
struct CertificateInStore {
  StoredCertificate stored;
  X509Ptr certificate;
  EvpPkeyPtr private_key;  // set when stored.private_key is kPresent
};

// Reads a certificate key (its Blob must hash to the key's name) and its
// private key from `keys`, checked against it. IncompatibleStore names a
// malformed key; a vault that cannot be read (its database gone) fails the
// call with the backend's status: that is no state of the key. Not from
// inside a scan's visitor: the keys of a store in PostgreSQL are
// read over the connection the scan streams on.
Result<CertificateInStore> DecodeCertificate(const RegistryKey& key,
                                             const KeyFolder& keys);

// The certificate `thumbprint` of the certificate store `store_name` (a
// valid name) as `reader` sees it, decoded as DecodeCertificate does;
// nullopt if the store does not hold it.
Result<std::optional<CertificateInStore>> FindCertificate(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint);

// FindCertificate for a binding to serve it: CertificateUnusable (1312) if
// the store does not hold it or it has no usable private key, AccessDenied
// (5) if its key file may not be read; the message names the certificate,
// the store and which of the two is wrong.
Result<CertificateInStore> FindUsableCertificate(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint);

}  // namespace internal
}  // namespace sslbind

#endif  // SSLBIND_SRC_CERTS_CERT_REGISTRY_H_
