// Reading a file of bindings for import and apply: the file (or standard
// input), its format (given or detected), and the notes of what it held
// beyond bindings.
#ifndef SSLBIND_CLI_BINDINGS_FILE_H_
#define SSLBIND_CLI_BINDINGS_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "sslbind/exchange.h"

namespace sslbind::cli {

// How many notes are printed before "... and N more".
inline constexpr size_t kMaxNotes = 10;

// The format named by --format; nullopt for an empty name (detect it).
// Throws CommandError (Syntax) for an unknown name.
std::optional<ExchangeFormat> FormatOption(const std::string& name);

// Reads the bindings of `path` ("-": standard input). Prints each note on
// standard error as "sslbind: note: ..." (at most kMaxNotes, then a count).
// Throws CommandError::Input if the file is malformed, Failed if it cannot
// be read.
ParsedBindings ReadBindingsFile(const Context& ctx, const std::string& path,
                                std::optional<ExchangeFormat> format);

// Prints notes as ReadBindingsFile does.
void PrintNotes(const Context& ctx, const std::vector<std::string>& notes);

// The error of a malformed file: CommandError::Input, "nothing was changed".
[[noreturn]] void ThrowMalformed(const Status& status);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_BINDINGS_FILE_H_
