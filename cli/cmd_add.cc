// sslbind add sslcert KEY appid=GUID [PARAM=VALUE ...] [--no-verify]
#include <memory>

#include "cert_warnings.h"
#include "command_error.h"
#include "netsh_args.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

// The essential parameters netsh asks for, by kind.
void CheckEssentials(const SslcertArgs& args) {
  std::string missing;
  auto need = [&](bool ok, const char* name) {
    if (!ok) missing += missing.empty() ? name : std::string(", ") + name;
  };
  need(args.key.has_value(), "ipport, hostnameport, ccs or scopedccs");
  if (args.key) {
    BindingKind kind = args.key->kind();
    bool needs_cert = kind == BindingKind::kIpPort ||
                      kind == BindingKind::kHostnamePort;
    if (needs_cert) need(args.patch.Has(Param::kCertHash), "certhash");
    need(args.patch.Has(Param::kAppId), "appid");
    if (kind == BindingKind::kHostnamePort) {
      need(args.patch.Has(Param::kCertStoreName), "certstorename");
    }
  } else {
    need(args.patch.Has(Param::kAppId), "appid");
  }
  if (!missing.empty()) {
    throw CommandError::Missing("missing: " + missing, AddUsage());
  }
}

int RunAdd(Context& ctx, const std::vector<std::string>& tokens,
           bool no_verify) {
  SslcertArgs args = ParseSslcertArgs(tokens, AddUsage());
  CheckEssentials(args);
  Result<Binding> binding = MakeBinding(*args.key, args.patch);
  if (!binding.ok()) throw CommandError::Failed(binding.status());
  Store store = ctx.OpenForWriting();
  Status s = store.Add(*binding, {.verify_certificates = !no_verify});
  if (!s.ok()) throw CommandError::Failed(s);
  PrintChangeSuccess(ctx, "added", *args.key);
  PrintCertificateWarnings(ctx, store, *args.key);
  return 0;
}

}  // namespace

void SetupAdd(CLI::App& app, Context& ctx, Action& action) {
  auto no_verify = std::make_shared<bool>(false);
  CLI::App* object = AddSslcertVerb(
      app, ctx, action, "add", "add", "Add a certificate binding.", AddUsage,
      [no_verify](Context& c, const std::vector<std::string>& tokens) {
        return RunAdd(c, tokens, *no_verify);
      });
  object->add_flag("--no-verify", *no_verify,
                   "Do not check that the certificate is in its store with a "
                   "private key (for bindings prepared for another machine)");
}

}  // namespace sslbind::cli
