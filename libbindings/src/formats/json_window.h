// Internal: the text of a JSON document as its piece reader
// (ReadJsonBindings, json_format.cc) sees it -- a window from the first
// byte of the piece being read, grown as the cutter looks for the next cut
// and dropped behind each piece read -- so that a document decoded from
// UTF-16 is never held whole, whatever its lines. UTF-8 text is one window
// over the whole of it, in place.
#ifndef SSLBIND_SRC_FORMATS_JSON_WINDOW_H_
#define SSLBIND_SRC_FORMATS_JSON_WINDOW_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "sslbind/status.h"

namespace sslbind::internal {

class JsonWindow {
 public:
  // The whole of `text` (UTF-8, which outlives the window), in place: it
  // never grows.
  explicit JsonWindow(std::string_view text) : text_(text) {}
  // The text of the UTF-16 LE file `bytes` (with its byte-order mark; it
  // outlives the window), decoded `step_bytes` of the file at a time (at
  // least 4, even; ReadBindings gives 64 KiB, or less for small pieces) as
  // the window grows. `consumed`, if set, is told the offset in `bytes` up
  // to which the file has been decoded, about every MiB and at its end.
  struct Utf16Le {};
  JsonWindow(Utf16Le, std::string_view bytes, std::string_view file_name,
             std::function<void(size_t offset)> consumed, size_t step_bytes);
  JsonWindow(const JsonWindow&) = delete;
  JsonWindow& operator=(const JsonWindow&) = delete;

  // The text held: from offset base() of the whole text on.
  std::string_view text() const { return text_; }
  size_t base() const { return base_; }
  // Appends more of the text; false at its end, or the failure of decoding
  // it (DecodeUtf16LePiece's message: the offset in the file).
  // Invalidates text().
  Result<bool> Grow();
  // Forgets the text before offset `offset` (at least base(), at most the
  // end of text()).
  void DropBefore(size_t offset);

  // For messages, of an offset at least base(): the number of "\n" in the
  // whole text before it, and the offset just after the last of them.
  size_t NewlinesBefore(size_t offset) const;
  size_t LineStartBefore(size_t offset) const;

 private:
  // UTF-16: the file, the next byte to decode, the last offset reported.
  std::string_view bytes_;
  std::string file_name_;
  std::function<void(size_t)> consumed_;
  size_t step_bytes_ = 0;
  size_t next_byte_ = 0;
  size_t reported_ = 0;
  std::string held_;   // the window's text, decoded
  std::string piece_;  // the last piece decoded
  std::string_view text_;
  size_t base_ = 0;
  // Of the text dropped: its "\n" count, and the offset after the last.
  size_t dropped_newlines_ = 0;
  size_t dropped_line_start_ = 0;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_FORMATS_JSON_WINDOW_H_
