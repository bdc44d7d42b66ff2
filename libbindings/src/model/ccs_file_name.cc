// The CCS file names of model/ccs_file_name.h.
#include "model/ccs_file_name.h"

namespace sslbind::internal {

std::string CcsFileName(std::string_view name, size_t i) {
  char buffer[kMaxCcsFileName];
  return std::string(buffer, ComposeCcsFileName(name, i, buffer));
}

bool IsCcsFileName(std::string_view file) {
  if (!file.ends_with(kCcsFileSuffix)) return false;
  std::string_view name = file.substr(0, file.size() - kCcsFileSuffix.size());
  if (name.starts_with(kCcsWildcardFilePrefix)) {
    name.remove_prefix(kCcsWildcardFilePrefix.size());
  }
  Result<std::string> canonical = CanonicalHostname(name, false);
  return canonical.ok() && *canonical == name;
}

}  // namespace sslbind::internal
