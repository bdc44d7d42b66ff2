// Certificate and CCS operations inside the write transaction.
#include "certs/certificate_ops.h"

#include <set>

#include "certs/ccs_files.h"
#include "certs/cert_registry.h"
#include "model/registry_codec.h"
#include "sslbind/ccs.h"
#include "sslbind/text.h"

namespace sslbind::internal {
namespace {

std::string StoreNameOrDefault(const std::string& name) {
  return name.empty() ? std::string(kDefaultCertStoreName) : name;
}

// The bindings (ipport and hostnameport: the kinds that name certificates)
// in the transaction's view of the store.
Result<std::vector<Binding>> BindingsNamingCertificates(RegistryTxn& txn) {
  std::vector<Binding> bindings;
  for (BindingKind kind : {BindingKind::kIpPort, BindingKind::kHostnamePort}) {
    const std::string parent = KindKeyPath(kind);
    Status s = txn.ScanSubtree(parent, [&](RegistryKey&& key) {
      if (key.path.size() == parent.size()) return Status::Ok();
      Result<Binding> b = DecodeBinding(key);
      if (!b.ok()) return b.status();
      bindings.push_back(std::move(*b));
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return bindings;
}

// "ipport=0.0.0.0:443, ..." with at most five keys named.
std::string KeyList(const std::vector<BindingKey>& keys) {
  constexpr size_t kShown = 5;
  std::string list;
  for (size_t i = 0; i < keys.size() && i < kShown; ++i) {
    if (i > 0) list += ", ";
    list += keys[i].ToParam();
  }
  if (keys.size() > kShown) {
    list += " and " + std::to_string(keys.size() - kShown) + " more";
  }
  return list;
}

}  // namespace

void RemoveStaleKeyFiles(RegistryTxn& txn, const KeyFolder& keys,
                         const timespec& locked_at) {
  KeyFolder::Leftovers found = keys.ListLeftovers(locked_at);
  for (const std::string& name : found.temporaries) keys.RemoveLeftover(name);
  if (found.keys_and_passwords.empty()) return;
  std::set<std::string> referenced;
  Status s = txn.ScanSubtree(kSystemCertificatesPath, [&](RegistryKey&& key) {
    std::optional<CertificateLocation> where = ParseCertificatePath(key.path);
    std::string id = where ? KeyIdOf(key) : "";
    if (!id.empty()) referenced.insert(KeyFileName(where->thumbprint, id));
    return Status::Ok();
  });
  if (!s.ok()) return;
  Result<CcsSettings> ccs = ReadCcsSettings(txn);
  if (!ccs.ok()) return;
  if (!ccs->password_id.empty()) {
    referenced.insert(PasswordFileName(ccs->password_id));
  }
  for (const std::string& name : found.keys_and_passwords) {
    if (referenced.count(name) == 0) keys.RemoveLeftover(name);
  }
}

void FileChanges::Committed() {
  for (const std::string& path : replaced_) {
    if (!path.empty()) (void)RemoveFileIfPresent(path);  // empty: in a vault
  }
  created_.clear();
  replaced_.clear();
}

void FileChanges::RolledBack() {
  for (const std::string& path : created_) {
    if (!path.empty()) (void)RemoveFileIfPresent(path);
  }
  created_.clear();
  replaced_.clear();
}

Status CertificateWriter::PutCertificate(
    const WriteBatch::CertificateChange& change) {
  verified_.clear();
  const std::string store_name = StoreNameOrDefault(change.store_name);
  Status s = ValidateCertStoreName(store_name);
  if (!s.ok()) return s;
  if (!change.bundle)
    return Status::Internal("certificate operation without a certificate");
  const CertificateBundle& bundle = *change.bundle;
  const std::vector<uint8_t>& thumbprint = bundle.info().thumbprint;
  const std::string path = CertificateKeyPath(store_name, thumbprint);

  Result<std::optional<RegistryKey>> existing = txn_.GetKey(path);
  if (!existing.ok()) return existing.status();
  std::string old_id = *existing ? KeyIdOf(**existing) : "";
  std::string key_id = old_id;  // a certificate alone keeps its key
  if (bundle.has_private_key()) {
    Result<std::string> id = NewFileId();
    if (!id.ok()) return id.status();
    Result<std::string> written = keys_.WriteKey(
        thumbprint, *id, CertificateBundleAccess::KeyPem(bundle));
    if (!written.ok()) return written.status();
    files_.Created(std::move(*written));
    if (!old_id.empty()) files_.Replaced(keys_.KeyPath(thumbprint, old_id));
    key_id = std::move(*id);
  }
  // Keep the store's spelling if it exists ("My" stays "My").
  std::string spelled = store_name;
  if (*existing) {
    if (auto where = ParseCertificatePath((*existing)->path)) {
      spelled = where->store_name;
    }
  }
  return txn_.PutKey(EncodeCertificate(spelled, bundle.der(), key_id));
}

Status CertificateWriter::DeleteCertificate(
    const WriteBatch::CertificateChange& change) {
  verified_.clear();
  const std::string store_name = StoreNameOrDefault(change.store_name);
  Status s = ValidateCertStoreName(store_name);
  if (!s.ok()) return s;
  const std::string hex = HexLower(change.thumbprint);
  const std::string path = CertificateKeyPath(store_name, change.thumbprint);
  Result<std::optional<RegistryKey>> existing = txn_.GetKey(path);
  if (!existing.ok()) return existing.status();
  if (!*existing) {
    return Status::NotFound("the certificate " + hex +
                            " is not in the certificate store " + store_name);
  }
  if (!change.force) {
    Result<std::vector<Binding>> bindings = BindingsNamingCertificates(txn_);
    if (!bindings.ok()) return bindings.status();
    std::vector<BindingKey> users =
        BindingsUsingCertificate(*bindings, store_name, change.thumbprint);
    if (!users.empty()) {
      return Status::InUse("the certificate " + hex +
                           " in the certificate store " + store_name +
                           " is used by " + KeyList(users) +
                           ": delete or update those bindings first, or "
                           "force the deletion");
    }
  }
  std::string key_id = KeyIdOf(**existing);
  Result<bool> deleted = txn_.DeleteKey(path);
  if (!deleted.ok()) return deleted.status();
  if (!key_id.empty())
    files_.Replaced(keys_.KeyPath(change.thumbprint, key_id));
  return Status::Ok();
}

Status CertificateWriter::SetCcs(const WriteBatch::CcsChange& change) {
  if (change.enabled &&
      (change.location.empty() || change.location.front() != '/')) {
    return Status::InvalidArgument("the CCS folder " +
                                   QuoteForMessage(change.location) +
                                   " is not an absolute path");
  }
  // Stored text is UTF-8, as the registry's is Unicode.
  if (size_t bad = FindInvalidUtf8(change.location); bad != std::string::npos) {
    return Status::InvalidArgument(
        "the CCS folder " + QuoteForMessage(change.location) +
        ": the byte at offset " + std::to_string(bad) +
        " is not valid UTF-8 (sslbind stores text as UTF-8; rename the "
        "folder or reach it through a link whose path is)");
  }
  Result<std::optional<RegistryKey>> existing =
      txn_.GetKey(kCentralCertProviderPath);
  if (!existing.ok()) return existing.status();
  CcsSettings old;
  if (*existing) {
    Result<CcsSettings> decoded = DecodeCcsSettings(**existing);
    if (!decoded.ok()) return decoded.status();
    old = std::move(*decoded);
  }
  std::string password_id;
  if (change.enabled && change.password && !change.password->empty()) {
    Result<std::string> id = NewFileId();
    if (!id.ok()) return id.status();
    Result<std::string> written = keys_.WritePassword(*id, *change.password);
    if (!written.ok()) return written.status();
    files_.Created(std::move(*written));
    password_id = std::move(*id);
  }
  if (!old.password_id.empty()) {
    files_.Replaced(keys_.PasswordPath(old.password_id));
  }
  const std::string& location =
      change.enabled ? change.location : old.config.location;
  RegistryKey key = EncodeCcsSettings(change.enabled, location, password_id);
  // Keep values sslbind does not manage (UserName, PollingInterval, ... from
  // a Windows export).
  if (*existing) {
    for (const RegistryValue& v : (*existing)->values) {
      if (key.Find(v.name) == nullptr &&
          FoldCase(v.name) != FoldCase(kCcsPasswordIdValue)) {
        key.values.push_back(v);
      }
    }
  }
  return txn_.PutKey(key);
}

Status CertificateWriter::CheckStoredCertificate(
    const Binding& binding, const std::string& store_name) {
  const std::string hex = HexLower(binding.cert_hash);
  if (!ValidateCertStoreName(store_name).ok()) {
    return Status::CertificateUnusable(
        "the certificate " + hex + " is not in the certificate store " +
        QuoteForMessage(store_name) + " (not a valid certificate store name)");
  }
  return FindUsableCertificate(txn_, keys_, store_name, binding.cert_hash)
      .status();
}

Status CertificateWriter::VerifyBinding(const Binding& binding) {
  BindingKind kind = binding.key.kind();
  if ((kind != BindingKind::kIpPort && kind != BindingKind::kHostnamePort) ||
      binding.cert_hash.empty()) {
    return Status::Ok();
  }
  const std::string store_name(EffectiveCertStoreName(binding));
  const std::string cache_key =
      FoldCase(store_name) + "\n" + HexLower(binding.cert_hash);
  auto it = verified_.find(cache_key);
  if (it == verified_.end()) {
    it = verified_
             .emplace(cache_key, CheckStoredCertificate(binding, store_name))
             .first;
  }
  return it->second.WithContext(binding.key.ToParam());
}

}  // namespace sslbind::internal
