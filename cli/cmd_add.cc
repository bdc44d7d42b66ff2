// sslbind add sslcert KEY appid=GUID [PARAM=VALUE ...]
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

int RunAdd(Context& ctx, const std::vector<std::string>& tokens) {
  SslcertArgs args = ParseSslcertArgs(tokens, AddUsage());
  CheckEssentials(args);
  Result<Binding> binding = MakeBinding(*args.key, args.patch);
  if (!binding.ok()) throw CommandError::Failed(binding.status());
  Store store = ctx.OpenForWriting();
  Status s = store.Add(*binding);
  if (!s.ok()) throw CommandError::Failed(s);
  PrintChangeSuccess(ctx, "added", *args.key);
  return 0;
}

}  // namespace

void SetupAdd(CLI::App& app, Context& ctx, Action& action) {
  AddSslcertVerb(app, ctx, action, "add", "add", "Add a certificate binding.",
                 AddUsage, RunAdd);
}

}  // namespace sslbind::cli
