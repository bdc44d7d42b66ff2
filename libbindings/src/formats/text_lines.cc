// TextLines: a text file's lines, one at a time.
#include "formats/text_lines.h"

#include <algorithm>

#include "formats/text_codec.h"

namespace sslbind::internal {
namespace {

constexpr std::string_view kUtf8Bom = "\xef\xbb\xbf";
constexpr std::string_view kUtf16LeBom = "\xff\xfe";

}  // namespace

TextLines::TextLines(std::string_view bytes, std::string_view file_name,
                     PieceCheck check_utf8,
                     std::function<void(size_t offset)> consumed,
                     size_t piece_bytes)
    : bytes_(bytes),
      file_name_(file_name),
      check_utf8_(std::move(check_utf8)),
      consumed_(std::move(consumed)),
      piece_bytes_(piece_bytes < 2 ? 2 : piece_bytes) {
  if (bytes.starts_with(kUtf16LeBom)) {
    utf16_ = true;
    next_byte_ = kUtf16LeBom.size();
  } else {
    checked_up_to_ = bytes.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
    text_ = bytes.substr(checked_up_to_);
  }
}

Status TextLines::DecodePiece() {
  // Up to piece_bytes_ of code units (an even count), then on to the end
  // of the line: a piece never ends inside a surrogate pair or a line.
  const std::string_view units = bytes_.substr(next_byte_);
  size_t end = std::min(units.size(), piece_bytes_ & ~size_t{1});
  while (end < units.size() &&
         !(end >= 2 && units[end - 2] == '\n' && units[end - 1] == '\0')) {
    end += 2;
  }
  end = std::min(end, units.size());  // the rest, odd or not
  Status s = DecodeUtf16LePiece(bytes_, next_byte_, next_byte_ + end,
                                file_name_, &decoded_);
  if (!s.ok()) return s;
  next_byte_ += end;
  text_ = decoded_;
  return Status::Ok();
}

Result<std::optional<std::string_view>> TextLines::Next() {
  if (text_.empty() && utf16_ && next_byte_ < bytes_.size()) {
    Status s = DecodePiece();
    if (!s.ok()) return s;
  }
  const size_t read_up_to = utf16_ ? next_byte_ : bytes_.size() - text_.size();
  if (!utf16_ && read_up_to == checked_up_to_ && !text_.empty()) {
    // The next UTF-8 piece, to the end of a line, checked before its lines
    // are given.
    const size_t last = std::min(piece_bytes_, text_.size()) - 1;
    const size_t nl = text_.find('\n', last);
    const std::string_view piece =
        text_.substr(0, nl == std::string_view::npos ? text_.size() : nl + 1);
    if (check_utf8_) {
      Status s = check_utf8_(piece);
      if (!s.ok()) return s;
    }
    checked_up_to_ += piece.size();
  }
  if (consumed_ && read_up_to - reported_ >= piece_bytes_) {
    consumed_(read_up_to);
    reported_ = read_up_to;
  }
  if (text_.empty()) {
    if (consumed_ && reported_ < bytes_.size()) {
      consumed_(bytes_.size());
      reported_ = bytes_.size();
    }
    return std::optional<std::string_view>();
  }
  // At "\n", a "\r" before it dropped; a last line without "\n" kept.
  const size_t nl = text_.find('\n');
  std::string_view line = text_.substr(0, nl);
  text_.remove_prefix(nl == std::string_view::npos ? text_.size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_number_;
  return std::optional<std::string_view>(line);
}

}  // namespace sslbind::internal
