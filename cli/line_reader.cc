#include "line_reader.h"

#include <algorithm>
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

bool LineReader::Fill() {
  pos_ = 0;
  end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (end_ == 0 && std::ferror(file_)) {
    throw CommandError::Input(
        Status::IoError("cannot read " + name_ + ": " + std::strerror(errno)));
  }
  return end_ > 0;
}

void LineReader::Fail(const std::string& what) const {
  throw CommandError::Input(Status::InvalidArgument(
      name_ + ":" + std::to_string(line_number_) + ": " + what));
}

void LineReader::Start() {
  // The byte-order mark, if any, is taken off the front of the buffer.
  std::string head;
  while (head.size() < 3 && (pos_ < end_ || Fill())) {
    head.push_back(buffer_[pos_++]);
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
  // What is left of the head goes back before the rest of the buffer.
  buffer_.insert(buffer_.begin() + static_cast<long>(pos_), head.begin(),
                 head.end());
  end_ += head.size();
  buffer_.resize(std::max(buffer_.size(), size_t{1} << 16));
}

bool LineReader::Next(std::string* line) {
  if (!started_) {
    started_ = true;
    Start();
  }
  ++line_number_;
  // The line's bytes as the file holds them. UTF-8 is read straight into
  // `line` (one buffer for all lines: a blank line costs no allocation); a
  // line of UTF-16, or one holding a NUL, goes through DecodeText alone,
  // with the file's byte-order mark, as DecodeText decodes a file.
  std::string& raw = utf16_ ? raw_ : *line;
  raw.clear();
  bool ended = false;  // by a line feed, not by the end of the file
  const size_t max_raw = utf16_ ? 2 * kMaxLineBytes : kMaxLineBytes;
  auto too_long = [&] {
    Fail("the line is longer than " + std::to_string(kMaxLineBytes) +
         " bytes: not a netsh line");
  };
  if (!utf16_) {
    while (!ended && (pos_ < end_ || Fill())) {
      const char* start = buffer_.data() + pos_;
      const void* nl = std::memchr(start, '\n', end_ - pos_);
      size_t take =
          nl != nullptr
              ? static_cast<size_t>(static_cast<const char*>(nl) - start)
              : end_ - pos_;
      if (raw.size() + take > max_raw) too_long();
      raw.append(start, take);
      pos_ += take;
      if (nl != nullptr) {
        ++pos_;
        ended = true;
      }
    }
  } else {
    // Two bytes a unit; the line ends at the unit 0x000A.
    while (!ended && (pos_ < end_ || Fill())) {
      raw.push_back(buffer_[pos_++]);
      if (raw.size() % 2 == 0 && raw[raw.size() - 2] == '\n' &&
          raw.back() == '\0') {
        raw.resize(raw.size() - 2);
        ended = true;
      } else if (raw.size() > max_raw) {
        too_long();
      }
    }
  }
  if (!ended && raw.empty()) {
    --line_number_;
    return false;
  }
  if (utf16_ || std::memchr(raw.data(), '\0', raw.size()) != nullptr) {
    Result<std::string> text =
        DecodeText((utf16_ ? kUtf16LeMark : kUtf8Mark) + raw,
                   name_ + ":" + std::to_string(line_number_));
    if (!text.ok()) throw CommandError::Input(text.status());
    *line = std::move(*text);
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace sslbind::cli
