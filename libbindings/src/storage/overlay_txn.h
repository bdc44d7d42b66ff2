// Internal: a write transaction that writes nowhere, for Store::Check.
//
// An OverlayTxn reads through to a backend and keeps its own writes in
// memory, so a batch can be run to the end -- every operation seeing the
// ones before it -- and then dropped. It needs only the backend's reads
// (RegistryReader) and its revision, so every backend gets dry runs for
// free, and it takes no lock.
// Not thread-safe; lives for one batch.
#ifndef SSLBIND_SRC_STORAGE_OVERLAY_TXN_H_
#define SSLBIND_SRC_STORAGE_OVERLAY_TXN_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "storage/registry_backend.h"

namespace sslbind::internal {

class OverlayTxn final : public RegistryTxn {
 public:
  explicit OverlayTxn(RegistryBackend& base) : base_(base) {}

  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override;
  Result<bool> KeyExists(std::string_view path) override;
  Status PutKey(const RegistryKey& key) override;
  Result<bool> AddKey(const RegistryKey& key) override;
  Result<bool> DeleteKey(std::string_view path) override;
  // The base's keys and the ones written here, merged in path order.
  Status ScanSubtree(std::string_view path, const KeyVisitor& visit) override;
  // The base's revision; a dry run journals nothing.
  Result<uint64_t> Revision() override { return base_.ChangeCounter(); }
  Status AppendJournal(const JournalRecord&) override { return Status::Ok(); }

 private:
  RegistryBackend& base_;
  // Folded path -> the key as written here, or nullopt where deleted.
  std::map<std::string, std::optional<RegistryKey>> overlay_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_OVERLAY_TXN_H_
