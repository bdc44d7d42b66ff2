// sslbind/exchange.h: bindings in and out of files -- JSON, .reg, netsh text.
//
// Three formats carry bindings between machines and tools:
//
// - JSON: the document {"version":1,"bindings":[...]}, each binding the
//   object `show --json` prints (FormatBindingJson): exactly one key member
//   (ipport, hostnameport, ccs or scopedccs), then the netsh parameters by
//   name. Readers also take a "key" member, the key as a netsh parameter
//   ("ipport=0.0.0.0:443", what `show --json` adds): alone it is the key;
//   beside a key member it must name the same key. Options and flags are true/false, numbers are numbers, an absent
//   value is null; `ccs` is a port number.
// - .reg: the text `reg export` writes for the
//   HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\HTTP\Parameters
//   branch ("Windows Registry Editor Version 5.00"), so that `reg import` on
//   a Windows machine recreates the bindings.
// - netsh text: what `netsh http show sslcert` prints (docs/reference.md, "The
// show layout").
//
// Formatting is deterministic: the same bindings give the same bytes, so an
// export, imported into an empty store and exported again, is identical.
// Parsing is strict: any malformed input is refused with InvalidArgument
// whose message begins with the file name and the line ("backup.reg:12: ")
// or the JSON path ("backup.json: bindings[3].appid: ") and says what was
// wrong. Only bindings are read; what a format holds beyond them (netsh's
// Extended Properties, other registry keys and values) is skipped and listed
// in ParsedBindings::notes.
//
// Every function here is a pure function of its arguments: thread-safe.
#ifndef SSLBIND_EXCHANGE_H_
#define SSLBIND_EXCHANGE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/registry.h"
#include "sslbind/status.h"

namespace sslbind {

enum class ExchangeFormat : uint8_t {
  kJson,   // {"version":1,"bindings":[...]}
  kReg,    // Windows Registry Editor Version 5.00
  kNetsh,  // netsh http show sslcert
};

// "json", "reg" or "netsh".
std::string_view ExchangeFormatName(ExchangeFormat format);
// The reverse of ExchangeFormatName, case-insensitive; InvalidArgument for
// any other name.
Result<ExchangeFormat> ParseExchangeFormatName(std::string_view name);

// ---- JSON ----------------------------------------------------------------

// The version number FormatJsonDocument writes and ParseBindings accepts.
inline constexpr int kJsonDocumentVersion = 1;

// The binding object on one line, as `show --json` prints it:
// {"ipport":"0.0.0.0:443","certhash":"...","appid":"{...}",...}, the
// parameters in show order (docs/reference.md, "Parameters").
std::string FormatBindingJson(const Binding& binding);
// Appends FormatBindingJson(binding) to *out; with `with_key` the object
// starts with "key", the key as a netsh parameter ("ipport=0.0.0.0:443"),
// as `show --json` prints it. For listings that write a million bindings
// into one buffer.
void AppendBindingJson(const Binding& binding, bool with_key,
                       std::string* out);
// The key alone: {"ipport":"0.0.0.0:443"} or {"ccs":443}.
std::string FormatKeyJson(const BindingKey& key);
// {"version":1,"bindings":[...]}, indented by two spaces, one member per
// line, ending with a newline.
std::string FormatJsonDocument(const std::vector<Binding>& bindings);

// ---- netsh text ------------------------------------------------------------

// "\nSSL Certificate bindings:\n-------------------------\n\n".
std::string NetshShowHeader();
// One field line: four spaces, the label in a 29-character column (or the
// label and one space when it is longer), ": ", the value, "\n".
std::string NetshShowField(std::string_view label, std::string_view value);
// The entry of one binding, ending with its empty line.
std::string NetshShowEntry(const Binding& binding);
// Appends NetshShowEntry(binding) to *out.
void AppendNetshShowEntry(const Binding& binding, std::string* out);
// The header and every entry: the whole `show sslcert` listing.
std::string FormatNetshText(const std::vector<Binding>& bindings);

// ---- .reg ------------------------------------------------------------------

// The .reg file of `keys` (paths below the hive root, as Store::ReadRegistry
// returns them), in UTF-16 LE with a byte-order mark and CRLF line ends, as
// regedit writes it: the header line, then every key as an empty line and
// "[HKEY_LOCAL_MACHINE\path]", then its values ("Name"="text",
// "Name"=dword:0000000a, "Name"=hex:01,02,... wrapped with "\" after about
// 77 columns, hex(7): for REG_MULTI_SZ), then a final empty line. Keys come
// depth first, siblings in case-insensitive name order. A key with no values
// and nothing with values below it is left out unless it is the first
// (top-most) key: an export does not depend on emptied keys that the
// history of the store left behind.
std::string FormatRegFile(const std::vector<RegistryKey>& keys);

// ---- Writing a piece at a time ----------------------------------------------

// An export written as it goes: exactly the bytes FormatJsonDocument,
// FormatNetshText or FormatRegFile would return for the whole set, handed
// to `sink` in pieces of about 64 KB, so that a million bindings never sit
// in memory. Give json and netsh the bindings in `show` order
// (Store::ForEachSorted) with AddBinding, and reg the keys depth first,
// siblings in case-insensitive name order (Store::ForEachRegistryKey),
// the top-most key first, with AddKey; then call Finish once.
//
// With `revision` (the store's revision the export reads, see
// Store::ReadAtOneRevision) the export records it: json as a top-level
// "revision" member after "version", reg as a comment line after the
// header ("; sslbind export of revision N"), netsh as a first line
// "# sslbind export of revision N". The readers of each format accept
// these and ignore them.
class ExportWriter {
 public:
  using Sink = std::function<void(std::string_view bytes)>;
  ExportWriter(ExchangeFormat format, Sink sink,
               std::optional<uint64_t> revision = std::nullopt);

  void AddBinding(const Binding& binding);
  void AddKey(const RegistryKey& key);
  void Finish();

 private:
  void Text(std::string_view utf8);  // reg: converted to UTF-16 LE
  void Flush();

  ExchangeFormat format_;
  Sink sink_;
  std::string buffer_;
  size_t count_ = 0;
  // reg: keys without values waiting for a key with values below them.
  std::vector<RegistryKey> pending_;
  std::string text_;  // a key's .reg text, before its UTF-16 (reused)
};

// ---- Reading ---------------------------------------------------------------

struct ParsedBinding {
  Binding binding;
  // Where the binding was read, to prefix messages about it:
  // "backup.json: bindings[3]" or "backup.reg:12" (the line of its key or
  // of the first line of its netsh entry).
  std::string where;
};

struct ParsedBindings {
  ExchangeFormat format = ExchangeFormat::kJson;
  // In the order of the file; no key appears twice.
  std::vector<ParsedBinding> bindings;
  // What was read but skipped, one sentence each, starting with the place
  // ("backup.reg:40: skipped key ...").
  std::vector<std::string> notes;
};

// The text of a file's bytes as UTF-8: UTF-16 LE with a byte-order mark is
// converted (Windows tools write it), a UTF-8 byte-order mark is dropped,
// anything else is taken as UTF-8. InvalidArgument, naming `file_name`, for
// broken UTF-16, big-endian UTF-16, or a NUL character.
Result<std::string> DecodeText(std::string_view bytes,
                               std::string_view file_name);

// Tells the format from the content: a JSON object, a .reg header, or the
// lines of `netsh http show sslcert`. nullopt if it is none of them. A
// byte-order mark (UTF-8 or UTF-16 LE) is looked through.
std::optional<ExchangeFormat> DetectExchangeFormat(std::string_view data);

// Reads the bindings of a file in `format` (detected when nullopt). `data`
// is the file's bytes: UTF-8 (with or without a byte-order mark) or UTF-16
// LE with a byte-order mark. `file_name` only names the file in messages.
// InvalidArgument if the data is malformed, if a binding is invalid (as
// ValidateBinding and the parameter rules of parameters.h judge it), or if
// a key appears twice.
Result<ParsedBindings> ParseBindings(
    std::string_view data, std::string_view file_name,
    std::optional<ExchangeFormat> format = std::nullopt);

// ---- Reading a binding at a time -------------------------------------------

struct ReadBindingsOptions {
  // The format; detected when nullopt.
  std::optional<ExchangeFormat> format{};
  // Told, as reading goes on, offsets into `data` below which it will not
  // look again (except, after a failure, to word its message): a caller
  // that maps a large file drops the pages below. Increasing, except that
  // it starts again from 0 if the data is read a second time (to confirm a
  // key given twice). None by default.
  std::function<void(size_t offset)> consumed{};
  // JSON is read in pieces of about this many bytes, each cut between two
  // bindings: memory stays small whatever the file's size. (Tests make it
  // tiny.)
  size_t piece_bytes = size_t{1} << 20;
};

// What ReadBindings learnt of the file beside its bindings.
struct BindingsFileInfo {
  ExchangeFormat format = ExchangeFormat::kJson;
  // As ParsedBindings::notes.
  std::vector<std::string> notes;
};

// ParseBindings a binding at a time, for files of millions of bindings:
// calls `visit` with each binding, in the order of the file, without
// holding them. The statuses are ParseBindings', with these differences:
// - a non-OK status from `visit` stops reading and is returned;
// - a key given twice is found after every binding was visited (the
//   InvalidArgument comes back once the last visit returned), with the
//   same message; finding it keeps 12 bytes a binding;
// - a malformed file is refused when reading gets to the fault, so the
//   bindings before it were visited (a caller writing them as they come
//   discards what it wrote). With one fault, the message is ParseBindings'.
// JSON in UTF-8 is read a piece at a time (ReadBindingsOptions); a .reg or
// netsh file, or any file in UTF-16, is read and converted whole before
// its first binding is visited.
Result<BindingsFileInfo> ReadBindings(
    std::string_view data, std::string_view file_name,
    const std::function<Status(ParsedBinding&& binding)>& visit,
    const ReadBindingsOptions& options = {});

}  // namespace sslbind

#endif  // SSLBIND_EXCHANGE_H_
