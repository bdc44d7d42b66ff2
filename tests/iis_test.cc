// Tests for sslbind/iis.h: reading applicationHost.config and MetaBase.xml,
// the bindings they need, the findings and the sync plan.
#include "sslbind/iis.h"

#include <doctest/doctest.h>

#include <string>

#include "sslbind/apply_plan.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;

// An applicationHost.config whose sites are `sites` (XML text).
std::string AppHost(const std::string& sites) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n"
         "<system.applicationHost>\n<sites>\n" +
         sites + "</sites>\n</system.applicationHost>\n</configuration>\n";
}

// One site with one HTTPS binding.
std::string Site(const std::string& name, int id, const std::string& info,
                 const std::string& flags = "0") {
  return "<site name=\"" + name + "\" id=\"" + std::to_string(id) +
         "\"><bindings>\n<binding protocol=\"https\" bindingInformation=\"" +
         info + "\" sslFlags=\"" + flags + "\" />\n</bindings></site>\n";
}

IisConfig Parse(const std::string& text) {
  Result<IisConfig> config = ParseIisConfig(text);
  REQUIRE_MESSAGE(config.ok(), config.status().message());
  return *config;
}

std::string ParseError(const std::string& text) {
  Result<IisConfig> config = ParseIisConfig(text);
  REQUIRE(!config.ok());
  CHECK(config.status().IsInvalidArgument());
  return config.status().message();
}

Binding Stored(BindingKind kind, std::string_view key, uint32_t flags = 0) {
  Binding b(Key(kind, key));
  b.app_id = Guid::Parse(kIisAppId).value();
  b.flags = flags;
  if (kind == BindingKind::kIpPort || kind == BindingKind::kHostnamePort) {
    b.cert_hash = std::vector<uint8_t>(20, 0xab);
    b.cert_store_name = "MY";
  }
  return b;
}

std::vector<IisFindingKind> Kinds(const std::vector<IisFinding>& findings) {
  std::vector<IisFindingKind> kinds;
  for (const IisFinding& f : findings) kinds.push_back(f.kind);
  return kinds;
}

CcsConfig CcsOn() {
  CcsConfig ccs;
  ccs.enabled = true;
  ccs.location = "/srv/ccs";
  return ccs;
}

StoredCertificate Cert(uint8_t id, std::vector<std::string> names,
                       int64_t not_before, int64_t not_after = 4000000000,
                       bool key = true) {
  StoredCertificate c;
  c.store_name = "MY";
  c.info.thumbprint = std::vector<uint8_t>(20, id);
  c.info.dns_names = std::move(names);
  c.info.not_before = not_before;
  c.info.not_after = not_after;
  c.private_key = key ? PrivateKeyState::kPresent : PrivateKeyState::kMissing;
  return c;
}

constexpr int64_t kNow = 1800000000;

TEST_CASE("applicationHost.config gives its HTTPS bindings with their lines") {
  IisConfig config = Parse(
      AppHost("<site name=\"Default Web Site\" id=\"1\">\n<bindings>\n"
              "<binding protocol=\"http\" bindingInformation=\"*:80:\" />\n"
              "<binding protocol=\"https\" bindingInformation=\"*:443:\" "
              "sslFlags=\"0\" />\n</bindings>\n</site>\n" +
              Site("V6", 2, "[2001:DB8::1]:8443:") +
              Site("Sni", 3, "10.0.0.1:443:WWW.Contoso.com.", "1")));
  CHECK(config.format == IisFormat::kApplicationHost);
  CHECK(config.sites == 3);
  REQUIRE(config.bindings.size() == 3);
  const IisBinding& first = config.bindings[0];
  CHECK(first.site_name == "Default Web Site");
  CHECK(first.site_id == 1);
  CHECK(first.line == 8);
  CHECK(first.binding_information == "*:443:");
  CHECK(!first.address);
  CHECK(first.port == 443);
  CHECK(first.host.empty());
  CHECK(config.bindings[1].address->ToString() == "2001:db8::1");
  CHECK(config.bindings[2].host == "www.contoso.com");
  CHECK(config.bindings[2].address->ToString() == "10.0.0.1");
}

TEST_CASE("sslFlags may be IIS's flag names instead of a number") {
  IisConfig config =
      Parse(AppHost(Site("A", 1, "*:443:a.example", "Sni, DisableHTTP2") +
                    Site("B", 2, "*:443:b.example", "None")));
  CHECK(config.bindings[0].ssl_flags == (kIisSslSni | kIisSslDisableHttp2));
  CHECK(config.bindings[1].ssl_flags == 0);
}

TEST_CASE("a MetaBase.xml gives one binding per SecureBindings entry") {
  IisConfig config = Parse(
      "<?xml version =\"1.0\"?>\n"
      "<configuration xmlns=\"urn:microsoft-catalog:XML_Metabase_V64_0\">\n"
      "<MBProperty>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/2\" ServerComment=\"Extranet\"\n"
      "  SSLCertHash=\"0102030405060708090A0B0C0D0E0F1011121314\"\n"
      "  SSLStoreName=\"WebHosting\" SslCtlStoreName=\"CA\"\n"
      "  SecureBindings=\"10.0.0.1:443:\n\t\t:8443:\">\n"
      "</IIsWebServer>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/3\" ServerBindings=\":80:\"/>\n"
      "</MBProperty>\n</configuration>\n");
  CHECK(config.format == IisFormat::kMetabase);
  CHECK(config.sites == 2);
  REQUIRE(config.bindings.size() == 2);
  for (const IisBinding& b : config.bindings) {
    CHECK(b.site_name == "Extranet");
    CHECK(b.site_id == 2);
    CHECK(b.line == 4);
    CHECK(HexLower(b.cert_hash) == "0102030405060708090a0b0c0d0e0f1011121314");
    CHECK(b.cert_store_name == "WebHosting");
    CHECK(b.ctl_store_name == "CA");
    CHECK(b.site_secure_bindings == 2);
  }
  CHECK(NeededBinding(config.bindings[0]).key->ToParam() ==
        "ipport=10.0.0.1:443");
  CHECK(NeededBinding(config.bindings[1]).key->ToParam() ==
        "ipport=0.0.0.0:8443");
}

TEST_CASE("XML that is not well-formed is refused with its line and column") {
  CHECK(ParseError("<configuration>\n  <sites>\n</configuration>\n") ==
        "not well-formed XML at line 3, column 3: Start-end tags mismatch");
  CHECK(ParseError("").find("line 1, column 1") != std::string::npos);
}

TEST_CASE("only UTF-8 is read, as IIS writes it") {
  CHECK(ParseError(AppHost(Site("caf\xe9", 1, "*:443:"))) ==
        "not valid UTF-8 at line 5, column 16 (byte 103)");
  CHECK(ParseError(std::string("\xff\xfe<\0c\0/\0>\0", 10)).find("UTF-16") !=
        std::string::npos);
  // With a byte-order mark, and a site name in UTF-8.
  IisConfig config =
      Parse("\xef\xbb\xbf" + AppHost(Site("caf\xc3\xa9", 1, "*:443:")));
  CHECK(config.bindings[0].site_name == "caf\xc3\xa9");
}

TEST_CASE("a binding without sslFlags has IIS's default, none") {
  IisConfig config = Parse(
      AppHost("<site name=\"A\" id=\"1\"><bindings><binding protocol=\"https\" "
              "bindingInformation=\"*:443:\"/></bindings></site>"));
  CHECK(config.bindings[0].ssl_flags == 0);
  CHECK(ParseError(AppHost(Site("A", 1, "*:443:", ""))).find("sslFlags ''") !=
        std::string::npos);
}

TEST_CASE("a document of neither format names its root element") {
  CHECK(ParseError("<project/>").find("the root element is 'project'") !=
        std::string::npos);
  CHECK(ParseError("<configuration/>").find("<configuration>") !=
        std::string::npos);
}

TEST_CASE("bad HTTPS bindings are refused naming the site and line") {
  auto error = [](const std::string& info, const std::string& flags = "0") {
    return ParseError(AppHost(Site("S", 4, info, flags)));
  };
  CHECK(error("*:0:") ==
        "line 6: site 'S' (id 4): bindingInformation '*:0:': port '0' is not "
        "a number from 1 to 65535");
  CHECK(error("443").find("is not IP:PORT:HOST") != std::string::npos);
  CHECK(error("1.2.3:443:").find("'1.2.3:443:'") != std::string::npos);
  CHECK(error("[::1:443:").find("no closing bracket") != std::string::npos);
  CHECK(error("*:443:a..b").find("'*:443:a..b'") != std::string::npos);
  CHECK(error("*:443:", "512") ==
        "line 6: site 'S' (id 4): sslFlags '512' has bit 512, which IIS does "
        "not define (known: 1 to 128)");
  CHECK(error("*:443:", "99999999999").find("too large") != std::string::npos);
  CHECK(error("*:443:", "Sni, Fast").find("'Sni, Fast'") != std::string::npos);
  // HTTP bindings are not read, so not checked.
  CHECK(Parse(AppHost("<site name=\"H\" id=\"1\"><bindings><binding "
                      "protocol=\"http\" bindingInformation=\"junk\"/>"
                      "</bindings></site>"))
            .bindings.empty());
}

TEST_CASE("a configuration larger than the limit is refused unparsed") {
  std::string text = AppHost(Site("S", 1, "*:443:"));
  text.resize(kMaxIisConfigBytes + 1, ' ');
  CHECK(ParseError(text).find("more than the 32 MiB") != std::string::npos);
}

TEST_CASE("sslFlags bits translate to HTTP.sys options by name") {
  CHECK(IisFlagsToHttpFlags(kIisSslSni | kIisSslCcs) == 0);
  CHECK(IisFlagsToHttpFlags(kIisSslDisableHttp2) == kFlagDisableHttp2);
  CHECK(IisFlagsToHttpFlags(kIisSslDisableOcspStapling) ==
        kFlagDisableOcspStapling);
  CHECK(IisFlagsToHttpFlags(kIisSslDisableQuic) == kFlagDisableQuic);
  CHECK(IisFlagsToHttpFlags(kIisSslDisableTls13OverTcp) == kFlagDisableTls13);
  CHECK(IisFlagsToHttpFlags(kIisSslDisableLegacyTls) == kFlagDisableLegacyTls);
  CHECK(IisFlagsToHttpFlags(kIisSslNegotiateClientCert) ==
        kFlagNegotiateClientCert);
  CHECK(IisFlagsToHttpFlags(kIisSslKnownFlags) == kIisManagedFlags);
  CHECK(IisSslFlagsText(0) == "0");
  CHECK(IisSslFlagsText(3) == "3 (sni, ccs)");
  CHECK(IisSslFlagsText(96) == "96 (disabletls13, disablelegacytls)");
  CHECK(IisSslFlagName(256).empty());
}

TEST_CASE("each sslFlags combination needs its kind of HTTP.sys binding") {
  IisConfig config = Parse(
      AppHost(Site("A", 1, "*:443:") + Site("B", 2, "[fe80::1]:443:x.example") +
              Site("C", 3, "*:443:www.example", "1") +
              Site("D", 4, "*:8443:shop.example", "3") +
              Site("E", 5, "*:9443:", "2") + Site("F", 6, "*:443:", "1")));
  CHECK(NeededBinding(config.bindings[0]).key->ToParam() ==
        "ipport=0.0.0.0:443");
  CHECK(NeededBinding(config.bindings[1]).key->ToParam() ==
        "ipport=[fe80::1]:443");
  CHECK(NeededBinding(config.bindings[2]).key->ToParam() ==
        "hostnameport=www.example:443");
  CHECK(NeededBinding(config.bindings[3]).key->ToParam() == "ccs=8443");
  CHECK(NeededBinding(config.bindings[4]).key->ToParam() == "ccs=9443");
  CHECK(!NeededBinding(config.bindings[5]).key);
}

TEST_CASE("check reports missing, orphan, flags and shared bindings") {
  IisConfig config = Parse(AppHost(Site("A", 1, "*:443:a.example", "5") +
                                   Site("B", 2, "*:443:b.example", "2") +
                                   Site("C", 3, "*:443:c.example", "2") +
                                   Site("D", 4, "*:443:")));
  std::vector<Binding> store = {
      Stored(BindingKind::kHostnamePort, "a.example:443", kFlagDisableQuic),
      Stored(BindingKind::kCcs, "443"),
      Stored(BindingKind::kIpPort, "10.1.1.1:443"),
      Stored(BindingKind::kIpPort, "10.1.1.1:8443"),
  };
  std::vector<IisFinding> findings = CheckIisConfig(config, store, CcsOn());
  REQUIRE(Kinds(findings) ==
          std::vector<IisFindingKind>{
              IisFindingKind::kMissing, IisFindingKind::kOrphan,
              IisFindingKind::kOrphan, IisFindingKind::kFlags,
              IisFindingKind::kShared});
  CHECK(findings[0].binding->ToParam() == "ipport=0.0.0.0:443");
  CHECK(findings[0].iis_bindings == std::vector<size_t>{3});
  // 10.1.1.1:443 hides the SNI and CCS sites of port 443; :8443 hides none.
  CHECK(findings[1].severity == Severity::kError);
  CHECK(findings[1].message.find("never get their certificates") !=
        std::string::npos);
  CHECK(findings[2].severity == Severity::kWarning);
  CHECK(findings[3].message ==
        "'*:443:a.example' of site 'A' (id 1), line 6 has sslFlags 5 (sni, "
        "disablehttp2), but hostnameport=a.example:443 has disablehttp2 off, "
        "disablequic on");
  CHECK(findings[4].binding->ToParam() == "ccs=443");
  CHECK(findings[4].iis_bindings == std::vector<size_t>{1, 2});
}

TEST_CASE("check reports SNI without a host, duplicates and a disabled CCS") {
  IisConfig config = Parse(AppHost(
      Site("A", 1, "*:8443:", "1") + Site("B", 2, "*:443:x.example", "1") +
      Site("C", 3, "*:443:X.example.", "1") + Site("D", 4, "*:443:y", "2")));
  std::vector<Binding> store = {
      Stored(BindingKind::kHostnamePort, "x.example:443"),
      Stored(BindingKind::kCcs, "443")};
  std::vector<IisFinding> findings = CheckIisConfig(config, store, {});
  REQUIRE(Kinds(findings) ==
          std::vector<IisFindingKind>{
              IisFindingKind::kShared, IisFindingKind::kSniWithoutHost,
              IisFindingKind::kDuplicate, IisFindingKind::kCcsDisabled});
  CHECK(findings[2].iis_bindings == std::vector<size_t>{1, 2});
  CHECK(findings[3].message.find("is not enabled") != std::string::npos);
  CHECK(Kinds(CheckIisConfig(config, store, CcsOn())).size() == 3);
}

TEST_CASE("check reports IIS 6 sites with one certificate for many bindings") {
  IisConfig config = Parse(
      "<configuration><MBProperty>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/1\" SSLCertHash=\"0a0b\" "
      "SecureBindings=\"10.0.0.1:443: 10.0.0.2:443:\"/>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/2\" SSLCertHash=\"0a0b\" "
      "SSLStoreName=\"WebHosting\" SecureBindings=\"10.0.0.3:443:\"/>\n"
      "</MBProperty></configuration>");
  Binding same = Stored(BindingKind::kIpPort, "10.0.0.1:443");
  same.cert_hash = {0x0a, 0x0b};
  same.cert_store_name.reset();  // MY, as the MetaBase says by default
  Binding other_hash = same;
  other_hash.key = Key(BindingKind::kIpPort, "10.0.0.2:443");
  other_hash.cert_hash = {0x0c};
  Binding other_store = same;
  other_store.key = Key(BindingKind::kIpPort, "10.0.0.3:443");
  std::vector<IisFinding> findings =
      CheckIisConfig(config, {{same, other_hash, other_store}}, {});
  REQUIRE(Kinds(findings) ==
          std::vector<IisFindingKind>{IisFindingKind::kOneCertificate,
                                      IisFindingKind::kCertificateDiffers,
                                      IisFindingKind::kCertificateDiffers});
  CHECK(findings[0].iis_bindings == std::vector<size_t>{0, 1});
  CHECK(findings[1].message.find("has certhash 0c") != std::string::npos);
  CHECK(findings[2].message.find("has certstorename 'MY'") !=
        std::string::npos);
}

TEST_CASE("sync keeps existing bindings and sets only the sslFlags options") {
  IisConfig config = Parse(AppHost(Site("A", 1, "*:443:a.example", "69")));
  Binding existing = Stored(BindingKind::kHostnamePort, "a.example:443",
                            kFlagDisableQuic | kFlagReject);
  existing.app_id =
      Guid::Parse("{00112233-4455-6677-8899-aabbccddeeff}").value();
  IisSyncPlan sync = PlanIisSync(config, {{existing}}, {}, kNow);
  REQUIRE(sync.desired.size() == 1);
  CHECK(sync.skipped.empty());
  Binding want = existing;
  want.flags = kFlagReject | kFlagDisableHttp2 | kFlagDisableLegacyTls;
  CHECK(sync.desired[0] == want);
}

TEST_CASE("sync picks the newest valid certificate covering the host") {
  IisConfig config = Parse(AppHost(
      Site("A", 1, "*:443:www.example", "1") + Site("B", 2, "*:443:", "0") +
      Site("C", 3, "*:443:shop.example", "1") +
      Site("D", 4, "*:443:old.example", "1") + Site("E", 5, "*:443:", "2")));
  std::vector<StoredCertificate> certs = {
      Cert(1, {"www.example"}, 1600000000),
      Cert(2, {"www.example", "*.example"}, 1700000000),
      Cert(3, {"www.example"}, 1750000000, 4000000000, /*key=*/false),
      Cert(4, {"www.example"}, 1900000000),  // not yet valid
      Cert(5, {"shop.example"}, 1600000000),
      Cert(6, {"shop.example"}, 1600000000),
      Cert(7, {"old.example"}, 1000000000, 1100000000),  // expired
  };
  IisSyncPlan sync = PlanIisSync(config, {}, certs, kNow);
  REQUIRE(sync.desired.size() == 2);
  CHECK(sync.desired[0].key.ToParam() == "hostnameport=www.example:443");
  CHECK(sync.desired[0].cert_hash == std::vector<uint8_t>(20, 2));
  CHECK(sync.desired[0].cert_store_name == "MY");
  CHECK(sync.desired[0].app_id.ToString() == kIisAppId);
  CHECK(sync.desired[1].key.ToParam() == "ccs=443");
  REQUIRE(sync.skipped.size() == 3);
  CHECK(sync.skipped[0].iis_binding == 1);
  CHECK(sync.skipped[0].reason.find("no host name") != std::string::npos);
  CHECK(sync.skipped[1].reason.find("2 certificates equally new") !=
        std::string::npos);
  CHECK(sync.skipped[2].reason ==
        "no valid certificate with a private key covers old.example");
}

TEST_CASE("sync from a MetaBase takes the certificate from SSLCertHash") {
  IisConfig config = Parse(
      "<configuration><MBProperty>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/1\" SSLCertHash=\"0a0b\" "
      "SSLStoreName=\"WebHosting\" SslCtlStoreName=\"CA\" "
      "SecureBindings=\":443:\"/>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/2\" SecureBindings=\":8443:\"/>\n"
      "</MBProperty></configuration>");
  IisSyncPlan sync = PlanIisSync(config, {}, {}, kNow);
  REQUIRE(sync.desired.size() == 1);
  CHECK(sync.desired[0].cert_hash == std::vector<uint8_t>{0x0a, 0x0b});
  CHECK(sync.desired[0].cert_store_name == "WebHosting");
  CHECK(sync.desired[0].ctl_store_name == "CA");
  REQUIRE(sync.skipped.size() == 1);
  CHECK(sync.skipped[0].reason.find("no SSLCertHash") != std::string::npos);
}

TEST_CASE("sync from a MetaBase corrects what check finds different") {
  IisConfig config = Parse(
      "<configuration><MBProperty>\n"
      "<IIsWebServer Location=\"/LM/W3SVC/1\" SSLCertHash=\"0a0b\" "
      "SecureBindings=\":443: :8443:\"/>\n</MBProperty></configuration>");
  Binding other_store = Stored(BindingKind::kIpPort, "0.0.0.0:443");
  other_store.cert_hash = {0x0a, 0x0b};
  other_store.cert_store_name = "WebHosting";
  Binding explicit_my = Stored(BindingKind::kIpPort, "0.0.0.0:8443");
  explicit_my.cert_hash = {0x0c};
  const std::vector<Binding> store = {other_store, explicit_my};
  CHECK(CheckIisConfig(config, store, {}).size() == 3);
  IisSyncPlan sync = PlanIisSync(config, store, {}, kNow);
  REQUIRE(sync.desired.size() == 2);
  CHECK(!sync.desired[0].cert_store_name);         // MY, as the MetaBase
  CHECK(sync.desired[1].cert_store_name == "MY");  // kept: MY already
  CHECK(sync.desired[1].cert_hash == std::vector<uint8_t>{0x0a, 0x0b});
  CHECK(Kinds(CheckIisConfig(config, sync.desired, {})) ==
        std::vector<IisFindingKind>{IisFindingKind::kOneCertificate});
}

TEST_CASE("a synced store plans nothing the second time") {
  IisConfig config = Parse(AppHost(Site("A", 1, "*:443:www.example", "253") +
                                   Site("B", 2, "*:443:b.example", "3") +
                                   Site("C", 3, "*:443:c.example", "2")));
  std::vector<StoredCertificate> certs = {Cert(1, {"www.example"}, 1600000000)};
  std::vector<Binding> store = {Stored(BindingKind::kIpPort, "10.0.0.9:443")};
  IisSyncPlan first = PlanIisSync(config, store, certs, kNow);
  Result<ApplyPlan> plan = PlanApply(store, first.desired, /*prune=*/true);
  REQUIRE(plan.ok());
  CHECK(plan->added == 2);
  CHECK(plan->removed == 1);
  IisSyncPlan second = PlanIisSync(config, first.desired, certs, kNow);
  Result<ApplyPlan> again = PlanApply(first.desired, second.desired, true);
  REQUIRE(again.ok());
  CHECK(again->in_place());
  CHECK(CheckIisConfig(config, first.desired, CcsOn()).size() == 1);  // shared
}

}  // namespace
}  // namespace sslbind
