// sslbind delete sslcert KEY
#include "command_error.h"
#include "netsh_args.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunDelete(Context& ctx, const std::vector<std::string>& tokens) {
  SslcertArgs args = ParseSslcertArgs(tokens, DeleteUsage());
  if (!args.patch.empty()) {
    throw CommandError::Syntax("delete takes only the binding's key",
                               DeleteUsage());
  }
  if (!args.key) {
    throw CommandError::Missing(
        "missing: ipport, hostnameport, ccs or scopedccs", DeleteUsage());
  }
  Store store = ctx.OpenForWriting();
  Status s = store.Delete(*args.key);
  if (!s.ok()) throw CommandError::Failed(s);
  PrintChangeSuccess(ctx, "deleted", *args.key);
  return 0;
}

}  // namespace

void SetupDelete(CLI::App& app, Context& ctx, Action& action) {
  AddSslcertVerb(app, ctx, action, "delete", "deletion",
                 "Delete a certificate binding.", DeleteUsage, RunDelete);
}

}  // namespace sslbind::cli
