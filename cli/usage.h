// The usage texts of the sslcert commands, laid out as Windows Server
// 2022's netsh prints them (a Usage block with each optional parameter in
// its own brackets in netsh's order, Parameters, Remarks, Examples), then a
// separate paragraph of what sslbind adds.
#ifndef SSLBIND_CLI_USAGE_H_
#define SSLBIND_CLI_USAGE_H_

#include <span>
#include <string>

#include "sslbind/parameters.h"

namespace sslbind::cli {

std::string AddUsage();
std::string UpdateUsage();
std::string DeleteUsage();
std::string ShowUsage();

// The parameters after the key in the order of the usage text: netsh's
// order (certhash, appid, certstorename, ..., enablesessionticket), then
// sslbind's additions (disablesessionid, enablecachingclienthello). Untagged
// parameters take these positions.
std::span<const Param> UsageOrder();

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_USAGE_H_
