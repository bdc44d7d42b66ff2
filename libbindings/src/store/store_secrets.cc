// Sealed secrets in the backend, and the backends that have none.
#include "store/store_secrets.h"

namespace sslbind::internal {
namespace {

const char kNeedKey[] =
    "needs the farm key (StoreOptions::key_file; sslbind --key-file or "
    "SSLBIND_KEY_FILE)";

Status NoSecrets() {
  return Status::Internal("this store keeps its secrets in its key folder");
}

}  // namespace

Status RegistryBackend::PutSecret(const std::string&, std::string_view) {
  return NoSecrets();
}
Result<std::optional<std::string>> RegistryBackend::GetSecret(
    const std::string&) {
  return NoSecrets();
}
Result<std::vector<std::string>> RegistryBackend::ListSecrets() {
  return NoSecrets();
}
Status RegistryBackend::DeleteSecret(const std::string&) { return NoSecrets(); }

Status BackendVault::Put(const std::string& name, std::string_view data) const {
  if (!key_) {
    return Status::InvalidArgument(
        "writing a private key or the CCS password into a shared store " +
        std::string(kNeedKey));
  }
  return backend_->PutSecret(name, key_->Seal(data, name));
}

Result<std::optional<std::string>> BackendVault::Get(
    const std::string& name) const {
  Result<std::optional<std::string>> sealed = backend_->GetSecret(name);
  if (!sealed.ok() || !*sealed) return sealed;
  if (!key_) {
    return Status::AccessDenied("reading the secret '" + name + "' " +
                                kNeedKey);
  }
  Result<std::string> open = key_->Open(**sealed, name);
  if (!open.ok()) return open.status();
  return std::optional<std::string>(std::move(*open));
}

Result<std::vector<std::string>> BackendVault::List() const {
  return backend_->ListSecrets();
}

Status BackendVault::Remove(const std::string& name) const {
  return backend_->DeleteSecret(name);
}

}  // namespace sslbind::internal
