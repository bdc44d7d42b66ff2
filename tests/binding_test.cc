// Tests for sslbind/binding.h: GUIDs, certificate hashes, per-kind rules.
#include "sslbind/binding.h"

#include <doctest/doctest.h>

#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;

TEST_CASE("GUIDs parse with or without braces, in any case") {
  const std::string canonical = "{00112233-4455-6677-8899-aabbccddeeff}";
  for (const char* text : {"{00112233-4455-6677-8899-AABBCCDDEEFF}",
                           "00112233-4455-6677-8899-aabbccddeeff",
                           "{00112233-4455-6677-8899-aAbBcCdDeEfF}"}) {
    CAPTURE(text);
    Result<Guid> g = Guid::Parse(text);
    REQUIRE(g.ok());
    CHECK(g->ToString() == canonical);
  }
}

TEST_CASE("malformed GUIDs are refused") {
  for (const char* text : {"", "{}", "{00112233-4455-6677-8899-aabbccddeef}",
                           "{00112233-4455-6677-8899-aabbccddeeff0}",
                           "00112233-4455-6677-8899-aabbccddeeff}",
                           "{00112233-4455-6677-8899-aabbccddeeff",
                           "00112233445566778899aabbccddeeff",
                           "0011223-34455-6677-8899-aabbccddeeff",
                           "{00112233-4455-6677-8899-aabbccddeefg}",
                           "{00112233-4455-6677-8899_aabbccddeeff}"}) {
    CAPTURE(text);
    Result<Guid> g = Guid::Parse(text);
    CHECK(!g.ok());
    CHECK(g.status().win32() == 87);
  }
}

TEST_CASE("GUIDs are stored in Windows byte order") {
  Guid g = Guid::Parse("{00112233-4455-6677-8899-aabbccddeeff}").value();
  std::array<uint8_t, 16> w = g.ToWindowsBytes();
  std::array<uint8_t, 16> expected = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44,
                                      0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb,
                                      0xcc, 0xdd, 0xee, 0xff};
  CHECK(w == expected);
  CHECK(Guid::FromWindowsBytes(w) == g);
}

TEST_CASE("certificate hashes are hex of even length, 1 to 32 bytes") {
  CHECK(HexLower(ParseCertHash("0102030405060708090A").value()) ==
        "0102030405060708090a");
  CHECK(ParseCertHash("ab")->size() == 1);
  CHECK(ParseCertHash(std::string(64, 'f'))->size() == 32);
  for (std::string text :
       {std::string(""), std::string("abc"), std::string(66, 'a'),
        std::string("zz"), std::string("01 02"), std::string("0x0102")}) {
    CAPTURE(text);
    CHECK(!ParseCertHash(text).ok());
  }
  CHECK(ParseCertHash("01 02").status().message().find("spaces") !=
        std::string::npos);
}

Binding WithHash(BindingKind kind, std::string_view key) {
  Binding b(Key(kind, key));
  b.cert_hash = {1, 2, 3};
  return b;
}

TEST_CASE("ipport and hostnameport bindings need a certificate hash") {
  Binding ip(Key(BindingKind::kIpPort, "0.0.0.0:443"));
  CHECK(ValidateBinding(ip).message().find("certhash is required") !=
        std::string::npos);
  CHECK(ValidateBinding(WithHash(BindingKind::kIpPort, "0.0.0.0:443")).ok());
}

TEST_CASE("hostnameport bindings need a certificate store name") {
  Binding sni = WithHash(BindingKind::kHostnamePort, "a.com:443");
  CHECK(ValidateBinding(sni).message().find("certstorename") !=
        std::string::npos);
  sni.cert_store_name = "MY";
  CHECK(ValidateBinding(sni).ok());
}

TEST_CASE("ccs and scopedccs bindings refuse a hash and a store name") {
  for (auto [kind, key] : {std::pair{BindingKind::kCcs, "443"},
                           std::pair{BindingKind::kScopedCcs, "a.com:443"}}) {
    Binding b(Key(kind, key));
    CHECK(ValidateBinding(b).ok());
    b.cert_store_name = "MY";
    CHECK(ValidateBinding(b).IsInvalidArgument());
    b.cert_store_name.reset();
    b.cert_hash = {1};
    CHECK(ValidateBinding(b).IsInvalidArgument());
  }
}

}  // namespace
}  // namespace sslbind
