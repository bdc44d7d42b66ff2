// sslbind ccs enable path=DIR [password=...]
#include <sys/stat.h>

#include <filesystem>

#include "cert_commands.h"
#include "command_error.h"
#include "keyword_command.h"
#include "show_format.h"
#include "sslbind/ccs.h"

namespace sslbind::cli {
namespace {

std::string CcsEnableUsage() {
  return "Usage: ccs enable path=<folder> [password=<password>] [--dry-run]\n"
         "\nParameters:\n\n"
         "    Tag             Value\n"
         "    path          - Folder of the certificate files, one per host\n"
         "                    name: www.contoso.com.pfx, and "
         "_.contoso.com.pfx\n"
         "                    for a wildcard certificate. A relative path is\n"
         "                    made absolute.\n"
         "    password      - Password that opens the files, if they have "
         "one.\n"
         "    --dry-run     - Check the change; write nothing (no password\n"
         "                    file either).\n"
         "\nRemarks: Turns the Central Certificate Store on, as IIS's\n"
         "         CentralCertProvider settings: ccs and scopedccs bindings\n"
         "         then serve the file named after the client's SNI name.\n"
         "         The password is kept in the key folder beside the store\n"
         "         file (mode 0600), never in the store, and never printed.\n"
         "         Enabling again replaces the folder and the password.\n"
         "\nExamples:\n\n"
         "    ccs enable path=/srv/ccs\n"
         "    ccs enable path=/srv/ccs password=secret\n";
}

int RunCcsEnable(Context& ctx, const std::vector<std::string>& tokens) {
  KeywordArgs args =
      ParseKeywordArgs(tokens, {"path", "password"}, 0, CcsEnableUsage());
  std::optional<std::string> path = args.Get("path");
  if (!path) throw CommandError::Missing("missing: path", CcsEnableUsage());
  if (path->empty()) {
    throw CommandError::Failed(Status::InvalidArgument("path is empty"));
  }
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::absolute(*path, ec);
  if (ec) {
    throw CommandError::Failed(Status::InvalidArgument(
        "path '" + *path + "' cannot be made absolute: " + ec.message()));
  }
  std::string location = folder.lexically_normal().string();
  while (location.size() > 1 && location.back() == '/') location.pop_back();

  WriteBatch batch;
  batch.EnableCcs(location, args.Get("password"));
  Store store = ctx.OpenForChange();
  Status s = ctx.WriteOrCheck(store, batch);
  if (!s.ok()) throw CommandError::Failed(s);

  struct stat st;
  if (stat(location.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *ctx.err << "sslbind: warning: the CCS folder '" << location
             << "' is not a folder on this machine\n";
  }
  if (ctx.json) {
    Json j = {{"status", ctx.dry_run ? "dry-run" : "enabled"}};
    if (ctx.dry_run) j["would_be"] = "enabled";
    j["location"] = location;
    *ctx.out << JsonText(j) << '\n';
  } else if (ctx.dry_run) {
    *ctx.out << "Dry run: the Central Certificate Store would be enabled; "
                "nothing was written.\n";
  } else {
    *ctx.out << "Central Certificate Store successfully enabled\n";
  }
  return 0;
}

}  // namespace

CLI::App* CcsGroup(CLI::App& app) {
  return CommandGroup(app, "ccs",
                      "Configure the Central Certificate Store (enable, show, "
                      "disable).");
}

void SetupCcsEnable(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = AddKeywordCommand(
      *CcsGroup(app), ctx, action, "enable",
      "Turn the Central Certificate Store on for a folder.",
      "Central Certificate Store", "enable", CcsEnableUsage, RunCcsEnable);
  HonourOptions(*cmd, ctx, kChangesStore);
}

}  // namespace sslbind::cli
