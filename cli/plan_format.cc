#include "plan_format.h"

namespace sslbind::cli {

std::string ValueText(const ParamValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "enable" : "disable";
  if (const auto* n = std::get_if<uint32_t>(&v)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "(null)";
}

Json ValueJson(const ParamValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* n = std::get_if<uint32_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

std::string Count(size_t n, const char* what) {
  return std::to_string(n) + " " + what;
}

std::string PlanLines(const ApplyPlan& plan, bool unchanged) {
  std::string out;
  for (const PlanEntry& e : plan.entries) {
    if (!unchanged && e.action == PlanEntry::Action::kUnchanged) continue;
    std::string action(PlanActionName(e.action));
    action.resize(11, ' ');
    out += action + e.key.ToParam() + '\n';
    for (const ParamChange& c : e.changes) {
      out += "             " + std::string(GetParamInfo(c.param).name) + ": " +
             ValueText(c.old_value) + " -> " + ValueText(c.new_value) + '\n';
    }
  }
  return out;
}

Json PlanEntriesJson(const ApplyPlan& plan, bool unchanged) {
  Json entries = Json::array();
  for (const PlanEntry& e : plan.entries) {
    if (!unchanged && e.action == PlanEntry::Action::kUnchanged) continue;
    Json entry = {{"action", PlanActionName(e.action)},
                  {"key", KeyToJson(e.key)}};
    if (!e.changes.empty()) {
      Json changes = Json::object();
      for (const ParamChange& c : e.changes) {
        changes[std::string(GetParamInfo(c.param).name)] = {
            {"old", ValueJson(c.old_value)}, {"new", ValueJson(c.new_value)}};
      }
      entry["changes"] = std::move(changes);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string ChangedParamsText(const Binding& before, const Binding& after) {
  Result<ApplyPlan> plan = PlanApply({before}, {after}, false);
  std::string out;
  if (!plan.ok() || plan->entries.empty()) return out;
  for (const ParamChange& c : plan->entries[0].changes) {
    if (!out.empty()) out += ", ";
    out += std::string(GetParamInfo(c.param).name) + " " +
           ValueText(c.old_value) + " -> " + ValueText(c.new_value);
  }
  return out;
}

}  // namespace sslbind::cli
