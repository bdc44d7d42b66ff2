#include "sslbind/text.h"

#include <doctest/doctest.h>

#include <string>

using sslbind::FindInvalidUtf8;
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
