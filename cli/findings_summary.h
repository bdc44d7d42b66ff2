// The last line of `check` and `iis check`: how many findings of each
// severity.
#ifndef SSLBIND_CLI_FINDINGS_SUMMARY_H_
#define SSLBIND_CLI_FINDINGS_SUMMARY_H_

#include <string>
#include <string_view>
#include <vector>

#include "sslbind/diagnostics.h"

namespace sslbind::cli {

// "No findings in SCOPE.\n", or "3 findings in SCOPE: 1 error, 2
// warnings.\n" for the severities of the findings.
std::string FindingsSummary(const std::vector<Severity>& severities,
                            std::string_view scope);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_FINDINGS_SUMMARY_H_
