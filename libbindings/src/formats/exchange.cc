// ParseBindings and format detection: the entry points of exchange.h over
// the three readers.
#include "sslbind/exchange.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "formats/formats.h"
#include "formats/text_codec.h"
#include "formats/text_lines.h"
#include "sslbind/parameters.h"
#include "sslbind/text.h"

namespace sslbind {

std::string_view ExchangeFormatName(ExchangeFormat format) {
  switch (format) {
    case ExchangeFormat::kJson: return "json";
    case ExchangeFormat::kReg: return "reg";
    case ExchangeFormat::kNetsh: return "netsh";
  }
  return "json";
}

Result<ExchangeFormat> ParseExchangeFormatName(std::string_view name) {
  std::string folded = FoldCase(name);
  for (ExchangeFormat f :
       {ExchangeFormat::kJson, ExchangeFormat::kReg, ExchangeFormat::kNetsh}) {
    if (folded == ExchangeFormatName(f)) return f;
  }
  return Status::InvalidArgument(QuoteForMessage(name) +
                                 " is not a format: use json, reg or netsh");
}

Result<std::string> DecodeText(std::string_view bytes,
                               std::string_view file_name) {
  return internal::DecodeTextFile(bytes, file_name);
}

namespace {

// The format of decoded text, from its first line of content.
std::optional<ExchangeFormat> DetectInText(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = internal::TrimBlanks(
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos
                                                        : nl - start));
    if (!line.empty() && line.back() == '\r') {
      line = internal::TrimBlanks(line.substr(0, line.size() - 1));
    }
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    // Blank lines, console prompts and '#' comments (the revision line of
    // a netsh export) come before netsh text.
    if (line.empty() || line.front() == '#' ||
        internal::ConsolePromptCommand(line)) {
      continue;
    }
    if (line.front() == '{' || line.front() == '[')
      return ExchangeFormat::kJson;
    if (line.starts_with("Windows Registry Editor") || line == "REGEDIT4") {
      return ExchangeFormat::kReg;
    }
    std::string folded = FoldCase(line.substr(0, 32));
    if (folded == "ssl certificate bindings:" ||
        folded.starts_with("ip:port") || folded.starts_with("hostname:port") ||
        folded.starts_with("central certificate store") ||
        folded.starts_with("scoped ccs:port")) {
      return ExchangeFormat::kNetsh;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ExchangeFormat> DetectExchangeFormat(std::string_view data) {
  // Enough of the file to hold its first line, even in UTF-16.
  std::string_view head = data.substr(0, 4096);
  if (head.starts_with("\xff\xfe") && head.size() % 2) {
    head.remove_suffix(1);
  }
  Result<std::string> text = internal::DecodeTextFile(head, "");
  if (!text.ok()) return std::nullopt;
  return DetectInText(*text);
}

namespace {

constexpr std::string_view kUtf8Bom = "\xef\xbb\xbf";

Status UnknownFormat(std::string_view file_name) {
  return Status::InvalidArgument(
      std::string(file_name) +
      ": cannot tell the format: expected a JSON document, a .reg file or "
      "the output of `netsh http show sslcert` (or give the format)");
}

// Reads the file once, visiting every binding; no check for keys given
// twice.
Result<BindingsFileInfo> ReadOnce(std::string_view data,
                                  std::string_view file_name,
                                  const internal::BindingVisitor& visit,
                                  const ReadBindingsOptions& options) {
  // UTF-8 is read in place. UTF-16 is converted a piece at a time
  // (TextLines), whatever the format; whole only to be refused.
  std::string converted;
  std::string_view text = data;
  size_t offset = 0;  // of `text` in `data`
  if (text.starts_with(kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
    offset = kUtf8Bom.size();
  }
  const bool utf16 =
      data.starts_with("\xff\xfe") || data.starts_with("\xfe\xff");
  // The checks of UTF-8 text, for the whole of it or a piece: a NUL is
  // refused as DecodeTextFile words it, bad UTF-8 as CheckUtf8Text does
  // (both name the place in the whole file).
  auto check_nul = [&](std::string_view piece) {
    if (utf16 || piece.find('\0') == std::string_view::npos) {
      return Status::Ok();
    }
    Result<std::string> decoded = internal::DecodeTextFile(data, file_name);
    return decoded.ok() ? Status::Ok() : decoded.status();
  };
  auto check_utf8 = [&](std::string_view piece) {
    if (utf16 || FindInvalidUtf8(piece) == std::string_view::npos) {
      return Status::Ok();
    }
    return internal::CheckUtf8Text(text, file_name);
  };
  auto check = [&](std::string_view piece) {
    Status s = check_nul(piece);
    return s.ok() ? check_utf8(piece) : s;
  };
  BindingsFileInfo info;
  std::optional<ExchangeFormat> format = options.format;
  if (!format) {
    format = utf16 ? DetectExchangeFormat(data) : DetectInText(text);
  }
  // Converted whole: text of no known format (for its message), and
  // big-endian UTF-16, refused here whatever the format.
  if (utf16 && (!format || data.starts_with("\xfe\xff"))) {
    Result<std::string> decoded = internal::DecodeTextFile(data, file_name);
    if (!decoded.ok()) return decoded.status();
    converted = std::move(*decoded);
    text = converted;
  }
  if (!format) {
    Status s = check(text);
    return s.ok() ? UnknownFormat(file_name) : s;
  }
  info.format = *format;
  if (*format == ExchangeFormat::kJson) {
    // The JSON reader checks UTF-8 itself, before the first event of a
    // piece: a piece it refuses is looked at again for a better message.
    auto piece_check = [&](size_t at, std::string_view piece) {
      if (options.consumed && !utf16) options.consumed(offset + at);
      return check_nul(piece);
    };
    auto explain = [&](size_t, std::string_view piece) {
      return check_utf8(piece);
    };
    std::optional<internal::JsonWindow> window;
    if (utf16) {
      // 64 KiB of the file at a time; small pieces (tests) in small steps.
      window.emplace(internal::JsonWindow::Utf16Le{}, data, file_name,
                     options.consumed,
                     std::min(options.piece_bytes, size_t{64} << 10));
    } else {
      window.emplace(text);
    }
    Status s = internal::ReadJsonBindings(
        *window, file_name, visit, piece_check, explain, options.piece_bytes);
    if (!s.ok()) return s;
    if (options.consumed && !utf16) options.consumed(data.size());
    return info;
  }
  // The line formats read a line at a time, the text checked a piece at a
  // time as it comes.
  internal::TextLines lines(data, file_name, check, options.consumed,
                            options.piece_bytes);
  Status s =
      *format == ExchangeFormat::kReg
          ? internal::ReadRegBindings(lines, file_name, visit, &info.notes)
          : internal::ReadNetshBindings(lines, file_name, visit, &info.notes);
  if (!s.ok()) return s;
  return info;
}

uint64_t KeyHash(const BindingKey& key) {
  return std::hash<std::string>{}(key.ToParam());
}

// The first key given twice, in file order of its second appearance, among
// the bindings whose key hashes are `hashes` (by ordinal); OK if none. The
// hashes only select candidates: the file is read again to compare their
// keys.
Status FindKeyGivenTwice(std::string_view data, std::string_view file_name,
                         const ReadBindingsOptions& options,
                         const std::vector<uint64_t>& hashes) {
  std::vector<uint32_t> order(hashes.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return hashes[a] != hashes[b] ? hashes[a] < hashes[b] : a < b;
  });
  std::map<uint32_t, std::optional<ParsedBinding>> candidates;
  for (size_t i = 1; i < order.size(); ++i) {
    if (hashes[order[i]] != hashes[order[i - 1]]) continue;
    candidates[order[i - 1]];
    candidates[order[i]];
  }
  if (candidates.empty()) return Status::Ok();
  uint32_t ordinal = 0;
  Result<BindingsFileInfo> read = ReadOnce(
      data, file_name,
      [&](ParsedBinding&& p) {
        auto it = candidates.find(ordinal++);
        if (it != candidates.end()) it->second = std::move(p);
        return Status::Ok();
      },
      options);
  if (!read.ok()) return read.status();
  // The earliest second appearance, and the first of its key.
  std::map<BindingKey, const ParsedBinding*> seen;
  for (const auto& [unused, p] : candidates) {
    if (!p) return Status::Internal("the file changed while it was read");
    auto [it, inserted] = seen.emplace(p->binding.key, &*p);
    if (inserted) continue;
    // "bindings[1]" or "line 12": a place in the same file.
    std::string_view w = it->second->where;
    if (w.starts_with(file_name)) w.remove_prefix(file_name.size());
    std::string place = w.starts_with(": ") ? std::string(w.substr(2))
                        : w.starts_with(":")
                            ? "line " + std::string(w.substr(1))
                            : it->second->where;
    return Status::InvalidArgument(p->where + ": " + p->binding.key.ToParam() +
                                   " is given twice (first at " + place + ")");
  }
  return Status::Ok();
}

}  // namespace

Result<BindingsFileInfo> ReadBindings(
    std::string_view data, std::string_view file_name,
    const std::function<Status(ParsedBinding&& binding)>& visit,
    const ReadBindingsOptions& options) {
  std::vector<uint64_t> hashes;
  Result<BindingsFileInfo> info = ReadOnce(
      data, file_name,
      [&](ParsedBinding&& p) {
        hashes.push_back(KeyHash(p.binding.key));
        return visit(std::move(p));
      },
      options);
  if (!info.ok()) return info;
  ReadBindingsOptions again = options;
  again.format = info->format;
  Status s = FindKeyGivenTwice(data, file_name, again, hashes);
  if (!s.ok()) return s;
  return info;
}

Result<ParsedBindings> ParseBindings(std::string_view data,
                                     std::string_view file_name,
                                     std::optional<ExchangeFormat> format) {
  ParsedBindings parsed;
  Result<BindingsFileInfo> info =
      ReadBindings(data, file_name,
                   [&](ParsedBinding&& p) {
                     parsed.bindings.push_back(std::move(p));
                     return Status::Ok();
                   },
                   {.format = format});
  if (!info.ok()) return info.status();
  parsed.format = info->format;
  parsed.notes = std::move(info->notes);
  return parsed;
}

namespace internal {

Status CheckImportedBinding(const Binding& binding) {
  Status s = ValidateBinding(binding);
  if (!s.ok()) return s;
  for (const ParamInfo& info : AllParams()) {
    if (info.type != ParamType::kString) continue;
    ParamValue v = GetParam(binding, info.id);
    if (const auto* text = std::get_if<std::string>(&v)) {
      Result<ParamValue> checked = ParseParamText(info.id, *text);
      if (!checked.ok()) return checked.status();
    }
  }
  return Status::Ok();
}

}  // namespace internal
}  // namespace sslbind
