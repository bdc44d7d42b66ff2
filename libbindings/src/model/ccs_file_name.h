// Internal: the CCS file names of a host name (docs/reference.md,
// "Resolution order"): "<name>.pfx", else the wildcard certificate
// "_.<parent>.pfx" ("www.contoso.com.pfx", then "_.contoso.com.pfx"; a
// single-label name has the first only). One rule for the CCS (which opens
// and lists the files) and the lookup path (which composes the names without
// allocating).
#ifndef SSLBIND_SRC_MODEL_CCS_FILE_NAME_H_
#define SSLBIND_SRC_MODEL_CCS_FILE_NAME_H_

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "model/host_name.h"
#include "sslbind/binding_key.h"

namespace sslbind::internal {

inline constexpr std::string_view kCcsFileSuffix = ".pfx";
inline constexpr std::string_view kCcsWildcardFilePrefix = "_.";
// The longest CCS file name: "_." + a parent of at most 251 characters +
// ".pfx", or a name of at most 253 characters + ".pfx".
inline constexpr size_t kMaxCcsFileName =
    kMaxHostnameLength + kCcsFileSuffix.size();

// How many CCS file names the canonical host name `name` has: 2, 1 for a
// single-label name, 0 for "".
inline size_t CcsFileCount(std::string_view name) {
  if (name.empty()) return 0;
  return ParentName(name).empty() ? 1 : 2;
}

// Writes CCS file name `i` (< CcsFileCount(name)) of the canonical host
// name `name` into `out`; returns its length.
inline size_t ComposeCcsFileName(std::string_view name, size_t i,
                                 char (&out)[kMaxCcsFileName]) {
  std::string_view stem = name;
  size_t length = 0;
  if (i == 1) {
    stem = ParentName(name);
    std::memcpy(out, kCcsWildcardFilePrefix.data(),
                kCcsWildcardFilePrefix.size());
    length = kCcsWildcardFilePrefix.size();
  }
  std::memcpy(out + length, stem.data(), stem.size());
  length += stem.size();
  std::memcpy(out + length, kCcsFileSuffix.data(), kCcsFileSuffix.size());
  return length + kCcsFileSuffix.size();
}

// CCS file name `i` of `name`, as ComposeCcsFileName writes it.
std::string CcsFileName(std::string_view name, size_t i);

// True if `file` is "<name>.pfx" or "_.<name>.pfx" for a canonical host
// name: a file some SNI name can select.
bool IsCcsFileName(std::string_view file);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_MODEL_CCS_FILE_NAME_H_
