// How the journal is printed: a revision's header line and its changes in
// apply's words (`add ipport=...`, `update ccs=443: disablehttp2 disable ->
// enable`, `delete ...`, `cert import MY <thumbprint>`), or as JSON.
#ifndef SSLBIND_CLI_JOURNAL_FORMAT_H_
#define SSLBIND_CLI_JOURNAL_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

#include "show_format.h"
#include "sslbind/journal.h"

namespace sslbind::cli {

// "2026-11-30T02:15:51.123Z"
std::string FormatUtcMillis(int64_t ms);
// Parses "2026-11-30", "2026-11-30T02:15:51Z" or "...:51.123Z" (UTC); nullopt
// if malformed.
std::optional<int64_t> ParseUtcTime(std::string_view text);

// "revision 5  2026-...Z  alice@host  sslbind add ...  reason: ..." and one
// indented line per change.
std::string RevisionText(const RevisionRecord& record);
Json RevisionJson(const RevisionRecord& record);

// The CCS settings in the words of `ccs enable|disable`.
std::string CcsText(const CcsConfig& ccs);

// Parses a revision number given to an option; InvalidArgument naming it.
Result<uint64_t> ParseRevision(std::string_view option, std::string_view text);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_JOURNAL_FORMAT_H_
