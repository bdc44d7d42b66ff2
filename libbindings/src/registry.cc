// RegistryValue constructors and name folding.
#include "sslbind/registry.h"

namespace sslbind {

std::string FoldCase(std::string_view name) {
  std::string s(name);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

RegistryValue RegistryValue::Sz(std::string name, std::string_view text) {
  return {std::move(name), RegType::kSz,
          std::vector<uint8_t>(text.begin(), text.end())};
}

RegistryValue RegistryValue::Dword(std::string name, uint32_t value) {
  return {std::move(name), RegType::kDword,
          {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
           static_cast<uint8_t>(value >> 16),
           static_cast<uint8_t>(value >> 24)}};
}

RegistryValue RegistryValue::Binary(std::string name,
                                    std::vector<uint8_t> bytes) {
  return {std::move(name), RegType::kBinary, std::move(bytes)};
}

const RegistryValue* RegistryKey::Find(std::string_view name) const {
  std::string folded = FoldCase(name);
  for (const RegistryValue& v : values) {
    if (FoldCase(v.name) == folded) return &v;
  }
  return nullptr;
}

}  // namespace sslbind
