// Tests for sslbind/parameters.h: the parameter table and its bit mapping.
#include "sslbind/parameters.h"

#include <doctest/doctest.h>

#include <set>

#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;

Binding IpBinding() {
  Binding b(Key(BindingKind::kIpPort, "0.0.0.0:443"));
  b.cert_hash = {0xab};
  return b;
}

void SetText(Binding& b, std::string_view name, std::string_view text) {
  const ParamInfo* info = FindParam(name);
  REQUIRE(info != nullptr);
  Result<ParamValue> v = ParseParamText(info->id, text);
  REQUIRE_MESSAGE(v.ok(), v.status().ToString());
  REQUIRE(SetParam(b, info->id, *v).ok());
}

TEST_CASE("the table lists every parameter once, in netsh's show order") {
  std::vector<std::string_view> labels;
  std::set<std::string_view> names;
  for (const ParamInfo& info : AllParams()) {
    labels.push_back(info.label);
    CHECK(names.insert(info.name).second);
    CHECK(&GetParamInfo(info.id) == &info);
  }
  REQUIRE(labels.size() == 24);
  CHECK(labels.front() == "Certificate Hash");
  CHECK(labels[3] == "Verify Client Certificate Revocation");
  CHECK(labels[13] == "Disable HTTP2");
  CHECK(labels.back() == "Enable Caching Client Hello");
}

TEST_CASE("parameter names are found case-insensitively") {
  CHECK(FindParam("CertHash")->id == Param::kCertHash);
  CHECK(FindParam("DISABLEHTTP2")->id == Param::kDisableHttp2);
  CHECK(FindParam("ipport") == nullptr);
  CHECK(FindParam("nosuch") == nullptr);
}

TEST_CASE("defaults show as netsh shows a fresh binding") {
  Binding b = IpBinding();
  CHECK(ShowParam(b, Param::kCertStoreName) == "(null)");
  CHECK(ShowParam(b, Param::kVerifyClientCertRevocation) == "Enabled");
  CHECK(ShowParam(b, Param::kVerifyRevocationWithCachedClientCertOnly) ==
        "Disabled");
  CHECK(ShowParam(b, Param::kUsageCheck) == "Enabled");
  CHECK(ShowParam(b, Param::kRevocationFreshnessTime) == "0");
  CHECK(ShowParam(b, Param::kReject) == "Disabled");
  CHECK(ShowParam(b, Param::kDisableHttp2) == "Not Set");
  CHECK(b.check_mode == 0);
  CHECK(b.flags == 0);
}

TEST_CASE("options map to the CheckMode bits of spec section 2") {
  Binding b = IpBinding();
  SetText(b, "verifyclientcertrevocation", "disable");
  CHECK(b.check_mode == 0x1);
  SetText(b, "verifyrevocationwithcachedclientcertonly", "Enable");
  CHECK(b.check_mode == 0x3);
  SetText(b, "usagecheck", "DISABLE");
  CHECK(b.check_mode == 0x10003);
  SetText(b, "revocationfreshnesstime", "30");
  CHECK(b.check_mode == 0x10007);
  CHECK(b.revocation_freshness_time == 30);
  SetText(b, "revocationfreshnesstime", "0");
  CHECK(b.check_mode == 0x10003);
  SetText(b, "verifyclientcertrevocation", "enable");
  CHECK(b.check_mode == 0x10002);
  CHECK(ShowParam(b, Param::kUsageCheck) == "Disabled");
}

TEST_CASE("options and flags map to the DefaultFlags bits of http.h") {
  const std::pair<const char*, uint32_t> cases[] = {
      {"dsmapperusage", 0x1},
      {"clientcertnegotiation", 0x2},
      {"reject", 0x8},
      {"disablehttp2", 0x10},
      {"disablequic", 0x20},
      {"disabletls13", 0x40},
      {"disableocspstapling", 0x80},
      {"enabletokenbinding", 0x100},
      {"logextendedevents", 0x200},
      {"disablelegacytls", 0x400},
      {"enablesessionticket", 0x800},
      {"disabletls12", 0x1000},
      {"disablesessionid", 0x4000}};
  for (auto [name, bit] : cases) {
    CAPTURE(name);
    Binding b = IpBinding();
    b.flags = kFlagNoRawFilter;  // a bit without an option survives
    SetText(b, name, "enable");
    CHECK(b.flags == (bit | kFlagNoRawFilter));
    SetText(b, name, "disable");
    CHECK(b.flags == kFlagNoRawFilter);
  }
}

TEST_CASE("bad values are refused with the parameter named") {
  CHECK(ParseParamText(Param::kReject, "yes").status().message() ==
        "reject='yes': the value must be enable or disable");
  CHECK(!ParseParamText(Param::kUrlRetrievalTimeout, "-1").ok());
  CHECK(!ParseParamText(Param::kUrlRetrievalTimeout, "4294967296").ok());
  CHECK(std::get<uint32_t>(*ParseParamText(Param::kUrlRetrievalTimeout,
                                           "4294967295")) == 4294967295u);
  CHECK(!ParseParamText(Param::kCertStoreName, "").ok());
  CHECK(!ParseParamText(Param::kCertStoreName, "a\nb").ok());
  CHECK(!ParseParamText(Param::kAppId, "{nope}").ok());
}

TEST_CASE("certhash and appid read back in canonical text") {
  Binding b = IpBinding();
  SetText(b, "certhash", "ABCDEF");
  SetText(b, "appid", "00112233-4455-6677-8899-AABBCCDDEEFF");
  CHECK(std::get<std::string>(GetParam(b, Param::kCertHash)) == "abcdef");
  CHECK(ShowParam(b, Param::kAppId) ==
        "{00112233-4455-6677-8899-aabbccddeeff}");
}

TEST_CASE("a patch applies in order and validates the result") {
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kCertHash, "01").ok());
  REQUIRE(patch.SetText(Param::kDisableQuic, "enable").ok());
  REQUIRE(patch.SetText(Param::kDisableQuic, "disable").ok());
  CHECK(patch.entries().size() == 2);
  Result<Binding> b =
      MakeBinding(Key(BindingKind::kIpPort, "1.2.3.4:443"), patch);
  REQUIRE(b.ok());
  CHECK(b->flags == 0);
  CHECK(b->cert_hash == std::vector<uint8_t>{1});

  BindingPatch no_hash;
  REQUIRE(no_hash.SetText(Param::kReject, "enable").ok());
  CHECK(MakeBinding(Key(BindingKind::kIpPort, "1.2.3.4:443"), no_hash)
            .status()
            .IsInvalidArgument());
}

TEST_CASE("typed values of the wrong type are refused") {
  Binding b = IpBinding();
  CHECK(
      SetParam(b, Param::kReject, ParamValue(uint32_t{1})).IsInvalidArgument());
  CHECK(SetParam(b, Param::kUrlRetrievalTimeout, ParamValue(true))
            .IsInvalidArgument());
  CHECK(SetParam(b, Param::kAppId, ParamValue(std::monostate{}))
            .IsInvalidArgument());
  CHECK(SetParam(b, Param::kCertStoreName, ParamValue(std::monostate{})).ok());
}

TEST_CASE("text parameters must be UTF-8; the error names the offset") {
  Result<ParamValue> v = ParseParamText(Param::kSslCtlIdentifier, "ab\xc3");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().IsInvalidArgument());
  CHECK(v.status().message() ==
        "sslctlidentifier='ab\\xc3': the byte at offset 2 is not valid UTF-8");
  // A surrogate and an overlong form are not UTF-8 either.
  CHECK_FALSE(ParseParamText(Param::kSslCtlIdentifier, "\xed\xa0\x80").ok());
  CHECK_FALSE(ParseParamText(Param::kSslCtlIdentifier, "\xc0\xaf").ok());
  CHECK(
      ParseParamText(Param::kSslCtlIdentifier, "Zertifikate f\xc3\xbcr").ok());
  // C1 controls are control characters too.
  CHECK_FALSE(ParseParamText(Param::kSslCtlIdentifier, "a\xc2\x9b").ok());
}

TEST_CASE("a text value is one netsh's output shows as it is") {
  // The fuzzer's round trip through `show` found "ctl " coming back as
  // "ctl": netsh's lines lose the spaces at their ends.
  for (std::string_view bad : {"ctl ", " ctl", " ", "(null)", "(NULL)"}) {
    CAPTURE(bad);
    Result<ParamValue> v = ParseParamText(Param::kSslCtlIdentifier, bad);
    REQUIRE_FALSE(v.ok());
    CHECK(v.status().message().starts_with("sslctlidentifier='"));
  }
  CHECK(ParseParamText(Param::kSslCtlIdentifier, "ctl ").status().message() ==
        "sslctlidentifier='ctl ' begins or ends with a space, which netsh's "
        "output cannot show");
  CHECK(ParseParamText(Param::kSslCtlIdentifier, "(null)").status().message() ==
        "sslctlidentifier='(null)' is what netsh's output shows for no value");
  for (std::string_view good : {"a ctl", "(null) ctl", "ctl(null)", "c"}) {
    CAPTURE(good);
    CHECK(ParseParamText(Param::kSslCtlIdentifier, good).ok());
  }
}

TEST_CASE("store names follow the one store-name rule of every input") {
  for (Param p : {Param::kCertStoreName, Param::kSslCtlStoreName}) {
    CAPTURE(GetParamInfo(p).name);
    CHECK(ParseParamText(p, "MY").ok());
    CHECK(ParseParamText(p, "Trusted CAs").ok());
    CHECK(ParseParamText(p, "Zertifikate f\xc3\xbcr Web").ok());
    for (const char* bad : {"MY\\..\\..\\X", "a.b", "a/b", " MY", "M\xffY"}) {
      CAPTURE(bad);
      Result<ParamValue> v = ParseParamText(p, bad);
      REQUIRE_FALSE(v.ok());
      CHECK(
          v.status().message().starts_with(std::string(GetParamInfo(p).name)));
    }
  }
  Result<ParamValue> v = ParseParamText(Param::kCertStoreName, "MY\\..\\X");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().message() ==
        "certstorename: certificate store name 'MY\\\\..\\\\X' may hold only "
        "letters, digits, '_', '-' and inner spaces");
}

TEST_CASE("a long or unprintable value is quoted briefly and escaped") {
  Result<ParamValue> v = ParseParamText(Param::kUrlRetrievalTimeout,
                                        "\x1b[31m" + std::string(500, '9'));
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().message().starts_with("urlretrievaltimeout='\\e[31m999"));
  CHECK(v.status().message().find("... (505 bytes)") != std::string::npos);
  CHECK(v.status().message().size() < 200);
}

}  // namespace
}  // namespace sslbind
