// WriteBatch: recording operations.
#include "sslbind/write_batch.h"

namespace sslbind {

void WriteBatch::Add(Binding binding) {
  BindingKey key = binding.key;
  ops_.push_back({OpType::kAdd, std::move(key), std::move(binding), {}});
}

void WriteBatch::Put(Binding binding) {
  BindingKey key = binding.key;
  ops_.push_back({OpType::kPut, std::move(key), std::move(binding), {}});
}

void WriteBatch::Update(BindingKey key, BindingPatch patch) {
  ops_.push_back({OpType::kUpdate, std::move(key), std::nullopt,
                  std::move(patch)});
}

void WriteBatch::Delete(BindingKey key) {
  ops_.push_back({OpType::kDelete, std::move(key), std::nullopt, {}});
}

void WriteBatch::Erase(BindingKey key) {
  ops_.push_back({OpType::kErase, std::move(key), std::nullopt, {}});
}

}  // namespace sslbind
