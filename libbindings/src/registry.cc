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

namespace {

char FoldChar(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsFolded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (FoldChar(a[i]) != FoldChar(b[i])) return false;
  }
  return true;
}

}  // namespace

const RegistryValue* RegistryKey::Find(std::string_view name) const {
  // No allocation: this runs for every value of every binding read.
  for (const RegistryValue& v : values) {
    if (EqualsFolded(v.name, name)) return &v;
  }
  return nullptr;
}

}  // namespace sslbind
