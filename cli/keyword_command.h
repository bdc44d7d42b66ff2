// Commands that take netsh-style NAME=VALUE tokens but are not `... sslcert`
// verbs: `sslbind cert import FILE store=MY`, `sslbind ccs enable path=DIR`.
#ifndef SSLBIND_CLI_KEYWORD_COMMAND_H_
#define SSLBIND_CLI_KEYWORD_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "sslcert_command.h"

namespace sslbind::cli {

// The tokens of a keyword command: leading positional words, then
// NAME=VALUE pairs (names case-insensitive, kept folded).
struct KeywordArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;

  std::optional<std::string> Get(const std::string& name) const;
};

// Parses `tokens`: at most `max_positional` leading words (taken whole,
// even if they hold '='), then NAME=VALUE pairs whose names are in
// `allowed`. Throws CommandError::Syntax (with `usage`) for an unknown,
// repeated or malformed parameter, or a word too many (the messages of
// ParseNameValues in name_value_args.h, which parses the pairs).
KeywordArgs ParseKeywordArgs(const std::vector<std::string>& tokens,
                             const std::vector<std::string>& allowed,
                             size_t max_positional, const std::string& usage);

// Adds `name` under `parent` (a group such as `cert`). Its tokens go to
// `run`; "help", "?" and --help print `usage`. Failures are reported as
// "<subject> <verb> failed". Returns the command, for its flags.
CLI::App* AddKeywordCommand(
    CLI::App& parent, Context& ctx, Action& action, const std::string& name,
    const std::string& description, const std::string& subject,
    const std::string& verb, std::string (*usage)(),
    std::function<int(Context&, const std::vector<std::string>&)> run);

// The group command `name` of `app` (created on first use), which needs one
// of its subcommands.
CLI::App* CommandGroup(CLI::App& app, const std::string& name,
                       const std::string& description);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_KEYWORD_COMMAND_H_
