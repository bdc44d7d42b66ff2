// The shape shared by the netsh verbs: `sslbind VERB sslcert PARAM=VALUE...`.
#ifndef SSLBIND_CLI_SSLCERT_COMMAND_H_
#define SSLBIND_CLI_SSLCERT_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "context.h"
#include "global_options.h"

namespace sslbind::cli {

// What a command does once parsed; set by a subcommand's callback and run
// by main() so that its failures are reported in one place.
using Action = std::function<int()>;

// Adds `VERB` with its `sslcert` object to `app`. The PARAM=VALUE tokens go
// to `run`; "help", "?" and --help print `usage`. Returns the `sslcert`
// object, for the verb's flags.
CLI::App* AddSslcertVerb(
    CLI::App& app, Context& ctx, Action& action, const std::string& verb,
    const std::string& netsh_verb, const std::string& description,
    std::string (*usage)(),
    std::function<int(Context&, const std::vector<std::string>&)> run);

// Prints the success message of a change ("SSL Certificate successfully
// added"), or its JSON form, {"status":"added","key":{...}} with
// "warnings":["..."] when there are any (they are printed on standard error
// too, by the caller).
void PrintChangeSuccess(const Context& ctx, const std::string& done,
                        const BindingKey& key,
                        const std::vector<std::string>& warnings = {});
// The --dry-run form: "Dry run: the SSL Certificate would be added; nothing
// was written.", or {"status":"dry-run","would_be":"added","key":{...}}.
void PrintDryRunSuccess(const Context& ctx, const std::string& done,
                        const BindingKey& key,
                        const std::vector<std::string>& warnings = {});

// Help under --json: {"help": "<the text>"}; returns 0.
int PrintHelpJson(const Context& ctx, const std::string& text);

// The netsh verbs, one file each.
void SetupAdd(CLI::App& app, Context& ctx, Action& action);
void SetupUpdate(CLI::App& app, Context& ctx, Action& action);
void SetupDelete(CLI::App& app, Context& ctx, Action& action);
void SetupShow(CLI::App& app, Context& ctx, Action& action);

// The commands of our own, one file each.
void SetupResolve(CLI::App& app, Context& ctx, Action& action);
void SetupCheck(CLI::App& app, Context& ctx, Action& action);
// Provisioning: scripts (-f and --dry-run on the main app), apply, export
// and import.
void SetupScript(CLI::App& app, Context& ctx, Action& action);
void SetupApply(CLI::App& app, Context& ctx, Action& action);
void SetupExport(CLI::App& app, Context& ctx, Action& action);
void SetupImport(CLI::App& app, Context& ctx, Action& action);
// Revisions and the journal: revision, history, diff, rollback
// (journal_commands.cc).
void SetupJournalCommands(CLI::App& app, Context& ctx, Action& action);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_SSLCERT_COMMAND_H_
