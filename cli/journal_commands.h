// The journal's commands: revision, history, diff, rollback (one file
// each), and what they share.
#ifndef SSLBIND_CLI_JOURNAL_COMMANDS_H_
#define SSLBIND_CLI_JOURNAL_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "context.h"
#include "sslbind/journal.h"
#include "sslcert_command.h"

namespace sslbind::cli {

void SetupRevision(CLI::App& app, Context& ctx, Action& action);
void SetupHistory(CLI::App& app, Context& ctx, Action& action);
void SetupDiff(CLI::App& app, Context& ctx, Action& action);
void SetupRollback(CLI::App& app, Context& ctx, Action& action);

// The option's revision number; throws CommandError (bad input) if it is
// not one.
uint64_t RevisionArg(std::string_view option, std::string_view text);
// The store's state after `revision`; a store never written is revision 0
// with no bindings. Throws CommandError on failure (NotFound for a revision
// the journal does not reach).
StoreState StateOrThrow(const Context& ctx, uint64_t revision);
// show --at REV (ctx.show_at): the bindings after REV, all or the one with
// `key` (*missing says NotFound when it did not exist then).
std::vector<Binding> BindingsAtOrThrow(const Context& ctx,
                                       const std::optional<BindingKey>& key,
                                       Status* missing);
void AddShowAtOption(CLI::App& show, Context& ctx);
// The store's current revision (0 for a store never written).
uint64_t RevisionOrThrow(const Context& ctx);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_JOURNAL_COMMANDS_H_
