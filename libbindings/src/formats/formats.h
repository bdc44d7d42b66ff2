// Internal: the readers of the three exchange formats, behind ParseBindings
// (exchange.h). Each takes the decoded UTF-8 text and the file name for
// messages, and returns (JSON: visits) the bindings in file order;
// exchange.cc checks for keys given twice.
#ifndef SSLBIND_SRC_FORMATS_FORMATS_H_
#define SSLBIND_SRC_FORMATS_FORMATS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_window.h"
#include "formats/text_lines.h"
#include "sslbind/exchange.h"

namespace sslbind::internal {

// Told each binding read, in file order; a non-OK status stops reading.
using BindingVisitor = std::function<Status(ParsedBinding&&)>;
// Told each piece of text before it is read: its offset in the text and
// its bytes; a non-OK status stops reading and is returned.
using TextPieceCheck =
    std::function<Status(size_t offset, std::string_view piece)>;

// JSON is read a piece at a time: the document (the text of `window`, held
// from the piece being read on) is cut between two elements of the
// bindings array after about `piece_bytes` (json_format.cc), and each piece
// is read by ReadJson as a document of its own, the handler seeing the
// events of the whole document. Messages name the place in the whole text.
// A text that is not cut (smaller than piece_bytes) is read whole. `check` is
// told each piece before it is read; `explain` each piece the reader found a
// syntax error in (a fault it words better than the reader: its status is
// returned instead if not OK).
Status ReadJsonBindings(JsonWindow& window, std::string_view file_name,
                        const BindingVisitor& visit,
                        const TextPieceCheck& check,
                        const TextPieceCheck& explain, size_t piece_bytes);
// The bindings of a .reg file and of `netsh http show sslcert` output,
// read a line at a time from `lines`: each goes to `visit` as soon as its
// key (its entry) ends, so that neither the file's lines nor its bindings
// are ever held whole; notes are appended to `notes`. A key given twice is
// left to the caller (ReadBindings finds it, as for JSON).
Status ReadRegBindings(TextLines& lines, std::string_view file_name,
                       const BindingVisitor& visit,
                       std::vector<std::string>* notes);
Status ReadNetshBindings(TextLines& lines, std::string_view file_name,
                         const BindingVisitor& visit,
                         std::vector<std::string>* notes);

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
