// Internal: the text layer under the file formats -- byte-order marks,
// UTF-16 LE (the lines: formats/text_lines.h).
#ifndef SSLBIND_SRC_FORMATS_TEXT_CODEC_H_
#define SSLBIND_SRC_FORMATS_TEXT_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "sslbind/status.h"

namespace sslbind::internal {

// The bytes of a text file as UTF-8: UTF-16 LE with a byte-order mark is
// converted, a UTF-8 byte-order mark is dropped, anything else is taken as
// UTF-8. InvalidArgument (naming `file_name`) for a UTF-16 file with an odd
// length or a broken surrogate pair, a big-endian UTF-16 file, a NUL
// character in the text, or UTF-8 that is not valid (CheckUtf8Text).
Result<std::string> DecodeTextFile(std::string_view bytes,
                                   std::string_view file_name);

// Decodes bytes [begin, end) of a UTF-16 LE file (`bytes`: the whole of
// it, with its byte-order mark) into `*out`, replacing it; refused as
// DecodeTextFile refuses the whole file -- a broken surrogate pair or an
// odd end (the offset in the file), a NUL character.
Status DecodeUtf16LePiece(std::string_view bytes, size_t begin, size_t end,
                          std::string_view file_name, std::string* out);

// Ok if `text` is valid UTF-8; otherwise InvalidArgument
// "FILE:LINE: the byte at offset N (column C) is not valid UTF-8: '...'",
// quoting the line around the bad byte with sslbind::QuoteForMessage.
Status CheckUtf8Text(std::string_view text, std::string_view file_name);

// Appends the code point `cp` (at most U+10FFFF, not a surrogate) as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out);

// Appends `utf8` as UTF-16 LE. A byte that does not start a valid UTF-8
// sequence becomes U+FFFD.
void AppendUtf16Le(std::string_view utf8, std::string* out);

// Converts UTF-16 LE bytes (no byte-order mark) to UTF-8; false if the
// length is odd or a surrogate is unpaired, with the offset of the bad unit
// in `*bad_offset` when it is not null.
bool Utf16LeToUtf8(std::string_view utf16, std::string* out,
                   size_t* bad_offset = nullptr);

// `s` without leading and trailing spaces and tabs.
std::string_view TrimBlanks(std::string_view s);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_FORMATS_TEXT_CODEC_H_
