// Certificates as registry keys: SystemCertificates\<STORE>\Certificates\<HEX>
// with the DER certificate in Blob.
#include "certs/cert_registry.h"

#include <openssl/err.h>

#include "sslbind/binding.h"

namespace sslbind::internal {
namespace {

constexpr std::string_view kCertificatesKey = "Certificates";

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('\\', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

Status Corrupt(const RegistryKey& key, std::string_view what) {
  return Status::IncompatibleStore("registry key '" + key.path +
                                   "': " + std::string(what));
}

}  // namespace

std::optional<CertificateLocation> ParseCertificatePath(std::string_view path) {
  const std::string prefix = FoldCase(kSystemCertificatesPath) + "\\";
  if (path.size() <= prefix.size() ||
      FoldCase(path.substr(0, prefix.size())) != prefix) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts = SplitPath(path.substr(prefix.size()));
  if (parts.size() != 3 || FoldCase(parts[1]) != FoldCase(kCertificatesKey)) {
    return std::nullopt;
  }
  if (!ValidateCertStoreName(parts[0]).ok()) return std::nullopt;
  Result<std::vector<uint8_t>> thumbprint = ParseCertHash(parts[2]);
  if (!thumbprint.ok()) return std::nullopt;
  return CertificateLocation{std::string(parts[0]), std::move(*thumbprint)};
}

std::string CertificatesFolderPath(std::string_view store_name) {
  std::string path(kSystemCertificatesPath);
  path += '\\';
  path += store_name;
  path += '\\';
  path += kCertificatesKey;
  return path;
}

RegistryKey EncodeCertificate(std::string_view store_name,
                              const std::vector<uint8_t>& der,
                              std::string_view key_id) {
  RegistryKey key;
  key.path = CertificateKeyPath(store_name, Sha1Thumbprint(der));
  key.values.push_back(RegistryValue::Binary(std::string(kBlobValue), der));
  if (!key_id.empty()) {
    key.values.push_back(RegistryValue::Sz(std::string(kKeyIdValue), key_id));
  }
  return key;
}

std::string KeyIdOf(const RegistryKey& key) {
  const RegistryValue* v = key.Find(kKeyIdValue);
  if (v == nullptr || v->type != RegType::kSz) return "";
  std::string id(v->data.begin(), v->data.end());
  return IsFileId(id) ? id : "";
}

namespace {

// The state of a certificate's private key file, and the key when usable.
struct KeyCheck {
  PrivateKeyState state = PrivateKeyState::kMissing;
  std::string why;  // for kUnusable and kUnreadable
  EvpPkeyPtr key;   // for kPresent
};

// A failure to read the store itself -- a vault whose database went away
// -- is no state of this key: it is returned, and the caller's operation
// fails with it (IoError), rather than calling the key unusable (1312).
Result<KeyCheck> CheckPrivateKey(const KeyFolder& keys,
                                 const std::vector<uint8_t>& thumbprint,
                                 std::string_view key_id, X509* cert) {
  if (key_id.empty()) return KeyCheck{PrivateKeyState::kMissing, "", nullptr};
  Result<std::optional<std::string>> pem = keys.ReadKey(thumbprint, key_id);
  if (!pem.ok()) {
    if (pem.status().IsAccessDenied()) {
      return KeyCheck{PrivateKeyState::kUnreadable, pem.status().message(),
                      nullptr};
    }
    // A key file that cannot be read is this key's problem; a vault that
    // cannot be read is the store's.
    if (keys.in_vault()) return pem.status();
    return KeyCheck{PrivateKeyState::kUnusable, pem.status().message(),
                    nullptr};
  }
  if (!*pem) {
    return KeyCheck{
        PrivateKeyState::kUnusable,
        "its key file '" + keys.KeyPath(thumbprint, key_id) + "' is missing",
        nullptr};
  }
  Result<EvpPkeyPtr> key = ParsePemPrivateKey(**pem, "");
  Wipe(**pem);
  if (!key.ok()) {
    return KeyCheck{PrivateKeyState::kUnusable,
                    "its key file '" + keys.KeyPath(thumbprint, key_id) +
                        "' does not hold a readable private key",
                    nullptr};
  }
  if (X509_check_private_key(cert, key->get()) != 1) {
    ERR_clear_error();
    return KeyCheck{PrivateKeyState::kUnusable,
                    "its key file '" + keys.KeyPath(thumbprint, key_id) +
                        "' holds the key of another certificate",
                    nullptr};
  }
  return KeyCheck{PrivateKeyState::kPresent, "", std::move(*key)};
}

}  // namespace

Result<CertificateInStore> DecodeCertificate(const RegistryKey& key,
                                             const KeyFolder& keys) {
  std::optional<CertificateLocation> where = ParseCertificatePath(key.path);
  if (!where) return Corrupt(key, "not a certificate's key");
  const RegistryValue* blob = key.Find(kBlobValue);
  if (blob == nullptr || blob->type != RegType::kBinary) {
    return Corrupt(key, "no REG_BINARY Blob value");
  }
  Result<X509Ptr> cert = ParseDerCertificate(blob->data);
  if (!cert.ok()) return Corrupt(key, cert.status().message());
  CertificateInStore found;
  StoredCertificate& stored = found.stored;
  stored.store_name = where->store_name;
  stored.der = blob->data;
  stored.info = DescribeCertificate(cert->get(), stored.der);
  if (stored.info.thumbprint != where->thumbprint) {
    return Corrupt(key, "the Blob's SHA-1 is " +
                            ThumbprintName(stored.info.thumbprint) +
                            ", not the key's name");
  }
  Result<KeyCheck> check =
      CheckPrivateKey(keys, stored.info.thumbprint, KeyIdOf(key), cert->get());
  if (!check.ok()) return check.status();
  stored.private_key = check->state;
  stored.private_key_problem = std::move(check->why);
  found.certificate = std::move(*cert);
  found.private_key = std::move(check->key);
  return found;
}

Result<std::optional<CertificateInStore>> FindCertificate(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint) {
  Result<std::optional<RegistryKey>> key =
      reader.GetKey(CertificateKeyPath(store_name, thumbprint));
  if (!key.ok()) return key.status();
  if (!*key) return std::optional<CertificateInStore>();
  Result<CertificateInStore> found = DecodeCertificate(**key, keys);
  if (!found.ok()) return found.status();
  return std::optional<CertificateInStore>(std::move(*found));
}

Result<CertificateInStore> FindUsableCertificate(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint) {
  Result<std::optional<CertificateInStore>> found =
      FindCertificate(reader, keys, store_name, thumbprint);
  if (!found.ok()) return found.status();
  const std::string named = "the certificate " + HexLower(thumbprint);
  const std::string where = "the certificate store " + std::string(store_name);
  if (!*found)
    return Status::CertificateUnusable(named + " is not in " + where);
  const StoredCertificate& stored = (*found)->stored;
  switch (stored.private_key) {
    case PrivateKeyState::kPresent: return std::move(**found);
    case PrivateKeyState::kMissing:
      return Status::CertificateUnusable(named + " in " + where +
                                         " has no private key");
    case PrivateKeyState::kUnusable:
      return Status::CertificateUnusable(
          named + " in " + where +
          " has no usable private key: " + stored.private_key_problem);
    case PrivateKeyState::kUnreadable:
      return Status::AccessDenied(stored.private_key_problem);
  }
  return Status::Internal("unknown private key state");
}

}  // namespace sslbind::internal
