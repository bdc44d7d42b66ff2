// Tests for the streaming JSON reader (libbindings/src/formats/json_reader.h),
// which exchange.h's JSON format rests on: it must accept exactly what
// nlohmann::json accepts and report the same events.
#include "formats/json_reader.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sslbind::internal {
namespace {

// The events of a document, as one line each.
class Recorder final : public JsonHandler {
 public:
  std::vector<std::string> events;
  bool Null() override { return Add("null"); }
  bool Bool(bool v) override { return Add(v ? "true" : "false"); }
  bool Number(JsonNumber kind, uint64_t v) override {
    switch (kind) {
      case JsonNumber::kUnsigned: return Add("u" + std::to_string(v));
      case JsonNumber::kNegative: return Add("negative");
      case JsonNumber::kFraction: return Add("fraction");
      case JsonNumber::kTooLarge: return Add("too large");
    }
    return false;
  }
  bool String(std::string_view v) override {
    return Add("s:" + std::string(v));
  }
  bool StartObject() override { return Add("{"); }
  bool Key(std::string_view k) override { return Add("k:" + std::string(k)); }
  bool EndObject() override { return Add("}"); }
  bool StartArray() override { return Add("["); }
  bool EndArray() override { return Add("]"); }

 private:
  bool Add(std::string e) {
    events.push_back(std::move(e));
    return true;
  }
};

// The same events from nlohmann::json's SAX parser.
class NlohmannRecorder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<std::string> events;
  bool null() override { return Add("null"); }
  bool boolean(bool v) override { return Add(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override {
    return Add(v < 0 ? "negative" : "u" + std::to_string(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    return Add("u" + std::to_string(v));
  }
  bool number_float(number_float_t, const string_t& text) override {
    // nlohmann reads whole numbers above 2^64 as floats.
    bool whole = text.find_first_of(".eE") == std::string::npos;
    return Add(whole ? (text[0] == '-' ? "negative" : "too large")
                     : "fraction");
  }
  bool string(string_t& v) override { return Add("s:" + v); }
  bool binary(binary_t&) override { return Add("binary"); }
  bool start_object(std::size_t) override { return Add("{"); }
  bool key(string_t& k) override { return Add("k:" + k); }
  bool end_object() override { return Add("}"); }
  bool start_array(std::size_t) override { return Add("["); }
  bool end_array() override { return Add("]"); }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Add(std::string e) {
    events.push_back(std::move(e));
    return true;
  }
};

TEST_CASE(
    "the JSON reader accepts and rejects exactly what nlohmann::json does, "
    "with the same events") {
  const std::vector<std::string> inputs = {
      // Well-formed.
      "{}",
      "[]",
      " \t\r\n{ } ",
      "0",
      "-0",
      "123",
      "18446744073709551615",
      "18446744073709551616",
      "-5",
      "1.5",
      "1e3",
      "1E+3",
      "2e-3",
      "-0.0e0",
      "true",
      "false",
      "null",
      "\"\"",
      "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
      "\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"",
      "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
      "{\"a\":1,\"b\":[true,false,null,{\"c\":\"d\"}],\"e\":{}}",
      "[[[[[[[[[[]]]]]]]]]]",
      "[1,[2,[3,{\"x\":[4]}]]]",
      "{\"version\":1,\"bindings\":[{\"ccs\":443,\"appid\":\"{00112233-4455-"
      "6677-8899-aabbccddeeff}\"}]}",
      // Malformed.
      "",
      " ",
      "{",
      "}",
      "[",
      "]",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\":1,}",
      "[1,]",
      "[,1]",
      "{1:2}",
      "{'a':1}",
      "[1 2]",
      "{\"a\":1 \"b\":2}",
      "01",
      "-",
      "1.",
      ".5",
      "1e",
      "1e+",
      "+1",
      "0x10",
      "NaN",
      "Infinity",
      "tru",
      "nul",
      "True",
      "\"abc",
      "\"a\nb\"",
      "\"a\x01\"",
      "\"\\x\"",
      "\"\\u12\"",
      "\"\\uZZZZ\"",
      "\"\\ud800\"",
      "\"\\ud800\\u0041\"",
      "\"\\udc00\"",
      "\"\xff\"",
      "\"\xc3\"",
      "\"\xc0\xaf\"",
      "\"\xed\xa0\x80\"",
      "{} {}",
      "[] x",
      "{\"a\":1}}",
      "[1]]",
      "\"a\"\"b\"",
      "/* */ {}",
      "{\"a\":1}\0",
      // Garbage glued to a token.
      "[\"a\"x]",
      "[\"a\" x]",
      "{\"a\"x:1}",
      "{\"a\":\"b\"x}",
      "[truex]",
      "[nullx]",
      "[1x]",
      "{\"a\":1x}",
      "[\"a\\\"b\"]",
      "{\"a\\u0041\":\"\\u00e9\"}",
  };
  for (const std::string& input : inputs) {
    CAPTURE(input);
    Recorder ours;
    JsonReadResult read = ReadJson(input, ours);
    NlohmannRecorder theirs;
    bool nlohmann_ok = nlohmann::json::sax_parse(input, &theirs);
    CHECK((read.outcome == JsonReadResult::Outcome::kOk) == nlohmann_ok);
    if (nlohmann_ok) CHECK(ours.events == theirs.events);
  }
}

TEST_CASE(
    "JSON syntax errors give the line, the column and what was expected") {
  Recorder r;
  JsonReadResult read = ReadJson("{\n  \"a\": [1,\n    2 3]\n}", r);
  CHECK(read.outcome == JsonReadResult::Outcome::kSyntaxError);
  CHECK(read.line == 3);
  CHECK(read.column == 7);
  CHECK(read.message == "unexpected '3'; expected ',' or ']'");

  read = ReadJson("{\"a\": \"unterminated", r);
  CHECK(read.message ==
        "unexpected end of input inside a string (a missing closing quote?)");
  read = ReadJson("[\"\\ud800x\"]", r);
  CHECK(read.message ==
        "invalid string: a high surrogate \\uD800..\\uDBFF must be followed "
        "by a low one \\uDC00..\\uDFFF");
  read = ReadJson("{\"a\":1} x", r);
  CHECK(read.message == "unexpected 'x' after the end of the document");
  read = ReadJson("[\x01]", r);
  CHECK(read.message == "unexpected byte 0x01; expected a value");
}

TEST_CASE(
    "a raw control character in a string is told at its own place, also "
    "after text that is not ASCII") {
  // (Found by json_fuzz: the search for the bad byte stopped in the middle
  // of an earlier "\xc3\xbc", and a raw newline was told at the next line.)
  Recorder r;
  JsonReadResult read = ReadJson(
      "{\"a\": \"f\xc3\xbcr \xf0\x9f\x94\x92\",\n \"b\": \"x\ny\"}", r);
  CHECK(read.outcome == JsonReadResult::Outcome::kSyntaxError);
  CHECK(read.message ==
        "invalid string: a control character must be written as an escape "
        "(\\n, \\t, \\u0001, ...)");
  CHECK(read.line == 2);
  CHECK(read.column == 9);  // the newline after "x
  read = ReadJson("[\"\xc3\xa9t\xc3\xa9\", \"a\tb\"]", r);
  CHECK(read.line == 1);
  CHECK(read.column == 13);  // the tab (columns count bytes)
  read = ReadJson("[\"\xc3\xa9\", \"\xc3\"]", r);  // a lone lead byte
  CHECK(read.outcome == JsonReadResult::Outcome::kSyntaxError);
  CHECK(read.column == 9);
}

// Stops at the first string.
class StopAtString final : public JsonHandler {
 public:
  int calls = 0;
  bool Null() override { return ++calls, true; }
  bool Bool(bool) override { return ++calls, true; }
  bool Number(JsonNumber, uint64_t) override { return ++calls, true; }
  bool String(std::string_view) override { return ++calls, false; }
  bool StartObject() override { return ++calls, true; }
  bool Key(std::string_view) override { return ++calls, true; }
  bool EndObject() override { return ++calls, true; }
  bool StartArray() override { return ++calls, true; }
  bool EndArray() override { return ++calls, true; }
};

TEST_CASE("a handler that returns false stops the reader") {
  StopAtString handler;
  JsonReadResult read = ReadJson("[1, \"stop\", 2, {]", handler);
  CHECK(read.outcome == JsonReadResult::Outcome::kStopped);
  CHECK(handler.calls == 3);
}

TEST_CASE(
    "nesting up to 1000 levels is read without recursion; deeper is a syntax "
    "error at the container that goes too deep") {
  std::string deep = std::string(1000, '[') + std::string(1000, ']');
  Recorder r;
  CHECK(ReadJson(deep, r).outcome == JsonReadResult::Outcome::kOk);
  CHECK(r.events.size() == 2000);
  std::string deeper =
      "{\"a\":\n" + std::string(1000, '[') + std::string(1000, ']') + "}";
  JsonReadResult read = ReadJson(deeper, r);
  CHECK(read.outcome == JsonReadResult::Outcome::kSyntaxError);
  CHECK(read.line == 2);
  CHECK(read.column == 1000);
  CHECK(read.message == "arrays and objects nested deeper than 1000 levels");
  std::string very_deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(ReadJson(very_deep, r).outcome ==
        JsonReadResult::Outcome::kSyntaxError);
}

}  // namespace
}  // namespace sslbind::internal
