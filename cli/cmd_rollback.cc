// sslbind rollback --to REV [--dry-run] [--no-verify]: makes the bindings
// and CCS settings what they were after revision REV, as one new revision
// (the journal is never rewritten). Certificates are not brought back: a
// restored binding whose certificate is gone is refused with 1312 unless
// --no-verify.
#include <memory>

#include "command_error.h"
#include "journal_commands.h"
#include "journal_format.h"
#include "plan_format.h"
#include "plan_output.h"

namespace sslbind::cli {
namespace {

int RunRollback(Context& ctx, const std::string& to_text) {
  ctx.subject = "Journal";
  ctx.verb = "rollback";
  const uint64_t to = RevisionArg("--to", to_text);
  Store store = ctx.OpenForChange();
  Result<RollbackPlan> rollback = PlanRollback(store, to);
  if (!rollback.ok()) throw CommandError::Failed(rollback.status());
  CheckExpectedRevision(ctx, rollback->from_revision);
  const ApplyPlan& plan = rollback->plan;
  uint64_t written = 0;
  if (!rollback->in_place()) {
    WriteOptions options{.verify_certificates = !ctx.no_verify};
    // Planned against this revision: a writer in between refuses it.
    options.expected_revision = rollback->from_revision;
    Status s = ctx.WriteOrCheck(store, plan.batch, options);
    if (!s.ok()) {
      throw CommandError::Failed(s).WithNote(
          s.code() == StatusCode::kRevisionMismatch
              ? "nothing was changed; the store changed meanwhile: run "
                "rollback again"
              : "nothing was changed: the rollback is one transaction");
    }
    if (!ctx.dry_run) written = store.last_written_revision();
  }
  const char* status = rollback->in_place() ? "in-place"
                       : ctx.dry_run        ? "dry-run"
                                            : "rolled-back";
  if (ctx.json) {
    Json j = {{"status", status},
              {"to", to},
              {"planned_revision", rollback->from_revision},
              {"revision", written ? written : rollback->from_revision},
              {"added", plan.added},
              {"updated", plan.updated},
              {"removed", plan.removed},
              {"plan", PlanEntriesJson(plan, false)}};
    if (rollback->ccs_after) j["ccs"] = CcsText(*rollback->ccs_after);
    *ctx.out << JsonText(j) << '\n';
    return 0;
  }
  std::string out = PlanLines(plan, false);
  if (rollback->ccs_after) out += CcsText(*rollback->ccs_after) + '\n';
  const std::string counts = Count(plan.added, "added") + ", " +
                             Count(plan.updated, "updated") + ", " +
                             Count(plan.removed, "removed");
  if (rollback->in_place()) {
    out += "Nothing to change: the bindings are those of revision " +
           std::to_string(to) + ".\n";
  } else if (ctx.dry_run) {
    out += "Dry run: rolling back to revision " + std::to_string(to) +
           " would make " + counts + "; nothing was written.\n";
  } else {
    out += "Rolled back to revision " + std::to_string(to) + " as revision " +
           std::to_string(written) + ": " + counts + ".\n";
  }
  *ctx.out << out;
  return 0;
}

}  // namespace

void SetupRollback(CLI::App& app, Context& ctx, Action& action) {
  auto to = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "rollback",
      "Make the bindings and CCS settings what they were after revision REV, "
      "as one new revision. Certificates are not restored.");
  cmd->fallthrough();
  cmd->add_option("--to", *to, "The revision to return to")
      ->type_name("REV")
      ->required();
  HonourOptions(*cmd, ctx, kChangesBindings,
                "Print the plan and check it against the store; write "
                "nothing");
  cmd->callback([&ctx, &action, to] {
    action = [&ctx, to] { return RunRollback(ctx, *to); };
  });
}

}  // namespace sslbind::cli
