// sslbind update sslcert KEY [PARAM=VALUE ...]: changes only what is given.
#include "command_error.h"
#include "netsh_args.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunUpdate(Context& ctx, const std::vector<std::string>& tokens) {
  SslcertArgs args = ParseSslcertArgs(tokens, UpdateUsage());
  if (!args.key) {
    throw CommandError::Missing(
        "missing: ipport, hostnameport, ccs or scopedccs", UpdateUsage());
  }
  if (args.patch.empty()) {
    throw CommandError::Missing("missing: a parameter to change",
                                UpdateUsage());
  }
  Store store = ctx.OpenForWriting();
  Status s = store.Update(*args.key, args.patch);
  if (!s.ok()) throw CommandError::Failed(s);
  PrintChangeSuccess(ctx, "updated", *args.key);
  return 0;
}

}  // namespace

void SetupUpdate(CLI::App& app, Context& ctx, Action& action) {
  AddSslcertVerb(app, ctx, action, "update", "update",
                 "Change parameters of a certificate binding, keeping the "
                 "others.",
                 UpdateUsage, RunUpdate);
}

}  // namespace sslbind::cli
