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

bool NamesEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // names are usually spelt the same way
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

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
