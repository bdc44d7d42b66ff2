// Internal: small text helpers shared by the IIS reader and checker.
#ifndef SSLBIND_SRC_IIS_IIS_TEXT_H_
#define SSLBIND_SRC_IIS_IIS_TEXT_H_

#include <string>
#include <string_view>

#include "sslbind/iis.h"

namespace sslbind::internal {

// `text` for an error message: bytes below 0x20, 0x7f and '\'' escaped as
// \xNN, cut to 80 bytes with "..." after.
std::string Shown(std::string_view text);

// "site 'Default Web Site' (id 1)".
std::string SiteName(const IisBinding& binding);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_IIS_IIS_TEXT_H_
