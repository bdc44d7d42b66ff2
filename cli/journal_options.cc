#include "journal_options.h"

namespace sslbind::cli {

void AddJournalOptions(CLI::App& app, Context& ctx) {
  app.add_option("--reason", ctx.reason,
                 "Why: recorded with the change in the journal (`history`)")
      ->type_name("TEXT");
  app.add_option("--expect-revision", ctx.expect_revision,
                 "Change only if the store is still at revision N (see "
                 "`revision`); else exit 11 (error 1306), writing nothing")
      ->type_name("N");
}

WriteOptions WithJournal(const Context& ctx, WriteOptions options) {
  if (options.reason.empty()) options.reason = ctx.reason;
  // A command that planned against a revision (apply) keeps its own; it
  // checked --expect-revision against it already.
  if (ctx.expect_revision) options.expected_revision = ctx.expect_revision;
  return options;
}

}  // namespace sslbind::cli
