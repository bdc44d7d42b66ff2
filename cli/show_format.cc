#include "show_format.h"

#include "sslbind/parameters.h"

namespace sslbind::cli {
namespace {

constexpr size_t kLabelColumn = 29;

std::string_view FirstLabel(BindingKind kind) {
  switch (kind) {
    case BindingKind::kIpPort: return "IP:port";
    case BindingKind::kHostnamePort: return "Hostname:port";
    case BindingKind::kCcs: return "Central Certificate Store";
    case BindingKind::kScopedCcs: return "Scoped CCS:port";
  }
  return "IP:port";
}

}  // namespace

std::string ShowHeader() {
  return "\nSSL Certificate bindings:\n-------------------------\n\n";
}

std::string ShowField(std::string_view label, std::string_view value) {
  std::string line = "    ";
  line += label;
  if (label.size() < kLabelColumn) {
    line.append(kLabelColumn - label.size(), ' ');
  } else {
    line += ' ';
  }
  line += ": ";
  line += value;
  line += '\n';
  return line;
}

std::string ShowEntry(const Binding& binding) {
  std::string entry =
      ShowField(FirstLabel(binding.key.kind()), binding.key.ToString());
  for (const ParamInfo& info : AllParams()) {
    entry += ShowField(info.label, ShowParam(binding, info.id));
  }
  entry += '\n';
  return entry;
}

Json KeyToJson(const BindingKey& key) {
  Json j = Json::object();
  if (key.kind() == BindingKind::kCcs) {
    j["ccs"] = key.port();
  } else {
    j[std::string(KindParamName(key.kind()))] = key.ToString();
  }
  return j;
}

Json BindingToJson(const Binding& binding) {
  Json j = KeyToJson(binding.key);
  for (const ParamInfo& info : AllParams()) {
    ParamValue v = GetParam(binding, info.id);
    Json& field = j[std::string(info.name)];
    if (const auto* s = std::get_if<std::string>(&v)) {
      field = *s;
    } else if (const auto* b = std::get_if<bool>(&v)) {
      field = *b;
    } else if (const auto* n = std::get_if<uint32_t>(&v)) {
      field = *n;
    } else {
      field = nullptr;
    }
  }
  return j;
}

}  // namespace sslbind::cli
