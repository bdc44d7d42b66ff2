// sslbind delete sslcert KEY
#include "netsh_line.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunDelete(Context& ctx, const std::vector<std::string>& tokens) {
  return RunChangeCommand(ctx, ChangeVerb::kDelete, tokens);
}

}  // namespace

void SetupDelete(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* object =
      AddSslcertVerb(app, ctx, action, "delete", "deletion",
                     "Delete a certificate binding.", DeleteUsage, RunDelete);
  HonourOptions(*object, ctx, kChangesStore);
}

}  // namespace sslbind::cli
