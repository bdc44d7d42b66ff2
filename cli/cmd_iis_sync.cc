// sslbind iis sync FILE [--dry-run] [--prune]: makes the store hold the
// HTTP.sys bindings an IIS configuration needs, as `apply` does -- the plan
// of PlanIisSync + PlanApply, written in one transaction; running it again
// changes nothing. Bindings it cannot make (no certificate to choose, SNI
// without a host name) are listed as skipped, and the exit status is then
// 10.
#include <ctime>
#include <memory>

#include "command_error.h"
#include "exit_codes.h"
#include "file_io.h"
#include "iis_commands.h"
#include "plan_output.h"
#include "progress.h"
#include "show_format.h"
#include "sslbind/apply_plan.h"
#include "sslbind/certificates.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

struct IisSyncOptions {
  std::string file;
  bool prune = false;
};

int RunIisSync(Context& ctx, const IisSyncOptions& options) {
  Progress progress(ctx);
  progress.Step("reading " + InputName(options.file));
  const IisConfig config = ReadIisFile(options.file);
  Store store = ctx.OpenForChange();
  progress.Step("reading the store");
  std::vector<Binding> current;
  PlanRevisions revisions = StartPlan(ctx, store, &current);
  std::vector<StoredCertificate> certificates;
  if (config.format == IisFormat::kApplicationHost) {
    Result<std::vector<StoredCertificate>> listed = ListCertificates(store);
    if (!listed.ok()) throw CommandError::Failed(listed.status());
    certificates = std::move(*listed);
  }
  const IisSyncPlan sync = PlanIisSync(
      config, current, certificates, static_cast<int64_t>(std::time(nullptr)));
  Result<ApplyPlan> plan = PlanApply(current, sync.desired, options.prune);
  if (!plan.ok()) throw CommandError::Failed(plan.status());
  WritePlan(ctx, store, *plan, progress, "iis sync", &revisions);
  progress.Clear();

  const size_t kept =
      options.prune ? 0 : current.size() - plan->updated - plan->unchanged;
  const bool written = !ctx.dry_run && !plan->in_place();
  if (ctx.json) {
    Json skipped = Json::array();
    for (const IisSkipped& s : sync.skipped) {
      Json j = IisBindingToJson(config.bindings[s.iis_binding]);
      j["needs"] = s.key ? KeyToJson(*s.key) : Json(nullptr);
      j["reason"] = s.reason;
      skipped.push_back(std::move(j));
    }
    Json j = PlanToJson(*plan, written, kept, revisions);
    j["skipped"] = std::move(skipped);
    *ctx.out << JsonText(j) << '\n';
  } else {
    std::string text;
    for (const IisSkipped& s : sync.skipped) {
      text += "skipped    " +
              (s.key ? s.key->ToParam() + " for " : std::string()) +
              IisBindingName(config.bindings[s.iis_binding]) + ": " + s.reason +
              "\n";
    }
    *ctx.out << text;
    PrintPlanText(ctx, *plan, written, kept, revisions);
  }
  return sync.skipped.empty() ? kExitOk : kExitFindings;
}

}  // namespace

void SetupIisSync(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<IisSyncOptions>();
  CLI::App* cmd = IisGroup(app)->add_subcommand(
      "sync",
      "Make the store hold the HTTP.sys bindings an IIS configuration file "
      "needs: print the plan and apply it in one transaction.");
  cmd->fallthrough();
  cmd->footer(
      "sslFlags 0 -> ipport=IP:PORT ('*' is 0.0.0.0), 1 (SNI) -> "
      "hostnameport=HOST:PORT,\n"
      "2 or 3 (CCS) -> ccs=PORT; the higher sslFlags bits set the options.\n"
      "A new binding gets IIS's appid "
      "{4dc3e181-e14b-4a21-b022-59fc669b0914}; an existing one keeps\n"
      "its certificate. The certificate of a new binding comes from the "
      "MetaBase, or is\n"
      "the newest valid one in the store covering the host name; none, or "
      "several\n"
      "equally new: the binding is skipped (listed), not guessed.\n"
      "Exit status 0 when everything was synced, 10 when bindings were "
      "skipped.");
  AddIisFileArgument(*cmd, options->file);
  cmd->add_flag("--prune", options->prune,
                "Also remove the HTTP.sys bindings no IIS binding needs");
  HonourOptions(*cmd, ctx, kChangesBindings,
                "Print the plan and check it against the store; write "
                "nothing");
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] {
      ctx.verb = "sync";
      return RunIisSync(ctx, *options);
    };
  });
}

}  // namespace sslbind::cli
