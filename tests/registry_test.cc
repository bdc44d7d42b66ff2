// Tests for sslbind/registry.h: value encodings and case-insensitive names.
#include "sslbind/registry.h"

#include <doctest/doctest.h>

namespace sslbind {
namespace {

TEST_CASE("names fold to ASCII lower case") {
  CHECK(FoldCase("SslBindingInfo\\0.0.0.0:443") ==
        "sslbindinginfo\\0.0.0.0:443");
  CHECK(FoldCase("\xc3\x9c") == "\xc3\x9c");  // non-ASCII bytes kept
}

TEST_CASE("names are equal when they fold to the same text") {
  CHECK(NamesEqual("SslBindingInfo", "SSLBINDINGINFO"));
  CHECK(NamesEqual("", ""));
  CHECK_FALSE(NamesEqual("SslBindingInfo", "SslBindingInfo2"));
  CHECK_FALSE(NamesEqual("a[", "A{"));  // '[' and '{' are not a case pair
  CHECK_FALSE(NamesEqual("\xc3\x9c", "\xc3\xbc"));  // only ASCII folds
}

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
