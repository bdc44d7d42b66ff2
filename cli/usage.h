// netsh-style usage texts of the sslcert commands.
#ifndef SSLBIND_CLI_USAGE_H_
#define SSLBIND_CLI_USAGE_H_

#include <string>

namespace sslbind::cli {

std::string AddUsage();
std::string UpdateUsage();
std::string DeleteUsage();
std::string ShowUsage();

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_USAGE_H_
