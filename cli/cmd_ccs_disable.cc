// sslbind ccs disable
#include "cert_commands.h"
#include "command_error.h"
#include "journal_options.h"
#include "keyword_command.h"
#include "show_format.h"

namespace sslbind::cli {
namespace {

std::string CcsDisableUsage() {
  return "Usage: ccs disable\n"
         "\nRemarks: Turns the Central Certificate Store off (Enabled = 0),\n"
         "         keeps its folder setting and removes its password. ccs\n"
         "         and scopedccs bindings then serve no certificate.\n"
         "\nExamples:\n\n"
         "    ccs disable\n";
}

int RunCcsDisable(Context& ctx, const std::vector<std::string>& tokens) {
  ParseKeywordArgs(tokens, {}, 0, CcsDisableUsage());
  WriteBatch batch;
  batch.DisableCcs();
  Store store = ctx.OpenForWriting();
  Status s = store.Write(batch, WithJournal(ctx));
  if (!s.ok()) throw CommandError::Failed(s);
  if (ctx.json) {
    *ctx.out << Json{{"status", "disabled"}}.dump() << '\n';
  } else {
    *ctx.out << "Central Certificate Store successfully disabled\n";
  }
  return 0;
}

}  // namespace

void SetupCcsDisable(CLI::App& app, Context& ctx, Action& action) {
  AddKeywordCommand(*CcsGroup(app), ctx, action, "disable",
                    "Turn the Central Certificate Store off.",
                    "Central Certificate Store", "disable", CcsDisableUsage,
                    RunCcsDisable);
}

}  // namespace sslbind::cli
