// ReadJson: an iterative reader over one string, with a stack of the open
// containers.
#include "formats/json_reader.h"

#include <vector>

#include "formats/text_codec.h"
#include "model/text_rules.h"

namespace sslbind::internal {
namespace {

class Reader {
 public:
  Reader(std::string_view text, JsonHandler& handler)
      : s_(text), handler_(handler) {}

  JsonReadResult Run() {
    enum class Next { kValue, kKey, kAfterValue };
    Next next = Next::kValue;
    while (true) {
      SkipBlanks();
      switch (next) {
        case Next::kValue: {
          if (AtEnd())
            return Syntax("unexpected end of input; expected a value");
          char c = s_[pos_];
          if (c == '{' || c == '[') {
            ++pos_;
            bool object = c == '{';
            if (!(object ? handler_.StartObject() : handler_.StartArray())) {
              return Stopped();
            }
            stack_.push_back(c);
            SkipBlanks();
            if (!AtEnd() && s_[pos_] == (object ? '}' : ']')) {
              ++pos_;
              stack_.pop_back();
              if (!(object ? handler_.EndObject() : handler_.EndArray())) {
                return Stopped();
              }
              next = Next::kAfterValue;
            } else {
              next = object ? Next::kKey : Next::kValue;
            }
            continue;
          }
          bool ok = true;
          if (c == '"') {
            std::string_view str;
            if (!ReadString(&str)) return error_;
            ok = handler_.String(str);
          } else if (c == '-' || (c >= '0' && c <= '9')) {
            JsonNumber kind;
            uint64_t value = 0;
            if (!ReadNumber(&kind, &value)) return error_;
            ok = handler_.Number(kind, value);
          } else if (Literal("true")) {
            ok = handler_.Bool(true);
          } else if (Literal("false")) {
            ok = handler_.Bool(false);
          } else if (Literal("null")) {
            ok = handler_.Null();
          } else if (CutLiteral()) {
            return Syntax("unexpected end of input; expected a value");
          } else {
            return Syntax(Unexpected() + "; expected a value");
          }
          if (!ok) return Stopped();
          next = Next::kAfterValue;
          continue;
        }
        case Next::kKey: {
          if (AtEnd()) {
            return Syntax(
                "unexpected end of input; expected a key in double "
                "quotes");
          }
          if (s_[pos_] != '"') {
            return Syntax(Unexpected() + "; expected a key in double quotes");
          }
          std::string_view key;
          if (!ReadString(&key)) return error_;
          if (!handler_.Key(key)) return Stopped();
          SkipBlanks();
          if (AtEnd()) return Syntax("unexpected end of input; expected ':'");
          if (s_[pos_] != ':') return Syntax(Unexpected() + "; expected ':'");
          ++pos_;
          next = Next::kValue;
          continue;
        }
        case Next::kAfterValue: {
          if (stack_.empty()) {
            if (!AtEnd()) {
              return Syntax(Unexpected() + " after the end of the document");
            }
            return JsonReadResult{};
          }
          bool object = stack_.back() == '{';
          const char* expected = object ? "',' or '}'" : "',' or ']'";
          if (AtEnd()) {
            return Syntax(std::string("unexpected end of input; expected ") +
                          expected);
          }
          char c = s_[pos_];
          if (c == ',') {
            ++pos_;
            next = object ? Next::kKey : Next::kValue;
          } else if (c == (object ? '}' : ']')) {
            ++pos_;
            stack_.pop_back();
            if (!(object ? handler_.EndObject() : handler_.EndArray())) {
              return Stopped();
            }
          } else {
            return Syntax(Unexpected() + "; expected " + expected);
          }
          continue;
        }
      }
    }
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }

  void SkipBlanks() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  // "unexpected 'x'" for the character at pos_.
  std::string Unexpected() const {
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c < 0x20 || c >= 0x7f) {
      std::string text = "unexpected byte 0x";
      internal::AppendHexByte(c, &text);
      return text;
    }
    return std::string("unexpected '") + static_cast<char>(c) + "'";
  }

  JsonReadResult Syntax(std::string message) {
    JsonReadResult r;
    r.outcome = JsonReadResult::Outcome::kSyntaxError;
    r.line = 1;
    size_t line_start = 0;
    size_t end = pos_ < s_.size() ? pos_ : s_.size();
    for (size_t i = 0; i < end; ++i) {
      if (s_[i] == '\n') {
        ++r.line;
        line_start = i + 1;
      }
    }
    r.column = end - line_start + 1;
    r.message = std::move(message);
    error_ = r;
    return r;
  }

  static JsonReadResult Stopped() {
    JsonReadResult r;
    r.outcome = JsonReadResult::Outcome::kStopped;
    return r;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // True if the text ends inside a literal ("tr" of "true").
  bool CutLiteral() const {
    std::string_view rest = s_.substr(pos_);
    for (std::string_view word : {"true", "false", "null"}) {
      if (rest.size() < word.size() && word.starts_with(rest)) return true;
    }
    return false;
  }

  bool Fail(std::string message) {
    Syntax(std::move(message));
    return false;
  }

  // A number at pos_, by the grammar of RFC 8259 section 6.
  bool ReadNumber(JsonNumber* kind, uint64_t* value) {
    bool negative = s_[pos_] == '-';
    if (negative) ++pos_;
    auto digit = [&] {
      return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9';
    };
    if (!digit()) return Fail("invalid number: expected a digit");
    bool too_large = false;
    uint64_t v = 0;
    if (s_[pos_] == '0') {
      ++pos_;
      if (digit()) return Fail("invalid number: a leading zero");
    } else {
      while (digit()) {
        uint64_t d = static_cast<uint64_t>(s_[pos_] - '0');
        if (v > (UINT64_MAX - d) / 10) too_large = true;
        v = v * 10 + d;
        ++pos_;
      }
    }
    bool fraction = false;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digit()) return Fail("invalid number: expected a digit after '.'");
      while (digit()) ++pos_;
      fraction = true;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digit()) {
        return Fail("invalid number: expected a digit in the exponent");
      }
      while (digit()) ++pos_;
      fraction = true;
    }
    // "-0" is the whole number 0, as RFC 8259 parsers read it.
    *kind = fraction             ? JsonNumber::kFraction
            : negative && v != 0 ? JsonNumber::kNegative
            : too_large          ? JsonNumber::kTooLarge
                                 : JsonNumber::kUnsigned;
    *value = v;
    return true;
  }

  // Four hex digits at pos_ (after "\u").
  bool ReadHex4(uint32_t* out) {
    if (s_.size() - pos_ < 4)
      return Fail("invalid string: \\u needs four hex digits");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = internal::HexDigitValue(s_[pos_ + i]);
      if (d < 0) return Fail("invalid string: \\u needs four hex digits");
      v = v << 4 | static_cast<uint32_t>(d);
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  // The length of the well-formed UTF-8 sequence at pos_ (whose first byte
  // is 0x80 or above), or 0.
  size_t Utf8Length() const {
    return internal::Utf8SequenceLength(s_.substr(pos_));
  }

  // A string at pos_ (the opening quote). The view is into the text when
  // the string has no escapes, else into buffer_.
  bool ReadString(std::string_view* out) {
    const size_t start = ++pos_;
    // Fast path: plain ASCII up to the closing quote.
    while (pos_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        *out = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) break;
      ++pos_;
    }
    buffer_.assign(s_.substr(start, pos_ - start));
    while (pos_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        *out = buffer_;
        return true;
      }
      if (c < 0x20) {
        return Fail(
            "invalid string: a control character must be written "
            "as an escape (\\n, \\t, \\u0001, ...)");
      }
      if (c >= 0x80) {
        size_t len = Utf8Length();
        if (len == 0) return Fail("invalid string: not valid UTF-8");
        buffer_.append(s_.substr(pos_, len));
        pos_ += len;
        continue;
      }
      if (c != '\\') {
        buffer_.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      if (++pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case '"': buffer_.push_back('"'); break;
        case '\\': buffer_.push_back('\\'); break;
        case '/': buffer_.push_back('/'); break;
        case 'b': buffer_.push_back('\b'); break;
        case 'f': buffer_.push_back('\f'); break;
        case 'n': buffer_.push_back('\n'); break;
        case 'r': buffer_.push_back('\r'); break;
        case 't': buffer_.push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!ReadHex4(&cp)) return false;
          if (cp >= 0xdc00 && cp <= 0xdfff) {
            return Fail(
                "invalid string: a low surrogate \\uDC00..\\uDFFF "
                "without a high one before it");
          }
          if (cp >= 0xd800 && cp <= 0xdbff) {
            static constexpr const char* kUnpaired =
                "invalid string: a high surrogate \\uD800..\\uDBFF must be "
                "followed by a low one \\uDC00..\\uDFFF";
            if (s_.substr(pos_, 2) != "\\u") return Fail(kUnpaired);
            pos_ += 2;
            uint32_t low;
            if (!ReadHex4(&low)) return false;
            if (low < 0xdc00 || low > 0xdfff) return Fail(kUnpaired);
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          AppendUtf8(cp, &buffer_);
          break;
        }
        default:
          --pos_;
          return Fail("invalid string: '\\" + std::string(1, e) +
                      "' is not an escape");
      }
    }
    return Fail(
        "unexpected end of input inside a string (a missing closing "
        "quote?)");
  }

  std::string_view s_;
  JsonHandler& handler_;
  size_t pos_ = 0;
  std::vector<char> stack_;  // '{' or '[' per open container
  std::string buffer_;       // an unescaped string
  JsonReadResult error_;     // the last syntax error
};

}  // namespace

JsonReadResult ReadJson(std::string_view text, JsonHandler& handler) {
  return Reader(text, handler).Run();
}

}  // namespace sslbind::internal
