// See json_window.h.
#include "formats/json_window.h"

#include <algorithm>

#include "formats/text_codec.h"

namespace sslbind::internal {
namespace {

constexpr size_t kReportBytes = size_t{1} << 20;

bool IsHighSurrogate(std::string_view bytes, size_t unit) {
  const auto hi = static_cast<uint8_t>(bytes[unit + 1]);
  return hi >= 0xd8 && hi <= 0xdb;
}

}  // namespace

JsonWindow::JsonWindow(Utf16Le, std::string_view bytes,
                       std::string_view file_name,
                       std::function<void(size_t offset)> consumed,
                       size_t step_bytes)
    : bytes_(bytes),
      file_name_(file_name),
      consumed_(std::move(consumed)),
      step_bytes_(std::max<size_t>(4, step_bytes & ~size_t{1})),
      next_byte_(bytes.starts_with("\xff\xfe") ? 2 : 0) {}

Result<bool> JsonWindow::Grow() {
  if (next_byte_ >= bytes_.size()) return false;  // in place, or the end
  // A piece never ends inside a surrogate pair (the rest of the file may be
  // odd: its last byte is then refused).
  size_t end = next_byte_ + step_bytes_;
  if (end >= bytes_.size()) {
    end = bytes_.size();
  } else if (IsHighSurrogate(bytes_, end - 2)) {
    end -= 2;
  }
  Status s = DecodeUtf16LePiece(bytes_, next_byte_, end, file_name_, &piece_);
  if (!s.ok()) return s;
  next_byte_ = end;
  held_ += piece_;
  text_ = held_;
  if (consumed_ &&
      (next_byte_ - reported_ >= kReportBytes || next_byte_ == bytes_.size())) {
    reported_ = next_byte_;
    consumed_(next_byte_);
  }
  return true;
}

void JsonWindow::DropBefore(size_t offset) {
  if (bytes_.empty() || offset <= base_) return;  // in place: kept whole
  const size_t n = std::min(offset - base_, held_.size());
  const std::string_view dropped(held_.data(), n);
  dropped_newlines_ +=
      static_cast<size_t>(std::count(dropped.begin(), dropped.end(), '\n'));
  const size_t last = dropped.rfind('\n');
  if (last != std::string_view::npos) dropped_line_start_ = base_ + last + 1;
  held_.erase(0, n);
  text_ = held_;
  base_ += n;
}

size_t JsonWindow::NewlinesBefore(size_t offset) const {
  const std::string_view held = text_.substr(0, offset - base_);
  return dropped_newlines_ +
         static_cast<size_t>(std::count(held.begin(), held.end(), '\n'));
}

size_t JsonWindow::LineStartBefore(size_t offset) const {
  const std::string_view held = text_.substr(0, offset - base_);
  const size_t last = held.rfind('\n');
  return last == std::string_view::npos ? dropped_line_start_
                                        : base_ + last + 1;
}

}  // namespace sslbind::internal
