// Reading binding changes from the journal, and laying them over a
// snapshot.
#include "resolve/journal_refresh.h"

#include "registry_codec.h"
#include "resolve/snapshot_rep.h"
#include "store_access.h"

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
    for (JournalKeyChange& change : record.changes) {
      if (!IsBindingKeyPath(change.path)) continue;
      std::optional<Binding> binding;
      if (change.after) {
        Result<Binding> b =
            DecodeBinding(RegistryKey{change.path, std::move(*change.after)});
        if (!b.ok()) return b.status();
        binding = std::move(*b);
      } else {
        Result<Binding> b =
            DecodeBinding(RegistryKey{change.path, std::move(*change.before)});
        if (!b.ok()) return b.status();
        (*changes)[b->key] = std::nullopt;
        continue;
      }
      BindingKey key = binding->key;
      (*changes)[std::move(key)] = std::move(binding);
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
