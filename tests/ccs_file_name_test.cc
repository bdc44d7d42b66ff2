// Tests for model/ccs_file_name.h: the CCS file names of a host name, one
// rule for the CCS and the lookup path.
#include "model/ccs_file_name.h"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

namespace sslbind::internal {
namespace {

TEST_CASE("a name's CCS files are the name, then the wildcard of its parent") {
  // name -> the file names, in the order they are looked for.
  const std::pair<std::string_view, std::vector<std::string>> cases[] = {
      {"www.contoso.com", {"www.contoso.com.pfx", "_.contoso.com.pfx"}},
      {"contoso.com", {"contoso.com.pfx", "_.com.pfx"}},
      {"localhost", {"localhost.pfx"}},  // one label: no wildcard file
      {"", {}},
  };
  for (const auto& [name, files] : cases) {
    CAPTURE(name);
    REQUIRE(CcsFileCount(name) == files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      CHECK(CcsFileName(name, i) == files[i]);
    }
  }
}

TEST_CASE("the longest CCS file names fit the lookup path's buffer") {
  const std::string label(63, 'a');
  const std::string longest = label + "." + label + "." + label + "." +
                              std::string(61, 'b');  // 253 characters
  char out[kMaxCcsFileName];
  CHECK(ComposeCcsFileName(longest, 0, out) == kMaxCcsFileName);
  CHECK(std::string_view(out, kMaxCcsFileName) == longest + ".pfx");
  CHECK(ComposeCcsFileName(longest, 1, out) == 2 + 253 - 64 + 4);
}

TEST_CASE("a CCS file name is a canonical name, or _. and one, and .pfx") {
  CHECK(IsCcsFileName("www.contoso.com.pfx"));
  CHECK(IsCcsFileName("_.contoso.com.pfx"));
  CHECK(IsCcsFileName("localhost.pfx"));
  CHECK(IsCcsFileName("xn--bcher-kva.example.pfx"));
}

TEST_CASE("a file whose name no SNI name selects is no CCS file") {
  CHECK_FALSE(IsCcsFileName("WWW.contoso.com.pfx"));   // not lower case
  CHECK_FALSE(IsCcsFileName("www.contoso.com..pfx"));  // trailing dot
  CHECK_FALSE(
      IsCcsFileName("b\xC3\xBC"
                    "cher.example.pfx"));  // not an A-label
  CHECK_FALSE(IsCcsFileName("www.contoso.com.PFX"));
  CHECK_FALSE(IsCcsFileName("www.contoso.com"));
  CHECK_FALSE(IsCcsFileName(".pfx"));
  CHECK_FALSE(IsCcsFileName("_.pfx"));
  CHECK_FALSE(IsCcsFileName("a..b.pfx"));
  CHECK_FALSE(IsCcsFileName("*.contoso.com.pfx"));
  CHECK_FALSE(IsCcsFileName("_._.contoso.com.pfx"));
}

}  // namespace
}  // namespace sslbind::internal
