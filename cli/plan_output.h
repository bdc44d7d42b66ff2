// The plan of a desired-state command (`apply`, `iis sync`): printing it,
// as text or JSON, and writing it (or checking it, for a dry run) through
// the one write path.
#ifndef SSLBIND_CLI_PLAN_OUTPUT_H_
#define SSLBIND_CLI_PLAN_OUTPUT_H_

#include <cstddef>
#include <string_view>

#include "context.h"
#include "progress.h"
#include "show_format.h"
#include "sslbind/apply_plan.h"
#include "sslbind/store.h"

namespace sslbind::cli {

// Writes plan.batch to `store` in one transaction (Store::Check with
// ctx.dry_run), verifying certificates unless ctx.no_verify. Does nothing
// when the plan is in place. Throws CommandError naming the failing
// operation: nothing was changed.
// `command` ("apply") is named in the message of a race.
void WritePlan(Context& ctx, Store& store, const ApplyPlan& plan,
               Progress& progress, std::string_view command);

// Prints each entry ("add        ipport=..." and its changes) and the
// summary line; `written` says whether the plan was applied, `kept` how
// many bindings of the store the plan left alone (not pruned).
void PrintPlanText(const Context& ctx, const ApplyPlan& plan, bool written,
                   size_t kept);
// The same as one JSON object: {"status", counts, "kept", "plan": [...]}.
Json PlanToJson(const ApplyPlan& plan, bool written, size_t kept);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_PLAN_OUTPUT_H_
