// The text rules of sslbind/text.h: UTF-8, quoting, ASCII case, hex.
#include "sslbind/text.h"

#include <cstdint>

#include "model/text_rules.h"

namespace sslbind {

using internal::Utf8SequenceLength;

namespace {

// "\xHH", for a byte that is shown by its value.
void AppendEscapedByte(uint8_t byte, std::string* out) {
  out->append("\\x");
  internal::AppendHexByte(byte, out);
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
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

char32_t DecodeUtf8(std::string_view text, size_t* offset) {
  const std::string_view s = text.substr(*offset);
  const size_t length = Utf8SequenceLength(s);
  if (length == 0) {
    ++*offset;
    return internal::kReplacementCharacter;
  }
  *offset += length;
  const auto lead = static_cast<uint8_t>(s[0]);
  if (length == 1) return lead;
  // The lead byte keeps 7 - length bits, each continuation byte 6.
  char32_t cp = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    cp = cp << 6 | (static_cast<uint8_t>(s[i]) & 0x3F);
  }
  return cp;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) {
      out.append(internal::kReplacementUtf8);
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
    const size_t length = Utf8SequenceLength(value.substr(i));
    if (length == 0) {
      AppendEscapedByte(byte, out);
      ++i;
      continue;
    }
    if (length > 1) {
      if (i + length > max_bytes) break;  // do not cut a character
      if (internal::IsC1ControlAt(value, i)) {
        AppendEscapedByte(byte, out);
        AppendEscapedByte(static_cast<uint8_t>(value[i + 1]), out);
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
          AppendEscapedByte(byte, out);
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

std::string FoldCase(std::string_view name) {
  std::string s(name);
  for (char& c : s) c = internal::AsciiLower(c);
  return s;
}

bool NamesEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // names are usually spelt the same way
  for (size_t i = 0; i < a.size(); ++i) {
    if (internal::AsciiLower(a[i]) != internal::AsciiLower(b[i])) return false;
  }
  return true;
}

std::string HexLower(const std::vector<uint8_t>& bytes) {
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) internal::AppendHexByte(b, &s);
  return s;
}

}  // namespace sslbind
