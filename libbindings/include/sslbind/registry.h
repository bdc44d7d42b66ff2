// sslbind/registry.h: the raw registry view of a store (docs/reference.md,
// "Registry layout").
//
// The store is a registry hive: a tree of keys, each with typed, named
// values. Key and value names are case-insensitive and keep their case.
// Bindings live under kHttpParametersPath as Windows keeps them, so the
// branch can be exported as a .reg file and imported from `reg export`.
// These are plain values; thread-compatible.
#ifndef SSLBIND_REGISTRY_H_
#define SSLBIND_REGISTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/text.h"  // FoldCase and NamesEqual: how names compare

namespace sslbind {

inline constexpr std::string_view kHttpParametersPath =
    "SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters";

// The subkeys of kHttpParametersPath that hold bindings, one per kind.
inline constexpr std::string_view kIpBindingsKey = "SslBindingInfo";
inline constexpr std::string_view kSniBindingsKey = "SslSniBindingInfo";
inline constexpr std::string_view kCcsBindingsKey = "SslCcsBindingInfo";
inline constexpr std::string_view kScopedCcsBindingsKey =
    "SslScopedCcsBindingInfo";

enum class RegType : uint32_t {
  kSz = 1,  // UTF-8 text here (UTF-16 LE in a .reg file), no NUL
  kBinary = 3,
  kDword = 4,  // 4 bytes, little-endian
  kMultiSz = 7,
};

struct RegistryValue {
  std::string name;
  RegType type = RegType::kBinary;
  std::vector<uint8_t> data;

  static RegistryValue Sz(std::string name, std::string_view text);
  static RegistryValue Dword(std::string name, uint32_t value);
  static RegistryValue Binary(std::string name, std::vector<uint8_t> bytes);

  friend bool operator==(const RegistryValue&, const RegistryValue&) = default;
};

struct RegistryKey {
  // The full path below the hive root, backslash-separated, e.g.
  // "SYSTEM\\...\\Parameters\\SslBindingInfo\\0.0.0.0:443".
  std::string path;
  std::vector<RegistryValue> values;

  // The value with that name (case-insensitive), or nullptr.
  const RegistryValue* Find(std::string_view name) const;

  friend bool operator==(const RegistryKey&, const RegistryKey&) = default;
};

}  // namespace sslbind

#endif  // SSLBIND_REGISTRY_H_
