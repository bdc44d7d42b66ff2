// Internal: small text helpers shared by the IIS reader and checker.
#ifndef SSLBIND_SRC_IIS_IIS_TEXT_H_
#define SSLBIND_SRC_IIS_IIS_TEXT_H_

#include <string>
#include <string_view>

#include "sslbind/iis.h"

namespace sslbind::internal {

// `text` for an error message: bytes below 0x20 and 0x7f escaped as \xNN,
// cut to `max` bytes with "..." after.
std::string Shown(std::string_view text, size_t max = 80);
// A library message quoted inside ours: escaped, not cut.
inline std::string ShownMessage(std::string_view message) {
  return Shown(message, message.size());
}

// "site 'Default Web Site' (id 1)"; the parts not known are left out.
std::string SiteName(const IisBinding& binding);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_IIS_IIS_TEXT_H_
