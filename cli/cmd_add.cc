// sslbind add sslcert KEY appid=GUID [PARAM=VALUE ...] [--no-verify]
#include "netsh_line.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunAdd(Context& ctx, const std::vector<std::string>& tokens) {
  return RunChangeCommand(ctx, ChangeVerb::kAdd, tokens);
}

}  // namespace

void SetupAdd(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* object =
      AddSslcertVerb(app, ctx, action, "add", "add",
                     "Add a certificate binding.", AddUsage, RunAdd);
  HonourOptions(*object, ctx, kChangesBindings);
}

}  // namespace sslbind::cli
