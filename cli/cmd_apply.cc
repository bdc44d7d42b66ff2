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

// A parameter value as netsh takes it: enable/disable, a number, the text,
// or (null) for an absent value.
std::string ValueText(const ParamValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "enable" : "disable";
  if (const auto* n = std::get_if<uint32_t>(&v)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "(null)";
}

Json ValueJson(const ParamValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* n = std::get_if<uint32_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

std::string Count(size_t n, const char* what) {
  return std::to_string(n) + " " + what;
}

void PrintPlanText(const Context& ctx, const ApplyPlan& plan, bool written,
                   size_t kept) {
  std::string out;
  for (const PlanEntry& e : plan.entries) {
    std::string action(PlanActionName(e.action));
    action.resize(11, ' ');
    out += action + e.key.ToParam() + '\n';
    for (const ParamChange& c : e.changes) {
      out += "             " + std::string(GetParamInfo(c.param).name) + ": " +
             ValueText(c.old_value) + " -> " + ValueText(c.new_value) + '\n';
    }
  }
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
  *ctx.out << out;
}

void PrintPlanJson(const Context& ctx, const ApplyPlan& plan, bool written,
                   size_t kept) {
  Json entries = Json::array();
  for (const PlanEntry& e : plan.entries) {
    Json entry = {{"action", PlanActionName(e.action)},
                  {"key", KeyToJson(e.key)}};
    if (!e.changes.empty()) {
      Json changes = Json::object();
      for (const ParamChange& c : e.changes) {
        changes[std::string(GetParamInfo(c.param).name)] = {
            {"old", ValueJson(c.old_value)}, {"new", ValueJson(c.new_value)}};
      }
      entry["changes"] = std::move(changes);
    }
    entries.push_back(std::move(entry));
  }
  const char* status = plan.in_place() ? "in-place"
                       : written       ? "applied"
                                       : "dry-run";
  Json j = {{"status", status},          {"added", plan.added},
            {"updated", plan.updated},   {"unchanged", plan.unchanged},
            {"removed", plan.removed},   {"kept", kept},
            {"plan", std::move(entries)}};
  *ctx.out << JsonText(j) << '\n';
}

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
  Result<std::vector<Binding>> current = store.List();
  if (!current.ok()) throw CommandError::Failed(current.status());
  Result<ApplyPlan> plan = PlanApply(*current, desired, options.prune);
  if (!plan.ok()) throw CommandError::Input(plan.status());

  if (!plan->in_place()) {
    size_t failed = kNoFailedOp;
    const WriteOptions write_options{
        .verify_certificates = !ctx.no_verify,
        .progress = progress.Counter(ctx.dry_run ? "checking" : "applying")};
    Status s = ctx.WriteOrCheck(store, plan->batch, write_options, &failed);
    if (!s.ok()) {
      if (failed == kNoFailedOp) throw CommandError::Failed(s);
      ctx.verb = NetshVerb(plan->batch.ops()[failed].type);
      // The plan adds only what was missing and changes only what was
      // there: a key found taken or gone means that another writer changed
      // the store between the plan and the write.
      const bool raced = s.IsAlreadyExists() || s.IsNotFound();
      throw CommandError::Failed(s).WithNote(
          raced ? "nothing was changed; the store changed while the plan was "
                  "made: run apply again"
                : "nothing was changed: the plan is one transaction");
    }
  }
  progress.Clear();
  const size_t kept =
      options.prune ? 0 : current->size() - plan->updated - plan->unchanged;
  const bool written = !ctx.dry_run && !plan->in_place();
  if (ctx.json) {
    PrintPlanJson(ctx, *plan, written, kept);
  } else {
    PrintPlanText(ctx, *plan, written, kept);
  }
  if (written && !ctx.no_verify)
    PrintCertificateWarnings(ctx, store, plan->batch);
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
  AcceptDryRun(*cmd, ctx,
               "Print the plan and check it against the store; write "
               "nothing");
  cmd->add_flag("--check", options->check,
                "As --dry-run, and exit with 10 when changes are pending (0 "
                "when everything is in place)");
  AddNoVerifyFlag(*cmd, ctx);
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] { return RunApply(ctx, *options); };
  });
}

}  // namespace sslbind::cli
