// sslbind diff REV1 [REV2]: the plan that turns the bindings of REV1 into
// those of REV2 (default: now), in apply's words, or as JSON.
#include <memory>

#include "command_error.h"
#include "journal_commands.h"
#include "journal_format.h"
#include "plan_format.h"

namespace sslbind::cli {
namespace {

struct DiffOptions {
  std::string from;
  std::string to;
};

int RunDiff(Context& ctx, const DiffOptions& options) {
  ctx.subject = "Journal";
  ctx.verb = "diff";
  const uint64_t from = RevisionArg("REV1", options.from);
  const uint64_t to = options.to.empty() ? RevisionOrThrow(ctx)
                                         : RevisionArg("REV2", options.to);
  StoreState before = StateOrThrow(ctx, from);
  StoreState after = StateOrThrow(ctx, to);
  Result<ApplyPlan> plan = PlanApply(before.bindings, after.bindings, true);
  if (!plan.ok()) throw CommandError::Failed(plan.status());
  const bool ccs_changed = before.ccs.enabled != after.ccs.enabled ||
                           before.ccs.location != after.ccs.location ||
                           before.ccs.has_password != after.ccs.has_password;
  if (ctx.json) {
    Json j = {{"from", from},
              {"to", to},
              {"added", plan->added},
              {"updated", plan->updated},
              {"removed", plan->removed},
              {"plan", PlanEntriesJson(*plan, false)}};
    if (ccs_changed) j["ccs"] = CcsText(after.ccs);
    *ctx.out << JsonText(j) << '\n';
    return 0;
  }
  std::string out = PlanLines(*plan, false);
  if (ccs_changed) out += CcsText(after.ccs) + '\n';
  out += "From revision " + std::to_string(from) + " to " + std::to_string(to) +
         ": " + Count(plan->added, "added") + ", " +
         Count(plan->updated, "updated") + ", " +
         Count(plan->removed, "removed") + ".\n";
  *ctx.out << out;
  return 0;
}

}  // namespace

void SetupDiff(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "Print the plan that turns the bindings of revision REV1 into those of "
      "REV2 (default: now), in apply's words.");
  cmd->fallthrough();
  cmd->add_option("REV1", options->from, "The revision to compare from")
      ->required();
  cmd->add_option("REV2", options->to, "The revision to compare to");
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] { return RunDiff(ctx, *options); };
  });
}

}  // namespace sslbind::cli
