// Internal: a strict, streaming JSON reader (RFC 8259).
//
// ReadJson walks the text once and calls a handler for each event, as a SAX
// parser does, without building a tree. Strings without escapes are handed
// over as views into the text. It exists because importing 100k bindings
// (92 MB of JSON) must take well under 2 s: nlohmann::json's SAX parser
// reads about 120 MB/s on the reference machine, this reader about 780 MB/s
// (bench/json_reader_bench, docs/performance.md). tests/json_reader_test.cc
// checks it against nlohmann::json, input by input.
//
// What it accepts is exactly JSON: one value, optionally surrounded by
// blanks; objects, arrays, strings (escapes, \u with surrogate pairs, valid
// UTF-8, no raw control characters), numbers, true, false, null -- nested
// at most 1000 arrays and objects deep (deeper is a syntax error at the
// container that goes too deep); reading needs no recursion.
#ifndef SSLBIND_SRC_FORMATS_JSON_READER_H_
#define SSLBIND_SRC_FORMATS_JSON_READER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace sslbind::internal {

enum class JsonNumber : uint8_t {
  kUnsigned,  // a whole number from 0 to 2^64 - 1; the value is given
  kNegative,  // a negative whole number
  kFraction,  // with a fraction or an exponent
  kTooLarge,  // a whole number above 2^64 - 1
};

// Each call returns false to stop reading (ReadJson then returns kStopped).
// A view passed to String or Key is valid during the call only.
class JsonHandler {
 public:
  virtual ~JsonHandler() = default;
  virtual bool Null() = 0;
  virtual bool Bool(bool value) = 0;
  virtual bool Number(JsonNumber kind, uint64_t value) = 0;
  virtual bool String(std::string_view value) = 0;
  virtual bool StartObject() = 0;
  virtual bool Key(std::string_view name) = 0;
  virtual bool EndObject() = 0;
  virtual bool StartArray() = 0;
  virtual bool EndArray() = 0;
};

struct JsonReadResult {
  enum class Outcome { kOk, kStopped, kSyntaxError };
  Outcome outcome = Outcome::kOk;
  // kSyntaxError: where (1-based; the column counts bytes) and what.
  size_t line = 0;
  size_t column = 0;
  std::string message;
};

JsonReadResult ReadJson(std::string_view text, JsonHandler& handler);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_FORMATS_JSON_READER_H_
