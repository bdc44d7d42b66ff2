// Reading binding changes from the journal, and laying them over a
// snapshot.
#include "resolve/journal_refresh.h"

#include "model/registry_codec.h"
#include "resolve/snapshot_rep.h"
#include "storage/value_codec.h"
#include "store/store_access.h"

namespace sslbind::internal {

Result<bool> ReadJournalChanges(const Store& store, uint64_t from, uint64_t to,
                                size_t max_changes, OverlayChanges* changes) {
  RegistryBackend& backend = StoreAccess::Backend(store);
  Result<uint64_t> oldest = backend.JournalStart();
  if (!oldest.ok()) return oldest.status();
  if (*oldest > from) return false;
  JournalQuery query;
  query.after_revision = from;
  query.up_to_revision = to;
  query.newest_first = false;
  uint64_t expected = from + 1;
  bool complete = true;
  // Stops the walk early; never returned.
  const Status stop = Status::Internal("stop");
  Status s = backend.ReadJournal(query, [&](JournalRecord&& record) {
    if (record.revision != expected++) {
      complete = false;
      return stop;
    }
    if (changes->size() + record.changes.size() > max_changes) {
      // Too many to lay over the base (at most this many keys): reload.
      complete = false;
      return stop;
    }
    for (JournalKeyChange& change : record.changes) {
      if (!IsBindingKeyPath(change.path)) continue;
      // The key's values now, or before it was deleted (for its key).
      const PackedValues& packed =
          change.after ? *change.after : *change.before;
      Result<std::vector<RegistryValue>> values = UnpackValues(packed);
      if (!values.ok()) return values.status();
      Result<Binding> b =
          DecodeBinding(RegistryKey{change.path, std::move(*values)});
      if (!b.ok()) return b.status();
      BindingKey key = b->key;
      if (change.after) {
        (*changes)[std::move(key)] = std::move(*b);
      } else {
        (*changes)[std::move(key)] = std::nullopt;
      }
    }
    if (changes->size() > max_changes) {
      complete = false;
      return stop;
    }
    return Status::Ok();
  });
  if (!complete) return false;
  if (!s.ok()) return s;
  return expected == to + 1;
}

Result<std::shared_ptr<const Snapshot>> BuildOverlay(
    std::shared_ptr<const Snapshot> base, const OverlayChanges& changes,
    const SnapshotOptions& options) {
  SnapshotBuilder builder(options);
  for (const auto& [key, binding] : changes) {
    Status s = binding ? builder.Add(*binding) : builder.AddTombstone(key);
    if (!s.ok()) return s;
  }
  return builder.FinishOverlay(std::move(base));
}

}  // namespace sslbind::internal
