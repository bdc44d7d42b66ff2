// sslbind update sslcert KEY [PARAM=VALUE ...] [--no-verify]: changes only
// what is given.
#include "netsh_line.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunUpdate(Context& ctx, const std::vector<std::string>& tokens) {
  return RunChangeCommand(ctx, ChangeVerb::kUpdate, tokens);
}

}  // namespace

void SetupUpdate(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* object =
      AddSslcertVerb(app, ctx, action, "update", "update",
                     "Change parameters of a certificate binding, keeping the "
                     "others.",
                     UpdateUsage, RunUpdate);
  HonourOptions(*object, ctx, kChangesBindings);
}

}  // namespace sslbind::cli
