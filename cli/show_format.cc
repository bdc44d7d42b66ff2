#include "show_format.h"

#include "sslbind/exchange.h"

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

Json KeyToJson(const BindingKey& key) {
  return Json::parse(FormatKeyJson(key));
}

Json BindingToJson(const Binding& binding) {
  return Json::parse(ShowBindingJson(binding));
}

std::string ShowBindingJson(const Binding& binding) {
  return "{\"key\":" + JsonText(Json(binding.key.ToParam())) + "," +
         FormatBindingJson(binding).substr(1);
}

void AddJsonWarnings(Json& result, const std::vector<std::string>& warnings) {
  if (!warnings.empty()) result["warnings"] = warnings;
}

}  // namespace sslbind::cli
