// One netsh change -- `add|update|delete sslcert PARAM=VALUE...` -- as an
// operation of a WriteBatch. The single commands and the lines of a script
// (-f) both go through AppendChange, so a line of a script and the same
// command typed at the prompt are checked and applied alike.
#ifndef SSLBIND_CLI_NETSH_LINE_H_
#define SSLBIND_CLI_NETSH_LINE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "sslbind/binding_key.h"
#include "sslbind/write_batch.h"

namespace sslbind::cli {

enum class ChangeVerb { kAdd, kUpdate, kDelete };

// "add", "update" or "delete", case-insensitively; nullopt otherwise.
std::optional<ChangeVerb> ParseChangeVerb(std::string_view word);
// The verb's word in netsh's messages: "add", "update", "deletion".
std::string NetshVerb(ChangeVerb verb);
// The netsh word for the operation that a batch op stands for.
std::string NetshVerb(WriteBatch::OpType type);

// Parses the tokens of `VERB sslcert ...` (netsh_args.h) with the checks netsh
// makes (a key; the essential parameters of add; something to change for
// update; nothing but the key for delete) and appends the operation to
// `batch`: Add with a new binding, Update with the given parameters, or
// Delete. Returns the key. Throws CommandError as the command reports it
// (Syntax or Missing with the verb's usage, Failed for a bad value). The
// warnings of the parsing (a cleaned certhash) are appended to `warnings`.
BindingKey AppendChange(ChangeVerb verb, const std::vector<std::string>& tokens,
                        WriteBatch* batch,
                        std::vector<std::string>* warnings = nullptr);

// Runs one change command: AppendChange, then Store::Write (or Check with
// --dry-run), then netsh's success message.
int RunChangeCommand(Context& ctx, ChangeVerb verb,
                     const std::vector<std::string>& tokens);

// Splits a script line into words at blanks. Double or single quotes group
// words with blanks (certstorename="My Store") and are removed. Throws
// CommandError (Syntax) for an unclosed quote.
std::vector<std::string> SplitNetshLine(std::string_view line);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_NETSH_LINE_H_
