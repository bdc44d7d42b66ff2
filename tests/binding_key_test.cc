// Tests for sslbind/binding_key.h: the key forms and canonical text of
// docs/reference.md, "Binding kinds".
#include "sslbind/binding_key.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sslbind {
namespace {

std::string Canonical(BindingKind kind, std::string_view text) {
  Result<BindingKey> key = BindingKey::Parse(kind, text);
  REQUIRE_MESSAGE(key.ok(), key.status().ToString());
  return key->ToString();
}

Status ParseError(BindingKind kind, std::string_view text) {
  Result<BindingKey> key = BindingKey::Parse(kind, text);
  REQUIRE_MESSAGE(!key.ok(), "expected '", std::string(text),
                  "' to be refused");
  return key.status();
}

constexpr BindingKind kIp = BindingKind::kIpPort;
constexpr BindingKind kSni = BindingKind::kHostnamePort;
constexpr BindingKind kCcs = BindingKind::kCcs;
constexpr BindingKind kScoped = BindingKind::kScopedCcs;

TEST_CASE("IPv4 ipport keys are kept as dotted quads") {
  CHECK(Canonical(kIp, "10.1.2.3:443") == "10.1.2.3:443");
  CHECK(Canonical(kIp, "0.0.0.0:443") == "0.0.0.0:443");
}

TEST_CASE("star and an empty address mean 0.0.0.0") {
  CHECK(Canonical(kIp, "*:443") == "0.0.0.0:443");
  CHECK(Canonical(kIp, ":443") == "0.0.0.0:443");
}

TEST_CASE("IPv6 ipport keys are bracketed, lower case and compressed") {
  CHECK(Canonical(kIp, "[::]:443") == "[::]:443");
  CHECK(Canonical(kIp, "[FE80:0:0:0:0:0:0:1]:8443") == "[fe80::1]:8443");
  CHECK(Canonical(kIp, "[2001:DB8::A]:443") == "[2001:db8::a]:443");
}

TEST_CASE("an IPv4-mapped IPv6 key becomes the IPv4 key") {
  CHECK(Canonical(kIp, "[::ffff:1.2.3.4]:443") == "1.2.3.4:443");
  CHECK(BindingKey::Parse(kIp, "[::ffff:1.2.3.4]:443").value() ==
        BindingKey::Parse(kIp, "1.2.3.4:443").value());
}

TEST_CASE("bad ports are refused with the port named") {
  for (const char* text : {"1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:+443",
                           "1.2.3.4: 443", "1.2.3.4:-1", "1.2.3.4:", "1.2.3.4",
                           "1.2.3.4:443x", "1.2.3.4:999999"}) {
    CAPTURE(text);
    Status s = ParseError(kIp, text);
    CHECK(s.IsInvalidArgument());
    CHECK(s.win32() == 87);
  }
  CHECK(ParseError(kIp, "1.2.3.4:0").message().find("port '0'") !=
        std::string::npos);
  CHECK(Canonical(kIp, "1.2.3.4:65535") == "1.2.3.4:65535");
  CHECK(Canonical(kIp, "1.2.3.4:1") == "1.2.3.4:1");
}

TEST_CASE("bad addresses are refused") {
  for (const char* text :
       {"999.1.1.1:443", "1.2.3:443", "1.2.3.4.5:443", "[fe80::1%eth0]:443",
        "::1:443", "[1.2.3.4]:443", "[::1:443", "01.2.3.4:443", "host:443",
        "[gggg::1]:443", " 1.2.3.4:443"}) {
    CAPTURE(text);
    CHECK(ParseError(kIp, text).IsInvalidArgument());
  }
  CHECK(ParseError(kIp, "[fe80::1%eth0]:443").message().find("zone") !=
        std::string::npos);
  CHECK(ParseError(kIp, "::1:443").message().find("brackets") !=
        std::string::npos);
}

TEST_CASE("host names are lower-cased and lose a trailing dot") {
  CHECK(Canonical(kSni, "WWW.Contoso.COM:443") == "www.contoso.com:443");
  CHECK(Canonical(kSni, "www.contoso.com.:443") == "www.contoso.com:443");
  CHECK(Canonical(kSni, "localhost:8443") == "localhost:8443");
  CHECK(Canonical(kSni, "a-b.c0.com:443") == "a-b.c0.com:443");
}

TEST_CASE("a left-most wildcard label is a wildcard SNI key") {
  CHECK(Canonical(kSni, "*.Contoso.com:443") == "*.contoso.com:443");
  CHECK(ParseError(kSni, "*.*.com:443").IsInvalidArgument());
  CHECK(ParseError(kSni, "a.*.com:443").IsInvalidArgument());
  CHECK(ParseError(kSni, "*:443").IsInvalidArgument());
  CHECK(ParseError(kSni, "*a.com:443").IsInvalidArgument());
  CHECK(ParseError(kScoped, "*.contoso.com:443").IsInvalidArgument());
}

TEST_CASE("internationalised names are stored as their A-label") {
  CHECK(Canonical(kSni,
                  "b\xc3\xbc"
                  "cher.example:443") == "xn--bcher-kva.example:443");
  CHECK(Canonical(kSni,
                  "B\xc3\x9c"
                  "CHER.example:443") == "xn--bcher-kva.example:443");
  CHECK(Canonical(kSni, "xn--bcher-kva.example:443") ==
        "xn--bcher-kva.example:443");
}

TEST_CASE("names that could escape a folder or break a label are refused") {
  for (const char* text :
       {"host..com:443", "-a.com:443", "a-.com:443", "a/b:443", "a\\b:443",
        "..:443", ".:443", ":443", "a b.com:443", "a\tb.com:443", "a_b.com:443",
        "../etc/passwd:443", "a.com:", ".a.com:443"}) {
    CAPTURE(text);
    CHECK(ParseError(kSni, text).IsInvalidArgument());
  }
  std::string long_label(64, 'a');
  CHECK(ParseError(kSni, long_label + ".com:443").IsInvalidArgument());
  std::string ok_label(63, 'a');
  CHECK(Canonical(kSni, ok_label + ".com:443") == ok_label + ".com:443");
}

TEST_CASE("names of 253 characters are accepted and longer ones refused") {
  std::string name;
  while (name.size() < 250) name += std::string(49, 'a') + ".";
  name += "com";
  REQUIRE(name.size() == 253);
  CHECK(Canonical(kSni, name + ":443") == name + ":443");
  CHECK(ParseError(kSni, "ab" + name + ":443").message().find("253") !=
        std::string::npos);
}

TEST_CASE("ccs keys are a bare port") {
  CHECK(Canonical(kCcs, "443") == "443");
  CHECK(ParseError(kCcs, "0").IsInvalidArgument());
  CHECK(ParseError(kCcs, "0.0.0.0:443").IsInvalidArgument());
}

TEST_CASE("scoped ccs keys are name:port") {
  CHECK(Canonical(kScoped, "WWW.contoso.com:443") == "www.contoso.com:443");
}

TEST_CASE("ParseParam picks the kind by its netsh name, case-insensitively") {
  Result<BindingKey> key = BindingKey::ParseParam("IPPort", "1.1.1.1:443");
  REQUIRE(key.ok());
  CHECK(key->kind() == kIp);
  CHECK(key->ToParam() == "ipport=1.1.1.1:443");
  CHECK(BindingKey::ParseParam("ccs", "443")->ToParam() == "ccs=443");
  CHECK(!BindingKey::ParseParam("certhash", "443").ok());
}

TEST_CASE("keys order as show lists them") {
  std::vector<BindingKey> keys = {
      BindingKey::Parse(kScoped, "a.com:443").value(),
      BindingKey::Parse(kCcs, "443").value(),
      BindingKey::Parse(kSni, "b.com:443").value(),
      BindingKey::Parse(kSni, "a.com:8443").value(),
      BindingKey::Parse(kSni, "a.com:443").value(),
      BindingKey::Parse(kIp, "[::]:443").value(),
      BindingKey::Parse(kIp, "10.0.0.1:443").value(),
      BindingKey::Parse(kIp, "9.0.0.1:8443").value(),
      BindingKey::Parse(kIp, "9.0.0.1:443").value(),
  };
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> order;
  for (const auto& k : keys) order.push_back(k.ToParam());
  CHECK(order == std::vector<std::string>{
                     "ipport=9.0.0.1:443", "ipport=9.0.0.1:8443",
                     "ipport=10.0.0.1:443", "ipport=[::]:443",
                     "hostnameport=a.com:443", "hostnameport=a.com:8443",
                     "hostnameport=b.com:443", "ccs=443",
                     "scopedccs=a.com:443"});
}

TEST_CASE("IpAddress parses without brackets and knows the wildcards") {
  CHECK(IpAddress::Parse("0.0.0.0")->IsWildcard());
  CHECK(IpAddress::Parse("::")->IsWildcard());
  CHECK(!IpAddress::Parse("::1")->IsWildcard());
  CHECK(IpAddress::Parse("::ffff:10.0.0.1")->ToString() == "10.0.0.1");
  CHECK(!IpAddress::Parse("[::1]").ok());
}

TEST_CASE("a host name that is not UTF-8 is refused with the offset") {
  Status s = ParseError(BindingKind::kHostnamePort, "ab\xff.com:443");
  CHECK(s.IsInvalidArgument());
  CHECK(s.message() ==
        "hostnameport='ab\\xff.com:443': host name 'ab\\xff.com': the byte at "
        "offset 2 is not valid UTF-8");
}

TEST_CASE("a long key is quoted briefly in messages, with its length") {
  std::string name = std::string(2000, 'a') + ":443";
  Status s = ParseError(BindingKind::kHostnamePort, name);
  CHECK(s.IsInvalidArgument());
  CHECK(s.message().size() < 400);
  CHECK(s.message().find("(2004 bytes)") != std::string::npos);
}

}  // namespace
}  // namespace sslbind
