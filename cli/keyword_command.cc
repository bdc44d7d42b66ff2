#include "keyword_command.h"

#include <algorithm>
#include <memory>

#include "command_error.h"
#include "name_value_args.h"
#include "netsh_args.h"
#include "show_format.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind::cli {

std::optional<std::string> KeywordArgs::Get(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

KeywordArgs ParseKeywordArgs(const std::vector<std::string>& tokens,
                             const std::vector<std::string>& allowed,
                             size_t max_positional, const std::string& usage) {
  KeywordArgs args;
  const size_t leading = std::min(max_positional, tokens.size());
  args.positional.assign(tokens.begin(),
                         tokens.begin() + static_cast<long>(leading));
  ParseNameValues({tokens.begin() + static_cast<long>(leading), tokens.end()},
                  {.names = allowed}, usage, [&args](const NameValue& p) {
                    args.values.emplace(p.name, p.value);
                  });
  return args;
}

CLI::App* AddKeywordCommand(
    CLI::App& parent, Context& ctx, Action& action, const std::string& name,
    const std::string& description, const std::string& subject,
    const std::string& verb, std::string (*usage)(),
    std::function<int(Context&, const std::vector<std::string>&)> run) {
  CLI::App* cmd = parent.add_subcommand(name, description);
  cmd->ignore_case()->fallthrough();
  cmd->formatter_fn([usage](const CLI::App*, std::string, CLI::AppFormatMode) {
    return usage();
  });
  auto tokens = std::make_shared<std::vector<std::string>>();
  cmd->add_option("PARAM=VALUE", *tokens, "parameters");
  cmd->callback([&ctx, &action, tokens, usage, run, subject, verb] {
    action = [&ctx, tokens, usage, run, subject, verb]() -> int {
      ctx.subject = subject;
      ctx.verb = verb;
      if (IsHelpRequest(*tokens)) {
        ctx.RefuseDryRun("help");
        if (ctx.json) return PrintHelpJson(ctx, usage());
        *ctx.out << usage();
        return 0;
      }
      return run(ctx, *tokens);
    };
  });
  return cmd;
}

CLI::App* CommandGroup(CLI::App& app, const std::string& name,
                       const std::string& description) {
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  CLI::App* group = app.add_subcommand(name, description);
  group->ignore_case()->fallthrough()->require_subcommand(1);
  return group;
}

}  // namespace sslbind::cli
