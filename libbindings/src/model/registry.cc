// RegistryValue constructors and lookups by name.
#include "sslbind/registry.h"

namespace sslbind {

RegistryValue RegistryValue::Sz(std::string name, std::string_view text) {
  return {std::move(name), RegType::kSz,
          std::vector<uint8_t>(text.begin(), text.end())};
}

RegistryValue RegistryValue::Dword(std::string name, uint32_t value) {
  return {
      std::move(name),
      RegType::kDword,
      {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
       static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)}};
}

RegistryValue RegistryValue::Binary(std::string name,
                                    std::vector<uint8_t> bytes) {
  return {std::move(name), RegType::kBinary, std::move(bytes)};
}

const RegistryValue* RegistryKey::Find(std::string_view name) const {
  for (const RegistryValue& v : values) {
    if (v.name.size() == name.size() && NamesEqual(v.name, name)) return &v;
  }
  return nullptr;
}

}  // namespace sslbind
