// Guid, certificate hashes and the per-kind rules of a Binding.
#include "sslbind/binding.h"

#include "model/text_rules.h"
#include "sslbind/text.h"

namespace sslbind {

using internal::HexDigitValue;

Result<Guid> Guid::Parse(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && s.front() == '{') {
    if (s.size() < 2 || s.back() != '}') {
      return Status::InvalidArgument("appid " + QuoteForMessage(text) +
                                     " has an opening brace but no closing "
                                     "one");
    }
    s = s.substr(1, s.size() - 2);
  }
  // 8-4-4-4-12
  static constexpr size_t kDashes[] = {8, 13, 18, 23};
  if (s.size() != 36) {
    return Status::InvalidArgument(
        "appid " + QuoteForMessage(text) +
        " is not a GUID like {00112233-4455-6677-8899-aabbccddeeff}");
  }
  Guid guid;
  size_t out = 0;
  for (size_t i = 0; i < s.size();) {
    bool dash_here = false;
    for (size_t d : kDashes) dash_here = dash_here || d == i;
    if (dash_here) {
      if (s[i] != '-') {
        return Status::InvalidArgument(
            "appid " + QuoteForMessage(text) +
            " is not a GUID like {00112233-4455-6677-8899-aabbccddeeff}");
      }
      ++i;
      continue;
    }
    int hi = HexDigitValue(s[i]);
    int lo = i + 1 < s.size() ? HexDigitValue(s[i + 1]) : -1;
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("appid " + QuoteForMessage(text) +
                                     " contains a character that is not a "
                                     "hex digit");
    }
    guid.bytes[out++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return guid;
}

std::string Guid::ToString() const {
  std::string s = "{";
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    internal::AppendHexByte(bytes[i], &s);
  }
  s += '}';
  return s;
}

std::array<uint8_t, 16> Guid::ToWindowsBytes() const {
  std::array<uint8_t, 16> w = bytes;
  // Data1: 4 bytes, Data2 and Data3: 2 bytes each, little-endian.
  std::swap(w[0], w[3]);
  std::swap(w[1], w[2]);
  std::swap(w[4], w[5]);
  std::swap(w[6], w[7]);
  return w;
}

Guid Guid::FromWindowsBytes(const std::array<uint8_t, 16>& bytes) {
  Guid g;
  g.bytes = bytes;
  // The swap is its own inverse.
  g.bytes = g.ToWindowsBytes();
  return g;
}

Result<std::vector<uint8_t>> ParseCertHash(std::string_view text) {
  if (text.find(' ') != std::string_view::npos) {
    return Status::InvalidArgument("certhash " + QuoteForMessage(text) +
                                   " contains spaces; write the thumbprint "
                                   "as hex digits only");
  }
  if (text.empty() || text.size() % 2 != 0 || text.size() > 64) {
    return Status::InvalidArgument(
        "certhash " + QuoteForMessage(text) +
        " must be an even number of hex digits, 2 to 64 (SHA-1 "
        "thumbprints have 40)");
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = HexDigitValue(text[i]);
    int lo = HexDigitValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("certhash " + QuoteForMessage(text) +
                                     " contains a character that is not a "
                                     "hex digit");
    }
    bytes.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return bytes;
}

Status ValidateBinding(const Binding& binding) {
  // "ipport=..." for messages; built only when one is needed.
  auto key = [&binding] { return binding.key.ToParam(); };
  switch (binding.key.kind()) {
    case BindingKind::kIpPort:
    case BindingKind::kHostnamePort:
      if (binding.cert_hash.empty()) {
        return Status::InvalidArgument(key() + ": certhash is required");
      }
      if (binding.key.kind() == BindingKind::kHostnamePort &&
          !binding.cert_store_name) {
        return Status::InvalidArgument(key() + ": certstorename is required");
      }
      break;
    case BindingKind::kCcs:
    case BindingKind::kScopedCcs:
      if (!binding.cert_hash.empty()) {
        return Status::InvalidArgument(
            key() +
            ": certhash is not allowed; a Central Certificate Store "
            "binding takes its certificate from the CCS folder");
      }
      if (binding.cert_store_name) {
        return Status::InvalidArgument(
            key() +
            ": certstorename is not allowed; a Central Certificate "
            "Store binding takes its certificate from the CCS folder");
      }
      break;
  }
  return Status::Ok();
}

}  // namespace sslbind
