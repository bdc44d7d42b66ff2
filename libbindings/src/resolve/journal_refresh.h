// Internal: Resolver::Refresh's short way -- the bindings changed since a
// snapshot, read from the store's journal, laid over that snapshot.
#ifndef SSLBIND_SRC_RESOLVE_JOURNAL_REFRESH_H_
#define SSLBIND_SRC_RESOLVE_JOURNAL_REFRESH_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "sslbind/binding.h"
#include "sslbind/snapshot.h"
#include "sslbind/store.h"

namespace sslbind::internal {

// The bindings changed since a base snapshot: each key's binding now, or
// nullopt where it was deleted.
using OverlayChanges = std::map<BindingKey, std::optional<Binding>>;

// Adds the binding changes of revisions (from, to] to *changes. Returns
// false -- *changes then holds an unspecified part of them -- when the
// journal does not hold every one of those revisions (compacted, or a
// store older than the journal) or *changes would pass `max_changes` keys.
Result<bool> ReadJournalChanges(const Store& store, uint64_t from, uint64_t to,
                                size_t max_changes, OverlayChanges* changes);

// A snapshot resolving as `base` with `changes` applied: an overlay of the
// changed keys that shares `base` (which must not be an overlay).
Result<std::shared_ptr<const Snapshot>> BuildOverlay(
    std::shared_ptr<const Snapshot> base, const OverlayChanges& changes,
    const SnapshotOptions& options);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_JOURNAL_REFRESH_H_
