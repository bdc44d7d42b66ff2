// The .reg text of `reg export` ("Windows Registry Editor Version 5.00").
//
// Writing follows regedit's layout byte for byte: UTF-16 LE with a BOM, CRLF,
// an empty line before every [key], lower-case hex, and hex data wrapped with
// "\" once a line reaches 77 columns, continuation lines indented by two
// spaces (the rule of regedit's export_hex_data, as Wine and ReactOS
// reproduce it).
//
// Reading takes UTF-16 LE or UTF-8 text, joins wrapped hex lines, and
// decodes the keys below the four binding kind keys with the registry codec
// (the same code that reads the store). Key and value deletions ([-key],
// "name"=-) are refused: an import only adds.
#include <algorithm>
#include <map>
#include <set>

#include "formats/formats.h"
#include "formats/text_codec.h"
#include "formats/text_lines.h"
#include "model/registry_codec.h"
#include "model/text_rules.h"
#include "sslbind/parameters.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

std::string Hex32(uint32_t v) {
  std::string s = "0x";
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const uint32_t d = (v >> shift) & 0xf;
    started = started || d != 0 || shift == 0;
    if (started) s += internal::HexDigit(d);
  }
  return s;
}

// Keeps of a binding read from a .reg file only what the netsh parameters
// can say, so that it survives every format (JSON and netsh text know only
// the parameters): DefaultSslCertCheckMode and DefaultFlags bits that no
// parameter stands for, the freshness bit (0x4) without a freshness time and
// a freshness time without the bit (which HTTP.sys ignores). Each thing
// dropped is described in `notes`, after `where`.
void KeepWhatParametersSay(Binding* b, const std::string& where,
                           std::vector<std::string>* notes) {
  const std::string key = b->key.ToParam();
  if ((b->check_mode & kCheckFreshnessTime) &&
      b->revocation_freshness_time == 0) {
    b->check_mode &= ~kCheckFreshnessTime;
    notes->push_back(where + ": " + key +
                     ": dropped bit 0x4 of DefaultSslCertCheckMode: it says a "
                     "revocation freshness time is set, and none is");
  }
  if (!(b->check_mode & kCheckFreshnessTime) &&
      b->revocation_freshness_time != 0) {
    notes->push_back(where + ": " + key +
                     ": dropped DefaultSslRevocationFreshnessTime " +
                     std::to_string(b->revocation_freshness_time) +
                     ": bit 0x4 of DefaultSslCertCheckMode, which makes it "
                     "apply, is not set");
    b->revocation_freshness_time = 0;
  }
  uint32_t check_bits = kCheckFreshnessTime;
  uint32_t flag_bits = 0;
  for (const ParamInfo& info : AllParams()) {
    if (info.type != ParamType::kOption && info.type != ParamType::kFlag) {
      continue;
    }
    (info.in_check_mode ? check_bits : flag_bits) |= info.bit;
  }
  auto drop = [&](uint32_t* bits, uint32_t known, const char* name) {
    const uint32_t unknown = *bits & ~known;
    if (unknown == 0) return;
    *bits &= known;
    notes->push_back(where + ": " + key + ": dropped bits " + Hex32(unknown) +
                     " of " + name +
                     ": no netsh parameter stands for them, so JSON and "
                     "netsh text could not keep them");
  };
  drop(&b->check_mode, check_bits, "DefaultSslCertCheckMode");
  drop(&b->flags, flag_bits, "DefaultFlags");
}

constexpr std::string_view kRegHeader = "Windows Registry Editor Version 5.00";
constexpr std::string_view kHive = "HKEY_LOCAL_MACHINE";
constexpr size_t kMaxHexColumns = 77;
// Parses 1 to 8 hex digits; false for anything else.
bool ParseHex(std::string_view digits, uint32_t* out) {
  if (digits.empty() || digits.size() > 8) return false;
  uint32_t v = 0;
  for (char c : digits) {
    const int d = internal::HexDigitValue(c);
    if (d < 0) return false;
    v = v << 4 | static_cast<uint32_t>(d);
  }
  *out = v;
  return true;
}

// Escapes '\' and '"' (and CR and LF, which would break the line) as
// regedit does in names and REG_SZ data.
void AppendEscapedRegString(std::string_view s, std::string* out) {
  size_t plain = 0;  // a run without anything to escape, appended whole
  for (size_t i = 0; i < s.size(); ++i) {
    const char* escaped = nullptr;
    switch (s[i]) {
      case '\\': escaped = "\\\\"; break;
      case '"': escaped = "\\\""; break;
      case '\r': escaped = "\\r"; break;
      case '\n': escaped = "\\n"; break;
      default: continue;
    }
    out->append(s.substr(plain, i - plain));
    *out += escaped;
    plain = i + 1;
  }
  out->append(s.substr(plain));
}

// The number of UTF-16 code units of UTF-8 text: regedit counts columns in
// those.
size_t Utf16Length(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xc0) != 0x80) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

// `hex:01,02,...` or `hex(7):...`, wrapped as regedit wraps it; `column` is
// the width of `"Name"=` before it.
void AppendHexData(uint32_t type, const std::vector<uint8_t>& data,
                   size_t column, std::string* out) {
  std::string prefix = "hex:";
  if (type != static_cast<uint32_t>(RegType::kBinary)) {
    std::string digits;  // as printf("%x") writes it
    do {
      digits.insert(digits.begin(), internal::HexDigit(type));
      type >>= 4;
    } while (type);
    prefix = "hex(" + digits + "):";
  }
  *out += prefix;
  column += prefix.size();
  for (size_t i = 0; i < data.size(); ++i) {
    internal::AppendHexByte(data[i], out);
    if (i + 1 == data.size()) break;
    out->push_back(',');
    column += 3;
    if (column >= kMaxHexColumns) {
      *out += "\\\r\n  ";
      column = 2;
    }
  }
}

void AppendValue(const RegistryValue& v, std::string* out) {
  const size_t name_start = out->size();
  *out += '"';
  AppendEscapedRegString(v.name, out);
  *out += "\"=";
  size_t column = Utf16Length(std::string_view(*out).substr(name_start));
  switch (v.type) {
    case RegType::kSz:
      *out += '"';
      AppendEscapedRegString(
          std::string_view(reinterpret_cast<const char*>(v.data.data()),
                           v.data.size()),
          out);
      *out += '"';
      break;
    case RegType::kDword:
      if (v.data.size() == 4) {
        uint32_t d = v.data[0] | uint32_t(v.data[1]) << 8 |
                     uint32_t(v.data[2]) << 16 | uint32_t(v.data[3]) << 24;
        *out += "dword:";
        for (int shift = 28; shift >= 0; shift -= 4) {
          out->push_back(internal::HexDigit(d >> shift));
        }
        break;
      }
      AppendHexData(static_cast<uint32_t>(v.type), v.data, column, out);
      break;
    case RegType::kMultiSz: {
      // Kept as UTF-8 with NUL separators; a .reg file holds UTF-16 LE.
      std::string utf16;
      internal::AppendUtf16Le(
          std::string_view(reinterpret_cast<const char*>(v.data.data()),
                           v.data.size()),
          &utf16);
      AppendHexData(static_cast<uint32_t>(v.type),
                    std::vector<uint8_t>(utf16.begin(), utf16.end()), column,
                    out);
      break;
    }
    default:
      AppendHexData(static_cast<uint32_t>(v.type), v.data, column, out);
      break;
  }
  *out += "\r\n";
}

std::vector<std::string> FoldedComponents(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('\\', start);
    parts.push_back(FoldCase(path.substr(start, slash == std::string_view::npos
                                                    ? std::string_view::npos
                                                    : slash - start)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::string FormatRegFile(const std::vector<RegistryKey>& keys) {
  // Depth first, siblings by folded name: compare paths component-wise.
  std::vector<std::pair<std::vector<std::string>, const RegistryKey*>> sorted;
  sorted.reserve(keys.size());
  for (const RegistryKey& key : keys) {
    sorted.emplace_back(FoldedComponents(key.path), &key);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  // Keep the top key, every key with values and every ancestor of one.
  std::set<std::string> keep;
  for (const auto& [parts, key] : sorted) {
    if (key->values.empty()) continue;
    std::string path;
    for (const std::string& part : parts) {
      path += path.empty() ? part : "\\" + part;
      keep.insert(path);
    }
  }

  std::string text = internal::RegFileHeaderText();
  for (size_t i = 0; i < sorted.size(); ++i) {
    const RegistryKey& key = *sorted[i].second;
    if (i > 0 && !keep.count(FoldCase(key.path))) continue;
    internal::AppendRegKeyText(key, &text);
  }
  text += "\r\n";

  std::string out = "\xff\xfe";
  internal::AppendUtf16Le(text, &out);
  return out;
}

namespace internal {

void AppendRegKeyText(const RegistryKey& key, std::string* text) {
  *text += "\r\n[";
  *text += kHive;
  *text += '\\';
  *text += key.path;
  *text += "]\r\n";
  for (const RegistryValue& v : key.values) AppendValue(v, text);
}

std::string RegFileHeaderText() { return std::string(kRegHeader) + "\r\n"; }

std::string ExportRevisionComment(uint64_t revision) {
  return "sslbind export of revision " + std::to_string(revision);
}

namespace {

struct RegKeyRecord {
  RegistryKey key;
  size_t line = 0;
  std::map<std::string, size_t> value_lines;  // folded name -> line
};

class RegReader {
 public:
  RegReader(std::string_view file_name, const BindingVisitor& visit,
            std::vector<std::string>* notes)
      : file_(file_name), visit_(visit), notes_(*notes) {
    for (BindingKind kind : kAllBindingKinds) {
      kind_keys_.emplace(FoldCase(KindKeyPath(kind)), kind);
    }
  }

  Status Read(TextLines& lines) {
    std::string_view header;
    while (header.empty()) {
      Result<std::optional<std::string_view>> line = lines.Next();
      if (!line.ok()) return line.status();
      if (!*line) {
        return Status::InvalidArgument(file_ + ": the file is empty");
      }
      header = TrimBlanks(**line);
    }
    if (header == "REGEDIT4") {
      return Error(lines.line_number(),
                   "REGEDIT4 files are not supported; export the "
                   "key as a .reg file of version 5.00 (regedit's "
                   "default)");
    }
    if (header != kRegHeader) {
      return Error(lines.line_number(),
                   "expected the header '" + std::string(kRegHeader) + "'");
    }
    while (true) {
      Result<std::optional<std::string_view>> line = lines.Next();
      if (!line.ok()) return line.status();
      if (!*line) break;
      Status s = Line(lines, **line);
      if (!s.ok()) return s;
    }
    return FinishKey();
  }

 private:
  Status Error(size_t line, const std::string& what) const {
    return Status::InvalidArgument(file_ + ":" + std::to_string(line) + ": " +
                                   what);
  }

  // Reads `raw`, the line `lines` gave last (and its continuation lines).
  Status Line(TextLines& lines, std::string_view raw) {
    const size_t n = lines.line_number();
    std::string_view line = TrimBlanks(raw);
    if (line.empty() || line.front() == ';') return Status::Ok();
    if (line.front() == '[') {
      Status s = FinishKey();  // a [key] line ends the key before it
      return s.ok() ? KeyLine(n, line) : s;
    }
    if (line.front() != '"' && line.front() != '@') {
      return Error(n, "expected a [key] line or a \"name\"=value line, not " +
                          QuoteForMessage(line));
    }
    if (!key_ && !skipping_key_) {
      return Error(n, "a value comes before the first [key] line");
    }
    return ValueLine(lines, line);
  }

  Status KeyLine(size_t n, std::string_view line) {
    if (line.back() != ']') return Error(n, "a [key] line must end with ']'");
    std::string_view path = line.substr(1, line.size() - 2);
    if (path.starts_with("-")) {
      return Error(n,
                   "key deletions ([-...]) are not supported: an import "
                   "only adds bindings");
    }
    size_t slash = path.find('\\');
    std::string_view hive = path.substr(0, slash);
    if (!NamesEqual(hive, kHive) && !NamesEqual(hive, "HKLM")) {
      skipping_key_ = true;
      notes_.push_back(file_ + ":" + std::to_string(n) + ": skipped key " +
                       QuoteForMessage(path) + ": not in HKEY_LOCAL_MACHINE");
      return Status::Ok();
    }
    skipping_key_ = false;
    std::string below = slash == std::string_view::npos
                            ? ""
                            : std::string(path.substr(slash + 1));
    key_ = RegKeyRecord{RegistryKey{std::move(below), {}}, n, {}};
    return Status::Ok();
  }

  // Parses a quoted string with regedit's escapes from s[*pos] (at the
  // opening quote); leaves *pos after the closing quote.
  Result<std::string> QuotedString(size_t n, std::string_view s,
                                   size_t* pos) const {
    std::string out;
    size_t i = *pos + 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] != '\\') {
        out += s[i];
        continue;
      }
      if (++i == s.size()) break;
      switch (s[i]) {
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        default:
          return Error(n, "unknown escape '\\" + std::string(1, s[i]) +
                              "' in a quoted string");
      }
    }
    if (i >= s.size()) return Error(n, "a quoted string is not closed");
    *pos = i + 1;
    return out;
  }

  Result<std::vector<uint8_t>> HexBytes(size_t n, const std::string& name,
                                        std::string_view s) const {
    std::vector<uint8_t> bytes;
    if (TrimBlanks(s).empty()) return bytes;
    size_t start = 0;
    while (true) {
      size_t comma = s.find(',', start);
      std::string_view token = TrimBlanks(s.substr(
          start, comma == std::string_view::npos ? std::string_view::npos
                                                 : comma - start));
      uint32_t value = 0;
      bool ok = !token.empty() && token.size() <= 2 && ParseHex(token, &value);
      if (!ok) {
        return Error(n, "value " + name + ": " + QuoteForMessage(token, 20) +
                            " is not a byte in hex (hex data is written "
                            "01,02,ab,...)");
      }
      bytes.push_back(static_cast<uint8_t>(value));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return bytes;
  }

  // A "name"=data line, `s`; hex data may go on over the next lines of
  // `lines`, each ending in '\\' but the last.
  Status ValueLine(TextLines& lines, std::string_view s) {
    const size_t n = lines.line_number();
    std::string name;
    size_t pos = 0;
    if (s.front() == '@') {
      pos = 1;  // the default value, which has an empty name
    } else {
      Result<std::string> quoted = QuotedString(n, s, &pos);
      if (!quoted.ok()) return quoted.status();
      name = std::move(*quoted);
    }
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
    if (pos >= s.size() || s[pos] != '=') {
      return Error(n, "expected '=' after the value name");
    }
    ++pos;
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
    std::string_view data = s.substr(pos);
    const std::string shown = name.empty() ? "@" : QuoteForMessage(name);

    RegistryValue value;
    value.name = name;
    if (data == "-") {
      return Error(n,
                   "value deletions (\"name\"=-) are not supported: an "
                   "import only adds bindings");
    } else if (data.starts_with("\"")) {
      size_t end = 0;
      Result<std::string> text = QuotedString(n, data, &end);
      if (!text.ok()) return text.status();
      if (!TrimBlanks(data.substr(end)).empty()) {
        return Error(n, "value " + shown +
                            ": text after the closing "
                            "quote");
      }
      value.type = RegType::kSz;
      value.data.assign(text->begin(), text->end());
    } else if (FoldCase(data.substr(0, 6)) == "dword:") {
      std::string_view digits = data.substr(6);
      uint32_t d = 0;
      bool ok = !digits.empty() && digits.size() <= 8 && ParseHex(digits, &d);
      if (!ok) {
        return Error(n, "value " + shown + ": " + QuoteForMessage(digits, 20) +
                            " is not a dword (1 to 8 hex digits)");
      }
      value = RegistryValue::Dword(name, d);
    } else if (FoldCase(data.substr(0, 3)) == "hex") {
      uint32_t type = static_cast<uint32_t>(RegType::kBinary);
      size_t colon = data.find(':');
      if (colon == std::string_view::npos) {
        return Error(n, "value " + shown + ": expected hex: or hex(N):");
      }
      std::string_view spec = data.substr(3, colon - 3);
      if (!spec.empty()) {
        if (spec.size() < 3 || spec.front() != '(' || spec.back() != ')' ||
            !ParseHex(spec.substr(1, spec.size() - 2), &type)) {
          return Error(n, "value " + shown + ": " + QuoteForMessage(spec, 20) +
                              " is not a type such as (7)");
        }
      }
      std::string hex(data.substr(colon + 1));
      while (!hex.empty() && hex.back() == '\\') {
        hex.pop_back();
        Result<std::optional<std::string_view>> more = lines.Next();
        if (!more.ok()) return more.status();
        if (!*more) {
          return Error(n, "value " + shown +
                              ": the file ends in the "
                              "middle of the value (its last line ends with "
                              "'\\')");
        }
        hex += TrimBlanks(**more);
      }
      Result<std::vector<uint8_t>> bytes = HexBytes(n, shown, hex);
      if (!bytes.ok()) return bytes.status();
      value.type = static_cast<RegType>(type);
      value.data = std::move(*bytes);
      // String types are UTF-16 LE in the file and UTF-8 here.
      if (value.type == RegType::kSz || value.type == RegType::kMultiSz ||
          type == 2 /* REG_EXPAND_SZ */) {
        std::string utf8;
        if (!Utf16LeToUtf8(std::string_view(
                               reinterpret_cast<const char*>(value.data.data()),
                               value.data.size()),
                           &utf8)) {
          return Error(n, "value " + shown + ": not UTF-16 LE text");
        }
        if (value.type == RegType::kSz) {
          while (!utf8.empty() && utf8.back() == '\0') utf8.pop_back();
        }
        value.data.assign(utf8.begin(), utf8.end());
      }
    } else {
      return Error(n, "value " + shown + ": " + QuoteForMessage(data, 30) +
                          " is not \"text\", dword:, hex: or hex(N):");
    }

    if (skipping_key_) return Status::Ok();
    RegKeyRecord& key = *key_;
    auto [it, inserted] = key.value_lines.emplace(FoldCase(name), n);
    if (!inserted) {
      return Error(n, "value " + shown +
                          " is given twice in one key "
                          "(also on line " +
                          std::to_string(it->second) + ")");
    }
    key.key.values.push_back(std::move(value));
    return Status::Ok();
  }

  // The key read last, if any, ended: its binding (or a note on why it is
  // none) goes out now.
  Status FinishKey() {
    if (!key_) return Status::Ok();
    const RegKeyRecord record = std::move(*key_);
    key_.reset();
    const std::string where = file_ + ":" + std::to_string(record.line);
    const std::string folded = FoldCase(record.key.path);
    const size_t slash = folded.rfind('\\');
    const std::string parent =
        slash == std::string::npos ? "" : folded.substr(0, slash);
    if (!kind_keys_.count(parent)) {
      const std::string branch = FoldCase(kHttpParametersPath);
      const bool in_branch =
          folded == branch || folded.starts_with(branch + "\\");
      if (!in_branch) {
        notes_.push_back(
            where + ": skipped key " + QuoteForMessage(record.key.path) +
            ": not in HKEY_LOCAL_MACHINE\\" + std::string(kHttpParametersPath));
      } else if (!record.key.values.empty()) {
        notes_.push_back(
            where + ": skipped " + std::to_string(record.key.values.size()) +
            " value" + (record.key.values.size() > 1 ? "s" : "") + " of key " +
            QuoteForMessage(record.key.path) + ": sslbind keeps only bindings");
      }
      return Status::Ok();
    }
    // (A key given twice is found by ReadBindings, as for every format.)
    Result<Binding> binding = DecodeBinding(record.key);
    if (!binding.ok()) {
      return Status::InvalidArgument(where + ": " + binding.status().message());
    }
    Status s = CheckImportedBinding(*binding);
    if (!s.ok()) return Status::InvalidArgument(where + ": " + s.message());
    KeepWhatParametersSay(&*binding, where, &notes_);
    for (const RegistryValue& v : record.key.values) {
      if (!IsBindingValueName(v.name)) {
        notes_.push_back(
            file_ + ":" +
            std::to_string(record.value_lines.at(FoldCase(v.name))) +
            ": skipped value " + QuoteForMessage(v.name) + " of " +
            binding->key.ToParam() + ": not a binding setting sslbind keeps");
      }
    }
    return visit_({std::move(*binding), where});
  }

  std::string file_;
  const BindingVisitor& visit_;
  std::vector<std::string>& notes_;
  std::map<std::string, BindingKind> kind_keys_;  // folded path -> kind
  std::optional<RegKeyRecord> key_;               // the key being read
  bool skipping_key_ = false;  // the current key is outside HKLM
};

}  // namespace

Status ReadRegBindings(TextLines& lines, std::string_view file_name,
                       const BindingVisitor& visit,
                       std::vector<std::string>* notes) {
  return RegReader(file_name, visit, notes).Read(lines);
}

}  // namespace internal
}  // namespace sslbind
