// sslbind keygen FILE: writes a new farm key (docs/farm.md), mode 0600,
// never over an existing file; {"key_file":"FILE"} with --json.
#include "cert_commands.h"
#include "command_error.h"
#include "global_options.h"
#include "show_format.h"
#include "sslbind/store.h"

namespace sslbind::cli {

void SetupKeygen(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "keygen",
      "Write a new farm key to FILE (mode 0600; an existing file is never "
      "overwritten): it seals the private keys and the CCS password of a "
      "store in PostgreSQL.");
  static std::string file;
  cmd->add_option("FILE", file, "The key file to create")->required();
  cmd->fallthrough();
  HonourOptions(*cmd, ctx, kOpensNoStore);
  SetDryRunRefusal(*cmd, ctx,
                   "has no dry run: it only writes a new key file, and never "
                   "over an existing one");
  cmd->callback([&ctx, &action] {
    action = [&ctx] {
      ctx.subject = "Farm key";
      ctx.verb = "create";
      Status s = WriteNewFarmKey(file);
      if (!s.ok()) throw CommandError::Failed(s);
      if (ctx.json) {
        *ctx.out << JsonText(Json{{"key_file", file}}) << '\n';
      } else {
        *ctx.out << "Farm key written to " << file
                 << " (keep a copy: without it the private keys in the "
                    "database cannot be read)\n";
      }
      return 0;
    };
  });
}

}  // namespace sslbind::cli
