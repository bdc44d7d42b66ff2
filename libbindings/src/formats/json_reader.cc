// ReadJson over simdjson's On-Demand API: simdjson finds the structure and
// checks the strings, numbers and UTF-8; this file walks the document in
// order with a stack of the open containers (no recursion) and turns the
// first error simdjson reports into a line, a column and a message.
#include "formats/json_reader.h"

#include <simdjson.h>

#include <charconv>
#include <tuple>
#include <utility>
#include <vector>

#include "model/text_rules.h"

namespace sslbind::internal {
namespace {

namespace od = simdjson::ondemand;

// One open container: its iterator and its end.
struct Frame {
  bool object;
  od::array_iterator array_at;
  od::array_iterator array_end;
  od::object_iterator object_at;
  od::object_iterator object_end;
};

// The deepest nesting of arrays and objects read: within simdjson's default
// maximum depth (1024), which its On-Demand iterator must not exceed.
constexpr size_t kMaxNesting = 1000;

// What was expected where an error is found.
enum class Expected { kValue, kKey, kColon, kArrayNext, kObjectNext, kEnd };

class Walker {
 public:
  Walker(std::string_view text, JsonHandler& handler)
      : text_(text), handler_(handler) {}

  JsonReadResult Run() {
    // simdjson reads up to 64 bytes past the end: a padded copy.
    simdjson::padded_string padded(text_);
    base_ = padded.data();
    od::parser parser;
    od::document doc;
    simdjson::error_code error = parser.iterate(padded).get(doc);
    if (error) return StageOneError(error);
    doc_ = &doc;
    od::value root;
    error = doc.get_value().get(root);
    if (error) {
      // A scalar document (or nothing at all): simdjson reads it through
      // the document itself.
      return RootScalar(doc, error);
    }
    if (!Value(root)) return result_;
    while (!stack_.empty()) {
      if (!Advance()) return result_;
    }
    if (!AtEnd(doc)) return AfterEnd(doc);
    return JsonReadResult{};
  }

 private:
  // Handles one value; a container is pushed and its first member read by
  // Advance. False: stop (result_ says why).
  bool Value(od::value& v) {
    od::json_type type;
    if (auto error = v.type().get(type)) return Fail(error, Expected::kValue);
    if ((type == od::json_type::array || type == od::json_type::object) &&
        stack_.size() >= kMaxNesting) {
      return Fail(simdjson::DEPTH_ERROR, Expected::kValue,
                  Token(v.raw_json_token()).data());
    }
    switch (type) {
      case od::json_type::array: {
        od::array array;
        if (auto error = v.get_array().get(array)) {
          return Fail(error, Expected::kValue);
        }
        if (!handler_.StartArray()) return Stop();
        Frame f{};
        f.object = false;
        if (auto error = array.begin().get(f.array_at)) {
          return Fail(error, Expected::kValue);
        }
        if (auto error = array.end().get(f.array_end)) {
          return Fail(error, Expected::kValue);
        }
        stack_.push_back(f);
        first_ = true;
        return true;
      }
      case od::json_type::object: {
        od::object object;
        if (auto error = v.get_object().get(object)) {
          return Fail(error, Expected::kValue);
        }
        if (!handler_.StartObject()) return Stop();
        Frame f{};
        f.object = true;
        if (auto error = object.begin().get(f.object_at)) {
          return Fail(error, Expected::kKey);
        }
        if (auto error = object.end().get(f.object_end)) {
          return Fail(error, Expected::kKey);
        }
        stack_.push_back(f);
        first_ = true;
        return true;
      }
      case od::json_type::string: {
        std::string_view token = Token(v.raw_json_token());
        std::string_view s;
        if (Plain(token, &s)) {
          od::raw_json_string raw;  // consumes the value
          if (auto error = v.get_raw_json_string().get(raw)) {
            return Fail(error, Expected::kValue, token.data());
          }
        } else if (auto error = v.get_string().get(s)) {
          return Fail(error, Expected::kValue, token.data());
        }
        return handler_.String(s) || Stop();
      }
      case od::json_type::number: {
        od::number n;
        std::string_view token = Token(v.raw_json_token());
        if (auto error = v.get_number().get(n)) {
          return NumberError(error, token);
        }
        return Number(n, token) || Stop();
      }
      case od::json_type::boolean: {
        bool b;
        std::string_view token = Token(v.raw_json_token());
        if (auto error = v.get_bool().get(b)) {
          return Fail(error, Expected::kValue, token.data());
        }
        return handler_.Bool(b) || Stop();
      }
      case od::json_type::null: {
        bool is_null = false;
        std::string_view token = Token(v.raw_json_token());
        if (auto error = v.is_null().get(is_null); error || !is_null) {
          return Fail(error ? error : simdjson::N_ATOM_ERROR, Expected::kValue,
                      token.data());
        }
        return handler_.Null() || Stop();
      }
    }
    return Fail(simdjson::TAPE_ERROR, Expected::kValue);
  }

  // Reads the next member of the innermost container, or closes it.
  bool Advance() {
    Frame& f = stack_.back();
    const bool first = first_;
    first_ = false;
    if (!f.object) {
      if (!first) ++f.array_at;
      if (!(f.array_at != f.array_end)) {
        stack_.pop_back();
        return handler_.EndArray() || Stop();
      }
      od::value v;
      if (auto error = (*f.array_at).get(v)) {
        return Fail(error, first ? Expected::kValue : Expected::kArrayNext);
      }
      return Value(v);
    }
    if (!first) ++f.object_at;
    if (!(f.object_at != f.object_end)) {
      stack_.pop_back();
      return handler_.EndObject() || Stop();
    }
    od::field field;
    if (auto error = (*f.object_at).get(field)) {
      return Fail(error, first ? Expected::kKey : Expected::kObjectNext);
    }
    std::string_view key = PlainKey(field.key().raw());
    if (key.data() == nullptr) {
      if (auto error = field.unescaped_key().get(key)) {
        return Fail(error, Expected::kKey);
      }
    }
    if (!handler_.Key(key)) return Stop();
    return Value(field.value());
  }

  // simdjson refused a number: a whole number above 2^64 - 1 (which JSON
  // allows), a number cut by the end of the input (simdjson wants a
  // delimiter after it), or a malformed one.
  bool NumberError(simdjson::error_code error, std::string_view token) {
    if (!IsNumber(token)) return Fail(error, Expected::kValue, token.data());
    if (token.data() + token.size() == base_ + text_.size() &&
        !stack_.empty()) {
      Syntax(text_.size(),
             stack_.back().object ? Expected::kObjectNext : Expected::kArrayNext,
             simdjson::INCOMPLETE_ARRAY_OR_OBJECT);
      return false;
    }
    if (token.find_first_of(".eE") != std::string_view::npos) {
      return handler_.Number(JsonNumber::kFraction, 0) || Stop();
    }
    return handler_.Number(token.starts_with('-') ? JsonNumber::kNegative
                                                  : JsonNumber::kTooLarge,
                           0) ||
           Stop();
  }

  // True if `token` is a number by the grammar of RFC 8259 section 6:
  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  static bool IsNumber(std::string_view token) {
    size_t i = 0;
    auto digits = [&] {
      size_t start = i;
      while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i;
      return i - start;
    };
    if (i < token.size() && token[i] == '-') ++i;
    if (i < token.size() && token[i] == '0') {
      ++i;
    } else if (digits() == 0) {
      return false;
    }
    if (i < token.size() && token[i] == '.') {
      ++i;
      if (digits() == 0) return false;
    }
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
      ++i;
      if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
      if (digits() == 0) return false;
    }
    return i == token.size();
  }

  // Most strings have no escape: they are handed over as views into the
  // (padded copy of the) text, not unescaped into simdjson's buffer, which
  // spares the copy and the memory it touches. True, with *out, for a
  // string token "..." without a backslash (simdjson's first stage has
  // checked its UTF-8 and that it has no raw control character).
  static bool Plain(std::string_view token, std::string_view* out) {
    if (token.size() < 2 || token.back() != '"' ||
        token.find('\\') != std::string_view::npos) {
      return false;
    }
    *out = token.substr(1, token.size() - 2);
    return true;
  }

  // The key starting at `raw` (after its opening quote) as a view when it
  // has no escape; a null view otherwise.
  std::string_view PlainKey(const char* raw) const {
    const char* end = base_ + text_.size();
    for (const char* p = raw; p < end; ++p) {
      if (*p == '"') return std::string_view(raw, static_cast<size_t>(p - raw));
      if (*p == '\\') break;
    }
    return {};
  }

  // A number: its kind from simdjson's type and, for a float, from the
  // text (a whole number above 2^64 - 1 is read as a float).
  bool Number(od::number& n, std::string_view token) {
    switch (n.get_number_type()) {
      case od::number_type::unsigned_integer:
        return handler_.Number(JsonNumber::kUnsigned, n.get_uint64());
      case od::number_type::signed_integer: {
        int64_t v = n.get_int64();
        if (v < 0) return handler_.Number(JsonNumber::kNegative, 0);
        return handler_.Number(JsonNumber::kUnsigned,
                               static_cast<uint64_t>(v));
      }
      case od::number_type::floating_point_number:
        break;
    }
    bool whole = token.find_first_of(".eE") == std::string_view::npos;
    if (!whole) return handler_.Number(JsonNumber::kFraction, 0);
    if (token.starts_with('-')) {
      // "-0" is the whole number 0, as RFC 8259 parsers read it.
      return token.find_first_not_of("-0") == std::string_view::npos
                 ? handler_.Number(JsonNumber::kUnsigned, 0)
                 : handler_.Number(JsonNumber::kNegative, 0);
    }
    return handler_.Number(JsonNumber::kTooLarge, 0);
  }

  // A scalar at the root, read through the document.
  JsonReadResult RootScalar(od::document& doc, simdjson::error_code error) {
    if (error != simdjson::SCALAR_DOCUMENT_AS_VALUE) {
      Fail(error, Expected::kValue);
      return result_;
    }
    od::json_type type;
    if (auto e = doc.type().get(type)) {
      Fail(e, Expected::kValue);
      return result_;
    }
    const std::string_view token = Token(doc.raw_json_token());
    bool ok = true;
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (auto e = doc.get_string().get(s)) return Failed(e);
        ok = handler_.String(s);
        break;
      }
      case od::json_type::number: {
        od::number n;
        if (auto e = doc.get_number().get(n)) {
          if (!NumberError(e, token)) return result_;
        } else {
          ok = Number(n, token);
        }
        break;
      }
      case od::json_type::boolean: {
        bool b;
        if (auto e = doc.get_bool().get(b)) return Failed(e);
        ok = handler_.Bool(b);
        break;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (auto e = doc.is_null().get(is_null); e || !is_null) {
          return Failed(e ? e : simdjson::N_ATOM_ERROR);
        }
        ok = handler_.Null();
        break;
      }
      default:
        return Failed(simdjson::TAPE_ERROR);
    }
    if (!ok) {
      Stop();
      return result_;
    }
    // Only blanks may follow (simdjson reads a scalar document alone).
    const size_t end = Offset(token.data()) + token.size();
    const size_t next = text_.find_first_not_of(" \t\r\n", end);
    if (token.empty() || next != std::string_view::npos) {
      Syntax(token.empty() ? 0 : next, Expected::kEnd,
             simdjson::TRAILING_CONTENT);
      return result_;
    }
    return JsonReadResult{};
  }

  JsonReadResult Failed(simdjson::error_code error) {
    Fail(error, Expected::kValue);
    return result_;
  }

  // True if nothing but blanks follows the root value.
  static bool AtEnd(od::document& doc) {
    return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
  }

  JsonReadResult AfterEnd(od::document& doc) {
    const char* at = nullptr;
    if (doc.current_location().get(at)) at = nullptr;
    Syntax(Offset(at), Expected::kEnd, simdjson::TRAILING_CONTENT);
    return result_;
  }

  // The token without the blanks simdjson keeps after it.
  static std::string_view Token(simdjson::simdjson_result<std::string_view> r) {
    std::string_view token;
    if (std::move(r).get(token)) return {};
    size_t end = token.find_last_not_of(" \t\r\n");
    return token.substr(0, end == std::string_view::npos ? 0 : end + 1);
  }

  // The offset of `at` in the text; the end of the text when unknown.
  size_t Offset(const char* at) const {
    if (at == nullptr || at < base_ || at > base_ + text_.size()) {
      return text_.size();
    }
    return static_cast<size_t>(at - base_);
  }

  // Stage 1 errors (the document as a whole): simdjson gives no place, so
  // the first one is looked for here.
  JsonReadResult StageOneError(simdjson::error_code error) {
    switch (error) {
      case simdjson::EMPTY:
        Syntax(text_.size(), Expected::kValue, error);
        break;
      case simdjson::UNCLOSED_STRING:
        Syntax(text_.size(), Expected::kValue, error);
        break;
      case simdjson::UNESCAPED_CHARS:
      case simdjson::UTF8_ERROR:
        // At the bad byte itself, even a raw newline or tab in a string.
        Syntax(FirstBadStringByte(), Expected::kValue, error,
               /*skip_blanks=*/false);
        break;
      default:
        Syntax(0, Expected::kValue, error);
    }
    return result_;
  }

  // The first control character inside a string, or the first byte that
  // does not start well-formed UTF-8 (the error path only).
  size_t FirstBadStringByte() const {
    bool in_string = false;
    for (size_t i = 0; i < text_.size(); ++i) {
      const auto c = static_cast<unsigned char>(text_[i]);
      if (in_string && c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = !in_string;
      } else if (in_string && c < 0x20) {
        return i;
      } else if (c >= 0x80) {
        // A well-formed sequence is passed whole: its continuation bytes
        // are no fault.
        const size_t length = Utf8SequenceLength(text_.substr(i));
        if (length == 0) return i;
        i += length - 1;
      }
    }
    return text_.size();
  }

  // Records the error simdjson reported while reading what `expected` says,
  // at `at` if given, else where simdjson stopped. Returns false.
  bool Fail(simdjson::error_code error, Expected expected,
            const char* at = nullptr) {
    if (at == nullptr && doc_ != nullptr &&
        doc_->current_location().get(at)) {
      at = nullptr;
    }
    Syntax(Offset(at), expected, error);
    return false;
  }

  bool Stop() {
    result_ = JsonReadResult{};
    result_.outcome = JsonReadResult::Outcome::kStopped;
    return false;
  }

  // "unexpected 'x'" for the character at `pos`.
  std::string Unexpected(size_t pos) const {
    unsigned char c = static_cast<unsigned char>(text_[pos]);
    if (c < 0x20 || c >= 0x7f) {
      std::string text = "unexpected byte 0x";
      AppendHexByte(c, &text);
      return text;
    }
    return std::string("unexpected '") + static_cast<char>(c) + "'";
  }

  static std::string ExpectedText(Expected expected) {
    switch (expected) {
      case Expected::kValue: return "a value";
      case Expected::kKey: return "a key in double quotes";
      case Expected::kColon: return "':'";
      case Expected::kArrayNext: return "',' or ']'";
      case Expected::kObjectNext: return "',' or '}'";
      case Expected::kEnd: return "";
    }
    return "";
  }

  // The message for an error at `pos`.
  std::string Message(size_t pos, Expected expected,
                      simdjson::error_code error) const {
    switch (error) {
      case simdjson::UNCLOSED_STRING:
        return "unexpected end of input inside a string (a missing closing "
               "quote?)";
      case simdjson::UNESCAPED_CHARS:
        return "invalid string: a control character must be written as an "
               "escape (\\n, \\t, \\u0001, ...)";
      case simdjson::UTF8_ERROR:
        return "invalid string: not valid UTF-8";
      case simdjson::STRING_ERROR:
        return "invalid string";  // Syntax says which escape
      case simdjson::NUMBER_ERROR:
        return "invalid number";
      case simdjson::DEPTH_ERROR:
        return "arrays and objects nested deeper than " +
               std::to_string(kMaxNesting) + " levels";
      case simdjson::TRAILING_CONTENT:
        return Unexpected(pos) + " after the end of the document";
      default:
        break;
    }
    if (pos >= text_.size() || CutLiteral(pos)) {
      return "unexpected end of input; expected " + ExpectedText(expected);
    }
    // In an object simdjson stops at the token it could not use; what was
    // expected follows from that token and the one before it.
    if (expected == Expected::kKey || expected == Expected::kObjectNext) {
      const char c = text_[pos];
      const char before = Previous(pos);
      if (before == '"' && c != ':' && expected == Expected::kKey) {
        expected = Expected::kColon;
      } else if (before == ',' || before == '{') {
        expected = Expected::kKey;
      } else if (before == ':') {
        expected = Expected::kValue;
      }
    }
    return Unexpected(pos) + "; expected " + ExpectedText(expected);
  }

  // True if the text ends inside a literal at `pos` ("tr" of "true").
  bool CutLiteral(size_t pos) const {
    std::string_view rest = text_.substr(pos);
    for (std::string_view word : {"true", "false", "null"}) {
      if (rest.size() < word.size() && word.starts_with(rest)) return true;
    }
    return false;
  }

  // The first bad escape of the string whose opening quote is at `quote`:
  // where it is and what is wrong (simdjson says only that one is bad).
  std::pair<size_t, std::string> BadEscape(size_t quote) const {
    static constexpr const char* kUnpaired =
        "invalid string: a high surrogate \\uD800..\\uDBFF must be followed "
        "by a low one \\uDC00..\\uDFFF";
    auto hex4 = [&](size_t at, uint32_t* out) {
      if (text_.size() < at + 4) return false;
      const char* first = text_.data() + at;
      auto [end, error] = std::from_chars(first, first + 4, *out, 16);
      return error == std::errc() && end == first + 4;
    };
    for (size_t i = quote + 1; i + 1 < text_.size() && text_[i] != '"'; ++i) {
      if (text_[i] != '\\') continue;
      const char e = text_[++i];
      if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
        continue;
      }
      if (e != 'u') {
        return {i, "invalid string: '\\" + std::string(1, e) +
                       "' is not an escape"};
      }
      uint32_t cp = 0;
      if (!hex4(i + 1, &cp)) {
        return {i + 1, "invalid string: \\u needs four hex digits"};
      }
      i += 4;
      if (cp >= 0xdc00 && cp <= 0xdfff) {
        return {i + 1,
                "invalid string: a low surrogate \\uDC00..\\uDFFF without a "
                "high one before it"};
      }
      if (cp >= 0xd800 && cp <= 0xdbff) {
        uint32_t low = 0;
        if (text_.substr(i + 1, 2) != "\\u" || !hex4(i + 3, &low) ||
            low < 0xdc00 || low > 0xdfff) {
          return {i + 1, kUnpaired};
        }
        i += 6;
      }
    }
    return {quote, "invalid string"};
  }

  // The last non-blank byte before `pos`, or 0.
  char Previous(size_t pos) const {
    while (pos > 0) {
      char c = text_[--pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c;
    }
    return 0;
  }

  // The error is at the first non-blank byte from `pos` (`skip_blanks`),
  // or at `pos`.
  void Syntax(size_t pos, Expected expected, simdjson::error_code error,
              bool skip_blanks = true) {
    while (skip_blanks && pos < text_.size() &&
           (text_[pos] == ' ' || text_[pos] == '\n' || text_[pos] == '\r' ||
            text_[pos] == '\t')) {
      ++pos;
    }
    std::string message;
    if (error == simdjson::STRING_ERROR && pos < text_.size() &&
        text_[pos] == '"') {
      std::tie(pos, message) = BadEscape(pos);
    } else {
      message = Message(pos, expected, error);
    }
    JsonReadResult r;
    r.outcome = JsonReadResult::Outcome::kSyntaxError;
    r.line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos; ++i) {
      if (text_[i] == '\n') {
        ++r.line;
        line_start = i + 1;
      }
    }
    r.column = pos - line_start + 1;
    r.message = std::move(message);
    result_ = std::move(r);
  }

  std::string_view text_;
  JsonHandler& handler_;
  const char* base_ = nullptr;  // the padded copy of text_
  od::document* doc_ = nullptr;
  std::vector<Frame> stack_;
  bool first_ = false;  // the innermost container was just opened
  JsonReadResult result_;
};

}  // namespace

JsonReadResult ReadJson(std::string_view text, JsonHandler& handler) {
  return Walker(text, handler).Run();
}

}  // namespace sslbind::internal
