// The journal's part of every change a command writes: --reason and
// --expect-revision, and the global options that declare them.
#ifndef SSLBIND_CLI_JOURNAL_OPTIONS_H_
#define SSLBIND_CLI_JOURNAL_OPTIONS_H_

#include <CLI/CLI.hpp>

#include "context.h"
#include "sslbind/store.h"

namespace sslbind::cli {

// Adds --reason and --expect-revision to the main app (they reach every
// subcommand, which falls through to it).
void AddJournalOptions(CLI::App& app, Context& ctx);

// `options` with the context's reason (unless it has one) and expected
// revision (when --expect-revision was given). Context::WriteOrCheck applies
// it to every write.
WriteOptions WithJournal(const Context& ctx, WriteOptions options = {});

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_JOURNAL_OPTIONS_H_
