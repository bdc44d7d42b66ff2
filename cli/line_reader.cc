#include "line_reader.h"

#include <cerrno>
#include <cstring>

#include "command_error.h"
#include "file_io.h"
#include "sslbind/exchange.h"

namespace sslbind::cli {
namespace {

constexpr char kUtf16LeMark[] = "\xff\xfe";
constexpr char kUtf8Mark[] = "\xef\xbb\xbf";

}  // namespace

LineReader::LineReader(const std::string& path)
    : name_(InputName(path)), file_(OpenInput(path)), owned_(path != "-") {
  buffer_.resize(1 << 16);
}

LineReader::~LineReader() {
  if (owned_) std::fclose(file_);
}

int LineReader::GetByte() {
  if (!pushed_back_.empty()) {
    int c = static_cast<unsigned char>(pushed_back_.front());
    pushed_back_.erase(0, 1);
    return c;
  }
  if (pos_ == end_) {
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    pos_ = 0;
    if (end_ == 0) {
      if (std::ferror(file_)) {
        throw CommandError::Input(Status::IoError("cannot read " + name_ +
                                                  ": " + std::strerror(errno)));
      }
      return EOF;
    }
  }
  return static_cast<unsigned char>(buffer_[pos_++]);
}

void LineReader::Fail(const std::string& what) const {
  throw CommandError::Input(Status::InvalidArgument(
      name_ + ":" + std::to_string(line_number_) + ": " + what));
}

bool LineReader::Next(std::string* line) {
  // The line's bytes as the file holds them; a line of UTF-16 is decoded
  // alone, with the file's byte-order mark, as DecodeText decodes a file.
  std::string raw;
  if (!started_) {
    started_ = true;
    // The byte-order mark, if any; other bytes go back to be read.
    std::string head;
    for (int c; head.size() < 3 && (c = GetByte()) != EOF;) {
      head.push_back(static_cast<char>(c));
    }
    if (head.starts_with(kUtf16LeMark)) {
      utf16_ = true;
      head.erase(0, 2);
    } else if (head.starts_with("\xfe\xff")) {
      line_number_ = 1;
      throw CommandError::Input(DecodeText(head, name_).status());
    } else if (head == kUtf8Mark) {
      head.clear();
    }
    pushed_back_ = std::move(head);
  }
  ++line_number_;
  bool ended = false;  // by a line feed, not by the end of the file
  const size_t max_raw = utf16_ ? 2 * kMaxLineBytes : kMaxLineBytes;
  auto line_feed_at_end = [&] {
    return utf16_ ? raw.size() % 2 == 0 && raw.size() >= 2 &&
                        raw[raw.size() - 2] == '\n' && raw.back() == '\0'
                  : !raw.empty() && raw.back() == '\n';
  };
  for (int c; (c = GetByte()) != EOF;) {
    raw.push_back(static_cast<char>(c));
    if (line_feed_at_end()) {
      ended = true;
      break;
    }
    if (raw.size() > max_raw) {
      Fail("the line is longer than " + std::to_string(kMaxLineBytes) +
           " bytes: not a netsh line");
    }
  }
  if (!ended && raw.empty()) {
    --line_number_;
    return false;
  }
  if (ended) raw.resize(raw.size() - (utf16_ ? 2 : 1));
  Result<std::string> text =
      DecodeText((utf16_ ? kUtf16LeMark : kUtf8Mark) + raw,
                 name_ + ":" + std::to_string(line_number_));
  if (!text.ok()) throw CommandError::Input(text.status());
  *line = std::move(*text);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace sslbind::cli
