// Internal: the readers of the three exchange formats, behind ParseBindings
// (exchange.h). Each takes the decoded UTF-8 text and the file name for
// messages, and returns the bindings in file order; exchange.cc checks for
// keys given twice.
#ifndef SSLBIND_SRC_FORMATS_FORMATS_H_
#define SSLBIND_SRC_FORMATS_FORMATS_H_

#include <optional>
#include <string>
#include <string_view>

#include "sslbind/exchange.h"

namespace sslbind::internal {

Result<ParsedBindings> ParseJsonBindings(std::string_view text,
                                         std::string_view file_name);
Result<ParsedBindings> ParseRegBindings(std::string_view text,
                                        std::string_view file_name);
Result<ParsedBindings> ParseNetshBindings(std::string_view text,
                                          std::string_view file_name);

// A console prompt line copied with netsh's output: "C:\Windows\system32>"
// or "PS C:\Users\admin> " (a drive, a path, '>'), then the command typed
// at it, returned blank-trimmed ("" for a bare prompt); nullopt for any
// other line. netsh_format skips them; detection looks past them.
std::optional<std::string_view> ConsolePromptCommand(std::string_view line);

// The checks a binding read from a file must pass beyond the syntax of its
// format: ValidateBinding, and the text rules of parameters.h for every
// string parameter (a .reg file can hold any string).
Status CheckImportedBinding(const Binding& binding);

// The pieces of FormatJsonDocument: the head, each binding (the first
// opens the array, the others follow a comma), the tail after `count`
// bindings. With `revision`, the head records it ("revision": N).
std::string JsonDocumentHead(std::optional<uint64_t> revision = std::nullopt);
void AppendJsonDocumentEntry(const Binding& binding, bool first,
                             std::string* out);
std::string JsonDocumentTail(size_t count);

// The pieces of FormatRegFile, as UTF-8 text (the file is its UTF-16 LE):
// the header line, and one key (an empty line, "[HKEY_LOCAL_MACHINE\path]",
// its values). The comment line that records a revision.
std::string RegFileHeaderText();
std::string ExportRevisionComment(uint64_t revision);
void AppendRegKeyText(const RegistryKey& key, std::string* text);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_FORMATS_FORMATS_H_
