// WriteBatch: recording operations.
#include "sslbind/write_batch.h"

#include "certs/openssl_util.h"

namespace sslbind {

WriteBatch::CcsChange::~CcsChange() {
  if (password) internal::Wipe(*password);
}

void WriteBatch::Add(Binding binding) {
  BindingKey key = binding.key;
  ops_.push_back(
      {OpType::kAdd, std::move(key), std::move(binding), {}, {}, {}});
}

void WriteBatch::Put(Binding binding) {
  BindingKey key = binding.key;
  ops_.push_back(
      {OpType::kPut, std::move(key), std::move(binding), {}, {}, {}});
}

void WriteBatch::Update(BindingKey key, BindingPatch patch) {
  ops_.push_back({OpType::kUpdate,
                  std::move(key),
                  std::nullopt,
                  std::move(patch),
                  {},
                  {}});
}

void WriteBatch::Delete(BindingKey key) {
  ops_.push_back({OpType::kDelete, std::move(key), std::nullopt, {}, {}, {}});
}

void WriteBatch::Erase(BindingKey key) {
  ops_.push_back({OpType::kErase, std::move(key), std::nullopt, {}, {}, {}});
}

void WriteBatch::PutCertificate(std::string store_name,
                                CertificateBundle bundle) {
  auto change = std::make_shared<CertificateChange>();
  change->store_name = std::move(store_name);
  change->thumbprint = bundle.info().thumbprint;
  change->bundle = std::make_shared<const CertificateBundle>(std::move(bundle));
  ops_.push_back({OpType::kPutCertificate,
                  std::nullopt,
                  std::nullopt,
                  {},
                  std::move(change),
                  {}});
}

void WriteBatch::DeleteCertificate(std::string store_name,
                                   std::vector<uint8_t> thumbprint,
                                   bool force) {
  auto change = std::make_shared<CertificateChange>();
  change->store_name = std::move(store_name);
  change->thumbprint = std::move(thumbprint);
  change->force = force;
  ops_.push_back({OpType::kDeleteCertificate,
                  std::nullopt,
                  std::nullopt,
                  {},
                  std::move(change),
                  {}});
}

void WriteBatch::EnableCcs(std::string folder,
                           std::optional<std::string> password) {
  auto change = std::make_shared<CcsChange>();
  change->enabled = true;
  change->location = std::move(folder);
  change->password = std::move(password);
  ops_.push_back(
      {OpType::kSetCcs, std::nullopt, std::nullopt, {}, {}, std::move(change)});
}

void WriteBatch::DisableCcs() {
  auto change = std::make_shared<CcsChange>();
  ops_.push_back(
      {OpType::kSetCcs, std::nullopt, std::nullopt, {}, {}, std::move(change)});
}

}  // namespace sslbind
