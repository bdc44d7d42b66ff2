// Internal: small text helpers shared by the IIS reader and checker.
#ifndef SSLBIND_SRC_IIS_IIS_TEXT_H_
#define SSLBIND_SRC_IIS_IIS_TEXT_H_

#include <string>
#include <string_view>

#include "sslbind/iis.h"

namespace sslbind::internal {

// A library message quoted inside ours (it may repeat the file's bytes as
// they are): bytes below 0x20 and 0x7f escaped as \xNN.
std::string EscapeControls(std::string_view text);

// "site 'Default Web Site' (id 1)"; the parts not known are left out.
std::string SiteName(const IisBinding& binding);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_IIS_IIS_TEXT_H_
