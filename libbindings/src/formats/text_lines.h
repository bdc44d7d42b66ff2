// Internal: the lines of a text file, one at a time, for the readers of
// line formats (.reg, netsh), so that a file of a million bindings is never
// held whole -- neither its lines nor, for UTF-16, its decoded text.
#ifndef SSLBIND_SRC_FORMATS_TEXT_LINES_H_
#define SSLBIND_SRC_FORMATS_TEXT_LINES_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sslbind/status.h"

namespace sslbind::internal {

// The lines of DecodeTextFile(bytes), in order, split at "\n" with a "\r"
// before it removed (a last line without "\n" is kept, a last empty one is
// not produced): UTF-8 text (a byte-order mark skipped) is split in place;
// UTF-16 LE text (with its byte-order mark) is decoded a piece of about
// `piece_bytes` at a time, cut after a line. Either way the text is
// checked a piece at a time, before its lines are given: a UTF-16 piece
// that is not valid or holds a NUL gets DecodeTextFile's message (its
// offsets in the whole file); a UTF-8 piece goes to `check_utf8`, whose
// status is returned if not OK. So a file is never read whole, also not to
// check it.
class TextLines {
 public:
  using PieceCheck = std::function<Status(std::string_view piece)>;
  // `bytes` stays alive and unchanged while the lines are read; `consumed`,
  // if set, is called with the offset in `bytes` up to which the text has
  // been read, about every piece_bytes.
  TextLines(std::string_view bytes, std::string_view file_name,
            PieceCheck check_utf8,
            std::function<void(size_t offset)> consumed = {},
            size_t piece_bytes = size_t{1} << 20);

  // The next line (valid until the next call), nullopt after the last.
  Result<std::optional<std::string_view>> Next();
  // The number of the line Next() gave last, from 1.
  size_t line_number() const { return line_number_; }

 private:
  // Decodes the next UTF-16 piece into text_.
  Status DecodePiece();

  std::string_view bytes_;
  std::string file_name_;
  PieceCheck check_utf8_;
  std::function<void(size_t)> consumed_;
  size_t piece_bytes_;
  size_t checked_up_to_ = 0;  // UTF-8: of bytes_, the end of the checked text
  bool utf16_ = false;
  size_t next_byte_ = 0;   // UTF-16: of bytes_, the first not decoded yet
  std::string decoded_;    // UTF-16: the current piece, as UTF-8
  std::string_view text_;  // what is left to split of the current piece
  size_t reported_ = 0;    // the last offset given to consumed_
  size_t line_number_ = 0;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_FORMATS_TEXT_LINES_H_
