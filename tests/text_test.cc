// Tests for sslbind/text.h and its byte-level rules (model/text_rules.h):
// UTF-8, quoting, ASCII case folding, hex.
#include "sslbind/text.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/text_rules.h"

using sslbind::DecodeUtf8;
using sslbind::FindInvalidUtf8;
using sslbind::FoldCase;
using sslbind::HexLower;
using sslbind::NamesEqual;
using sslbind::QuoteForMessage;
using sslbind::ToValidUtf8;

TEST_CASE("FindInvalidUtf8 accepts well-formed UTF-8 of every length") {
  CHECK(FindInvalidUtf8("") == std::string_view::npos);
  CHECK(FindInvalidUtf8("MY") == std::string_view::npos);
  CHECK(FindInvalidUtf8("b\xC3\xBC"
                        "cher") == std::string_view::npos);          // ü
  CHECK(FindInvalidUtf8("\xE2\x82\xAC") == std::string_view::npos);  // €
  CHECK(FindInvalidUtf8("\xF0\x9F\x94\x92") == std::string_view::npos);
  CHECK(FindInvalidUtf8("\xF4\x8F\xBF\xBF") == std::string_view::npos);
}

TEST_CASE("FindInvalidUtf8 names the offset of the first bad byte") {
  CHECK(FindInvalidUtf8("M\xFFY") == 1);
  CHECK(FindInvalidUtf8("ab\xC3") == 2);              // truncated
  CHECK(FindInvalidUtf8("\xC0\xAF") == 0);            // overlong '/'
  CHECK(FindInvalidUtf8("x\xE0\x80\xAF") == 1);       // overlong
  CHECK(FindInvalidUtf8("\xED\xA0\x80") == 0);        // surrogate
  CHECK(FindInvalidUtf8("ok\xF4\x90\x80\x80") == 2);  // above U+10FFFF
  CHECK(FindInvalidUtf8("\x80") == 0);                // lone continuation
  CHECK(FindInvalidUtf8("\xC3\xBC\xC3\x28") == 2);    // bad continuation
}

TEST_CASE("ToValidUtf8 replaces each bad byte by U+FFFD and keeps the rest") {
  CHECK(ToValidUtf8("x\xFFy") == "x\xEF\xBF\xBDy");
  CHECK(ToValidUtf8("b\xC3\xBC"
                    "cher") ==
        "b\xC3\xBC"
        "cher");
  CHECK(ToValidUtf8("\xC3") == "\xEF\xBF\xBD");
}

TEST_CASE("QuoteForMessage escapes control and invalid bytes") {
  CHECK(QuoteForMessage("MY") == "'MY'");
  CHECK(QuoteForMessage("a\x1B[31mb") == "'a\\e[31mb'");
  CHECK(QuoteForMessage("l1\nl2\t\r") == "'l1\\nl2\\t\\r'");
  CHECK(QuoteForMessage("M\xFFY") == "'M\\xffY'");
  CHECK(QuoteForMessage(std::string("a\0b", 3)) == "'a\\x00b'");
  CHECK(QuoteForMessage("it's a\\b") == "'it\\'s a\\\\b'");
  CHECK(QuoteForMessage("\x7F") == "'\\x7f'");
  CHECK(QuoteForMessage("\xC2\x9B") == "'\\xc2\\x9b'");  // C1 CSI
  CHECK(QuoteForMessage("b\xC3\xBC"
                        "cher") ==
        "'b\xC3\xBC"
        "cher'");
}

TEST_CASE("QuoteForMessage cuts a long value and gives its length") {
  const std::string big(200 * 1000 * 1000 / 1000, 'A');  // 200,000 bytes
  const std::string quoted = QuoteForMessage(big);
  CHECK(quoted == "'" + std::string(80, 'A') + "'... (200000 bytes)");
  CHECK(QuoteForMessage("abcdef", 3) == "'abc'... (6 bytes)");
  // A character is never cut in half.
  CHECK(QuoteForMessage("ab\xE2\x82\xAC", 3) == "'ab'... (5 bytes)");
  CHECK(QuoteForMessage("abc", 3) == "'abc'");
}

TEST_CASE(
    "EscapeForTerminal keeps the whole text and escapes only the unsafe") {
  using sslbind::EscapeForTerminal;
  CHECK(EscapeForTerminal("sslbind add sslcert certstorename=C:\\x") ==
        "sslbind add sslcert certstorename=C:\\x");
  CHECK(EscapeForTerminal("it's") == "it's");
  CHECK(EscapeForTerminal("a\x1b[2Jb\nc") == "a\\e[2Jb\\nc");
  CHECK(EscapeForTerminal("M\xFFY") == "M\\xffY");
  const std::string long_text(500, 'x');
  CHECK(EscapeForTerminal(long_text) == long_text);
}

namespace {

// Every code point DecodeUtf8 reads from `text`, one by one.
std::vector<char32_t> CodePoints(std::string_view text) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) out.push_back(DecodeUtf8(text, &i));
  return out;
}

}  // namespace

TEST_CASE("DecodeUtf8 reads a code point of every length") {
  CHECK(CodePoints("a\xC3\xBC\xE2\x82\xAC\xF0\x9F\x94\x92") ==
        std::vector<char32_t>{U'a', 0xFC, 0x20AC, 0x1F512});
  CHECK(CodePoints("\xF4\x8F\xBF\xBF") == std::vector<char32_t>{0x10FFFF});
  size_t offset = 1;
  CHECK(DecodeUtf8("a\xE2\x82\xAC!", &offset) == 0x20AC);
  CHECK(offset == 4);
}

TEST_CASE("DecodeUtf8 gives U+FFFD for each byte FindInvalidUtf8 stops at") {
  // Overlong, surrogate, above U+10FFFF, truncated, lone continuation.
  for (std::string_view bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                               "\xE2\x82", "\x80", "\xFF"}) {
    size_t offset = 0;
    CHECK(DecodeUtf8(bad, &offset) == 0xFFFD);
    CHECK(offset == 1);
  }
  CHECK(CodePoints("x\xC3\x28") == std::vector<char32_t>{U'x', 0xFFFD, U'('});
}

TEST_CASE("the UTF-8 sequence length is 0 exactly where UTF-8 is invalid") {
  using sslbind::internal::Utf8SequenceLength;
  CHECK(Utf8SequenceLength("a") == 1);
  CHECK(Utf8SequenceLength("\xC3\xBC") == 2);
  CHECK(Utf8SequenceLength("\xE2\x82\xAC") == 3);
  CHECK(Utf8SequenceLength("\xF0\x9F\x94\x92") == 4);
  CHECK(Utf8SequenceLength("\xC1\xBF") == 0);          // overlong
  CHECK(Utf8SequenceLength("\xE0\x9F\xBF") == 0);      // overlong
  CHECK(Utf8SequenceLength("\xF0\x8F\xBF\xBF") == 0);  // overlong
  CHECK(Utf8SequenceLength("\xED\xBF\xBF") == 0);      // surrogate
  CHECK(Utf8SequenceLength("\xF5\x80\x80\x80") == 0);  // above U+10FFFF
  CHECK(Utf8SequenceLength("\xF0\x9F\x94") == 0);      // truncated
}

TEST_CASE("names fold to ASCII lower case") {
  CHECK(FoldCase("SslBindingInfo\\0.0.0.0:443") ==
        "sslbindinginfo\\0.0.0.0:443");
  CHECK(FoldCase("\xc3\x9c") == "\xc3\x9c");  // non-ASCII bytes kept
  CHECK(FoldCase("@[`{") == "@[`{");          // the neighbours of A-Z and a-z
}

TEST_CASE("names are equal when they fold to the same text") {
  CHECK(NamesEqual("SslBindingInfo", "SSLBINDINGINFO"));
  CHECK(NamesEqual("", ""));
  CHECK_FALSE(NamesEqual("SslBindingInfo", "SslBindingInfo2"));
  CHECK_FALSE(NamesEqual("a[", "A{"));  // '[' and '{' are not a case pair
  CHECK_FALSE(NamesEqual("\xc3\x9c", "\xc3\xbc"));  // only ASCII folds
}

TEST_CASE("ASCII case changes letters only") {
  using sslbind::internal::AsciiLower;
  using sslbind::internal::AsciiUpper;
  CHECK(AsciiLower('Q') == 'q');
  CHECK(AsciiLower('q') == 'q');
  CHECK(AsciiUpper('f') == 'F');
  CHECK(AsciiUpper('7') == '7');
  CHECK(AsciiLower('\xC3') == '\xC3');
}

TEST_CASE("bytes are written as two lower-case hex digits each") {
  CHECK(HexLower({}) == "");
  CHECK(HexLower({0x00, 0x0f, 0xa0, 0xff}) == "000fa0ff");
  std::string out = "0x";
  sslbind::internal::AppendHexByte(0xC2, &out);
  CHECK(out == "0xc2");
  CHECK(sslbind::internal::HexDigit(0x1B) == 'b');  // the low four bits
}

TEST_CASE("hex digits are read in either case and nothing else is one") {
  using sslbind::internal::HexDigitValue;
  CHECK(HexDigitValue('0') == 0);
  CHECK(HexDigitValue('9') == 9);
  CHECK(HexDigitValue('a') == 10);
  CHECK(HexDigitValue('F') == 15);
  for (char c : std::string_view("gG/:@`x -\0", 11))
    CHECK(HexDigitValue(c) == -1);
}

TEST_CASE("C1 controls are the two-byte characters C2 80 to C2 9F") {
  using sslbind::internal::IsC1ControlAt;
  CHECK(IsC1ControlAt("\xC2\x80", 0));
  CHECK(IsC1ControlAt("a\xC2\x9B", 1));       // CSI
  CHECK_FALSE(IsC1ControlAt("\xC2\xA0", 0));  // no-break space
  CHECK_FALSE(IsC1ControlAt("\xC2", 0));      // truncated
  CHECK_FALSE(IsC1ControlAt("\xC3\x80", 0));  // A with grave
}
