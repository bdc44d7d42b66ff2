// sslbind ccs disable
#include "cert_commands.h"
#include "command_error.h"
#include "keyword_command.h"
#include "show_format.h"

namespace sslbind::cli {
namespace {

std::string CcsDisableUsage() {
  return "Usage: ccs disable [--dry-run]\n"
         "\nRemarks: Turns the Central Certificate Store off (Enabled = 0),\n"
         "         keeps its folder setting and removes its password. ccs\n"
         "         and scopedccs bindings then serve no certificate.\n"
         "         --dry-run checks the change and writes nothing.\n"
         "\nExamples:\n\n"
         "    ccs disable\n";
}

int RunCcsDisable(Context& ctx, const std::vector<std::string>& tokens) {
  ParseKeywordArgs(tokens, {}, 0, CcsDisableUsage());
  WriteBatch batch;
  batch.DisableCcs();
  Store store = ctx.OpenForChange();
  Status s = ctx.WriteOrCheck(store, batch);
  if (!s.ok()) throw CommandError::Failed(s);
  if (ctx.json) {
    Json j = {{"status", ctx.dry_run ? "dry-run" : "disabled"}};
    if (ctx.dry_run) j["would_be"] = "disabled";
    *ctx.out << JsonText(j) << '\n';
  } else if (ctx.dry_run) {
    *ctx.out << "Dry run: the Central Certificate Store would be disabled; "
                "nothing was written.\n";
  } else {
    *ctx.out << "Central Certificate Store successfully disabled\n";
  }
  return 0;
}

}  // namespace

void SetupCcsDisable(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = AddKeywordCommand(*CcsGroup(app), ctx, action, "disable",
                                    "Turn the Central Certificate Store off.",
                                    "Central Certificate Store", "disable",
                                    CcsDisableUsage, RunCcsDisable);
  HonourOptions(*cmd, ctx, kChangesStore);
}

}  // namespace sslbind::cli
