#include "netsh_args.h"

#include <algorithm>
#include <cstdio>

#include "command_error.h"
#include "name_value_args.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

bool IsKeyName(const std::string& name) {
  return std::any_of(
      kAllBindingKinds.begin(), kAllBindingKinds.end(),
      [&](BindingKind kind) { return name == KindParamName(kind); });
}

// The name of the parameter at untagged position `index` (0 is the key).
std::optional<std::string> PositionName(size_t index,
                                        SslcertPositions positions) {
  if (index == 0) return std::string("ipport");
  if (positions == SslcertPositions::kKeyOnly) return std::nullopt;
  std::span<const Param> order = UsageOrder();
  if (index - 1 < order.size()) {
    return std::string(GetParamInfo(order[index - 1]).name);
  }
  return std::nullopt;
}

// An untagged key: ccs=PORT for a number, else ipport, else hostnameport.
Result<BindingKey> ParseUntaggedKey(const std::string& value) {
  const bool number = !value.empty() && value.find_first_not_of("0123456789") ==
                                            std::string::npos;
  if (number) return BindingKey::ParseParam("ccs", value);
  Result<BindingKey> ip = BindingKey::ParseParam("ipport", value);
  if (ip.ok()) return ip;
  const bool has_letter =
      value.find_first_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
          "*") != std::string::npos &&
      value.find('[') == std::string::npos;
  if (has_letter) {
    Result<BindingKey> host = BindingKey::ParseParam("hostnameport", value);
    if (host.ok()) return host;
  }
  // The message of ipport names the value already: quote it once.
  return Status::InvalidArgument(
      "the untagged value in the first position is not a binding's key "
      "(ipport=IP:port, hostnameport=name:port or ccs=port): " +
      ip.status().message());
}

std::string CodePoint(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// What the certificate dialog and editors put around a thumbprint.
const char* InvisibleName(char32_t cp) {
  switch (cp) {
    case 0x200e: return "left-to-right mark";
    case 0x200f: return "right-to-left mark";
    case 0xfeff: return "byte order mark";
    case 0x00a0: return "no-break space";
  }
  return nullptr;
}

// Cleans a certhash as netsh_args.h says. Throws Failed (87) naming the
// first character that is not a hex digit by its code point.
std::string CleanCertHash(const std::string& value,
                          std::vector<std::string>* warnings) {
  std::vector<std::pair<char32_t, size_t>> chars;  // code point, byte offset
  for (size_t i = 0; i < value.size();) {
    const size_t offset = i;
    chars.push_back({DecodeUtf8(value, &i), offset});
  }
  size_t begin = 0, end = chars.size();
  std::string removed_before, removed_after;
  bool blanks = false;
  auto note = [](std::string* list, char32_t cp) {
    if (!list->empty()) *list += ", ";
    *list += CodePoint(cp) + " (" + InvisibleName(cp) + ")";
  };
  while (begin < end &&
         (InvisibleName(chars[begin].first) || chars[begin].first == ' ')) {
    if (chars[begin].first != ' ') {
      note(&removed_before, chars[begin].first);
    } else {
      blanks = true;
    }
    ++begin;
  }
  while (end > begin &&
         (InvisibleName(chars[end - 1].first) || chars[end - 1].first == ' ')) {
    if (chars[end - 1].first != ' ') {
      note(&removed_after, chars[end - 1].first);
    } else {
      blanks = true;
    }
    --end;
  }
  std::string hex;
  for (size_t k = begin; k < end; ++k) {
    const char32_t cp = chars[k].first;
    const bool is_hex = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'f') ||
                        (cp >= 'A' && cp <= 'F');
    if (is_hex) {
      hex += static_cast<char>(cp);
      continue;
    }
    // Blanks between hex pairs, as the dialog shows a thumbprint.
    if (cp == ' ' && hex.size() % 2 == 0 && !hex.empty()) {
      blanks = true;
      continue;
    }
    const char* invisible = InvisibleName(cp);
    throw CommandError::Failed(Status::InvalidArgument(
        "certhash=" + QuoteForMessage(value) + ": the character " +
        (cp > 0x20 && cp < 0x7f
             ? "'" + std::string(1, static_cast<char>(cp)) + "' (" +
                   CodePoint(cp) + ")"
             : CodePoint(cp) + (invisible ? std::string(" (") + invisible + ")"
                                : cp == ' ' ? std::string(" (space)")
                                            : std::string())) +
        " at offset " + std::to_string(chars[k].second) +
        " is not a hex digit"));
  }
  if (hex.empty() && !value.empty()) {
    throw CommandError::Failed(Status::InvalidArgument(
        "certhash=" + QuoteForMessage(value) +
        ": no hex digits, only invisible characters or blanks"));
  }
  if (!removed_before.empty()) {
    warnings->push_back("certhash: removed " + removed_before +
                        " before the thumbprint");
  }
  if (!removed_after.empty()) {
    warnings->push_back("certhash: removed " + removed_after +
                        " after the thumbprint");
  }
  if (blanks) {
    warnings->push_back(
        "certhash: removed the blanks around and between its hex digits");
  }
  return hex;
}

}  // namespace

bool IsHelpRequest(const std::vector<std::string>& tokens) {
  return tokens.size() == 1 &&
         (FoldCase(tokens[0]) == "help" || tokens[0] == "?" ||
          tokens[0] == "/?" || tokens[0] == "-?");
}

SslcertArgs ParseSslcertArgs(const std::vector<std::string>& tokens,
                             const std::string& usage,
                             SslcertPositions positions) {
  NameValueRules rules;
  for (BindingKind kind : kAllBindingKinds) {
    rules.names.emplace_back(KindParamName(kind));
  }
  for (const ParamInfo& info : AllParams()) rules.names.emplace_back(info.name);
  rules.position = [positions](size_t index) {
    return PositionName(index, positions);
  };
  rules.utf8 = true;
  SslcertArgs args;
  ParseNameValues(tokens, rules, usage, [&](const NameValue& p) {
    if (IsKeyName(p.name)) {
      if (args.key) {
        throw CommandError::Syntax(
            "give exactly one of ipport, hostnameport, ccs and scopedccs",
            usage);
      }
      Result<BindingKey> key = p.tagged
                                   ? BindingKey::ParseParam(p.name, p.value)
                                   : ParseUntaggedKey(p.value);
      if (!key.ok()) throw CommandError::Failed(key.status());
      args.key = std::move(*key);
      return;
    }
    const ParamInfo* info = FindParam(p.name);
    std::string value = p.value;
    if (info->id == Param::kCertHash) {
      value = CleanCertHash(value, &args.warnings);
    }
    Status s = args.patch.SetText(info->id, value);
    if (!s.ok()) {
      if (!p.tagged) {
        s = Status::InvalidArgument("untagged value in the position of " +
                                    p.name + ": " + s.message());
      }
      throw CommandError::Failed(s);
    }
  });
  return args;
}

}  // namespace sslbind::cli
