// sslbind/apply_plan.h: what it takes to make a store match a list of
// bindings (the plan of `sslbind apply`).
//
// PlanApply compares the bindings a store holds with the bindings wanted
// and says, for each key, whether it is added, updated (and which
// parameters change, old and new), unchanged, or removed (only when
// pruning), together with the WriteBatch that makes the change. Bindings are
// compared by their named parameters (parameters.h): bits of CheckMode or
// Flags that no parameter names (which only a .reg import can set) are
// neither compared nor changed. Applying the batch and planning again gives
// a plan with nothing to do. Plain values; PlanApply is thread-safe.
#ifndef SSLBIND_APPLY_PLAN_H_
#define SSLBIND_APPLY_PLAN_H_

#include <cstddef>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/parameters.h"
#include "sslbind/status.h"
#include "sslbind/write_batch.h"

namespace sslbind {

struct ParamChange {
  Param param;
  ParamValue old_value;
  ParamValue new_value;
};

struct PlanEntry {
  enum class Action : uint8_t { kAdd, kUpdate, kUnchanged, kRemove };

  Action action;
  BindingKey key;
  // kUpdate: the parameters that change, in show order.
  std::vector<ParamChange> changes;
  // The index of this entry's operation in ApplyPlan::batch; none for
  // kUnchanged.
  std::optional<size_t> op_index;
};

struct ApplyPlan {
  // One entry per key of either list, in key order.
  std::vector<PlanEntry> entries;
  // Add for kAdd (AlreadyExists if another writer added the key since),
  // Update with the changed parameters for kUpdate (NotFound if another
  // writer deleted it), Delete for kRemove.
  WriteBatch batch;
  size_t added = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  size_t removed = 0;

  // True when the store already matches: nothing to write.
  bool in_place() const { return batch.empty(); }
};

// Plans the change from `current` to `desired`. With `prune`, bindings of
// `current` that `desired` does not hold are removed; otherwise they are
// left alone (and not listed). InvalidArgument if `desired` holds a key
// twice.
Result<ApplyPlan> PlanApply(const std::vector<Binding>& current,
                            const std::vector<Binding>& desired, bool prune);

// The name of an action: "add", "update", "unchanged" or "remove".
std::string_view PlanActionName(PlanEntry::Action action);

}  // namespace sslbind

#endif  // SSLBIND_APPLY_PLAN_H_
