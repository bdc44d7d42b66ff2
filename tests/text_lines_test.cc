// TextLines (libbindings/src/formats/text_lines.h): a text file's lines one
// at a time, UTF-16 decoded a piece at a time.
#include "formats/text_lines.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "formats/text_codec.h"

namespace sslbind::internal {
namespace {

// The lines of UTF-8 text as the readers expect them: split at "\n", a
// "\r" before it removed, a last line without "\n" kept, no last empty one.
std::vector<std::string> ExpectedLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(
        start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string Utf16File(const std::string& utf8) {
  std::string out = "\xff\xfe";
  AppendUtf16Le(utf8, &out);
  return out;
}

struct Read {
  std::vector<std::string> lines;
  std::vector<size_t> numbers;
  std::vector<size_t> consumed;
  std::string checked;  // the UTF-8 pieces given to the check, in order
  Status status;
};

Read ReadAll(std::string_view bytes, size_t piece_bytes) {
  Read r;
  TextLines lines(
      bytes, "f.txt",
      [&](std::string_view piece) {
        r.checked += piece;
        return Status::Ok();
      },
      [&](size_t offset) { r.consumed.push_back(offset); }, piece_bytes);
  while (true) {
    Result<std::optional<std::string_view>> line = lines.Next();
    if (!line.ok()) {
      r.status = line.status();
      break;
    }
    if (!*line) break;
    r.lines.emplace_back(**line);
    r.numbers.push_back(lines.line_number());
  }
  return r;
}

TEST_CASE(
    "TextLines gives the lines of UTF-8 and UTF-16 text, any piece size") {
  // Characters of every UTF-8 length (U+1D11E is a surrogate pair in
  // UTF-16), and line ends of both kinds.
  const std::vector<std::string> alphabet = {
      "a",  "b",    " ",        "\r",           "\n",
      "\n", "\r\n", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e"};
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const size_t length = rng() % 40;
    for (size_t i = 0; i < length; ++i)
      text += alphabet[rng() % alphabet.size()];
    CAPTURE(text);
    const std::vector<std::string> expected = ExpectedLines(text);
    for (size_t piece : {2, 3, 4, 7, 16, 1 << 20}) {
      CAPTURE(piece);
      for (const std::string& bytes :
           {text, "\xef\xbb\xbf" + text, Utf16File(text)}) {
        Read r = ReadAll(bytes, piece);
        REQUIRE(r.status.ok());
        CHECK(r.lines == expected);
        for (size_t i = 0; i < r.numbers.size(); ++i) {
          CHECK(r.numbers[i] == i + 1);
        }
        // Read to the end, in order; UTF-8 checked whole, once.
        if (!bytes.empty()) {
          REQUIRE_FALSE(r.consumed.empty());
          CHECK(r.consumed.back() == bytes.size());
        }
        for (size_t i = 1; i < r.consumed.size(); ++i) {
          CHECK(r.consumed[i - 1] < r.consumed[i]);
        }
        if (!bytes.starts_with("\xff\xfe")) CHECK(r.checked == text);
      }
    }
  }
}

TEST_CASE("TextLines refuses UTF-16 that is broken, in the piece it is in") {
  // A lone high surrogate on the third line of a text cut into pieces
  // before it: the lines before it come first, then DecodeTextFile's
  // message with the offset in the whole file.
  std::string bytes = Utf16File("first\r\nsecond\r\n");
  const size_t bad = bytes.size();
  bytes += std::string("\x3d\xd8", 2);  // U+D83D, unpaired
  bytes += Utf16File("x\r\n").substr(2);
  Read r = ReadAll(bytes, 4);
  CHECK(r.lines == std::vector<std::string>{"first", "second"});
  CHECK(r.status.message() ==
        "f.txt: not valid UTF-16 LE text: the byte at offset " +
            std::to_string(bad) +
            " ends the file early or is half of a broken surrogate pair");
  CHECK(r.status.message() ==
        DecodeTextFile(bytes, "f.txt").status().message());

  Read odd = ReadAll(Utf16File("a\r\nb") + "x", 1 << 20);
  CHECK_FALSE(odd.status.ok());
  CHECK(odd.status.message() ==
        DecodeTextFile(Utf16File("a\r\nb") + "x", "f.txt").status().message());

  std::string nul = Utf16File("a\r\n");
  nul += std::string("\0\0", 2);
  Read with_nul = ReadAll(nul, 1 << 20);
  CHECK(with_nul.status.message() ==
        DecodeTextFile(nul, "f.txt").status().message());
}

TEST_CASE("TextLines stops at the first UTF-8 piece its check refuses") {
  const std::string text = "one\ntwo\nthree\nfour\n";
  TextLines lines(
      text, "f.txt",
      [](std::string_view piece) {
        return piece.find("three") == std::string_view::npos
                   ? Status::Ok()
                   : Status::InvalidArgument("refused: " + std::string(piece));
      },
      {}, 4);
  std::vector<std::string> got;
  Status status;
  while (true) {
    Result<std::optional<std::string_view>> line = lines.Next();
    if (!line.ok()) {
      status = line.status();
      break;
    }
    if (!*line) break;
    got.emplace_back(**line);
  }
  CHECK(got == std::vector<std::string>{"one", "two"});
  CHECK(status.message() == "refused: three\n");
}

}  // namespace
}  // namespace sslbind::internal
