// The plan of `apply` and `iis sync`: text, JSON and the write.
#include "plan_output.h"

#include <string>

#include "command_error.h"
#include "journal_options.h"
#include "netsh_line.h"
#include "plan_format.h"

namespace sslbind::cli {

void CheckExpectedRevision(const Context& ctx, uint64_t current) {
  if (ctx.expect_revision && *ctx.expect_revision != current) {
    throw CommandError::Failed(
        Status::RevisionMismatch(
            "the store is at revision " + std::to_string(current) + ", not " +
            std::to_string(*ctx.expect_revision) + " as expected"))
        .WithNote("nothing was changed");
  }
}

PlanRevisions StartPlan(const Context& ctx, Store& store,
                        std::vector<Binding>* current) {
  PlanRevisions revisions;
  Status s = store.ReadAtOneRevision([&](uint64_t revision) {
    revisions.planned = revision;
    Result<std::vector<Binding>> listed = store.List();
    if (!listed.ok()) return listed.status();
    *current = std::move(*listed);
    return Status::Ok();
  });
  if (!s.ok()) throw CommandError::Failed(s);
  CheckExpectedRevision(ctx, revisions.planned);
  return revisions;
}

void WritePlan(Context& ctx, Store& store, const ApplyPlan& plan,
               Progress& progress, std::string_view command,
               PlanRevisions* revisions) {
  if (plan.in_place()) return;
  size_t failed = kNoFailedOp;
  WriteOptions write_options = WithJournal(
      ctx,
      {.verify_certificates = !ctx.no_verify,
       .progress = progress.Counter(ctx.dry_run ? "checking" : "applying")});
  write_options.expected_revision = revisions->planned;
  Status s = ctx.WriteOrCheck(store, plan.batch, write_options, &failed);
  if (s.ok()) {
    if (!ctx.dry_run) revisions->written = store.last_written_revision();
    return;
  }
  const std::string again = "run " + std::string(command) + " again";
  if (s.code() == StatusCode::kRevisionMismatch) {
    throw CommandError::Failed(s).WithNote(
        "nothing was changed; the store changed while the plan was made: " +
        again);
  }
  if (failed == kNoFailedOp) throw CommandError::Failed(s);
  // The plan adds only what was missing and changes only what was there: a
  // key found taken or gone means that another writer changed the store
  // between the plan and the write.
  const bool raced = s.IsAlreadyExists() || s.IsNotFound();
  throw CommandError::Failed(s)
      .WithVerb(NetshVerb(plan.batch.ops()[failed].type))
      .WithNote(
      raced ? "nothing was changed; the store changed while the plan was "
              "made: " +
                  again
            : "nothing was changed: the plan is one transaction");
}

void PrintPlanText(const Context& ctx, const ApplyPlan& plan, bool written,
                   size_t kept, const PlanRevisions& revisions) {
  std::string out = PlanLines(plan);
  std::string kept_note =
      kept == 0
          ? ""
          : "; " + Count(kept, kept == 1 ? "other binding" : "other bindings") +
                " left alone (--prune removes " + (kept == 1 ? "it" : "them") +
                ")";
  if (plan.in_place()) {
    out += "Nothing to change: " +
           Count(plan.unchanged, plan.unchanged == 1 ? "binding" : "bindings") +
           " already in place" + kept_note + ".\n";
  } else if (written) {
    out += "Applied: " + Count(plan.added, "added") + ", " +
           Count(plan.updated, "updated") + ", " +
           Count(plan.removed, "removed") + ", " +
           Count(plan.unchanged, "unchanged") + kept_note + ".\n";
  } else {
    out += "Dry run: " + Count(plan.added, "to add") + ", " +
           Count(plan.updated, "to update") + ", " +
           Count(plan.removed, "to remove") + ", " +
           Count(plan.unchanged, "unchanged") + kept_note +
           "; nothing was written.\n";
  }
  out += "Planned against revision " + std::to_string(revisions.planned);
  if (revisions.written != 0) {
    out += "; written as revision " + std::to_string(revisions.written);
  }
  *ctx.out << out << ".\n";
}

Json PlanToJson(const ApplyPlan& plan, bool written, size_t kept,
                const PlanRevisions& revisions) {
  Json entries = PlanEntriesJson(plan);
  const char* status = plan.in_place() ? "in-place"
                       : written       ? "applied"
                                       : "dry-run";
  Json j = {{"status", status},
            {"added", plan.added},
            {"updated", plan.updated},
            {"unchanged", plan.unchanged},
            {"removed", plan.removed},
            {"kept", kept},
            {"planned_revision", revisions.planned},
            {"revision",
             revisions.written != 0 ? revisions.written : revisions.planned},
            {"plan", std::move(entries)}};
  return j;
}

}  // namespace sslbind::cli
