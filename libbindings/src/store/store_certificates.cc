// The functions of sslbind/certificates.h, sslbind/ccs.h and
// sslbind/openssl.h that take or open a Store: each hands the certificates
// layer (certs/store_reads.h) the store's backend, as the RegistryReader it
// reads through, and the store's key folder.
#include "certs/ccs_files.h"
#include "certs/store_reads.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"
#include "sslbind/openssl.h"
#include "sslbind/store.h"
#include "store/store_access.h"
#include "model/exception_status.h"

namespace sslbind {

using internal::StoreAccess;

Result<std::vector<StoredCertificate>> ListCertificates(
    const Store& store, std::string_view store_name) try {
  return internal::ListCertificates(StoreAccess::Backend(store),
                                    StoreAccess::Keys(store), store_name);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<StoredCertificate> GetCertificate(
    const Store& store, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint) try {
  return internal::GetCertificate(StoreAccess::Backend(store),
                                  StoreAccess::Keys(store), store_name,
                                  thumbprint);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<std::vector<CertificateFinding>> CheckCertificates(
    const Store& store, std::span<const Binding> bindings,
    const CertificateCheckOptions& options) try {
  return internal::CheckCertificates(
      StoreAccess::Backend(store), StoreAccess::Keys(store), bindings, options);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<CcsConfig> ReadCcsConfig(const Store& store) try {
  Result<internal::CcsSettings> settings =
      internal::ReadCcsSettings(StoreAccess::Backend(store));
  if (!settings.ok()) return settings.status();
  return std::move(settings->config);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<std::shared_ptr<const CcsFolderListing>> ListStoreCcsFolder(
    const Store& store) try {
  Result<CcsConfig> config = ReadCcsConfig(store);
  if (!config.ok()) return config.status();
  if (!config->active()) return std::shared_ptr<const CcsFolderListing>();
  return CcsFolderListing::List(config->location);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<std::unique_ptr<CertificateLoader>> CertificateLoader::Open(
    const std::string& store_path) try {
  Result<Store> opened = Store::Open(store_path, {.writable = false});
  if (!opened.ok()) return opened.status();
  auto store = std::make_shared<Store>(std::move(*opened));
  internal::KeyFolder keys = StoreAccess::Keys(*store);
  // The loader reads through the store's backend and keeps the store with
  // it.
  std::shared_ptr<internal::RegistryReader> reader(
      store, &StoreAccess::Backend(*store));
  return internal::CertificateLoaderAccess::Make(std::move(reader),
                                                 std::move(keys));
} catch (...) {
  return internal::StatusOfCurrentException();
}

}  // namespace sslbind
