// Tests for sslbind/exchange.h: the JSON, .reg and netsh text formats.
#include "sslbind/exchange.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "formats/text_codec.h"
#include "sslbind/parameters.h"
#include "sslbind/store.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;
using testing::TempDir;

// A binding made from netsh parameters that the test knows to be valid.
Binding Make(BindingKind kind, std::string_view key,
             std::vector<std::pair<Param, std::string>> params) {
  BindingPatch patch;
  for (auto& [param, text] : params) {
    Status s = patch.SetText(param, text);
    REQUIRE_MESSAGE(s.ok(), s.ToString());
  }
  Result<Binding> b = MakeBinding(Key(kind, key), patch);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  return *b;
}

constexpr const char* kHash = "0102030405060708090a0b0c0d0e0f1011121314";
constexpr const char* kAppId = "{00112233-4455-6677-8899-aabbccddeeff}";

Binding IpBinding() {
  return Make(BindingKind::kIpPort, "0.0.0.0:443",
              {{Param::kCertHash, kHash},
               {Param::kAppId, kAppId},
               {Param::kCertStoreName, "MY"}});
}

// Every kind, with options off their defaults.
std::vector<Binding> SampleBindings() {
  return {
      IpBinding(),
      Make(BindingKind::kIpPort, "[::1]:8443",
           {{Param::kCertHash, "AABBCCDDEEFF00112233445566778899AABBCCDD"},
            {Param::kAppId, kAppId},
            {Param::kClientCertNegotiation, "enable"},
            {Param::kRevocationFreshnessTime, "30"},
            {Param::kSslCtlIdentifier, "Trusted \"CAs\"\\x"},
            {Param::kSslCtlStoreName, "Trusted CAs"}}),
      Make(BindingKind::kHostnamePort, "www.contoso.com:443",
           {{Param::kCertHash, kHash},
            {Param::kAppId, kAppId},
            {Param::kCertStoreName, "WebHosting"},
            {Param::kDisableHttp2, "enable"},
            {Param::kUsageCheck, "disable"}}),
      Make(BindingKind::kCcs, "443",
           {{Param::kAppId, kAppId},
            {Param::kVerifyClientCertRevocation, "disable"}}),
      Make(BindingKind::kScopedCcs, "api.contoso.com:8443",
           {{Param::kAppId, kAppId}, {Param::kDisableQuic, "enable"}}),
  };
}

std::vector<Binding> Bindings(const ParsedBindings& parsed) {
  std::vector<Binding> out;
  for (const ParsedBinding& p : parsed.bindings) out.push_back(p.binding);
  return out;
}

// ReadBindings with JSON cut into pieces of `piece_bytes` (1: between
// every two bindings), collected as ParseBindings returns them.
Result<ParsedBindings> ReadInPieces(std::string_view data,
                                    std::string_view name,
                                    std::optional<ExchangeFormat> format,
                                    size_t piece_bytes) {
  ParsedBindings parsed;
  size_t last_consumed = 0;
  bool consumed_ok = true;
  Result<BindingsFileInfo> info = ReadBindings(
      data, name,
      [&](ParsedBinding&& p) {
        parsed.bindings.push_back(std::move(p));
        return Status::Ok();
      },
      {.format = format,
       .consumed =
           [&](size_t offset) {
             // Increasing within a reading, and within the data.
             if (offset > data.size()) consumed_ok = false;
             if (offset < last_consumed && offset != 0) consumed_ok = false;
             last_consumed = offset;
           },
       .piece_bytes = piece_bytes});
  CHECK(consumed_ok);
  if (!info.ok()) return info.status();
  parsed.format = info->format;
  parsed.notes = info->notes;
  return parsed;
}

// ParseBindings, checked against ReadBindings reading JSON in the smallest
// pieces and in pieces of 100 bytes: the same bindings, places and notes.
Result<ParsedBindings> ParseBothWays(std::string_view data,
                                     std::string_view name,
                                     std::optional<ExchangeFormat> format) {
  Result<ParsedBindings> parsed = ParseBindings(data, name, format);
  for (size_t piece_bytes : {size_t{1}, size_t{100}}) {
    CAPTURE(piece_bytes);
    Result<ParsedBindings> read = ReadInPieces(data, name, format, piece_bytes);
    REQUIRE(read.ok() == parsed.ok());
    if (!parsed.ok()) {
      CHECK(read.status().ToString() == parsed.status().ToString());
      continue;
    }
    CHECK(read->format == parsed->format);
    CHECK(read->notes == parsed->notes);
    REQUIRE(read->bindings.size() == parsed->bindings.size());
    for (size_t i = 0; i < parsed->bindings.size(); ++i) {
      CHECK(read->bindings[i].binding == parsed->bindings[i].binding);
      CHECK(read->bindings[i].where == parsed->bindings[i].where);
    }
  }
  return parsed;
}

ParsedBindings MustParse(std::string_view data, std::string_view name,
                         std::optional<ExchangeFormat> format = std::nullopt) {
  Result<ParsedBindings> parsed = ParseBothWays(data, name, format);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().ToString());
  return *parsed;
}

std::string MustFail(std::string_view data, std::string_view name,
                     std::optional<ExchangeFormat> format = std::nullopt) {
  Result<ParsedBindings> parsed = ParseBothWays(data, name, format);
  REQUIRE_MESSAGE(!parsed.ok(), "expected the input to be refused");
  CHECK(parsed.status().IsInvalidArgument());
  return parsed.status().message();
}

// UTF-16 LE bytes of ASCII text, for building expected .reg files.
std::string Utf16(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// ---- JSON ------------------------------------------------------------------

TEST_CASE(
    "A binding's JSON object has the key, then every parameter in show order") {
  CHECK(FormatBindingJson(IpBinding()) ==
        "{\"ipport\":\"0.0.0.0:443\","
        "\"certhash\":\"0102030405060708090a0b0c0d0e0f1011121314\","
        "\"appid\":\"{00112233-4455-6677-8899-aabbccddeeff}\","
        "\"certstorename\":\"MY\","
        "\"verifyclientcertrevocation\":true,"
        "\"verifyrevocationwithcachedclientcertonly\":false,"
        "\"usagecheck\":true,\"revocationfreshnesstime\":0,"
        "\"urlretrievaltimeout\":0,\"sslctlidentifier\":null,"
        "\"sslctlstorename\":null,\"dsmapperusage\":false,"
        "\"clientcertnegotiation\":false,\"reject\":false,"
        "\"disablehttp2\":false,\"disablequic\":false,"
        "\"disabletls12\":false,\"disabletls13\":false,"
        "\"disableocspstapling\":false,\"enabletokenbinding\":false,"
        "\"logextendedevents\":false,\"disablelegacytls\":false,"
        "\"enablesessionticket\":false,\"disablesessionid\":false,"
        "\"enablecachingclienthello\":false}");
}

TEST_CASE("a ccs key is a port number in JSON") {
  CHECK(FormatKeyJson(Key(BindingKind::kCcs, "443")) == "{\"ccs\":443}");
  CHECK(FormatKeyJson(Key(BindingKind::kIpPort, "[::1]:443")) ==
        "{\"ipport\":\"[::1]:443\"}");
}

TEST_CASE(
    "The JSON writer escapes strings exactly as nlohmann::json dumps them") {
  for (const Binding& b : SampleBindings()) {
    std::string ours = FormatBindingJson(b);
    nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(ours);
    CHECK(parsed.dump() == ours);
  }
}

TEST_CASE("a JSON document is indented by two spaces and ends with a newline") {
  CHECK(FormatJsonDocument({}) ==
        "{\n  \"version\": 1,\n  \"bindings\": []\n}\n");
  std::string doc = FormatJsonDocument({IpBinding()});
  CHECK(doc == nlohmann::ordered_json::parse(doc).dump(2) + "\n");
  CHECK(
      doc.starts_with("{\n  \"version\": 1,\n  \"bindings\": [\n    {\n"
                      "      \"ipport\": \"0.0.0.0:443\",\n"));
}

TEST_CASE("a JSON document reads back as the bindings it was written from") {
  std::vector<Binding> bindings = SampleBindings();
  ParsedBindings parsed = MustParse(FormatJsonDocument(bindings), "b.json");
  CHECK(parsed.format == ExchangeFormat::kJson);
  CHECK(Bindings(parsed) == bindings);
  CHECK(parsed.bindings[3].where == "b.json: bindings[3]");
  CHECK(parsed.notes.empty());
}

TEST_CASE(
    "A JSON binding may leave out parameters, which take their defaults") {
  ParsedBindings parsed = MustParse(
      R"({"version":1,"bindings":[{"ccs":443,"appid":"{00112233-4455-6677-8899-AABBCCDDEEFF}"}]})",
      "b.json");
  REQUIRE(parsed.bindings.size() == 1);
  CHECK(parsed.bindings[0].binding ==
        Make(BindingKind::kCcs, "443", {{Param::kAppId, kAppId}}));
}

TEST_CASE(
    "The output of show --json, without a version, is read as version 1") {
  std::string doc = "{\"bindings\":[" + FormatBindingJson(IpBinding()) + "]}";
  CHECK(Bindings(MustParse(doc, "show.json")) == std::vector{IpBinding()});
}

TEST_CASE("malformed JSON is refused with its line and column") {
  std::string doc = FormatJsonDocument({IpBinding()});
  std::string truncated = doc.substr(0, doc.size() / 2);
  std::string msg = MustFail(truncated, "cut.json");
  CHECK(msg.starts_with("cut.json:"));
  CHECK(msg.find("unexpected end of input") != std::string::npos);
  CHECK(
      MustFail("{\"version\":1,\n \"bindings\": [\n  {\"ccs\": 4", "t.json") ==
      "t.json:3:12: unexpected end of input; expected ',' or '}'");
  CHECK(MustFail("{\"bindings\": [{\"ccs\": 443, \"reject\": tr", "t.json") ==
        "t.json:1:38: unexpected end of input; expected a value");
  CHECK(MustFail("{\"bindings\": [{\"ccs\": 443, \"reject\": yes}]}",
                 "t.json") == "t.json:1:38: unexpected 'y'; expected a value");
  CHECK(MustFail("{\"version\":1,\n \"bindings\": [}\n", "x.json") ==
        "x.json:2:15: unexpected '}'; expected a value");
}

TEST_CASE("JSON errors name the path of the bad member") {
  auto doc = [](std::string member) {
    return R"({"version":1,"bindings":[{"ccs":443,"appid":")" +
           std::string(kAppId) + "\"}, {\"ccs\":444," + member + "}]}";
  };
  CHECK(
      MustFail(
          doc(R"("appid":"{00112233-4455-6677-8899-aabbccddeeff}","reject":"yes")"),
          "d.json") ==
      "d.json: bindings[1].reject: expected true or false, found a string");
  CHECK(MustFail(doc(R"("appid":42)"), "d.json") ==
        "d.json: bindings[1].appid: expected a GUID string such as "
        "\"{00112233-4455-6677-8899-aabbccddeeff}\", found a number");
  CHECK(MustFail(doc(R"("appid":"not-a-guid")"), "d.json") ==
        "d.json: bindings[1].appid: appid 'not-a-guid' is not a GUID like "
        "{00112233-4455-6677-8899-aabbccddeeff}");
  CHECK(
      MustFail(
          doc(R"("appid":"{00112233-4455-6677-8899-aabbccddeeff}","color":"red")"),
          "d.json") ==
      "d.json: bindings[1]: unknown key 'color' (the keys are ipport, "
      "hostnameport, ccs, scopedccs and the netsh parameter names, in lower "
      "case)");
  CHECK(
      MustFail(
          doc(R"("appid":"{00112233-4455-6677-8899-aabbccddeeff}","revocationfreshnesstime":-1)"),
          "d.json") ==
      "d.json: bindings[1].revocationfreshnesstime: expected a whole number "
      "from 0 to 4294967295, found a negative number");
  CHECK(
      MustFail(
          doc(R"("appid":"{00112233-4455-6677-8899-aabbccddeeff}","appid":"{00112233-4455-6677-8899-aabbccddeeff}")"),
          "d.json") == "d.json: bindings[1].appid: given twice");
  CHECK(
      MustFail(
          doc(R"("ipport":"0.0.0.0:443","appid":"{00112233-4455-6677-8899-aabbccddeeff}")"),
          "d.json") ==
      "d.json: bindings[1]: both ccs and ipport are given; a binding has "
      "one key");
  CHECK(MustFail(doc(R"("certhash":"0102")"), "d.json") ==
        "d.json: bindings[1]: appid is missing");
  CHECK(
      MustFail(
          doc(R"("appid":"{00112233-4455-6677-8899-aabbccddeeff}","certhash":"0102")"),
          "d.json") ==
      "d.json: bindings[1]: ccs=444: certhash is not allowed; a Central "
      "Certificate Store binding takes its certificate from the CCS folder");
}

TEST_CASE("a JSON document must have the documented shape") {
  CHECK(MustFail("[]", "a.json") ==
        "a.json: the document must be a JSON object "
        "{\"version\":1,\"bindings\":[...]}, found an array");
  CHECK(MustFail(R"({"version":2,"bindings":[]})", "a.json") ==
        "a.json: version: this sslbind reads version 1 documents, not "
        "version 2");
  CHECK(MustFail(R"({"version":1})", "a.json") ==
        "a.json: the document has no \"bindings\" array");
  CHECK(MustFail(R"({"version":1,"bindings":[],"extra":true})", "a.json") ==
        "a.json: unknown key 'extra' (a document has \"version\", "
        "\"bindings\" and, from export, \"revision\")");
  // The revision export records is read and ignored.
  CHECK(ParseBindings(R"({"version":1,"revision":7,"bindings":[]})", "a.json")
            .ok());
  CHECK(MustFail(R"({"version":1,"revision":"7","bindings":[]})", "a.json") ==
        "a.json: revision: expected a revision number, found a string");
  CHECK(MustFail(R"({"bindings":[["ccs"]]})", "a.json") ==
        "a.json: bindings[0]: expected a binding object, found an array");
  CHECK(MustFail(R"({"bindings":[{"ccs":"443"}]})", "a.json") ==
        "a.json: bindings[0].ccs: expected a port number (1 to 65535), found "
        "a string");
}

TEST_CASE("a key given twice in a file is refused, naming both places") {
  std::string one = FormatBindingJson(IpBinding());
  CHECK(MustFail("{\"bindings\":[" + one + "," + one + "]}", "twice.json") ==
        "twice.json: bindings[1]: ipport=0.0.0.0:443 is given twice (first "
        "at bindings[0])");
}

// ---- netsh text ------------------------------------------------------------

TEST_CASE("the netsh listing is the show sslcert layout of spec 4") {
  std::string text = FormatNetshText({IpBinding()});
  CHECK(text.starts_with(
      "\nSSL Certificate bindings:\n-------------------------\n\n"
      "    IP:port                      : 0.0.0.0:443\n"
      "    Certificate Hash             : "
      "0102030405060708090a0b0c0d0e0f1011121314\n"));
  CHECK(text.find("    Verify Client Certificate Revocation : Enabled\n") !=
        std::string::npos);
  CHECK(text.ends_with("    Enable Caching Client Hello  : Not Set\n\n"));
}

TEST_CASE("a netsh listing reads back as the bindings it was written from") {
  std::vector<Binding> bindings = SampleBindings();
  ParsedBindings parsed = MustParse(FormatNetshText(bindings), "show.txt");
  CHECK(parsed.format == ExchangeFormat::kNetsh);
  CHECK(Bindings(parsed) == bindings);
  CHECK(parsed.bindings[1].where == "show.txt:31");
}

// The classic layout (key and twelve fields), as Windows Server 2012 R2
// printed it; from a public issue (github.com/chrisbrownie/AdfsAnalyzer
// issue 41), in CRLF, with netsh's upper-case and mixed-case values.
constexpr const char* kClassic =
    "\r\n"
    "SSL Certificate bindings:\r\n"
    "-------------------------\r\n"
    "\r\n"
    "    Hostname:port                : sts.margiestravel.com:443\r\n"
    "    Certificate Hash             : "
    "2d125f4d735def823178e8f17e6579d04fb97b7a\r\n"
    "    Application ID               : "
    "{5d89a20c-beab-4389-9447-324788eb944a}\r\n"
    "    Certificate Store Name       : my\r\n"
    "    Verify Client Certificate Revocation : Enabled\r\n"
    "    Verify Revocation Using Cached Client Certificate Only : Disabled\r\n"
    "    Usage Check                  : ENABLED\r\n"
    "    Revocation Freshness Time    : 0\r\n"
    "    URL Retrieval Timeout        : 0\r\n"
    "    Ctl Identifier               : (null)\r\n"
    "    Ctl Store Name               : AdfsTrustedDevices\r\n"
    "    DS Mapper Usage              : Disabled\r\n"
    "    Negotiate Client Certificate : disabled\r\n"
    "\r\n"
    "\r\n"
    "    IP:port                      : 0.0.0.0:443\r\n"
    "    Certificate Hash             : "
    "5226DC6C54559761CD471B86EB51C096252C90F2\r\n"
    "    Application ID               : "
    "{4dc3e181-e14b-4a21-b022-59fc669b0914}\r\n"
    "    Certificate Store Name       : (null)\r\n"
    "    Verify Client Certificate Revocation : Enabled\r\n"
    "    Verify Revocation Using Cached Client Certificate Only : Disabled\r\n"
    "    Usage Check                  : Enabled\r\n"
    "    Revocation Freshness Time    : 0\r\n"
    "    URL Retrieval Timeout        : 0\r\n"
    "    Ctl Identifier               : (null)\r\n"
    "    Ctl Store Name               : (null)\r\n"
    "    DS Mapper Usage              : Disabled\r\n"
    "    Negotiate Client Certificate : Disabled\r\n"
    "\r\n";

TEST_CASE(
    "The classic netsh layout is read, with CRLF, extra empty lines and any "
    "case") {
  ParsedBindings parsed = MustParse(kClassic, "classic.txt");
  REQUIRE(parsed.bindings.size() == 2);
  CHECK(parsed.bindings[0].binding ==
        Make(BindingKind::kHostnamePort, "sts.margiestravel.com:443",
             {{Param::kCertHash, "2d125f4d735def823178e8f17e6579d04fb97b7a"},
              {Param::kAppId, "{5d89a20c-beab-4389-9447-324788eb944a}"},
              {Param::kCertStoreName, "my"},
              {Param::kSslCtlStoreName, "AdfsTrustedDevices"}}));
  CHECK(parsed.bindings[1].binding ==
        Make(BindingKind::kIpPort, "0.0.0.0:443",
             {{Param::kCertHash, "5226dc6c54559761cd471b86eb51c096252c90f2"},
              {Param::kAppId, "{4dc3e181-e14b-4a21-b022-59fc669b0914}"}}));
  CHECK(parsed.bindings[1].where == "classic.txt:20");
  CHECK(parsed.notes.empty());
}

// The modern layout, with Set/Not Set flags and Extended Properties blocks
// indented by one space, as Windows Server 2022 prints it; the shape is the
// one quoted in public write-ups of `netsh http show sslcert` output (an
// HttpSys TLS sample's NetShWrapper.cs comment, a Business Central setup
// guide). Hash and id are placeholders.
constexpr const char* kModern =
    "\n"
    "SSL Certificate bindings:\n"
    "-------------------------\n"
    "\n"
    "    IP:port                      : 0.0.0.0:7048\n"
    "    Certificate Hash             : "
    "0102030405060708090a0b0c0d0e0f1011121314\n"
    "    Application ID               : "
    "{00112233-4455-6677-8899-aabbccddeeff}\n"
    "    Certificate Store Name       : (null)\n"
    "    Verify Client Certificate Revocation : Enabled\n"
    "    Verify Revocation Using Cached Client Certificate Only : Disabled\n"
    "    Usage Check                  : Enabled\n"
    "    Revocation Freshness Time    : 0\n"
    "    URL Retrieval Timeout        : 0\n"
    "    Ctl Identifier               : (null)\n"
    "    Ctl Store Name               : (null)\n"
    "    DS Mapper Usage              : Disabled\n"
    "    Negotiate Client Certificate : Disabled\n"
    "    Reject Connections           : Disabled\n"
    "    Disable HTTP2                : Set\n"
    "    Disable QUIC                 : Not Set\n"
    "    Disable TLS1.2               : Not Set\n"
    "    Disable TLS1.3               : Not Set\n"
    "    Disable OCSP Stapling        : Not Set\n"
    "    Enable Token Binding         : Not Set\n"
    "    Log Extended Events          : Not Set\n"
    "    Disable Legacy TLS Versions  : NOT SET\n"
    "    Enable Session Ticket        : Not Set\n"
    "    Enable Caching Client Hello  : Not Set\n"
    " Extended Properties:\n"
    "    PropertyId                   : 0\n"
    "    Receive Window               : 1048576\n"
    " Extended Properties:\n"
    "    PropertyId                   : 1\n"
    "    Max Settings Per Frame       : 2796202\n"
    "    Max Settings Per Minute      : 4294967295\n"
    "\n";

TEST_CASE(
    "The modern netsh layout is read and its Extended Properties are skipped "
    "with a note") {
  ParsedBindings parsed = MustParse(kModern, "modern.txt");
  REQUIRE(parsed.bindings.size() == 1);
  CHECK(parsed.bindings[0].binding == Make(BindingKind::kIpPort, "0.0.0.0:7048",
                                           {{Param::kCertHash, kHash},
                                            {Param::kAppId, kAppId},
                                            {Param::kDisableHttp2, "enable"}}));
  REQUIRE(parsed.notes.size() == 1);
  CHECK(parsed.notes[0] ==
        "modern.txt:5: skipped 2 Extended Properties blocks of "
        "ipport=0.0.0.0:7048 (HTTP.sys settings that sslbind does not keep)");
}

TEST_CASE(
    "Netsh text with a missing field, a garbled value or a foreign line is "
    "refused") {
  std::string text = kClassic;
  auto without = [&](std::string_view line) {
    std::string t = text;
    size_t at = t.find(line);
    REQUIRE(at != std::string::npos);
    return t.erase(at, t.find('\n', at) + 1 - at);
  };
  CHECK(
      MustFail(without("    Application ID               : {4dc3"), "c.txt") ==
      "c.txt:20: the entry of ipport=0.0.0.0:443 has no 'Application ID' "
      "line");
  CHECK(MustFail(without("    Certificate Hash             : 2d12"), "c.txt") ==
        "c.txt:5: the entry of hostnameport=sts.margiestravel.com:443 has no "
        "'Certificate Hash' line");
  std::string garbled = text;
  garbled.replace(garbled.find("ENABLED"), 7, "Enabld ");
  CHECK(MustFail(garbled, "c.txt") ==
        "c.txt:11: Usage Check: 'Enabld' is not Enabled or Disabled");
  std::string bad_hash = text;
  bad_hash.replace(bad_hash.find("5226DC"), 6, "5226XY");
  CHECK(MustFail(bad_hash, "c.txt") ==
        "c.txt:21: Certificate Hash: certhash "
        "'5226XY6C54559761CD471B86EB51C096252C90F2' contains a character "
        "that is not a hex digit");
  CHECK(MustFail(text + "netsh http show sslcert\r\n", "c.txt") ==
        "c.txt:34: not a line of `netsh http show sslcert` output: "
        "'netsh http show sslcert'");
  // A console prompt is no foreign line: see the console capture test.
  CHECK(MustParse(text + "C:\\> netsh http show sslcert\r\n", "c.txt")
            .bindings.size() == 2);
  CHECK(MustFail(text + "    Zertifikathash   : 00\r\n", "c.txt") ==
        "c.txt:34: unknown field 'Zertifikathash'");
}

// ---- .reg ------------------------------------------------------------------

constexpr const char* kParams =
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters";

TEST_CASE("a .reg file is UTF-16 LE with a BOM, CRLF, and regedit's layout") {
  std::vector<RegistryKey> keys = {
      {std::string(kHttpParametersPath), {}},
      {std::string(kHttpParametersPath) + "\\SslBindingInfo", {}},
      {std::string(kHttpParametersPath) + "\\SslBindingInfo\\0.0.0.0:443",
       {RegistryValue::Binary("SslCertHash", {1, 2, 0xab}),
        RegistryValue::Sz("SslCertStoreName", "My \"store\" C:\\x"),
        RegistryValue::Dword("DefaultFlags", 0x10)}},
  };
  std::string expected =
      std::string("\xff\xfe") +
      Utf16(
          "Windows Registry Editor Version 5.00\r\n"
          "\r\n"
          "[" +
          std::string(kParams) +
          "]\r\n"
          "\r\n"
          "[" +
          std::string(kParams) +
          "\\SslBindingInfo]\r\n"
          "\r\n"
          "[" +
          std::string(kParams) +
          "\\SslBindingInfo\\0.0.0.0:443]\r\n"
          "\"SslCertHash\"=hex:01,02,ab\r\n"
          "\"SslCertStoreName\"=\"My \\\"store\\\" C:\\\\x\"\r\n"
          "\"DefaultFlags\"=dword:00000010\r\n"
          "\r\n");
  CHECK(FormatRegFile(keys) == expected);
}

TEST_CASE(
    "Long hex data wraps like regedit: a backslash at 77 columns, then two "
    "spaces") {
  std::vector<uint8_t> hash(32);
  for (size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> blob(30);
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<uint8_t>(i);
  std::string out = FormatRegFile({{"K",
                                    {RegistryValue::Binary("SslCertHash", hash),
                                     RegistryValue::Binary("Blob", blob)}}});
  // 20 bytes after `"SslCertHash"=hex:` (18 columns) reach 78 columns.
  CHECK(out.find(Utf16(
            "\"SslCertHash\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,"
            "0e,0f,10,11,12,13,\\\r\n"
            "  14,15,16,17,18,19,1a,1b,1c,1d,1e,1f\r\n")) != std::string::npos);
  // Regedit puts 22 bytes after `"Blob"=hex:`.
  CHECK(out.find(Utf16(
            "\"Blob\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,"
            "10,11,12,13,14,15,\\\r\n"
            "  16,17,18,19,1a,1b,1c,1d\r\n")) != std::string::npos);
}

TEST_CASE("REG_MULTI_SZ is written as hex(7) of its UTF-16 LE text") {
  RegistryValue multi{"Names", RegType::kMultiSz, {'a', 0, 'b', 0, 0}};
  std::string out = FormatRegFile({{"K", {multi}}});
  CHECK(out.find(Utf16("\"Names\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n")) !=
        std::string::npos);
}

TEST_CASE("a .reg export leaves out emptied keys but keeps the top key") {
  std::string base(kHttpParametersPath);
  std::string out = FormatRegFile({{base, {}},
                                   {base + "\\SslSniBindingInfo", {}},
                                   {base + "\\UrlAclInfo", {}}});
  CHECK(out == "\xff\xfe" + Utf16("Windows Registry Editor Version 5.00\r\n"
                                  "\r\n[" +
                                  std::string(kParams) +
                                  "]\r\n"
                                  "\r\n"));
}

TEST_CASE("a .reg file reads back as the bindings, in UTF-16 and in UTF-8") {
  std::vector<Binding> bindings = SampleBindings();
  // The registry view of the bindings, as a store would hold them.
  TempDir dir;
  Result<Store> store = Store::Open(
      dir.File("s.db"), {.writable = true, .create_if_missing = true});
  REQUIRE(store.ok());
  WriteBatch batch;
  for (const Binding& b : bindings) batch.Add(b);
  REQUIRE(store->Write(batch).ok());
  Result<std::vector<RegistryKey>> keys = store->ReadRegistry();
  REQUIRE(keys.ok());
  std::string reg = FormatRegFile(*keys);

  // The file holds the kinds in key-name order; compare in key order.
  auto sorted = [](std::vector<Binding> v) {
    std::sort(v.begin(), v.end(),
              [](const Binding& a, const Binding& b) { return a.key < b.key; });
    return v;
  };
  ParsedBindings parsed = MustParse(reg, "b.reg");
  CHECK(parsed.format == ExchangeFormat::kReg);
  CHECK(sorted(Bindings(parsed)) == sorted(bindings));
  CHECK(parsed.notes.empty());

  // The same file in UTF-8, with LF line ends.
  std::string utf8;
  for (size_t i = 2; i < reg.size(); i += 2) {
    if (reg[i] != '\r') utf8 += reg[i];
  }
  CHECK(sorted(Bindings(MustParse(utf8, "b.reg"))) == sorted(bindings));
}

// A hand-written `reg export` of one binding, with a wrapped 32-byte hash,
// a value sslbind does not keep and a key beside the bindings.
constexpr const char* kRegExport =
    "Windows Registry Editor Version 5.00\n"
    "\n"
    "[HKEY_LOCAL_"
    "MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters]\n"
    "\"EnableHttp2Tls\"=dword:00000001\n"
    "\n"
    "[HKEY_LOCAL_"
    "MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\SslBinding"
    "Info\\10.1.2.3:443]\n"
    "\"SslCertHash\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,"
    "12,13,\\\n"
    "  14,15,16,17,18,19,1a,1b,1c,1d,1e,1f\n"
    "\"AppId\"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff\n"
    "\"DefaultSslCertCheckMode\"=dword:00010001\n"
    "\"DefaultFlags\"=dword:00000004\n"
    "\"SslAlpnProtocols\"=hex(7):68,00,32,00,00,00,00,00\n"
    "\n"
    "[HKEY_LOCAL_"
    "MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\UrlAclInfo"
    "]\n"
    "\"http://+:80/Temporary_Listen_Addresses/\"=hex:01,00,04,80\n";

TEST_CASE(
    "A reg export is read: wrapped hex, raw flag bits, skipped values and "
    "keys") {
  ParsedBindings parsed = MustParse(kRegExport, "export.reg");
  REQUIRE(parsed.bindings.size() == 1);
  const Binding& b = parsed.bindings[0].binding;
  CHECK(b.key.ToParam() == "ipport=10.1.2.3:443");
  CHECK(HexLower(b.cert_hash) ==
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  CHECK(b.app_id.ToString() == kAppId);
  CHECK(b.check_mode == 0x10001);
  CHECK(b.flags == 0);  // NO_RAW_FILTER (0x4): no parameter, dropped
  CHECK(parsed.bindings[0].where == "export.reg:6");
  CHECK(parsed.notes ==
        std::vector<std::string>{
            "export.reg:3: skipped 1 value of key "
            "'SYSTEM\\\\CurrentControlSet\\\\Services\\\\HTTP\\\\Parameters': "
            "sslbind keeps only bindings",
            "export.reg:6: ipport=10.1.2.3:443: dropped bits 0x4 of "
            "DefaultFlags: no netsh parameter stands for them, so JSON and "
            "netsh text could not keep them",
            "export.reg:12: skipped value 'SslAlpnProtocols' of "
            "ipport=10.1.2.3:443: not a binding setting sslbind keeps",
            "export.reg:14: skipped 1 value of key "
            "'SYSTEM\\\\CurrentControlSet\\\\Services\\\\HTTP\\\\Parameters\\\\"
            "UrlAclInfo': "
            "sslbind keeps only bindings"});
}

TEST_CASE(
    "A .reg file with a broken hex line or a bad value is refused with its "
    "line") {
  auto with = [](std::string_view from, std::string_view to) {
    std::string t = kRegExport;
    size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  CHECK(MustFail(with("0e,0f,10", "0e,0g,10"), "e.reg") ==
        "e.reg:7: value 'SslCertHash': '0g' is not a byte in hex (hex data "
        "is written 01,02,ab,...)");
  CHECK(MustFail(with("0e,0f,10", "0e,0fffffffffffffffff,10"), "e.reg") ==
        "e.reg:7: value 'SslCertHash': '0fffffffffffffffff' is not a byte "
        "in hex (hex data is written 01,02,ab,...)");
  CHECK(MustFail(with("14,15,16", "14,,16"), "e.reg") ==
        "e.reg:7: value 'SslCertHash': '' is not a byte in hex (hex data "
        "is written 01,02,ab,...)");
  CHECK(MustFail(with("\"AppId\"=hex:33,", "\"AppId\"=hex:"), "e.reg") ==
        "e.reg:6: registry key "
        "'SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\SslBindingInfo"
        "\\10.1.2.3:443': AppId is not 16 bytes of REG_BINARY");
  CHECK(MustFail(with("dword:00010001", "dword:0001000x"), "e.reg") ==
        "e.reg:10: value 'DefaultSslCertCheckMode': '0001000x' is not a "
        "dword (1 to 8 hex digits)");
  CHECK(MustFail(with("Windows Registry Editor Version 5.00", "REGEDIT4"),
                 "e.reg", ExchangeFormat::kReg)
            .starts_with("e.reg:1: REGEDIT4 files are not supported"));
  CHECK(MustFail(with("[HKEY_LOCAL_"
                      "MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Para"
                      "meters\\UrlAclInfo]",
                      "[-HKEY_LOCAL_MACHINE\\SYSTEM]"),
                 "e.reg") ==
        "e.reg:14: key deletions ([-...]) are not supported: an import only "
        "adds bindings");
  std::string cut = kRegExport;
  cut = cut.substr(0, cut.find("  14,15"));
  CHECK(MustFail(cut, "e.reg") ==
        "e.reg:7: value 'SslCertHash': the file ends in the middle of the "
        "value (its last line ends with '\\')");
}

// ---- Detection -------------------------------------------------------------

TEST_CASE("the format is told from the content, through a byte-order mark") {
  CHECK(DetectExchangeFormat("  {\"bindings\":[]}") == ExchangeFormat::kJson);
  CHECK(DetectExchangeFormat("\xef\xbb\xbf{}") == ExchangeFormat::kJson);
  CHECK(DetectExchangeFormat(FormatRegFile({})) == ExchangeFormat::kReg);
  CHECK(DetectExchangeFormat(kClassic) == ExchangeFormat::kNetsh);
  CHECK(DetectExchangeFormat("\n    IP:port  : 1.2.3.4:443\n") ==
        ExchangeFormat::kNetsh);
  CHECK(DetectExchangeFormat("add sslcert ipport=...") == std::nullopt);
  CHECK(MustFail("hello", "h.txt") ==
        "h.txt: cannot tell the format: expected a JSON document, a .reg file "
        "or the output of `netsh http show sslcert` (or give the format)");
}

TEST_CASE("a JSON binding's key member must agree with the binding") {
  const std::string app = "\"appid\":\"{00112233-4455-6677-8899-aabbccddeeff}\"";
  auto doc = [&](const std::string& members) {
    return "{\"bindings\":[{" + members + "," + app + "}]}";
  };
  ParsedBindings agree = MustParse(
      doc("\"key\":\"ipport=0.0.0.0:443\",\"ipport\":\"0.0.0.0:443\","
          "\"certhash\":\"0102\""),
      "a.json");
  CHECK(agree.bindings.at(0).binding.key.ToParam() == "ipport=0.0.0.0:443");
  ParsedBindings alone = MustParse(doc("\"key\":\"ccs=8443\""), "b.json");
  CHECK(alone.bindings.at(0).binding.key.ToParam() == "ccs=8443");
  CHECK(MustFail(doc("\"ccs\":443,\"key\":\"ccs=444\""), "c.json") ==
        "c.json: bindings[0].key: 'ccs=444' contradicts the binding's "
        "ccs=443");
  CHECK(MustFail(doc("\"key\":\"ipport=0.0.0.0:443\",\"hostnameport\":"
                     "\"a.b:443\""),
                 "d.json") ==
        "d.json: bindings[0].key: 'ipport=0.0.0.0:443' contradicts the "
        "binding's hostnameport=a.b:443");
}

TEST_CASE("a console capture is detected past its prompt line and read") {
  const std::string text =
      "C:\\Windows\\system32>netsh http show sslcert\r\n" + std::string(kClassic) +
      "\r\nC:\\Windows\\system32>\r\n";
  CHECK(DetectExchangeFormat(text) == ExchangeFormat::kNetsh);
  CHECK(DetectExchangeFormat("PS D:\\ops> netsh http show sslcert\n\n"
                             "    IP:port  : 1.2.3.4:443\n") ==
        ExchangeFormat::kNetsh);
  Result<ParsedBindings> parsed = ParseBindings(text, "c.txt", std::nullopt);
  REQUIRE(parsed.ok());
  CHECK(parsed->bindings.size() ==
        ParseBindings(kClassic, "c.txt", std::nullopt)->bindings.size());
  REQUIRE(parsed->notes.size() >= 2);
  CHECK(parsed->notes.front() ==
        "c.txt:1: skipped a console prompt line (the prompt of 'netsh http "
        "show sslcert')");
  CHECK(parsed->notes.back() ==
        "c.txt:" + std::to_string(std::count(text.begin(), text.end(), '\n')) +
            ": skipped a console prompt line (a bare prompt)");
  CHECK(MustFail("C:\\>dir /s\n" + std::string(kClassic), "d.txt") ==
        "d.txt:1: a console prompt with another command than `netsh http show "
        "sslcert`: 'dir /s'");
  // An "IP:port" field line is no prompt: a prompt has a drive letter.
  CHECK(DetectExchangeFormat("X:port : 1\n") == std::nullopt);
}

// UTF-16 LE with a byte-order mark, of any UTF-8 text.
std::string ToUtf16File(std::string_view utf8) {
  std::string out = "\xff\xfe";
  internal::AppendUtf16Le(utf8, &out);
  return out;
}

// `count` bindings of every kind, strings with escapes and characters
// outside the BMP (surrogate pairs in UTF-16) among them.
std::vector<Binding> ManyBindings(int count) {
  std::vector<Binding> out;
  for (int i = 0; i < count; ++i) {
    const std::string port = std::to_string(1000 + i);
    out.push_back(Make(
        BindingKind::kIpPort, "10.0.0." + std::to_string(i % 250) + ":" + port,
        {{Param::kCertHash, kHash},
         {Param::kAppId, kAppId},
         {Param::kSslCtlIdentifier,
          "CA \"" + std::to_string(i) + "\" \\ \xf0\x9f\x94\x92 \xc3\xa9"},
         {Param::kSslCtlStoreName, "Root"}}));
    out.push_back(Make(BindingKind::kHostnamePort,
                       "www" + std::to_string(i) + ".contoso.com:" + port,
                       {{Param::kCertHash, kHash},
                        {Param::kAppId, kAppId},
                        {Param::kCertStoreName, "WebHosting"}}));
  }
  return out;
}

// The bindings ReadBindings reads from `data` in pieces of `piece_bytes`,
// and where; or its status.
Result<std::vector<std::pair<Binding, std::string>>> ReadWhere(
    std::string_view data, size_t piece_bytes) {
  Result<ParsedBindings> read =
      ReadInPieces(data, "d.json", std::nullopt, piece_bytes);
  if (!read.ok()) return read.status();
  CHECK(read->format == ExchangeFormat::kJson);
  std::vector<std::pair<Binding, std::string>> out;
  for (ParsedBinding& p : read->bindings)
    out.emplace_back(std::move(p.binding), std::move(p.where));
  return out;
}

TEST_CASE(
    "a UTF-16 JSON document reads as its UTF-8 text, indented or on one "
    "line, whatever the pieces") {
  const std::vector<Binding> bindings = ManyBindings(300);
  const std::string indented = FormatJsonDocument(bindings);
  const std::string one_line = nlohmann::json::parse(indented).dump();
  REQUIRE(one_line.find('\n') == std::string::npos);
  for (const std::string& utf8 : {indented, one_line}) {
    const std::string utf16 = ToUtf16File(utf8);
    REQUIRE(utf16.size() > 4 * 65536);  // the window grows many times
    for (size_t piece_bytes : {size_t{1}, size_t{100}, size_t{1} << 20}) {
      CAPTURE(piece_bytes);
      auto from_utf8 = ReadWhere(utf8, piece_bytes);
      auto from_utf16 = ReadWhere(utf16, piece_bytes);
      REQUIRE(from_utf8.ok());
      REQUIRE_MESSAGE(from_utf16.ok(), from_utf16.status().ToString());
      CHECK(*from_utf16 == *from_utf8);
      REQUIRE(from_utf16->size() == bindings.size());
      CHECK(from_utf16->back().first == bindings.back());
    }
  }
}

TEST_CASE(
    "a UTF-16 JSON document with a surrogate pair across a decoding step "
    "reads whole") {
  // A step decodes 65,536 bytes of the file (4 for pieces of 1 byte) after
  // the byte-order mark: either way the pair's first unit ends a step.
  const std::string tail = "\"bindings\": [{\"ipport\": \"0.0.0.0:443\", "
                           "\"certhash\": \"" + std::string(kHash) +
                           "\", \"appid\": \"" + kAppId +
                           "\", \"sslctlidentifier\": \"";
  const std::string head =
      "{" + std::string(32767 - 1 - tail.size(), ' ') + tail;
  REQUIRE(head.size() == 32767);  // code units before the pair
  const std::string utf8 = head + "\xf0\x9f\x94\x92\"}]}";
  for (size_t piece_bytes : {size_t{1}, size_t{1} << 20}) {
    CAPTURE(piece_bytes);
    auto from_utf8 = ReadWhere(utf8, piece_bytes);
    auto from_utf16 = ReadWhere(ToUtf16File(utf8), piece_bytes);
    REQUIRE_MESSAGE(from_utf16.ok(), from_utf16.status().ToString());
    REQUIRE(from_utf8.ok());
    CHECK(*from_utf16 == *from_utf8);
    CHECK(from_utf16->at(0).first.ctl_identifier == "\xf0\x9f\x94\x92");
  }
}

TEST_CASE(
    "a fault far into a UTF-16 JSON document is told at its place in the "
    "text, or in the file for broken UTF-16") {
  const std::string utf8 = FormatJsonDocument(ManyBindings(300));
  // A syntax error in the 250th binding: the same line and column as in
  // UTF-8.
  std::string bad = utf8;
  const size_t at = bad.find("\"www249.contoso.com:1249\"");
  REQUIRE(at != std::string::npos);
  bad.replace(bad.find(':', at + 30), 1, ";");
  for (size_t piece_bytes : {size_t{1}, size_t{100}, size_t{1} << 20}) {
    CAPTURE(piece_bytes);
    auto from_utf8 = ReadWhere(bad, piece_bytes);
    auto from_utf16 = ReadWhere(ToUtf16File(bad), piece_bytes);
    REQUIRE(!from_utf8.ok());
    REQUIRE(!from_utf16.ok());
    CHECK(from_utf16.status().ToString() == from_utf8.status().ToString());
    CHECK(from_utf16.status().message().starts_with("d.json:"));
  }
  // A lone surrogate 200 KB in: the message of the whole file's decoding,
  // with its offset in the file.
  std::string broken = ToUtf16File(utf8);
  const size_t offset = 200'000;
  broken[offset] = '\x00';
  broken[offset + 1] = '\xd8';
  Result<std::string> whole = internal::DecodeTextFile(broken, "d.json");
  REQUIRE(!whole.ok());
  REQUIRE(whole.status().message().find(std::to_string(offset)) !=
          std::string::npos);
  for (size_t piece_bytes : {size_t{1}, size_t{1} << 20}) {
    auto from_utf16 = ReadWhere(broken, piece_bytes);
    REQUIRE(!from_utf16.ok());
    CHECK(from_utf16.status().ToString() == whole.status().ToString());
  }
}

TEST_CASE("a UTF-16 file that is cut in the middle of a character is refused") {
  std::string reg = FormatRegFile({});
  CHECK(MustFail(reg.substr(0, reg.size() - 1), "odd.reg") ==
        "odd.reg: not valid UTF-16 LE text: the byte at offset 80 ends the "
        "file early or is half of a broken surrogate pair");
}

TEST_CASE("UTF-16 big-endian is refused by name, whatever the format given") {
  // Big-endian bytes of "Windows Registry Editor Version 5.00\r\n".
  std::string be = "\xfe\xff";
  for (char c : std::string("Windows Registry Editor Version 5.00\r\n")) {
    be += '\0';
    be += c;
  }
  const std::string message =
      "be.reg: UTF-16 big-endian text is not supported; save the file as "
      "UTF-16 LE (Unicode) or UTF-8";
  CHECK(MustFail(be, "be.reg") == message);
  for (ExchangeFormat format :
       {ExchangeFormat::kJson, ExchangeFormat::kReg, ExchangeFormat::kNetsh}) {
    CAPTURE(ExchangeFormatName(format));
    CHECK(MustFail(be, "be.reg", format) == message);
  }
}

TEST_CASE("format names are json, reg and netsh, in any case") {
  CHECK(ParseExchangeFormatName("REG").value() == ExchangeFormat::kReg);
  CHECK(ExchangeFormatName(ExchangeFormat::kNetsh) == "netsh");
  CHECK(!ParseExchangeFormatName("xml").ok());
}


// The export of `store` in `format`, written by ExportWriter as `sslbind
// export` writes it.
std::string StreamedExport(const Store& store, ExchangeFormat format) {
  std::string out;
  ExportWriter writer(format, [&out](std::string_view bytes) {
    CHECK(!bytes.empty());
    out += bytes;
  });
  if (format == ExchangeFormat::kReg) {
    REQUIRE(store.ForEachRegistryKey(kHttpParametersPath,
                                     [&](const RegistryKey& key) {
                                       writer.AddKey(key);
                                       return Status::Ok();
                                     })
                .ok());
  } else {
    REQUIRE(store.ForEachSorted([&](const Binding& b) {
      writer.AddBinding(b);
      return Status::Ok();
    }).ok());
  }
  writer.Finish();
  return out;
}

TEST_CASE(
    "ExportWriter writes exactly the bytes of FormatJsonDocument, "
    "FormatNetshText and FormatRegFile") {
  TempDir dir;
  Store store =
      Store::Open(dir.File("s.db"), {.writable = true, .create_if_missing = true})
          .value();
  const std::string app = "{00112233-4455-6677-8899-aabbccddeeff}";
  auto same = [&] {
    std::vector<Binding> all = store.List().value();
    CHECK(StreamedExport(store, ExchangeFormat::kJson) ==
          FormatJsonDocument(all));
    CHECK(StreamedExport(store, ExchangeFormat::kNetsh) ==
          FormatNetshText(all));
    CHECK(StreamedExport(store, ExchangeFormat::kReg) ==
          FormatRegFile(store.ReadRegistry().value()));
  };
  SUBCASE("an empty store") {
    // No top key at all: the reg writer is given none either.
    std::vector<Binding> none;
    std::string out;
    ExportWriter json(ExchangeFormat::kJson,
                      [&out](std::string_view b) { out += b; });
    json.Finish();
    CHECK(out == FormatJsonDocument(none));
    out.clear();
    ExportWriter netsh(ExchangeFormat::kNetsh,
                       [&out](std::string_view b) { out += b; });
    netsh.Finish();
    CHECK(out == FormatNetshText(none));
  }
  SUBCASE("many bindings, in more than one piece, and emptied keys") {
    WriteBatch batch;
    for (int i = 0; i < 3000; ++i) {
      const std::string port = std::to_string(i % 2 ? 443 : 8443 + i % 7);
      batch.Put(Make(BindingKind::kIpPort,
                     std::to_string(1 + i % 200) + "." +
                         std::to_string(i / 200) + ".0.1:" + port,
                     {{Param::kCertHash, "0102"}, {Param::kAppId, app}}));
      batch.Put(Make(BindingKind::kHostnamePort,
                     "w" + std::to_string(i % 40) +
                         (i % 3 ? ".com.x" + std::to_string(i) : ".com") +
                         ":" + std::to_string(80 + i),
                     {{Param::kCertHash, "0a0b"},
                      {Param::kAppId, app},
                      {Param::kCertStoreName, "MY"}}));
    }
    batch.Put(Make(BindingKind::kCcs, "443", {{Param::kAppId, app}}));
    REQUIRE(store.Write(batch).ok());
    same();
    // The ccs kind key is left without values or bindings below it: the
    // .reg export leaves it out.
    REQUIRE(store.Delete(Key(BindingKind::kCcs, "443")).ok());
    same();
  }
}

TEST_CASE(
    "a .reg value the parameters cannot carry is dropped with a note, so "
    "that what is kept survives every format") {
  // The freshness bit without a freshness time: JSON and netsh text have
  // only revocationfreshnesstime, which sets the bit when it is not 0.
  const std::string reg =
      "Windows Registry Editor Version 5.00\n\n"
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\"
      "Parameters\\SslBindingInfo\\1.2.3.4:443]\n"
      "\"SslCertHash\"=hex:01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,"
      "12,13,14\n"
      "\"AppId\"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff\n"
      "\"DefaultSslCertCheckMode\"=dword:00000004\n";
  ParsedBindings parsed = MustParse(reg, "cm4.reg");
  REQUIRE(parsed.bindings.size() == 1);
  const Binding& b = parsed.bindings[0].binding;
  CHECK(b.check_mode == 0);
  CHECK(parsed.notes ==
        std::vector<std::string>{
            "cm4.reg:3: ipport=1.2.3.4:443: dropped bit 0x4 of "
            "DefaultSslCertCheckMode: it says a revocation freshness time is "
            "set, and none is"});
  for (const std::string& text :
       {FormatJsonDocument({b}), FormatNetshText({b})}) {
    ParsedBindings again = MustParse(text, "again");
    REQUIRE(again.bindings.size() == 1);
    CHECK(again.bindings[0].binding == b);
  }
}

// ---- Reading a binding at a time ------------------------------------------

namespace {

// A document of `n` bindings ccs=1..n, as export writes it.
std::string DocumentOf(size_t n) {
  std::vector<Binding> bindings;
  for (size_t i = 1; i <= n; ++i) {
    bindings.push_back(Make(BindingKind::kCcs, std::to_string(i),
                            {{Param::kAppId, kAppId}}));
  }
  return FormatJsonDocument(bindings);
}

// The status of ParseBindings and of ReadBindings in pieces, which must
// agree.
std::string Outcome(std::string_view data) {
  Result<ParsedBindings> parsed = ParseBothWays(data, "big.json", std::nullopt);
  return parsed.ok() ? "ok" : parsed.status().message();
}

}  // namespace

TEST_CASE(
    "JSON read in pieces gives the bindings and places of a whole read, and "
    "the same message for a document cut short anywhere") {
  const std::string doc = DocumentOf(4);
  CHECK(MustParse(doc, "big.json").bindings.size() == 4);
  for (size_t end = 0; end + 1 < doc.size(); ++end) {  // without "}\n"
    CAPTURE(end);
    CHECK(Outcome(doc.substr(0, end)) != "ok");
  }
}

TEST_CASE(
    "JSON read in pieces words a fault at the start, middle and end of a "
    "document as a whole read does") {
  const std::string doc = DocumentOf(30);
  auto replaced = [&](std::string_view what, std::string_view with,
                      size_t nth) {
    size_t at = 0;
    for (size_t i = 0; i <= nth; ++i) {
      at = doc.find(what, i == 0 ? 0 : at + 1);
      REQUIRE(at != std::string::npos);
    }
    return doc.substr(0, at) + std::string(with) +
           doc.substr(at + what.size());
  };
  for (size_t nth : {0, 15, 29}) {
    CAPTURE(nth);
    // A syntax error, with its line and column in the whole document.
    std::string message =
        Outcome(replaced("\"appid\": ", "\"appid\" ", nth));
    CHECK(message.starts_with("big.json:"));
    CAPTURE(message);
    CHECK(message.find("unexpected") != std::string::npos);
    // A bad value, naming its binding.
    message = Outcome(replaced("\"appid\": \"{", "\"appid\": \"{x", nth));
    CHECK(message.starts_with("big.json: bindings[" + std::to_string(nth) +
                              "].appid: "));
    // A bracket too many, and bad UTF-8 in a string.
    CHECK(Outcome(replaced("\n    }", "\n    }}", nth)) != "ok");
    CHECK(Outcome(replaced("\"sslctlidentifier\": null",
                           "\"sslctlidentifier\": \"\xff\"", nth))
              .find("not valid UTF-8") != std::string::npos);
    CHECK(Outcome(replaced("\"sslctlidentifier\": null",
                           "\"sslctlidentifier\": \"[,]{\\\"\"", nth)) ==
          "ok");
  }
  // Line and column are those of the whole document.
  const std::string broken = replaced("\"appid\": ", "\"appid\" ", 20);
  const size_t at = broken.find("\"appid\" ", broken.find("\"ccs\": 21,"));
  const size_t line = 1 + static_cast<size_t>(std::count(
                              broken.begin(), broken.begin() + at, '\n'));
  CHECK(Outcome(broken).starts_with("big.json:" + std::to_string(line) + ":"));
}

TEST_CASE(
    "a key given twice far apart is found after every binding was visited, "
    "naming both places") {
  std::string doc = DocumentOf(50);
  const size_t at = doc.find("\"ccs\": 45,");
  doc.replace(at, 10, "\"ccs\": 3, ");
  size_t visited = 0;
  Result<BindingsFileInfo> info = ReadBindings(
      doc, "big.json",
      [&](ParsedBinding&&) {
        ++visited;
        return Status::Ok();
      },
      {.piece_bytes = 1});
  CHECK(visited == 50);
  REQUIRE(!info.ok());
  CHECK(info.status().message() ==
        "big.json: bindings[44]: ccs=3 is given twice (first at bindings[2])");
  CHECK(Outcome(doc) == info.status().message());
}

TEST_CASE("a visitor's failure stops reading and is returned") {
  const std::string doc = DocumentOf(10);
  size_t visited = 0;
  Result<BindingsFileInfo> info = ReadBindings(
      doc, "big.json",
      [&](ParsedBinding&&) {
        return ++visited == 3 ? Status::Busy("enough") : Status::Ok();
      },
      {.piece_bytes = 1});
  CHECK(visited == 3);
  CHECK(info.status().code() == StatusCode::kBusy);
}
}  // namespace
}  // namespace sslbind
