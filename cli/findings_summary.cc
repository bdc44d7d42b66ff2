// The summary line of the commands that report findings.
#include "findings_summary.h"

namespace sslbind::cli {

std::string FindingsSummary(const std::vector<Severity>& severities,
                            std::string_view scope) {
  if (severities.empty()) return "No findings in " + std::string(scope) + ".\n";
  size_t counts[3] = {};
  for (Severity s : severities) ++counts[static_cast<size_t>(s)];
  std::string text = std::to_string(severities.size()) +
                     (severities.size() == 1 ? " finding" : " findings") +
                     " in " + std::string(scope) + ":";
  const char* names[3][2] = {
      {"error", "errors"}, {"warning", "warnings"}, {"info", "info"}};
  bool first = true;
  for (size_t i = 0; i < 3; ++i) {
    if (!counts[i]) continue;
    text += (first ? " " : ", ") + std::to_string(counts[i]) + " " +
            names[i][counts[i] == 1 ? 0 : 1];
    first = false;
  }
  return text + ".\n";
}

}  // namespace sslbind::cli
