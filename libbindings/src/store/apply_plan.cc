// PlanApply: a merge of two key-ordered lists.
#include "sslbind/apply_plan.h"

#include <algorithm>

namespace sslbind {
namespace {

std::vector<const Binding*> SortedByKey(const std::vector<Binding>& bindings) {
  std::vector<const Binding*> sorted;
  sorted.reserve(bindings.size());
  for (const Binding& b : bindings) sorted.push_back(&b);
  std::sort(sorted.begin(), sorted.end(),
            [](const Binding* a, const Binding* b) { return a->key < b->key; });
  return sorted;
}

// The CheckMode and Flags bits that parameters name.
struct NamedBits {
  uint32_t check_mode = 0;
  uint32_t flags = 0;
};

NamedBits ComputeNamedBits() {
  NamedBits bits;
  for (const ParamInfo& info : AllParams()) {
    if (info.type != ParamType::kOption && info.type != ParamType::kFlag) {
      continue;
    }
    (info.in_check_mode ? bits.check_mode : bits.flags) |= info.bit;
  }
  return bits;
}

// True when every named parameter of `a` and `b` is equal: what comparing
// GetParam for each parameter says, without building the values (a plan of
// 100k unchanged bindings runs this 100k times).
bool SameNamedParams(const Binding& a, const Binding& b) {
  static const NamedBits named = ComputeNamedBits();
  return a.cert_hash == b.cert_hash && a.app_id == b.app_id &&
         a.cert_store_name == b.cert_store_name &&
         (a.check_mode & named.check_mode) ==
             (b.check_mode & named.check_mode) &&
         a.revocation_freshness_time == b.revocation_freshness_time &&
         a.url_retrieval_timeout == b.url_retrieval_timeout &&
         a.ctl_identifier == b.ctl_identifier &&
         a.ctl_store_name == b.ctl_store_name &&
         (a.flags & named.flags) == (b.flags & named.flags);
}

}  // namespace

std::string_view PlanActionName(PlanEntry::Action action) {
  switch (action) {
    case PlanEntry::Action::kAdd: return "add";
    case PlanEntry::Action::kUpdate: return "update";
    case PlanEntry::Action::kUnchanged: return "unchanged";
    case PlanEntry::Action::kRemove: return "remove";
  }
  return "unchanged";
}

Result<ApplyPlan> PlanApply(const std::vector<Binding>& current,
                            const std::vector<Binding>& desired, bool prune) {
  std::vector<const Binding*> have = SortedByKey(current);
  std::vector<const Binding*> want = SortedByKey(desired);
  for (size_t i = 1; i < want.size(); ++i) {
    if (want[i - 1]->key == want[i]->key) {
      return Status::InvalidArgument(want[i]->key.ToParam() +
                                     " is wanted twice");
    }
  }

  ApplyPlan plan;
  plan.entries.reserve(std::max(have.size(), want.size()));
  auto add_entry = [&](PlanEntry::Action action, const BindingKey& key) {
    PlanEntry entry{action, key, {}, std::nullopt};
    if (action != PlanEntry::Action::kUnchanged) {
      entry.op_index = plan.batch.size();
    }
    plan.entries.push_back(std::move(entry));
    return &plan.entries.back();
  };

  size_t h = 0, w = 0;
  while (h < have.size() || w < want.size()) {
    bool take_have =
        w == want.size() || (h < have.size() && have[h]->key < want[w]->key);
    bool take_want =
        h == have.size() || (w < want.size() && want[w]->key < have[h]->key);
    if (take_have) {
      const Binding& old = *have[h++];
      if (!prune) continue;
      add_entry(PlanEntry::Action::kRemove, old.key);
      plan.batch.Delete(old.key);
      ++plan.removed;
    } else if (take_want) {
      const Binding& added = *want[w++];
      add_entry(PlanEntry::Action::kAdd, added.key);
      plan.batch.Add(added);
      ++plan.added;
    } else {
      const Binding& old = *have[h++];
      const Binding& now = *want[w++];
      if (SameNamedParams(old, now)) {
        add_entry(PlanEntry::Action::kUnchanged, now.key);
        ++plan.unchanged;
        continue;
      }
      std::vector<ParamChange> changes;
      BindingPatch patch;
      for (const ParamInfo& info : AllParams()) {
        ParamValue before = GetParam(old, info.id);
        ParamValue after = GetParam(now, info.id);
        if (before == after) continue;
        patch.Set(info.id, after);
        changes.push_back({info.id, std::move(before), std::move(after)});
      }
      if (changes.empty()) {
        add_entry(PlanEntry::Action::kUnchanged, now.key);
        ++plan.unchanged;
        continue;
      }
      PlanEntry* entry = add_entry(PlanEntry::Action::kUpdate, now.key);
      entry->changes = std::move(changes);
      plan.batch.Update(now.key, std::move(patch));
      ++plan.updated;
    }
  }
  return plan;
}

}  // namespace sslbind
