// The journal's part of every change a command writes: --reason and
// --expect-revision (declared with the other global options in
// global_options.h).
#ifndef SSLBIND_CLI_JOURNAL_OPTIONS_H_
#define SSLBIND_CLI_JOURNAL_OPTIONS_H_

#include "context.h"
#include "sslbind/store.h"

namespace sslbind::cli {

// `options` with the context's reason (unless it has one) and expected
// revision (when --expect-revision was given). Context::WriteOrCheck applies
// it to every write.
WriteOptions WithJournal(const Context& ctx, WriteOptions options = {});

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_JOURNAL_OPTIONS_H_
