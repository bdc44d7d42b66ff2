// WriteBatch: recording operations, and telling them to a handler.
#include "sslbind/write_batch.h"

#include <memory>
#include <utility>

#include "model/wipe.h"

namespace sslbind {
namespace {

// What a certificate operation names or carries.
struct CertificateChange {
  std::string store_name;
  std::vector<uint8_t> thumbprint;          // kDeleteCertificate
  std::optional<CertificateBundle> bundle;  // kPutCertificate
  bool force = false;                       // kDeleteCertificate
};

// The CCS settings a kSetCcs operation writes. Wipes the password when
// destroyed.
struct CcsChange {
  CcsChange() = default;
  CcsChange(const CcsChange&) = delete;
  CcsChange& operator=(const CcsChange&) = delete;
  ~CcsChange() {
    if (password) internal::Wipe(*password);
  }

  bool enabled = false;
  std::string location;  // enabling: the folder
  std::optional<std::string> password;
};

}  // namespace

// One operation. Certificate and CCS changes are shared, not copied, by
// copies of the batch (they are never changed once recorded).
struct WriteBatch::Op {
  OpType type;
  std::optional<BindingKey> key;   // kUpdate, kDelete, kErase
  std::optional<Binding> binding;  // kAdd, kPut (its key is the op's)
  BindingPatch patch;              // kUpdate
  std::shared_ptr<const CertificateChange> certificate;
  std::shared_ptr<const CcsChange> ccs;
};

Status WriteBatch::Handler::Add(const Binding&) { return Status::Ok(); }
Status WriteBatch::Handler::Put(const Binding&) { return Status::Ok(); }
Status WriteBatch::Handler::Update(const BindingKey&, const BindingPatch&) {
  return Status::Ok();
}
Status WriteBatch::Handler::Delete(const BindingKey&) { return Status::Ok(); }
Status WriteBatch::Handler::Erase(const BindingKey&) { return Status::Ok(); }
Status WriteBatch::Handler::PutCertificate(const std::string&,
                                           const CertificateBundle&) {
  return Status::Ok();
}
Status WriteBatch::Handler::DeleteCertificate(const std::string&,
                                              const std::vector<uint8_t>&,
                                              bool) {
  return Status::Ok();
}
Status WriteBatch::Handler::EnableCcs(const std::string&,
                                      const std::optional<std::string>&) {
  return Status::Ok();
}
Status WriteBatch::Handler::DisableCcs() { return Status::Ok(); }

WriteBatch::WriteBatch() = default;
WriteBatch::WriteBatch(const WriteBatch& other) = default;
WriteBatch& WriteBatch::operator=(const WriteBatch& other) = default;
WriteBatch::WriteBatch(WriteBatch&& other) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&& other) noexcept = default;
WriteBatch::~WriteBatch() = default;

void WriteBatch::Add(Binding binding) {
  ops_.push_back({OpType::kAdd, std::nullopt, std::move(binding), {}, {}, {}});
}

void WriteBatch::Put(Binding binding) {
  ops_.push_back({OpType::kPut, std::nullopt, std::move(binding), {}, {}, {}});
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
  change->bundle.emplace(std::move(bundle));
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

Status WriteBatch::Iterate(Handler* handler, size_t* failed_op) const {
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Op& op = ops_[i];
    Status s;
    switch (op.type) {
      case OpType::kAdd: s = handler->Add(*op.binding); break;
      case OpType::kPut: s = handler->Put(*op.binding); break;
      case OpType::kUpdate: s = handler->Update(*op.key, op.patch); break;
      case OpType::kDelete: s = handler->Delete(*op.key); break;
      case OpType::kErase: s = handler->Erase(*op.key); break;
      case OpType::kPutCertificate:
        s = handler->PutCertificate(op.certificate->store_name,
                                    *op.certificate->bundle);
        break;
      case OpType::kDeleteCertificate:
        s = handler->DeleteCertificate(op.certificate->store_name,
                                       op.certificate->thumbprint,
                                       op.certificate->force);
        break;
      case OpType::kSetCcs:
        s = op.ccs->enabled
                ? handler->EnableCcs(op.ccs->location, op.ccs->password)
                : handler->DisableCcs();
        break;
    }
    if (!s.ok()) {
      if (failed_op) *failed_op = i;
      return s;
    }
  }
  return Status::Ok();
}

size_t WriteBatch::size() const { return ops_.size(); }

void WriteBatch::Clear() { ops_.clear(); }

WriteBatch::OpType WriteBatch::type(size_t i) const { return ops_[i].type; }

const BindingKey* WriteBatch::key(size_t i) const {
  const Op& op = ops_[i];
  if (op.binding) return &op.binding->key;
  return op.key ? &*op.key : nullptr;
}

}  // namespace sslbind
