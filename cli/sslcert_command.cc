#include "sslcert_command.h"

#include <iostream>
#include <memory>

#include "netsh_args.h"
#include "show_format.h"

namespace sslbind::cli {

CLI::App* AddSslcertVerb(
    CLI::App& app, Context& ctx, Action& action, const std::string& verb,
    const std::string& netsh_verb, const std::string& description,
    std::string (*usage)(),
    std::function<int(Context&, const std::vector<std::string>&)> run) {
  CLI::App* verb_cmd = app.add_subcommand(verb, description);
  verb_cmd->ignore_case()->fallthrough()->require_subcommand(1);
  CLI::App* object = verb_cmd->add_subcommand("sslcert", description);
  object->ignore_case()->fallthrough();
  object->formatter_fn([usage](const CLI::App*, std::string,
                               CLI::AppFormatMode) { return usage(); });
  auto tokens = std::make_shared<std::vector<std::string>>();
  object->add_option("PARAM=VALUE", *tokens, "netsh parameters");
  object->callback([&ctx, &action, tokens, usage, run, netsh_verb] {
    action = [&ctx, tokens, usage, run, netsh_verb]() -> int {
      ctx.verb = netsh_verb;
      if (IsHelpRequest(*tokens)) {
        ctx.RefuseDryRun("help");
        if (ctx.json) return PrintHelpJson(ctx, usage());
        *ctx.out << usage();
        return 0;
      }
      return run(ctx, *tokens);
    };
  });
  return object;
}

int PrintHelpJson(const Context& ctx, const std::string& text) {
  *ctx.out << JsonText(Json{{"help", text}}) << '\n';
  return 0;
}

void PrintChangeSuccess(const Context& ctx, const std::string& done,
                        const BindingKey& key,
                        const std::vector<std::string>& warnings) {
  if (ctx.json) {
    Json j = {{"status", done}, {"key", KeyToJson(key)}};
    AddJsonWarnings(j, warnings);
    *ctx.out << JsonText(j) << '\n';
    return;
  }
  *ctx.out << "SSL Certificate successfully " << done << '\n';
}

void PrintDryRunSuccess(const Context& ctx, const std::string& done,
                        const BindingKey& key,
                        const std::vector<std::string>& warnings) {
  if (ctx.json) {
    Json j = {
        {"status", "dry-run"}, {"would_be", done}, {"key", KeyToJson(key)}};
    AddJsonWarnings(j, warnings);
    *ctx.out << JsonText(j) << '\n';
    return;
  }
  *ctx.out << "Dry run: the SSL Certificate would be " << done
           << "; nothing was written.\n";
}

}  // namespace sslbind::cli
