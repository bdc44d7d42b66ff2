// sslbind update sslcert KEY [PARAM=VALUE ...] [--no-verify]: changes only
// what is given.
#include <memory>

#include "cert_warnings.h"
#include "command_error.h"
#include "netsh_args.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunUpdate(Context& ctx, const std::vector<std::string>& tokens,
              bool no_verify) {
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
  Status s = store.Update(*args.key, args.patch,
                          {.verify_certificates = !no_verify});
  if (!s.ok()) throw CommandError::Failed(s);
  PrintChangeSuccess(ctx, "updated", *args.key);
  PrintCertificateWarnings(ctx, store, *args.key);
  return 0;
}

}  // namespace

void SetupUpdate(CLI::App& app, Context& ctx, Action& action) {
  auto no_verify = std::make_shared<bool>(false);
  CLI::App* object = AddSslcertVerb(
      app, ctx, action, "update", "update",
      "Change parameters of a certificate binding, keeping the others.",
      UpdateUsage,
      [no_verify](Context& c, const std::vector<std::string>& tokens) {
        return RunUpdate(c, tokens, *no_verify);
      });
  object->add_flag("--no-verify", *no_verify,
                   "Do not check that the certificate is in its store with a "
                   "private key (for bindings prepared for another machine)");
}

}  // namespace sslbind::cli
