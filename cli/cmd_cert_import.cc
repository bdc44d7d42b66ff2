// sslbind cert import FILE [store=MY] [password=...]
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cert_commands.h"
#include "cert_format.h"
#include "command_error.h"
#include "keyword_command.h"
#include "sslbind/certificates.h"

namespace sslbind::cli {
namespace {

constexpr size_t kMaxFileBytes = 16 << 20;

std::string ImportUsage() {
  return "Usage: cert import <file> [store=<name>] [password=<password>]\n"
         "       [--dry-run]\n"
         "\nParameters:\n\n"
         "    Tag             Value\n"
         "    file          - A certificate file: PEM (a certificate, with or\n"
         "                    without its private key), DER (.cer) or PKCS#12\n"
         "                    (.pfx, .p12).\n"
         "    store         - Certificate store to import into; MY when not\n"
         "                    given. Letters, digits, '_', '-' and spaces.\n"
         "    password      - Password of a .pfx file or of an encrypted PEM\n"
         "                    private key.\n"
         "    --dry-run     - Read and check the file and show what would be\n"
         "                    imported; write nothing (no key file either).\n"
         "\nRemarks: Imports one certificate, and its private key if the file\n"
         "         holds one, replacing the same certificate. Other\n"
         "         certificates in the file (a chain) are not imported.\n"
         "         Private keys go to the key folder beside the store file\n"
         "         (<store>.keys, mode 0700) and are never printed.\n"
         "\nExamples:\n\n"
         "    cert import www.contoso.com.pfx password=secret\n"
         "    cert import site.pem store=WebHosting\n";
}

std::vector<uint8_t> ReadCertificateFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw CommandError::Failed(Status::InvalidArgument(
        "'" + path + "' is a folder, not a certificate file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CommandError::Failed(
        Status::NotFound("the file '" + path + "' cannot be opened"));
  }
  std::vector<uint8_t> data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.insert(data.end(), buf, buf + in.gcount());
    if (data.size() > kMaxFileBytes) {
      throw CommandError::Failed(Status::InvalidArgument(
          "the file '" + path + "' is too large for a certificate"));
    }
  }
  if (in.bad()) {
    throw CommandError::Failed(
        Status::IoError("the file '" + path + "' cannot be read"));
  }
  return data;
}

int RunImport(Context& ctx, const std::vector<std::string>& tokens) {
  KeywordArgs args =
      ParseKeywordArgs(tokens, {"store", "password"}, 1, ImportUsage());
  if (args.positional.empty()) {
    throw CommandError::Missing("missing: the certificate file", ImportUsage());
  }
  const std::string& path = args.positional[0];
  std::string store_name =
      args.Get("store").value_or(std::string(kDefaultCertStoreName));
  Status s = ValidateCertStoreName(store_name);
  if (!s.ok()) throw CommandError::Failed(s);

  std::vector<uint8_t> data = ReadCertificateFile(path);
  Result<CertificateBundle> bundle =
      CertificateBundle::Parse(data, args.Get("password").value_or(""));
  if (!bundle.ok()) {
    throw CommandError::Failed(bundle.status().WithContext(path));
  }
  const CertificateInfo info = bundle->info();
  const bool has_key = bundle->has_private_key();
  const size_t ignored = bundle->ignored_certificates();

  WriteBatch batch;
  batch.PutCertificate(store_name, std::move(*bundle));
  Store store = ctx.OpenForChange();
  s = ctx.WriteOrCheck(store, batch);
  if (!s.ok()) throw CommandError::Failed(s);

  if (ignored > 0) {
    *ctx.err << "sslbind: note: " << path << " holds " << ignored
             << (ignored == 1 ? " other certificate" : " other certificates")
             << " (a chain); only the "
             << (has_key ? "one the private key belongs to" : "first")
             << " was imported\n";
  }
  // A certificate imported alone keeps a key stored with it before. A dry
  // run shows what the import would leave: the store still holds the
  // certificate as it was, or not at all.
  Result<StoredCertificate> stored =
      GetCertificate(store, store_name, info.thumbprint);
  if (ctx.dry_run && stored.status().IsNotFound()) {
    StoredCertificate fresh;
    fresh.store_name = store_name;
    fresh.info = info;
    stored = std::move(fresh);
  }
  if (!stored.ok()) throw CommandError::Failed(stored.status());
  if (ctx.dry_run && has_key) {
    stored->private_key = PrivateKeyState::kPresent;
    stored->private_key_problem.clear();
  }
  if (!has_key && !stored->has_private_key()) {
    *ctx.err << "sslbind: note: " << path
             << " holds no private key: bindings cannot use this "
                "certificate until its key is imported too\n";
  }
  if (ctx.json) {
    Json j = {{"status", ctx.dry_run ? "dry-run" : "imported"}};
    if (ctx.dry_run) j["would_be"] = "imported";
    j.update(Json{{"store", stored->store_name},
                  {"thumbprint", HexLower(info.thumbprint)},
                  {"subject", info.subject},
                  {"private_key", PrivateKeyJson(stored->private_key)},
                  {"ignored_certificates", ignored}});
    *ctx.out << JsonText(j) << '\n';
    return 0;
  }
  *ctx.out << (ctx.dry_run ? "Dry run: the certificate would be imported; "
                             "nothing was written.\n"
                           : "Certificate successfully imported\n")
           << ShowField("Certificate Store", stored->store_name)
           << ShowField("Thumbprint", HexLower(info.thumbprint))
           << ShowField("Subject", info.subject)
           << ShowField("Private Key", PrivateKeyText(*stored));
  return 0;
}

}  // namespace

CLI::App* CertGroup(CLI::App& app) {
  return CommandGroup(app, "cert",
                      "Manage the certificate stores (import, show, delete).");
}

void SetupCertImport(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd =
      AddKeywordCommand(*CertGroup(app), ctx, action, "import",
                        "Import a certificate (PEM, DER or PFX) into a store.",
                        "Certificate", "import", ImportUsage, RunImport);
  HonourOptions(*cmd, ctx, kChangesStore);
}

}  // namespace sslbind::cli
