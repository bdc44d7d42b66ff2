// sslbind/text.h: the text rules every input and every message share: UTF-8,
// ASCII case folding and hex digits.
//
// Stored text is valid UTF-8 (see docs/reference.md, "Text"); every reader
// of outside input checks it with FindInvalidUtf8 before it lands. Messages
// that repeat a value the user gave quote it with QuoteForMessage, so that a
// 200 MB value or an ESC byte never reaches a terminal as it is.
// Plain functions; thread-safe.
#ifndef SSLBIND_TEXT_H_
#define SSLBIND_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sslbind {

// The offset of the first byte of `text` that does not start or continue a
// well-formed UTF-8 sequence (an overlong form, a surrogate, a code point
// above U+10FFFF and a truncated sequence all count), or std::string_view::npos
// when `text` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);

// True when FindInvalidUtf8(text) finds nothing.
bool IsValidUtf8(std::string_view text);

// The code point of the UTF-8 character at text[*offset] (which must be
// inside `text`), moving *offset past it. A byte that does not start a
// well-formed sequence (see FindInvalidUtf8) gives U+FFFD and moves *offset
// by that one byte.
char32_t DecodeUtf8(std::string_view text, size_t* offset);

// `text` made valid UTF-8: every byte that FindInvalidUtf8 would stop at is
// replaced by U+FFFD. Valid text comes back unchanged.
std::string ToValidUtf8(std::string_view text);

// `text` safe to print as it is, whole: control characters (C0, DEL, C1) as
// \n, \r, \t, \e or \xHH and bytes that are not valid UTF-8 as \xHH; other
// UTF-8, backslashes included, is kept. For text that is shown in full, such
// as a journaled command line.
std::string EscapeForTerminal(std::string_view text);

// `value` between single quotes, safe to print: control characters (C0, DEL,
// C1) as \n, \r, \t, \e or \xHH, a backslash as \\, a quote as \', bytes that
// are not valid UTF-8 as \xHH; other UTF-8 is kept. A value of more than
// `max_bytes` bytes is cut (at a character boundary) and followed by
// "... (N bytes)", N being the full length; the result is then at most about
// 4 * max_bytes + 24 bytes long, whatever the input.
std::string QuoteForMessage(std::string_view value, size_t max_bytes = 80);

// ASCII lower case: A-Z become a-z, every other byte (UTF-8 included) is
// kept. How registry key and value names, netsh parameter names and host
// names compare.
std::string FoldCase(std::string_view name);

// True if the names are equal ignoring ASCII case, i.e. FoldCase(a) ==
// FoldCase(b), without allocating.
bool NamesEqual(std::string_view a, std::string_view b);

// Lower-case hex of the bytes, two digits a byte, no separators.
std::string HexLower(const std::vector<uint8_t>& bytes);

}  // namespace sslbind

#endif  // SSLBIND_TEXT_H_
