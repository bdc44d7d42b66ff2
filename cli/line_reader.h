// Reading a script (-f FILE, or standard input) one line at a time, so that
// its memory is one line, whatever the file holds: blank lines and comments
// cost nothing, and a file too large for memory is an error, never a short
// read taken for the whole file.
#ifndef SSLBIND_CLI_LINE_READER_H_
#define SSLBIND_CLI_LINE_READER_H_

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace sslbind::cli {

// The longest script line: far above any netsh line (a few hundred bytes).
inline constexpr size_t kMaxLineBytes = 64 << 10;

class LineReader {
 public:
  // Opens `path` ("-": standard input). Throws CommandError::Input as
  // ReadInput does (file_io.h): NotFound, AccessDenied, a folder.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line as UTF-8, without its line end ("\n" or "\r\n"); false at
  // the end of the file. The text is decoded as DecodeText decodes a whole
  // file (sslbind/exchange.h): UTF-16 LE after its byte-order mark, a UTF-8
  // byte-order mark dropped. Throws CommandError::Input (error 87, naming
  // "FILE:LINE") for a line longer than kMaxLineBytes, a NUL character,
  // broken or big-endian UTF-16; IoError if the file cannot be read.
  bool Next(std::string* line);

  // The number of the line Next returned last (1 for the first).
  size_t line_number() const { return line_number_; }

 private:
  bool Fill();   // reads the next block; false at the end of the file
  void Start();  // looks at the byte-order mark
  [[noreturn]] void Fail(const std::string& what) const;

  std::string name_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::vector<char> buffer_;
  std::string raw_;  // the bytes of a UTF-16 line
  size_t pos_ = 0;
  size_t end_ = 0;
  bool started_ = false;
  bool utf16_ = false;
  size_t line_number_ = 0;
};

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_LINE_READER_H_
