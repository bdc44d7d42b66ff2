// The plan of a desired-state command (`apply`, `iis sync`): printing it,
// as text or JSON, and writing it (or checking it, for a dry run) through
// the one write path.
#ifndef SSLBIND_CLI_PLAN_OUTPUT_H_
#define SSLBIND_CLI_PLAN_OUTPUT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "context.h"
#include "progress.h"
#include "show_format.h"
#include "sslbind/apply_plan.h"
#include "sslbind/store.h"

namespace sslbind::cli {

// The revisions of a plan: the one it was made against (for a later
// --expect-revision after a --check) and the one it was written as.
struct PlanRevisions {
  uint64_t planned = 0;
  uint64_t written = 0;  // 0: nothing was written
};

// The store's revision and its bindings (into *current), read in one read
// transaction (Store::ReadAtOneRevision): the plan is made against exactly
// that revision, and a write after it makes WritePlan refuse (1306) rather
// than apply a plan made on other contents. Throws CommandError (1306) when
// ctx.expect_revision names another revision.
PlanRevisions StartPlan(const Context& ctx, Store& store,
                        std::vector<Binding>* current);

// Throws CommandError (1306, nothing changed) when --expect-revision was
// given and names another revision than `current`, the one a plan was made
// against.
void CheckExpectedRevision(const Context& ctx, uint64_t current);

// Writes plan.batch to `store` in one transaction (Store::Check with
// ctx.dry_run), verifying certificates unless ctx.no_verify, journaled with
// ctx's reason, and only if the store is still at revisions->planned; sets
// revisions->written. Does nothing when the plan is in place. Throws
// CommandError naming the failing operation: nothing was changed.
// `command` ("apply") is named in the message of a race.
void WritePlan(Context& ctx, Store& store, const ApplyPlan& plan,
               Progress& progress, std::string_view command,
               PlanRevisions* revisions);

// Prints each entry ("add        ipport=..." and its changes), the summary
// line and the revisions; `written` says whether the plan was applied,
// `kept` how many bindings of the store the plan left alone (not pruned).
void PrintPlanText(const Context& ctx, const ApplyPlan& plan, bool written,
                   size_t kept, const PlanRevisions& revisions);
// The same as one JSON object: {"status", counts, "kept",
// "planned_revision", "revision", "plan": [...]}.
Json PlanToJson(const ApplyPlan& plan, bool written, size_t kept,
                const PlanRevisions& revisions);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_PLAN_OUTPUT_H_
