// Tests for sslbind/diagnostics.h: each finding, and the sets that have none.
#include "sslbind/diagnostics.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;

Binding Ip(std::string_view key, uint8_t hash_byte = 1) {
  Binding b(Key(BindingKind::kIpPort, key));
  b.cert_hash = {hash_byte};
  return b;
}

Binding Sni(std::string_view key, uint8_t hash_byte = 2) {
  Binding b(Key(BindingKind::kHostnamePort, key));
  b.cert_hash = {hash_byte};
  b.cert_store_name = "MY";
  return b;
}

Binding Ccs(std::string_view port) {
  return Binding(Key(BindingKind::kCcs, port));
}

Binding Scoped(std::string_view key) {
  return Binding(Key(BindingKind::kScopedCcs, key));
}

// "severity code port: key, key, ... (+more)" for each finding.
std::vector<std::string> Check(const std::vector<Binding>& bindings,
                               const CheckOptions& options = {}) {
  std::vector<std::string> lines;
  for (const Finding& f : CheckBindings(bindings, options)) {
    std::string line = std::string(SeverityName(f.severity)) + " " +
                       std::string(FindingCode(f.kind)) + " " +
                       std::to_string(f.port) + ":";
    for (const BindingKey& key : f.bindings) line += " " + key.ToParam();
    if (f.more) line += " (+" + std::to_string(f.more) + ")";
    lines.push_back(line);
    CHECK_FALSE(f.message.empty());
  }
  return lines;
}

using Lines = std::vector<std::string>;

TEST_CASE("a set with defaults and distinct names has no findings") {
  CHECK(Check({}).empty());
  CHECK(Check({Ip("0.0.0.0:443"), Ip("[::]:443"), Sni("www.contoso.com:443"),
               Sni("*.contoso.com:443", 3), Ccs("443"),
               Scoped("a.fabrikam.com:443"), Ip("10.0.0.1:8443")})
            .empty());
}

TEST_CASE("SNI and CCS bindings on a port without a default are reported") {
  CHECK(Check({Sni("www.contoso.com:443"), Ccs("443"), Ip("0.0.0.0:8443")}) ==
        Lines{"warning no-default 443: hostnameport=www.contoso.com:443 "
              "ccs=443"});
  std::vector<Finding> f = CheckBindings(std::vector<Binding>{Ccs("443")});
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("No default SSL site has been created") !=
        std::string::npos);
}

TEST_CASE("a [::] default alone leaves IPv4 clients without SNI unserved") {
  std::vector<Finding> f = CheckBindings(
      std::vector<Binding>{Ip("[::]:443"), Sni("www.contoso.com:443")});
  REQUIRE(f.size() == 1);
  CHECK(f[0].kind == FindingKind::kNoDefaultBinding);
  CHECK(f[0].bindings.size() == 2);
  CHECK(f[0].message.find("for IPv4") != std::string::npos);
  CHECK(f[0].message.find("create ipport=0.0.0.0:443") != std::string::npos);
}

TEST_CASE(
    "a specific ipport binding shadowing SNI and CCS bindings is reported") {
  CHECK(Check({Ip("0.0.0.0:443"), Ip("10.0.0.1:443"),
               Sni("www.contoso.com:443"), Scoped("a.contoso.com:443")}) ==
        Lines{"warning shadowed 443: ipport=10.0.0.1:443 "
              "hostnameport=www.contoso.com:443 scopedccs=a.contoso.com:443"});
  // Alone on its port, or beside names of other ports, it hides nothing.
  CHECK(Check({Ip("10.0.0.1:443"), Ip("0.0.0.0:8443"), Sni("a.com:8443")})
            .empty());
}

TEST_CASE("names that end in a number are reported as unreachable") {
  CHECK(Check({Ip("0.0.0.0:443"), Sni("10.1.2.3:443"), Sni("*.1.2.3:443", 9),
               Scoped("a.0x1f:443"), Sni("a.0xg:443"), Sni("a.123b:443"),
               Sni("3com.example:443")}) ==
        Lines{"error unreachable-name 443: hostnameport=*.1.2.3:443",
              "error unreachable-name 443: hostnameport=10.1.2.3:443",
              "error unreachable-name 443: scopedccs=a.0x1f:443"});
}

TEST_CASE("an exact name the same as its wildcard is reported as redundant") {
  Binding wildcard = Sni("*.contoso.com:443", 7);
  Binding same = Sni("www.contoso.com:443", 7);
  Binding other_flags = Sni("shop.contoso.com:443", 7);
  other_flags.flags = kFlagDisableHttp2;
  Binding deeper = Sni("a.b.contoso.com:443", 7);
  Binding other_cert = Sni("mail.contoso.com:443", 8);
  CHECK(Check({Ip("0.0.0.0:443"), wildcard, same, other_flags, deeper,
               other_cert}) ==
        Lines{"info redundant-exact 443: hostnameport=*.contoso.com:443 "
              "hostnameport=www.contoso.com:443"});
}

TEST_CASE("[::] and 0.0.0.0 with different certificates are reported") {
  CHECK(Check({Ip("0.0.0.0:443", 1), Ip("[::]:443", 2)}) ==
        Lines{"warning ipv4-ipv6-differ 443: ipport=0.0.0.0:443 "
              "ipport=[::]:443"});
  // An absent store name is MY, whatever its case.
  Binding v4 = Ip("0.0.0.0:443", 1);
  Binding v6 = Ip("[::]:443", 1);
  v6.cert_store_name = "my";
  CHECK(Check({v4, v6}).empty());
  v6.cert_store_name = "WebHosting";
  CHECK(Check({v4, v6}).size() == 1);
}

TEST_CASE(
    "bindings of one port disagreeing on reject or TLS versions are reported") {
  Binding a = Ip("0.0.0.0:443");
  Binding b = Sni("b.com:443");
  Binding c = Sni("c.com:443");
  b.flags = kFlagDisableTls13;
  a.flags = c.flags = kFlagReject;
  std::vector<Finding> f = CheckBindings(std::vector<Binding>{a, b, c});
  REQUIRE(f.size() == 2);
  // The smaller side is listed.
  CHECK(f[0].message.find("reject=disable on 1 of 3 bindings") !=
        std::string::npos);
  CHECK(f[0].bindings == std::vector<BindingKey>{b.key});
  CHECK(f[1].message.find("disabletls13=enable on 1 of 3 bindings") !=
        std::string::npos);
  CHECK(f[1].bindings == std::vector<BindingKey>{b.key});

  // The same settings everywhere, or on different ports: nothing to report.
  b.flags = kFlagReject;
  CHECK(CheckBindings(std::vector<Binding>{a, b, c}).empty());
  Binding d = Ip("0.0.0.0:8443");
  CHECK(CheckBindings(std::vector<Binding>{a, d}).empty());
}

TEST_CASE("a finding lists at most max_listed bindings and counts the rest") {
  std::vector<Binding> bindings;
  for (int i = 0; i < 30; ++i) {
    bindings.push_back(Sni("site" + std::to_string(i) + ".com:443"));
  }
  std::vector<Finding> f = CheckBindings(bindings, {.max_listed = 5});
  REQUIRE(f.size() == 1);
  CHECK(f[0].bindings.size() == 5);
  CHECK(f[0].more == 25);
  CHECK(f[0].message.find("30 SNI/CCS bindings") != std::string::npos);
}

TEST_CASE("findings come by port, then by kind") {
  CHECK(Check({Sni("10.0.0.1:443"), Ip("10.0.0.9:443"), Sni("a.com:80"),
               Ip("0.0.0.0:80", 1), Ip("[::]:80", 2)}) ==
        Lines{"warning ipv4-ipv6-differ 80: ipport=0.0.0.0:80 ipport=[::]:80",
              "warning no-default 443: hostnameport=10.0.0.1:443",
              "warning shadowed 443: ipport=10.0.0.9:443 "
              "hostnameport=10.0.0.1:443",
              "error unreachable-name 443: hostnameport=10.0.0.1:443"});
}


TEST_CASE(
    "more than max_findings findings of one kind on a port are one finding "
    "that counts them") {
  std::vector<Binding> bindings = {Ip("0.0.0.0:443"), Sni("a.com:443")};
  for (int i = 1; i <= 30; ++i) {
    bindings.push_back(Ip("10.0.0." + std::to_string(i) + ":443"));
    bindings.push_back(Sni("x.1." + std::to_string(i) + ":443"));
  }
  std::vector<Finding> f = CheckBindings(bindings, {.max_findings = 20});
  REQUIRE(f.size() == 2);
  CHECK(f[0].kind == FindingKind::kShadowedByIpPort);
  CHECK(f[0].message.starts_with("30 ipport bindings for specific addresses"));
  CHECK(f[0].message.find("31 SNI/CCS bindings") != std::string::npos);
  CHECK(f[0].bindings.size() == 20);
  CHECK(f[0].more == 30 + 31 - 20);
  CHECK(f[0].bindings.front().ToParam() == "ipport=10.0.0.1:443");
  CHECK(f[1].kind == FindingKind::kUnreachableName);
  CHECK(f[1].message.starts_with("30 name bindings on port 443"));
  CHECK(f[1].bindings.size() + f[1].more == 30);
  // Up to max_findings they come one by one.
  std::vector<Finding> one_by_one = CheckBindings(bindings, {.max_findings = 30});
  CHECK(one_by_one.size() == 60);
}

TEST_CASE("redundant exact names beyond max_findings are one finding") {
  std::vector<Binding> bindings = {Ip("0.0.0.0:443"), Sni("*.contoso.com:443")};
  for (int i = 0; i < 25; ++i) {
    bindings.push_back(Sni("n" + std::to_string(i) + ".contoso.com:443"));
  }
  std::vector<Finding> f = CheckBindings(bindings);
  REQUIRE(f.size() == 1);
  CHECK(f[0].kind == FindingKind::kRedundantExactName);
  CHECK(f[0].message.starts_with("25 exact hostnameport bindings"));
  // The wildcard once, and every exact name.
  CHECK(f[0].bindings.size() + f[0].more == 26);
  CHECK(f[0].bindings.front().ToParam() == "hostnameport=*.contoso.com:443");
}

TEST_CASE("max_listed = SIZE_MAX lists every binding of a finding") {
  std::vector<Binding> bindings;
  for (int i = 0; i < 100; ++i) {
    bindings.push_back(Sni("site" + std::to_string(i) + ".com:443"));
  }
  std::vector<Finding> f = CheckBindings(bindings, {.max_listed = SIZE_MAX});
  REQUIRE(f.size() == 1);
  CHECK(f[0].bindings.size() == 100);
  CHECK(f[0].more == 0);
  CHECK(std::is_sorted(f[0].bindings.begin(), f[0].bindings.end()));
}

TEST_CASE("a BindingChecker given the bindings one by one finds what CheckBindings finds") {
  std::vector<Binding> bindings = {
      Ip("[::]:443", 1),       Ip("0.0.0.0:443", 2),   Ip("10.0.0.9:443"),
      Sni("10.0.0.1:443"),     Sni("a.com:80"),        Sni("*.b.com:80"),
      Ccs("443"),              Scoped("b.fabrikam.com:9443")};
  bindings[2].flags = kFlagReject;
  BindingChecker checker;
  for (auto it = bindings.rbegin(); it != bindings.rend(); ++it) {
    checker.Add(*it);
  }
  CHECK(checker.count() == bindings.size());
  std::vector<Finding> streamed = checker.Finish();
  std::vector<Finding> whole = CheckBindings(bindings);
  REQUIRE(streamed.size() == whole.size());
  CHECK(whole.size() >= 5);
  for (size_t i = 0; i < whole.size(); ++i) {
    CHECK(streamed[i].message == whole[i].message);
    CHECK(streamed[i].bindings == whole[i].bindings);
  }
  CHECK(checker.count() == 0);
}
}  // namespace
}  // namespace sslbind
