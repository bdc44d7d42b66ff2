// ParseBindings and format detection: the entry points of exchange.h over
// the three readers.
#include "sslbind/exchange.h"

#include <map>

#include "formats/formats.h"
#include "formats/text_codec.h"
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

Result<ParsedBindings> ParseBindings(std::string_view data,
                                     std::string_view file_name,
                                     std::optional<ExchangeFormat> format) {
  // UTF-8 is read in place; only UTF-16 is converted.
  std::string converted;
  std::string_view text = data;
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  if (data.starts_with("\xff\xfe") || data.starts_with("\xfe\xff") ||
      text.find('\0') != std::string_view::npos) {
    Result<std::string> decoded = internal::DecodeTextFile(data, file_name);
    if (!decoded.ok()) return decoded.status();
    converted = std::move(*decoded);
    text = converted;
  } else {
    Status s = internal::CheckUtf8Text(text, file_name);
    if (!s.ok()) return s;
  }
  if (!format) format = DetectInText(text);
  if (!format) {
    return Status::InvalidArgument(
        std::string(file_name) +
        ": cannot tell the format: expected a JSON document, a .reg file or "
        "the output of `netsh http show sslcert` (or give the format)");
  }
  Result<ParsedBindings> parsed = Status::Internal("no reader");
  switch (*format) {
    case ExchangeFormat::kJson:
      parsed = internal::ParseJsonBindings(text, file_name);
      break;
    case ExchangeFormat::kReg:
      parsed = internal::ParseRegBindings(text, file_name);
      break;
    case ExchangeFormat::kNetsh:
      parsed = internal::ParseNetshBindings(text, file_name);
      break;
  }
  if (!parsed.ok()) return parsed;
  // "bindings[1]" or "line 12": a place in the same file.
  auto place = [&](const std::string& where) {
    std::string_view w = where;
    if (w.starts_with(file_name)) w.remove_prefix(file_name.size());
    if (w.starts_with(": ")) return std::string(w.substr(2));
    if (w.starts_with(":")) return "line " + std::string(w.substr(1));
    return where;
  };
  std::map<BindingKey, const std::string*> seen;
  for (const ParsedBinding& p : parsed->bindings) {
    auto [it, inserted] = seen.emplace(p.binding.key, &p.where);
    if (!inserted) {
      return Status::InvalidArgument(p.where + ": " + p.binding.key.ToParam() +
                                     " is given twice (first at " +
                                     place(*it->second) + ")");
    }
  }
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
