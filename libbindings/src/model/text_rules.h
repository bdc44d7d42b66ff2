// Internal: the byte-level rules behind sslbind/text.h -- the length of a
// UTF-8 sequence, hex digits, ASCII case -- inline, for the loops that read
// or write text a byte at a time (the JSON reader and writer, the .reg
// writer, the lookup path's host names). Everything that decodes UTF-8,
// writes or reads a hex digit or folds ASCII case goes through here or
// through sslbind/text.h, which is built on it.
#ifndef SSLBIND_SRC_MODEL_TEXT_RULES_H_
#define SSLBIND_SRC_MODEL_TEXT_RULES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sslbind::internal {

// U+FFFD REPLACEMENT CHARACTER, and its UTF-8.
inline constexpr char32_t kReplacementCharacter = 0xFFFD;
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// The length of the well-formed UTF-8 sequence at the start of `s` (not
// empty), or 0 when the first byte does not start one: an overlong form, a
// surrogate, a code point above U+10FFFF, a truncated sequence (RFC 3629;
// table 3-7 of the Unicode standard).
inline size_t Utf8SequenceLength(std::string_view s) {
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

// True if the UTF-8 character at s[i] is a C1 control (U+0080..U+009F, the
// two bytes C2 80..C2 9F), which a terminal may act on as it does on ESC.
inline bool IsC1ControlAt(std::string_view s, size_t i) {
  return static_cast<uint8_t>(s[i]) == 0xC2 && i + 1 < s.size() &&
         static_cast<uint8_t>(s[i + 1]) < 0xA0;
}

// ASCII case: A-Z and a-z swap, every other byte is kept.
constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char AsciiUpper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// The hex digit of a value 0..15, lower case.
constexpr char HexDigit(unsigned value) {
  return "0123456789abcdef"[value & 0xF];
}

// The value of a hex digit in either case, or -1 for any other character.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the two lower-case hex digits of `byte`.
inline void AppendHexByte(uint8_t byte, std::string* out) {
  out->push_back(HexDigit(byte >> 4));
  out->push_back(HexDigit(byte));
}

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_MODEL_TEXT_RULES_H_
