// sslbind cert show [store=NAME] [certhash=HEX]: the certificates, with
// the bindings that use each.
#include <ctime>

#include "cert_commands.h"
#include "cert_format.h"
#include "command_error.h"
#include "exit_codes.h"
#include "keyword_command.h"
#include "sslbind/certificates.h"

namespace sslbind::cli {
namespace {

std::string CertShowUsage() {
  return "Usage: cert show [store=<name>] [certhash=<hex>]\n"
         "\nParameters:\n\n"
         "    Tag             Value\n"
         "    store         - Show only this certificate store's "
         "certificates.\n"
         "    certhash      - Show only the certificate with this SHA-1\n"
         "                    thumbprint (40 hex digits).\n"
         "\nRemarks: Shows each certificate's store, thumbprint, subject,\n"
         "         issuer, DNS names, validity, whether its private key is\n"
         "         present, and the bindings that use it. Without a store,\n"
         "         every store is shown.\n"
         "\nExamples:\n\n"
         "    cert show\n"
         "    cert show store=MY\n"
         "    cert show certhash=0102030405060708090a0b0c0d0e0f1011121314\n";
}

int RunCertShow(Context& ctx, const std::vector<std::string>& tokens) {
  KeywordArgs args =
      ParseKeywordArgs(tokens, {"store", "certhash"}, 0, CertShowUsage());
  std::string store_name = args.Get("store").value_or("");
  if (!store_name.empty()) {
    Status s = ValidateCertStoreName(store_name);
    if (!s.ok()) throw CommandError::Failed(s);
  }
  std::optional<std::vector<uint8_t>> hash;
  if (std::optional<std::string> text = args.Get("certhash")) {
    Result<std::vector<uint8_t>> parsed = ParseCertHash(*text);
    if (!parsed.ok()) throw CommandError::Failed(parsed.status());
    hash = std::move(*parsed);
  }

  std::vector<StoredCertificate> certs;
  std::vector<Binding> bindings;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Result<std::vector<StoredCertificate>> all =
        ListCertificates(*store, store_name);
    if (!all.ok()) throw CommandError::Failed(all.status());
    for (StoredCertificate& cert : *all) {
      if (!hash || cert.info.thumbprint == *hash) {
        certs.push_back(std::move(cert));
      }
    }
    Result<std::vector<Binding>> listed = store->List();
    if (!listed.ok()) throw CommandError::Failed(listed.status());
    bindings = std::move(*listed);
  }

  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  Json list = Json::array();
  std::string text = CertificatesHeader();
  for (const StoredCertificate& cert : certs) {
    std::vector<BindingKey> users = BindingsUsingCertificate(
        bindings, cert.store_name, cert.info.thumbprint);
    if (ctx.json) {
      list.push_back(CertificateToJson(cert, users));
    } else {
      text += CertificateEntry(cert, users, now);
    }
  }
  Status missing;
  if (hash && certs.empty()) {
    missing = Status::NotFound(
        "the certificate " + HexLower(*hash) + " is not in " +
        (store_name.empty() ? std::string("any certificate store")
                            : "the certificate store " + store_name));
  }
  if (ctx.json) {
    // One object on standard output: the error's, as delete prints it.
    if (!missing.ok()) throw CommandError::Failed(missing);
    *ctx.out << JsonText(Json{{"certificates", std::move(list)}}) << '\n';
    return 0;
  }
  *ctx.out << text;
  if (!missing.ok()) {
    *ctx.err << "sslbind: " << missing.message() << '\n';
    return ExitCodeFor(missing);
  }
  return 0;
}

}  // namespace

void SetupCertShow(CLI::App& app, Context& ctx, Action& action) {
  AddKeywordCommand(*CertGroup(app), ctx, action, "show",
                    "Show certificates and the bindings that use them.",
                    "Certificate", "show", CertShowUsage, RunCertShow);
}

}  // namespace sslbind::cli
