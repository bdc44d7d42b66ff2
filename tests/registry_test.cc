// Tests for sslbind/registry.h: value encodings and case-insensitive
// lookups (the folding itself is text_test.cc's).
#include "sslbind/registry.h"

#include <doctest/doctest.h>

namespace sslbind {
namespace {

TEST_CASE("DWORDs are four little-endian bytes") {
  RegistryValue v = RegistryValue::Dword("DefaultFlags", 0x12345678);
  CHECK(v.type == RegType::kDword);
  CHECK(v.data == std::vector<uint8_t>{0x78, 0x56, 0x34, 0x12});
}

TEST_CASE("REG_SZ data is the text without a terminator") {
  RegistryValue v = RegistryValue::Sz("SslCertStoreName", "MY");
  CHECK(v.type == RegType::kSz);
  CHECK(v.data == std::vector<uint8_t>{'M', 'Y'});
}

TEST_CASE("values are found by name case-insensitively") {
  RegistryKey key{"A\\B", {RegistryValue::Dword("DefaultFlags", 1)}};
  REQUIRE(key.Find("defaultflags") != nullptr);
  CHECK(key.Find("DEFAULTFLAGS")->name == "DefaultFlags");
  CHECK(key.Find("AppId") == nullptr);
}

}  // namespace
}  // namespace sslbind
