// Internal: the secrets of a store without a key folder (in PostgreSQL):
// private keys and the CCS password sealed with the farm key
// (certs/farm_key.h) and kept by the backend (RegistryBackend::PutSecret).
// Certificates and bindings read without the farm key; writing a secret or
// reading one back needs it.
#ifndef SSLBIND_SRC_STORE_SECRETS_H_
#define SSLBIND_SRC_STORE_SECRETS_H_

#include <optional>

#include "certs/farm_key.h"
#include "certs/key_folder.h"
#include "storage/registry_backend.h"

namespace sslbind::internal {

class BackendVault final : public SecretVault {
 public:
  // `backend` outlives the vault; `key`: none if no key file was given.
  BackendVault(RegistryBackend* backend, std::optional<FarmKey> key)
      : backend_(backend), key_(std::move(key)) {}

  // InvalidArgument without a farm key.
  Status Put(const std::string& name, std::string_view data) const override;
  // AccessDenied without a farm key, or with the wrong one (a secret that is
  // not there is nullopt either way).
  Result<std::optional<std::string>> Get(
      const std::string& name) const override;
  Result<std::vector<std::string>> List() const override;
  Status Remove(const std::string& name) const override;

 private:
  RegistryBackend* backend_;
  std::optional<FarmKey> key_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORE_SECRETS_H_
