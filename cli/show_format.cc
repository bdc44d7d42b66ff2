#include "show_format.h"

#include <variant>

#include "sslbind/exchange.h"
#include "sslbind/parameters.h"

namespace sslbind::cli {

std::string ShowHeader() { return NetshShowHeader(); }

std::string ShowField(std::string_view label, std::string_view value) {
  return NetshShowField(label, value);
}

std::string ShowEntry(const Binding& binding) {
  return NetshShowEntry(binding);
}

std::string JsonText(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

// The key's member: its kind's parameter name and its value, the port
// number for ccs.
void AddKeyMember(const BindingKey& key, Json& object) {
  const std::string name(KindParamName(key.kind()));
  if (key.kind() == BindingKind::kCcs) {
    object[name] = key.port();
  } else {
    object[name] = key.ToString();
  }
}

}  // namespace

Json KeyToJson(const BindingKey& key) {
  Json j = Json::object();
  AddKeyMember(key, j);
  return j;
}

Json BindingToJson(const Binding& binding) {
  Json j = {{"key", binding.key.ToParam()}};
  AddKeyMember(binding.key, j);
  for (const ParamInfo& info : AllParams()) {
    Json& member = j[std::string(info.name)];
    std::visit(
        [&member](const auto& value) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(value)>,
                                        std::monostate>) {
            member = value;
          }
        },
        GetParam(binding, info.id));
  }
  return j;
}

std::string ShowBindingJson(const Binding& binding) {
  return "{\"key\":" + JsonText(Json(binding.key.ToParam())) + "," +
         FormatBindingJson(binding).substr(1);
}

void AddJsonWarnings(Json& result, const std::vector<std::string>& warnings) {
  if (!warnings.empty()) result["warnings"] = warnings;
}

}  // namespace sslbind::cli
