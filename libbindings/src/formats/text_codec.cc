// Byte-order marks, UTF-8 <-> UTF-16 LE.
#include "formats/text_codec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "sslbind/text.h"

namespace sslbind::internal {
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | cp >> 6));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | cp >> 12));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | cp >> 18));
    out->push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

void AppendUtf16Le(std::string_view utf8, std::string* out) {
  // Written in place: every byte of UTF-8 becomes at most two bytes of
  // UTF-16 (an ASCII byte two, a 2- or 3-byte sequence two, a 4-byte one
  // four, a bad byte U+FFFD's two). A .reg export of a million bindings is
  // nearly all ASCII: one store per byte, no call.
  const size_t start = out->size();
  out->resize(start + utf8.size() * 2);
  char* p = out->data() + start;
  auto unit = [&p](uint32_t u) {
    *p++ = static_cast<char>(u & 0xff);
    *p++ = static_cast<char>(u >> 8);
  };
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      *p++ = static_cast<char>(c);
      *p++ = 0;
      ++i;
      continue;
    }
    uint32_t cp = DecodeUtf8(utf8, &i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xd800 | cp >> 10);
      unit(0xdc00 | (cp & 0x3ff));
    } else {
      unit(cp);
    }
  }
  out->resize(static_cast<size_t>(p - out->data()));
}

bool Utf16LeToUtf8(std::string_view utf16, std::string* out,
                   size_t* bad_offset) {
  auto fail = [bad_offset](size_t offset) {
    if (bad_offset) *bad_offset = offset;
    return false;
  };
  if (utf16.size() % 2 != 0) return fail(utf16.size() - 1);
  // Written in place: a code unit becomes at most three bytes (a surrogate
  // pair, two units, four).
  const size_t start = out->size();
  out->resize(start + utf16.size() / 2 * 3);
  char* o = out->data() + start;
  auto broken = [&](size_t offset) {
    out->resize(start);
    return fail(offset);
  };
  auto unit = [&](size_t k) {
    return static_cast<uint16_t>(static_cast<uint8_t>(utf16[k]) |
                                 static_cast<uint8_t>(utf16[k + 1]) << 8);
  };
  size_t i = 0;
  while (i < utf16.size()) {
    // Four ASCII units at a time: the common case of a .reg file.
    if (i + 8 <= utf16.size()) {
      uint64_t four;
      std::memcpy(&four, utf16.data() + i, 8);
      if ((four & 0xff80ff80ff80ff80ull) == 0) {
        o[0] = static_cast<char>(four);
        o[1] = static_cast<char>(four >> 16);
        o[2] = static_cast<char>(four >> 32);
        o[3] = static_cast<char>(four >> 48);
        o += 4;
        i += 8;
        continue;
      }
    }
    uint32_t cp = unit(i);
    if (cp >= 0xdc00 && cp <= 0xdfff) return broken(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (i + 2 >= utf16.size()) return broken(i);
      const uint16_t low = unit(i + 2);
      if (low < 0xdc00 || low > 0xdfff) return broken(i);
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      i += 2;
    }
    i += 2;
    if (cp < 0x80) {
      *o++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
      *o++ = static_cast<char>(0xc0 | cp >> 6);
      *o++ = static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      *o++ = static_cast<char>(0xe0 | cp >> 12);
      *o++ = static_cast<char>(0x80 | (cp >> 6 & 0x3f));
      *o++ = static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      *o++ = static_cast<char>(0xf0 | cp >> 18);
      *o++ = static_cast<char>(0x80 | (cp >> 12 & 0x3f));
      *o++ = static_cast<char>(0x80 | (cp >> 6 & 0x3f));
      *o++ = static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  out->resize(static_cast<size_t>(o - out->data()));
  return true;
}

Status DecodeUtf16LePiece(std::string_view bytes, size_t begin, size_t end,
                          std::string_view file_name, std::string* out) {
  out->clear();
  size_t bad = 0;
  if (!Utf16LeToUtf8(bytes.substr(begin, end - begin), out, &bad)) {
    return Status::InvalidArgument(
        std::string(file_name) +
        ": not valid UTF-16 LE text: the byte at offset " +
        std::to_string(begin + bad) +
        " ends the file early or is half of a broken surrogate pair");
  }
  if (out->find('\0') != std::string::npos) {
    return Status::InvalidArgument(
        std::string(file_name) +
        ": the text contains a NUL character (is it UTF-16 without a "
        "byte-order mark, or not text at all?)");
  }
  return Status::Ok();
}

Result<std::string> DecodeTextFile(std::string_view bytes,
                                   std::string_view file_name) {
  const std::string name(file_name);
  std::string text;
  if (bytes.starts_with("\xff\xfe")) {
    Status s = DecodeUtf16LePiece(bytes, 2, bytes.size(), file_name, &text);
    if (!s.ok()) return s;
  } else if (bytes.starts_with("\xfe\xff")) {
    return Status::InvalidArgument(
        name +
        ": UTF-16 big-endian text is not supported; save the file as "
        "UTF-16 LE (Unicode) or UTF-8");
  } else if (bytes.starts_with("\xef\xbb\xbf")) {
    text.assign(bytes.substr(3));
  } else {
    text.assign(bytes);
  }
  if (text.find('\0') != std::string::npos) {
    return Status::InvalidArgument(
        name +
        ": the text contains a NUL character (is it UTF-16 without a "
        "byte-order mark, or not text at all?)");
  }
  Status s = CheckUtf8Text(text, file_name);
  if (!s.ok()) return s;
  return text;
}

Status CheckUtf8Text(std::string_view text, std::string_view file_name) {
  const size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return Status::Ok();
  const std::string_view before = text.substr(0, bad);
  const size_t line =
      1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0
  size_t line_end = text.find('\n', bad);
  if (line_end == std::string_view::npos) line_end = text.size();
  // The quote shows the line from its first word when the bad byte is near
  // enough (a netsh label, a .reg value name), else from 30 bytes before it.
  size_t from = line_start;
  while (from < bad && (text[from] == ' ' || text[from] == '\t')) ++from;
  if (bad - from > 50) from = bad - 30;
  while (from > line_start &&
         (static_cast<uint8_t>(text[from]) & 0xc0) == 0x80) {
    --from;  // not in the middle of a character
  }
  const bool cut = from > line_start &&
                   TrimBlanks(text.substr(line_start, from - line_start)) != "";
  return Status::InvalidArgument(
      std::string(file_name) + ":" + std::to_string(line) +
      ": the byte at offset " + std::to_string(bad) + " (column " +
      std::to_string(bad - line_start + 1) +
      ") is not valid UTF-8: " + (cut ? "..." : "") +
      QuoteForMessage(text.substr(from, line_end - from), 60));
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace sslbind::internal
