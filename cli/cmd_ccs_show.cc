// sslbind ccs show: the Central Certificate Store settings.
#include "cert_commands.h"
#include "cert_format.h"
#include "command_error.h"
#include "keyword_command.h"
#include "sslbind/ccs.h"

namespace sslbind::cli {
namespace {

std::string CcsShowUsage() {
  return "Usage: ccs show\n"
         "\nRemarks: Shows whether the Central Certificate Store is enabled,\n"
         "         its folder, and whether a password is set (the password\n"
         "         itself is never shown).\n"
         "\nExamples:\n\n"
         "    ccs show\n";
}

int RunCcsShow(Context& ctx, const std::vector<std::string>& tokens) {
  ParseKeywordArgs(tokens, {}, 0, CcsShowUsage());
  CcsConfig config;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Result<CcsConfig> read = ReadCcsConfig(*store);
    if (!read.ok()) throw CommandError::Failed(read.status());
    config = std::move(*read);
  }
  if (ctx.json) {
    *ctx.out << JsonText(Json{{"ccs", CcsToJson(config)}}) << '\n';
  } else {
    *ctx.out << CcsEntry(config);
  }
  return 0;
}

}  // namespace

void SetupCcsShow(CLI::App& app, Context& ctx, Action& action) {
  AddKeywordCommand(*CcsGroup(app), ctx, action, "show",
                    "Show the Central Certificate Store settings.",
                    "Central Certificate Store", "show", CcsShowUsage,
                    RunCcsShow);
}

}  // namespace sslbind::cli
