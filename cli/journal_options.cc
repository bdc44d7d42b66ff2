#include "journal_options.h"

namespace sslbind::cli {

WriteOptions WithJournal(const Context& ctx, WriteOptions options) {
  if (options.reason.empty()) options.reason = ctx.reason;
  // A command that planned against a revision (apply) keeps its own; it
  // checked --expect-revision against it already.
  if (ctx.expect_revision) options.expected_revision = ctx.expect_revision;
  return options;
}

}  // namespace sslbind::cli
