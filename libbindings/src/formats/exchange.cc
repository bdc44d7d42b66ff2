// ParseBindings and format detection: the entry points of exchange.h over
// the three readers.
#include "sslbind/exchange.h"

#include <map>

#include "formats/formats.h"
#include "formats/text_codec.h"
#include "sslbind/parameters.h"

namespace sslbind {

std::string_view ExchangeFormatName(ExchangeFormat format) {
  switch (format) {
    case ExchangeFormat::kJson:
      return "json";
    case ExchangeFormat::kReg:
      return "reg";
    case ExchangeFormat::kNetsh:
      return "netsh";
  }
  return "json";
}

Result<ExchangeFormat> ParseExchangeFormatName(std::string_view name) {
  std::string folded = FoldCase(name);
  for (ExchangeFormat f :
       {ExchangeFormat::kJson, ExchangeFormat::kReg, ExchangeFormat::kNetsh}) {
    if (folded == ExchangeFormatName(f)) return f;
  }
  return Status::InvalidArgument("'" + std::string(name) +
                                 "' is not a format: use json, reg or netsh");
}

Result<std::string> DecodeText(std::string_view bytes,
                               std::string_view file_name) {
  return internal::DecodeTextFile(bytes, file_name);
}

std::optional<ExchangeFormat> DetectExchangeFormat(std::string_view data) {
  Result<std::string> text = internal::DecodeTextFile(data, "");
  if (!text.ok()) return std::nullopt;
  for (std::string_view line : internal::SplitLines(*text)) {
    line = internal::TrimBlanks(line);
    if (line.empty()) continue;
    if (line.front() == '{' || line.front() == '[')
      return ExchangeFormat::kJson;
    if (line.starts_with("Windows Registry Editor") || line == "REGEDIT4") {
      return ExchangeFormat::kReg;
    }
    std::string folded = FoldCase(line);
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

Result<ParsedBindings> ParseBindings(std::string_view data,
                                     std::string_view file_name,
                                     std::optional<ExchangeFormat> format) {
  Result<std::string> text = internal::DecodeTextFile(data, file_name);
  if (!text.ok()) return text.status();
  if (!format) format = DetectExchangeFormat(data);
  if (!format) {
    return Status::InvalidArgument(
        std::string(file_name) +
        ": cannot tell the format: expected a JSON document, a .reg file or "
        "the output of `netsh http show sslcert` (or give the format)");
  }
  Result<ParsedBindings> parsed = Status::Internal("no reader");
  switch (*format) {
    case ExchangeFormat::kJson:
      parsed = internal::ParseJsonBindings(*text, file_name);
      break;
    case ExchangeFormat::kReg:
      parsed = internal::ParseRegBindings(*text, file_name);
      break;
    case ExchangeFormat::kNetsh:
      parsed = internal::ParseNetshBindings(*text, file_name);
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

std::string Excerpt(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "...";
}

}  // namespace internal
}  // namespace sslbind
