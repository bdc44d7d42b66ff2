// sslbind apply FILE [--prune] [--dry-run] [--check]: makes the store hold
// the bindings of a file (desired state), printing the plan -- each binding
// added, updated (the parameters that change, old -> new), unchanged, or
// removed (only with --prune) -- and applying it in one transaction.
// Applying the same file again changes nothing and says so.
//
// Exit status: 0 when applied or already in place; with --check (a dry run
// for provisioning tools), 0 when already in place and 10 (kExitFindings)
// when changes are pending.
#include <memory>

#include "bindings_file.h"
#include "cert_warnings.h"
#include "command_error.h"
#include "exit_codes.h"
#include "file_io.h"
#include "netsh_line.h"
#include "plan_output.h"
#include "progress.h"
#include "show_format.h"
#include "sslbind/apply_plan.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

struct ApplyOptions {
  std::string file;
  std::string format;  // empty: detect
  bool prune = false;
  bool check = false;
};

int RunApply(Context& ctx, const ApplyOptions& options) {
  ctx.verb = "apply";
  if (options.check) ctx.dry_run = true;
  Progress progress(ctx);
  progress.Step("reading " + InputName(options.file));
  ParsedBindings parsed =
      ReadBindingsFile(ctx, options.file, FormatOption(options.format));
  std::vector<Binding> desired;
  desired.reserve(parsed.bindings.size());
  for (ParsedBinding& p : parsed.bindings) {
    desired.push_back(std::move(p.binding));
  }

  Store store = ctx.OpenForChange();
  progress.Step("reading the store");
  std::vector<Binding> current;
  PlanRevisions revisions = StartPlan(ctx, store, &current);
  Result<ApplyPlan> plan = PlanApply(current, desired, options.prune);
  if (!plan.ok()) throw CommandError::Input(plan.status());

  WritePlan(ctx, store, *plan, progress, "apply", &revisions);
  progress.Clear();
  const size_t kept =
      options.prune ? 0 : current.size() - plan->updated - plan->unchanged;
  const bool written = !ctx.dry_run && !plan->in_place();
  std::vector<std::string> warnings;
  if (written && !ctx.no_verify) {
    warnings = CertificateWarnings(store, plan->batch);
  }
  if (ctx.json) {
    Json j = PlanToJson(*plan, written, kept, revisions);
    AddJsonWarnings(j, warnings);
    *ctx.out << JsonText(j) << '\n';
  } else {
    PrintPlanText(ctx, *plan, written, kept, revisions);
  }
  PrintWarnings(ctx, warnings);
  return options.check && !plan->in_place() ? kExitFindings : kExitOk;
}

}  // namespace

void SetupApply(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "apply",
      "Make the store hold the bindings of a file (a JSON document of "
      "binding objects, as `show --json` prints them; .reg and netsh text "
      "work too): print the plan and apply it in one transaction.");
  cmd->fallthrough();
  cmd->add_option("FILE", options->file,
                  "The desired bindings; - reads standard input")
      ->required();
  cmd->add_option("--format", options->format,
                  "json, reg or netsh (default: told from the content)")
      ->check(CLI::IsMember({"json", "reg", "netsh"}, CLI::ignore_case))
      ->type_name("FORMAT");
  cmd->add_flag("--prune", options->prune,
                "Also remove the bindings the file does not hold");
  HonourOptions(*cmd, ctx, kChangesBindings,
                "Print the plan and check it against the store; write "
                "nothing");
  cmd->add_flag("--check", options->check,
                "As --dry-run, and exit with 10 when changes are pending (0 "
                "when everything is in place)");
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] { return RunApply(ctx, *options); };
  });
}

}  // namespace sslbind::cli
