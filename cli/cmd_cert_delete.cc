// sslbind cert delete certhash=HEX [store=NAME] [--force]
#include <memory>

#include "cert_commands.h"
#include "command_error.h"
#include "keyword_command.h"
#include "show_format.h"
#include "sslbind/certificates.h"

namespace sslbind::cli {
namespace {

std::string CertDeleteUsage() {
  return "Usage: cert delete certhash=<hex> [store=<name>] [--force] "
         "[--dry-run]\n"
         "\nParameters:\n\n"
         "    Tag             Value\n"
         "    certhash      - SHA-1 thumbprint of the certificate.\n"
         "    store         - Certificate store that holds it; MY when not\n"
         "                    given.\n"
         "    --force       - Delete it even while bindings use it.\n"
         "    --dry-run     - Check the deletion; delete nothing.\n"
         "\nRemarks: Deletes a certificate and its private key. A certificate\n"
         "         that bindings use is kept (error 32) unless --force is\n"
         "         given; those bindings then fail to serve (error 1312).\n"
         "\nExamples:\n\n"
         "    cert delete certhash=0102030405060708090a0b0c0d0e0f1011121314\n"
         "    cert delete certhash=0102030405060708090a0b0c0d0e0f1011121314 "
         "store=WebHosting --force\n";
}

int RunCertDelete(Context& ctx, const std::vector<std::string>& tokens,
                  bool force) {
  KeywordArgs args =
      ParseKeywordArgs(tokens, {"certhash", "store"}, 0, CertDeleteUsage());
  std::optional<std::string> text = args.Get("certhash");
  if (!text)
    throw CommandError::Missing("missing: certhash", CertDeleteUsage());
  Result<std::vector<uint8_t>> hash = ParseCertHash(*text);
  if (!hash.ok()) throw CommandError::Failed(hash.status());
  std::string store_name =
      args.Get("store").value_or(std::string(kDefaultCertStoreName));
  Status s = ValidateCertStoreName(store_name);
  if (!s.ok()) throw CommandError::Failed(s);

  WriteBatch batch;
  batch.DeleteCertificate(store_name, *hash, force);
  Store store = ctx.OpenForChange();
  s = ctx.WriteOrCheck(store, batch);
  if (!s.ok()) throw CommandError::Failed(s);

  if (force) {
    Result<std::vector<Binding>> bindings = store.List();
    if (!bindings.ok()) throw CommandError::Failed(bindings.status());
    for (const BindingKey& key :
         BindingsUsingCertificate(*bindings, store_name, *hash)) {
      *ctx.err << "sslbind: warning: " << key.ToParam()
               << (ctx.dry_run ? " would name" : " names")
               << " the deleted certificate: it cannot serve until "
                  "the certificate is imported again\n";
    }
  }
  if (ctx.json) {
    Json j = {{"status", ctx.dry_run ? "dry-run" : "deleted"}};
    if (ctx.dry_run) j["would_be"] = "deleted";
    j.update(Json{{"store", store_name}, {"thumbprint", HexLower(*hash)}});
    *ctx.out << JsonText(j) << '\n';
  } else if (ctx.dry_run) {
    *ctx.out << "Dry run: the certificate would be deleted; nothing was "
                "written.\n";
  } else {
    *ctx.out << "Certificate successfully deleted\n";
  }
  return 0;
}

}  // namespace

void SetupCertDelete(CLI::App& app, Context& ctx, Action& action) {
  auto force = std::make_shared<bool>(false);
  CLI::App* cmd = AddKeywordCommand(
      *CertGroup(app), ctx, action, "delete",
      "Delete a certificate and its private key.", "Certificate", "deletion",
      CertDeleteUsage,
      [force](Context& c, const std::vector<std::string>& tokens) {
        return RunCertDelete(c, tokens, *force);
      });
  cmd->add_flag("--force", *force, "Delete it even while bindings use it");
  HonourOptions(*cmd, ctx, kChangesStore);
}

}  // namespace sslbind::cli
