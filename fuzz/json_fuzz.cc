// Fuzzes the reader of a JSON document ({"version":1,"bindings":[...]}), and
// the round trip of what it accepts through every export format (round_trip.h).
// Text that is valid UTF-8 is also read in the smallest pieces as UTF-8 and
// as UTF-16 LE (whose decoding window then grows a few bytes at a time):
// the same bindings from the same places, or the same refusal.
#include <cstddef>
#include <cstdint>

#include "formats/text_codec.h"
#include "round_trip.h"

namespace sslbind::fuzz {
namespace {

struct Read {
  Status status;
  std::vector<ParsedBinding> bindings;
};

// ReadBindings in the smallest pieces: one binding at a time (and, for
// UTF-16, the smallest decoding steps).
Read ReadInSmallestPieces(std::string_view bytes) {
  Read read;
  Result<BindingsFileInfo> info =
      ReadBindings(bytes, "fuzz",
                   [&](ParsedBinding&& p) {
                     read.bindings.push_back(std::move(p));
                     return Status::Ok();
                   },
                   {.format = ExchangeFormat::kJson, .piece_bytes = 1});
  read.status = info.status();
  return read;
}

// The same bindings from the same places, or the same refusal, whether the
// text is read as UTF-8 or as UTF-16 LE. (Not compared with ParseBindings,
// which reads a small document whole: in pieces, a bad binding may be told
// before a syntax error further on.)
void CheckUtf16Agrees(std::string_view text) {
  if (!IsValidUtf8(text) || text.find('\0') != std::string_view::npos ||
      text.starts_with("\xef\xbb\xbf")) {
    return;  // refused as UTF-8 for what UTF-16 cannot say
  }
  std::string utf16 = "\xff\xfe";
  internal::AppendUtf16Le(text, &utf16);
  const Read a = ReadInSmallestPieces(text);
  const Read b = ReadInSmallestPieces(utf16);
  if (a.status.ToString() != b.status.ToString()) {
    Fail("UTF-16 is read otherwise",
         b.status.ToString() + " / UTF-8: " + a.status.ToString());
  }
  if (a.bindings.size() != b.bindings.size()) {
    Fail("UTF-16 reads another count", std::to_string(b.bindings.size()));
  }
  for (size_t i = 0; i < a.bindings.size(); ++i) {
    if (!(a.bindings[i].binding == b.bindings[i].binding) ||
        a.bindings[i].where != b.bindings[i].where) {
      Fail("UTF-16 reads another binding", b.bindings[i].where);
    }
  }
}

}  // namespace
}  // namespace sslbind::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sslbind::fuzz::CheckParsed(
      text,
      sslbind::ParseBindings(text, "fuzz", sslbind::ExchangeFormat::kJson));
  sslbind::fuzz::CheckUtf16Agrees(text);
  return 0;
}
