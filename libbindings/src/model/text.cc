// The text rules of sslbind/text.h.
#include "sslbind/text.h"

#include <cstdint>

namespace sslbind {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `s`, or 0
// when the first byte does not start one (RFC 3629, table 3-7 of Unicode).
size_t SequenceLength(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t lead = b(0);
  if (lead < 0x80) return 1;
  size_t length;
  uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) lo = 0xA0;  // no overlong forms
    if (lead == 0xED) hi = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) lo = 0x90;  // no overlong forms
    if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  }
  return length;
}

void AppendHexByte(uint8_t byte, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0xF]);
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // ASCII runs are the common case: skip them a byte at a time cheaply.
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t length = SequenceLength(text.substr(i));
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = SequenceLength(text.substr(i));
    if (length == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

namespace {

// Appends `value` escaped as EscapeForTerminal does, and also a backslash
// and a quote when `quote` is set, stopping before `max_bytes` (never in
// the middle of a character); returns how many bytes of `value` it used.
size_t AppendEscaped(std::string_view value, size_t max_bytes, bool quote,
                     std::string* out) {
  size_t i = 0;
  while (i < value.size() && i < max_bytes) {
    const auto byte = static_cast<uint8_t>(value[i]);
    const size_t length = SequenceLength(value.substr(i));
    if (length == 0) {
      AppendHexByte(byte, out);
      ++i;
      continue;
    }
    if (length > 1) {
      if (i + length > max_bytes) break;  // do not cut a character
      // C1 controls (U+0080..U+009F) are two bytes, C2 80..C2 9F.
      if (byte == 0xC2 && static_cast<uint8_t>(value[i + 1]) < 0xA0) {
        AppendHexByte(byte, out);
        AppendHexByte(static_cast<uint8_t>(value[i + 1]), out);
      } else {
        out->append(value.substr(i, length));
      }
      i += length;
      continue;
    }
    switch (byte) {
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case 0x1B: out->append("\\e"); break;
      case '\\': out->append(quote ? "\\\\" : "\\"); break;
      case '\'': out->append(quote ? "\\'" : "'"); break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          AppendHexByte(byte, out);
        } else {
          out->push_back(static_cast<char>(byte));
        }
    }
    ++i;
  }
  return i;
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(text, text.size(), /*quote=*/false, &out);
  return out;
}

std::string QuoteForMessage(std::string_view value, size_t max_bytes) {
  std::string out = "'";
  const size_t used = AppendEscaped(value, max_bytes, /*quote=*/true, &out);
  out.push_back('\'');
  if (used < value.size()) {
    out.append("... (" + std::to_string(value.size()) + " bytes)");
  }
  return out;
}

}  // namespace sslbind
