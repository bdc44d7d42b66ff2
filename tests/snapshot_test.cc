// Tests for sslbind/snapshot.h: the resolution order of docs/reference.md,
// "Resolution order", one case per rule, the trace, and the snapshot's view of
// bindings.
//
// snapshot_overlay_test.cc runs the same cases (SNAPSHOT_CASE) against
// overlaid snapshots, as Resolver::Refresh makes them from the journal:
// Build() then lays the bindings over a base that has some of them, others
// with other values, and decoys the overlay deletes.
#include "sslbind/snapshot.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "raw_store_util.h"
#include "sslbind/store.h"
#include "test_util.h"
#ifdef SSLBIND_SNAPSHOT_OVERLAY_TEST
#include "resolve/journal_refresh.h"
#endif
#ifdef SSLBIND_SNAPSHOT_IMAGE_TEST
#include "sslbind/snapshot_image.h"
#endif
// The cases below that are about Build and Load themselves run once, not
// in the variants.
#if defined(SSLBIND_SNAPSHOT_OVERLAY_TEST) || \
    defined(SSLBIND_SNAPSHOT_IMAGE_TEST)
#define SSLBIND_SNAPSHOT_VARIANT 1
#endif

namespace sslbind {
namespace {

using testing::Key;
using testing::TempDir;

const Guid kAppId =
    Guid::Parse("{00112233-4455-6677-8899-aabbccddeeff}").value();

Binding Ip(std::string_view key, uint8_t hash_byte = 1) {
  Binding b(Key(BindingKind::kIpPort, key));
  b.cert_hash = {hash_byte, 0xaa};
  b.app_id = kAppId;
  return b;
}

Binding Sni(std::string_view key, uint8_t hash_byte = 2) {
  Binding b(Key(BindingKind::kHostnamePort, key));
  b.cert_hash = {hash_byte, 0xbb};
  b.app_id = kAppId;
  b.cert_store_name = "MY";
  return b;
}

Binding Ccs(std::string_view port) {
  Binding b(Key(BindingKind::kCcs, port));
  b.app_id = kAppId;
  return b;
}

Binding Scoped(std::string_view key) {
  Binding b(Key(BindingKind::kScopedCcs, key));
  b.app_id = kAppId;
  return b;
}

#if !defined(SSLBIND_SNAPSHOT_VARIANT)
#define SNAPSHOT_CASE(name) TEST_CASE(name)

std::shared_ptr<const Snapshot> Build(const std::vector<Binding>& bindings,
                                      const SnapshotOptions& options = {}) {
  Result<std::shared_ptr<const Snapshot>> s =
      Snapshot::Build(bindings, options);
  REQUIRE_MESSAGE(s.ok(), s.status().ToString());
  return *s;
}
#elif defined(SSLBIND_SNAPSHOT_OVERLAY_TEST)
#define SNAPSHOT_CASE(name) TEST_CASE("overlaid: " name)

std::shared_ptr<const Snapshot> Build(const std::vector<Binding>& bindings,
                                      const SnapshotOptions& options = {}) {
  std::vector<Binding> base;
  internal::OverlayChanges changes;
  std::set<BindingKey> keys;
  std::set<uint16_t> ports;
  for (size_t i = 0; i < bindings.size(); ++i) {
    const Binding& b = bindings[i];
    keys.insert(b.key);
    ports.insert(b.key.port());
    if (i % 2 == 0) {  // in the base with another hash: replaced
      Binding old = b;
      old.url_retrieval_timeout += 1;
      base.push_back(old);
      changes[b.key] = b;
    } else if (i % 3 == 0) {  // in the base as it is: not in the overlay
      base.push_back(b);
    } else {  // only in the overlay
      changes[b.key] = b;
    }
  }
  // Decoys in the base that would answer if the overlay did not hide them.
  for (uint16_t port : ports) {
    const std::string p = std::to_string(port);
    for (BindingKey key :
         {Key(BindingKind::kIpPort, "0.0.0.0:" + p),
          Key(BindingKind::kIpPort, "[::]:" + p), Key(BindingKind::kCcs, p),
          Key(BindingKind::kHostnamePort, "*.test:" + p)}) {
      if (keys.count(key)) continue;
      Binding decoy(key);
      decoy.app_id = kAppId;
      if (key.kind() != BindingKind::kCcs) decoy.cert_hash = {0xde, 0xc0};
      if (key.kind() == BindingKind::kHostnamePort) {
        decoy.cert_store_name = "MY";
      }
      base.push_back(decoy);
      changes[key] = std::nullopt;
    }
  }
  // A deletion of a key the base never had.
  changes[Key(BindingKind::kIpPort, "198.51.100.1:9")] = std::nullopt;
  Result<std::shared_ptr<const Snapshot>> b = Snapshot::Build(base, options);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  Result<std::shared_ptr<const Snapshot>> s =
      internal::BuildOverlay(*b, changes, options);
  REQUIRE_MESSAGE(s.ok(), s.status().ToString());
  REQUIRE((*s)->is_overlay());
  REQUIRE((*s)->size() == bindings.size());
  return *s;
}
#else
#define SNAPSHOT_CASE(name) TEST_CASE("mapped from an image: " name)

std::shared_ptr<const Snapshot> Build(const std::vector<Binding>& bindings,
                                      const SnapshotOptions& options = {}) {
  TempDir dir;  // (the mapping outlives the file)
  Store store = Store::Open(dir.File("s.db"),
                            {.writable = true, .create_if_missing = true})
                    .value();
  WriteBatch batch;
  for (const Binding& b : bindings) batch.Add(b);
  REQUIRE(store.Write(batch).ok());
  REQUIRE(WriteSnapshotImage(store).ok());
  Result<OpenedSnapshot> opened =
      OpenSnapshot(store, options, {.write_when_stale = false});
  REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
  REQUIRE_MESSAGE(opened->source == SnapshotSource::kImage,
                  opened->image_refused);
  REQUIRE(opened->snapshot->size() == bindings.size());
  return opened->snapshot;
}
#endif

IpAddress Addr(std::string_view text) { return IpAddress::Parse(text).value(); }

// "::ffff:a.b.c.d" as a server gets it from an IPv6 socket: IpAddress::Parse
// would already turn it into IPv4, so the bytes are set by hand.
IpAddress Mapped(std::string_view ipv4) {
  IpAddress v4 = Addr(ipv4);
  IpAddress v6 = IpAddress::AnyV6();
  v6.bytes[10] = v6.bytes[11] = 0xff;
  std::copy(v4.bytes.begin(), v4.bytes.begin() + 4, v6.bytes.begin() + 12);
  return v6;
}

// "step key" of the answer, or "none".
std::string Who(const Snapshot& s, std::string_view local, uint16_t port,
                std::string_view sni) {
  Resolution r = s.Resolve(Addr(local), port, sni);
  if (!r) return "none";
  return std::string(ResolveStepName(r.step())) + " " +
         r.binding().key().ToParam();
}

SNAPSHOT_CASE(
    "an exact ipport binding serves its address whatever the SNI name") {
  auto s = Build({Ip("10.0.0.1:443"), Sni("www.contoso.com:443"),
                  Sni("*.contoso.com:443"), Ccs("443"), Ip("0.0.0.0:443")});
  CHECK(Who(*s, "10.0.0.1", 443, "www.contoso.com") ==
        "exact-ipport ipport=10.0.0.1:443");
  CHECK(Who(*s, "10.0.0.1", 443, "a.contoso.com") ==
        "exact-ipport ipport=10.0.0.1:443");
  CHECK(Who(*s, "10.0.0.1", 443, "") == "exact-ipport ipport=10.0.0.1:443");
  // Other addresses reach the SNI bindings.
  CHECK(Who(*s, "10.0.0.2", 443, "www.contoso.com") ==
        "exact-sni hostnameport=www.contoso.com:443");
}

SNAPSHOT_CASE(
    "an exact SNI binding comes before the wildcard, CCS and defaults") {
  auto s = Build({Sni("www.contoso.com:443"), Sni("*.contoso.com:443"),
                  Scoped("www.contoso.com:443"), Ccs("443"), Ip("0.0.0.0:443"),
                  Ip("[::]:443")});
  CHECK(Who(*s, "10.0.0.1", 443, "www.contoso.com") ==
        "exact-sni hostnameport=www.contoso.com:443");
  CHECK(Who(*s, "fe80::1", 443, "www.contoso.com") ==
        "exact-sni hostnameport=www.contoso.com:443");
}

SNAPSHOT_CASE("a wildcard SNI binding covers exactly one more label") {
  auto s = Build({Sni("*.contoso.com:443"), Ip("0.0.0.0:443")});
  CHECK(Who(*s, "10.0.0.1", 443, "a.contoso.com") ==
        "wildcard-sni hostnameport=*.contoso.com:443");
  CHECK(Who(*s, "10.0.0.1", 443, "www.contoso.com") ==
        "wildcard-sni hostnameport=*.contoso.com:443");
  CHECK(Who(*s, "10.0.0.1", 443, "a.b.contoso.com") ==
        "wildcard-ipv4 ipport=0.0.0.0:443");
  CHECK(Who(*s, "10.0.0.1", 443, "contoso.com") ==
        "wildcard-ipv4 ipport=0.0.0.0:443");
  CHECK(Who(*s, "10.0.0.1", 443, "acontoso.com") ==
        "wildcard-ipv4 ipport=0.0.0.0:443");
}

SNAPSHOT_CASE("a wildcard SNI binding comes before the CCS bindings") {
  auto s = Build(
      {Sni("*.contoso.com:443"), Scoped("a.contoso.com:443"), Ccs("443")});
  CHECK(Who(*s, "10.0.0.1", 443, "a.contoso.com") ==
        "wildcard-sni hostnameport=*.contoso.com:443");
  CHECK(Who(*s, "10.0.0.1", 443, "a.fabrikam.com") == "ccs ccs=443");
}

SNAPSHOT_CASE(
    "scopedccs serves its name before ccs, with the candidate files") {
  auto s = Build({Scoped("a.contoso.com:443"), Ccs("443"), Ip("0.0.0.0:443")});
  Resolution r = s->Resolve(Addr("10.0.0.1"), 443, "a.contoso.com");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kScopedCcs);
  CHECK(r.binding().key().ToParam() == "scopedccs=a.contoso.com:443");
  REQUIRE(r.ccs_file_count() == 2);
  CHECK(r.CcsFileName(0) == "a.contoso.com.pfx");
  CHECK(r.CcsFileName(1) == "_.contoso.com.pfx");
  CHECK_FALSE(r.ccs_file_found().has_value());

  r = s->Resolve(Addr("10.0.0.1"), 443, "b.contoso.com");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kCcs);
  CHECK(r.binding().key().ToParam() == "ccs=443");
  REQUIRE(r.ccs_file_count() == 2);
  CHECK(r.CcsFileName(0) == "b.contoso.com.pfx");
  CHECK(r.CcsFileName(1) == "_.contoso.com.pfx");
}

SNAPSHOT_CASE("a single-label name has one CCS candidate and no wildcard") {
  auto s = Build({Sni("*.intranet:443"), Ccs("443")});
  Resolution r = s->Resolve(Addr("10.0.0.1"), 443, "intranet");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kCcs);
  REQUIRE(r.ccs_file_count() == 1);
  CHECK(r.CcsFileName(0) == "intranet.pfx");
}

SNAPSHOT_CASE("answers of other steps have no CCS files") {
  auto s = Build({Sni("www.contoso.com:443")});
  Resolution r = s->Resolve(Addr("10.0.0.1"), 443, "www.contoso.com");
  REQUIRE(r.found());
  CHECK(r.ccs_file_count() == 0);
}

SNAPSHOT_CASE("without SNI the name and CCS steps are skipped") {
  auto s = Build({Sni("www.contoso.com:443"), Scoped("www.contoso.com:443"),
                  Ccs("443"), Ip("0.0.0.0:443")});
  CHECK(Who(*s, "10.0.0.1", 443, "") == "wildcard-ipv4 ipport=0.0.0.0:443");
  auto no_default = Build({Sni("www.contoso.com:443"), Ccs("443")});
  CHECK(Who(*no_default, "10.0.0.1", 443, "") == "none");
}

SNAPSHOT_CASE(
    "[::] serves IPv6 local addresses before 0.0.0.0, never IPv4 ones") {
  auto both = Build({Ip("0.0.0.0:443", 4), Ip("[::]:443", 6)});
  CHECK(Who(*both, "fe80::1", 443, "") == "wildcard-ipv6 ipport=[::]:443");
  CHECK(Who(*both, "10.0.0.1", 443, "") == "wildcard-ipv4 ipport=0.0.0.0:443");

  auto v4_only = Build({Ip("0.0.0.0:443")});
  CHECK(Who(*v4_only, "fe80::1", 443, "") ==
        "wildcard-ipv4 ipport=0.0.0.0:443");

  auto v6_only = Build({Ip("[::]:443")});
  CHECK(Who(*v6_only, "10.0.0.1", 443, "") == "none");
  CHECK(Who(*v6_only, "2001:db8::5", 443, "x.com") ==
        "wildcard-ipv6 ipport=[::]:443");
}

SNAPSHOT_CASE("an exact IPv6 ipport binding serves its address") {
  auto s = Build({Ip("[fe80::1]:8443"), Ip("[::]:8443"), Sni("a.com:8443")});
  CHECK(Who(*s, "fe80::1", 8443, "a.com") ==
        "exact-ipport ipport=[fe80::1]:8443");
  CHECK(Who(*s, "fe80::2", 8443, "a.com") ==
        "exact-sni hostnameport=a.com:8443");
}

SNAPSHOT_CASE("an IPv4-mapped IPv6 local address counts as IPv4") {
  auto s = Build({Ip("10.0.0.1:443"), Ip("[::]:443", 6)});
  Resolution r = s->Resolve(Mapped("10.0.0.1"), 443, "www.contoso.com");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kExactIpPort);
  CHECK(r.binding().key().ToParam() == "ipport=10.0.0.1:443");
  // As an IPv4 address it is not served by [::].
  CHECK_FALSE(s->Resolve(Mapped("10.0.0.2"), 443, "").found());

  Trace trace;
  s->Resolve(Mapped("10.0.0.2"), 443, "", &trace);
  CHECK(trace.local_address == "10.0.0.2");
}

SNAPSHOT_CASE("SNI names compare in lower case without the trailing dot") {
  auto s = Build({Sni("www.contoso.com:443"), Sni("*.fabrikam.com:443")});
  Resolution r = s->Resolve(Addr("10.0.0.1"), 443, "WWW.Contoso.COM.");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kExactSni);
  CHECK(r.sni() == "www.contoso.com");
  CHECK(Who(*s, "10.0.0.1", 443, "A.FABRIKAM.COM.") ==
        "wildcard-sni hostnameport=*.fabrikam.com:443");
  CHECK(Who(*s, "10.0.0.1", 443, "xn--bcher-kva.fabrikam.com") ==
        "wildcard-sni hostnameport=*.fabrikam.com:443");
}

SNAPSHOT_CASE("a name the store would refuse matches no name and no CCS file") {
  auto s = Build({Sni("*.contoso.com:443"), Ccs("443"), Ip("0.0.0.0:443")});
  for (std::string_view bad :
       {"a_b.contoso.com", "\xc3\xbc.contoso.com", "a..contoso.com",
        ".contoso.com", "-a.contoso.com", "a-.contoso.com", "*.contoso.com",
        "../etc/passwd", "a/b.contoso.com", "a\\b.contoso.com", "a b.com", ".",
        "x.contoso.com\n"}) {
    CAPTURE(bad);
    Resolution r = s->Resolve(Addr("10.0.0.1"), 443, bad);
    REQUIRE(r.found());
    CHECK(r.step() == ResolveStep::kWildcardIpV4);
    CHECK(r.sni().empty());
  }
  std::string long_name(250, 'a');
  long_name.insert(63, ".");
  long_name.insert(127, ".");
  long_name.insert(191, ".");
  long_name += ".com";  // 257 characters
  CHECK(Who(*s, "10.0.0.1", 443, long_name) ==
        "wildcard-ipv4 ipport=0.0.0.0:443");
  std::string long_label = std::string(64, 'a') + ".contoso.com";
  CHECK(Who(*s, "10.0.0.1", 443, long_label) ==
        "wildcard-ipv4 ipport=0.0.0.0:443");
}

SNAPSHOT_CASE(
    "names are canonicalised exactly as the store canonicalises keys") {
  // Any ASCII name the store accepts resolves to its binding; any it refuses
  // reaches no name step (here: not the ccs binding).
  std::mt19937 rng(12345);
  const std::string alphabet = "aZz09-.._*/ ";
  for (int i = 0; i < 2000; ++i) {
    std::string name;
    size_t length = rng() % 12;
    for (size_t j = 0; j < length; ++j)
      name += alphabet[rng() % alphabet.size()];
    CAPTURE(name);
    Result<std::string> canonical = CanonicalHostname(name, false);
    std::vector<Binding> bindings = {Ccs("443")};
    if (canonical.ok()) bindings.push_back(Sni(*canonical + ":443"));
    auto s = Build(bindings);
    Resolution r = s->Resolve(Addr("10.0.0.1"), 443, name);
    if (canonical.ok()) {
      REQUIRE(r.found());
      CHECK(r.step() == ResolveStep::kExactSni);
      CHECK(r.sni() == *canonical);
    } else {
      CHECK_FALSE(r.found());
    }
  }
}

SNAPSHOT_CASE(
    "a lookup without a trace answers as the traced lookup, for any name") {
  // Without a trace, an exact name is hashed and compared as the client
  // sent it (each byte with 0x20 set) before the name is checked. Names of
  // every length class (under 4, 4 to 7, 8 to 32, longer, longer than a
  // cell holds), in many spellings -- upper case, a trailing dot, and the
  // control bytes that 0x20 turns into '-', '.' or a digit -- must get the
  // traced lookup's answer, which checks the name first.
  std::mt19937 rng(2026);
  auto random_name = [&](size_t length) {
    const std::string alphabet = "abcxyz0189-.";
    std::string name;
    while (name.size() < length) {
      std::string label;
      const size_t n = 1 + rng() % std::min<size_t>(length - name.size(), 20);
      for (size_t i = 0; i < n; ++i) {
        label += alphabet[rng() % (alphabet.size() - 2)];  // no '-' or '.'
      }
      if (label.size() > 2 && rng() % 3 == 0) label[1] = '-';
      name += (name.empty() ? "" : ".") + label;
    }
    return name;
  };
  std::vector<Binding> bindings = {Ip("10.0.0.1:443"), Ip("[2001:db8::1]:443"),
                                   Ip("0.0.0.0:443"), Ip("[::]:8443"),
                                   Sni("*.abc.com:443")};
  std::set<std::string> names;
  for (size_t length : {1,  2,  3,  4,  5,  7,  8,  9,  15, 16,  17,  23, 24,
                        25, 31, 32, 33, 40, 52, 53, 60, 64, 100, 200, 253}) {
    for (int i = 0; i < 30; ++i) {
      std::string name = random_name(length);
      if (!CanonicalHostname(name, false).ok() || !names.insert(name).second) {
        continue;
      }
      bindings.push_back(Sni(name + (i % 3 == 0 ? ":8443" : ":443")));
    }
  }
  auto s = Build(bindings);
  // Spellings of a bound name, and names near it.
  auto spellings = [&](const std::string& name) {
    std::vector<std::string> out = {name, name + ".", name + "..",
                                    name.substr(0, name.size() - 1)};
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    out.push_back(upper);
    for (char from : {'-', '.', '0', '1', '8', '9', 'a', 'x'}) {
      const size_t at = name.find(from);
      if (at == std::string::npos) continue;
      std::string v = name;
      v[at] = static_cast<char>(from & ~0x20);  // '-' -> '\r', 'a' -> 'A'
      out.push_back(v);
      v[at] = static_cast<char>(from | 0x80);
      out.push_back(v);
    }
    for (char c : {'@', '[', '_', '\x7f', '\0', ' '}) {
      std::string v = name;
      v[rng() % v.size()] = c;
      out.push_back(v);
    }
    return out;
  };
  const IpAddress locals[] = {Addr("10.0.0.1"),    Addr("10.0.0.2"),
                              Addr("2001:db8::1"), Addr("2001:db8::2"),
                              Mapped("10.0.0.1"),  Addr("0.0.0.0"),
                              Addr("::")};
  int exact = 0;
  for (const std::string& name : names) {
    for (const std::string& sni : spellings(name)) {
      for (uint16_t port : {443, 8443}) {
        const IpAddress& local = locals[rng() % std::size(locals)];
        CAPTURE(sni);
        CAPTURE(port);
        CAPTURE(local.ToString());
        Trace trace;
        Resolution traced = s->Resolve(local, port, sni, &trace);
        Resolution r = s->Resolve(local, port, sni);
        REQUIRE(r.found() == traced.found());
        CHECK(r.sni() == traced.sni());
        if (!r.found()) continue;
        CHECK(r.step() == traced.step());
        CHECK(r.binding() == traced.binding());
        exact += r.step() == ResolveStep::kExactSni ? 1 : 0;
      }
    }
  }
  CHECK(exact > 1000);  // the exact names were found, not only refused
}

SNAPSHOT_CASE("many addresses on many ports each serve their own") {
  // Enough ipport bindings that the table and its one-bit-per-address
  // filter are large, on ports of every size, IPv4 and IPv6: each address
  // is found before the SNI name, and its neighbours are not.
  std::vector<Binding> bindings = {Sni("www.contoso.com:443"),
                                   Sni("www.contoso.com:8443")};
  auto v4 = [](int i) {
    return "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
           ".1";
  };
  auto v6 = [](int i) { return "2001:db8::" + std::to_string(i) + ":1"; };
  auto port = [](int i) { return static_cast<uint16_t>(1 + i * 37 % 65000); };
  for (int i = 0; i < 3000; ++i) {
    const std::string p = std::to_string(port(i));
    bindings.push_back(i % 2 == 0 ? Ip(v4(i) + ":" + p)
                                  : Ip("[" + v6(i) + "]:" + p));
  }
  auto s = Build(bindings);
  for (int i = 0; i < 3000; ++i) {
    const std::string address = i % 2 == 0 ? v4(i) : v6(i);
    CAPTURE(address);
    const std::string key = i % 2 == 0 ? address : "[" + address + "]";
    CHECK(Who(*s, address, port(i), "www.contoso.com") ==
          "exact-ipport ipport=" + key + ":" + std::to_string(port(i)));
    // The same address on the next binding's port, and the next address
    // on this port: nothing of their own.
    CHECK(Who(*s, address, port(i + 1), "x.contoso.com") == "none");
    CHECK(Who(*s, i % 2 == 0 ? v4(i + 2) : v6(i + 2), port(i),
              "x.contoso.com") == "none");
  }
  CHECK(Who(*s, "10.0.0.1", 443, "www.contoso.com") ==
        "exact-sni hostnameport=www.contoso.com:443");
}

SNAPSHOT_CASE("each of many names is found, and no name beside them is") {
  // 20,000 names: the exact-name cells, 60% full, have runs of used cells
  // longer than a control group (8), and the table wraps around; a lookup
  // must find each name wherever linear probing put it, and must not stop
  // early or wrongly for a name that is not there.
  constexpr int kNames = 20'000;
  std::vector<Binding> bindings;
  for (int i = 0; i < kNames; ++i) {
    bindings.push_back(Sni("n" + std::to_string(i) + ".example:443",
                           static_cast<uint8_t>(i % 251)));
  }
  auto s = Build(bindings);
  int found = 0, absent = 0;
  for (int i = 0; i < kNames; ++i) {
    const std::string name = "n" + std::to_string(i) + ".example";
    Resolution r = s->Resolve(Addr("10.0.0.1"), 443,
                              i % 7 == 0 ? "N" + name.substr(1) : name);
    if (r.found() && r.step() == ResolveStep::kExactSni &&
        r.binding().hostname() == name &&
        r.binding().cert_hash()[0] == static_cast<uint8_t>(i % 251)) {
      ++found;
    }
    const std::optional<BindingRef> ref =
        s->Find(Key(BindingKind::kHostnamePort, name + ":443"));
    if (!ref || ref->hostname() != name) --found;
    const std::string other = "m" + std::to_string(i) + ".example";
    if (!s->Resolve(Addr("10.0.0.1"), 443, other).found()) ++absent;
    if (!s->Resolve(Addr("10.0.0.1"), 8443, name).found()) ++absent;
  }
  CHECK(found == kNames);
  CHECK(absent == 2 * kNames);
}

SNAPSHOT_CASE("bindings on another port do not serve") {
  auto s = Build({Sni("www.contoso.com:8443"), Ip("0.0.0.0:8443"),
                  Ip("10.0.0.1:8443"), Ccs("8443")});
  CHECK(Who(*s, "10.0.0.1", 443, "www.contoso.com") == "none");
  CHECK(Who(*s, "10.0.0.2", 8443, "www.contoso.com") ==
        "exact-sni hostnameport=www.contoso.com:8443");
}

SNAPSHOT_CASE("when nothing matches there is no binding") {
  Resolution r = Snapshot::Empty()->Resolve(Addr("10.0.0.1"), 443, "a.com");
  CHECK_FALSE(r.found());
  CHECK_FALSE(static_cast<bool>(r));
  CHECK(Snapshot::Empty()->size() == 0);
}

// A CCS folder holding a fixed set of files.
class FakeFolder : public CcsFolder {
 public:
  explicit FakeFolder(std::set<std::string> files) : files_(std::move(files)) {}
  bool HasFile(std::string_view file_name) const override {
    asked.push_back(std::string(file_name));
    return files_.count(std::string(file_name)) > 0;
  }
  mutable std::vector<std::string> asked;

 private:
  std::set<std::string> files_;
};

SNAPSHOT_CASE("with a CCS folder the first existing file is the certificate") {
  auto folder = std::make_shared<FakeFolder>(
      std::set<std::string>{"_.contoso.com.pfx", "b.contoso.com.pfx"});
  auto s =
      Build({Scoped("a.contoso.com:443"), Ccs("443")}, {.ccs_folder = folder});

  Resolution r = s->Resolve(Addr("10.0.0.1"), 443, "a.contoso.com");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kScopedCcs);
  CHECK(r.ccs_file_found() == 1u);
  CHECK(folder->asked ==
        std::vector<std::string>{"a.contoso.com.pfx", "_.contoso.com.pfx"});

  r = s->Resolve(Addr("10.0.0.1"), 443, "b.contoso.com");
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kCcs);
  CHECK(r.ccs_file_found() == 0u);
}

SNAPSHOT_CASE(
    "with a CCS folder lacking both files resolution goes on to step 4") {
  auto folder = std::make_shared<FakeFolder>(std::set<std::string>{});
  auto s = Build({Scoped("a.contoso.com:443"), Ccs("443"), Ip("0.0.0.0:443")},
                 {.ccs_folder = folder});
  Trace trace;
  Resolution r = s->Resolve(Addr("10.0.0.1"), 443, "a.contoso.com", &trace);
  REQUIRE(r.found());
  CHECK(r.step() == ResolveStep::kWildcardIpV4);
  // The files are looked for once, not again for the ccs binding.
  CHECK(folder->asked ==
        std::vector<std::string>{"a.contoso.com.pfx", "_.contoso.com.pfx"});
  REQUIRE(trace.steps.size() == 7);
  CHECK(trace.steps[3].outcome == StepOutcome::kNoCcsFile);
  CHECK(trace.steps[4].outcome == StepOutcome::kNoCcsFile);
  CHECK(trace.steps[4].ccs_files ==
        std::vector<std::string>{"a.contoso.com.pfx", "_.contoso.com.pfx"});
}

SNAPSHOT_CASE("the trace records every step tried, with keys and outcomes") {
  auto s = Build({Ip("10.0.0.9:443"), Ccs("8443"), Ip("0.0.0.0:443")});
  Trace trace;
  Resolution r = s->Resolve(Addr("fe80::1"), 443, "Shop.Contoso.com", &trace);
  REQUIRE(r.found());
  CHECK(trace.local_address == "fe80::1");
  CHECK(trace.sni == "shop.contoso.com");
  CHECK_FALSE(trace.truncated);
  std::vector<std::string> lines;
  for (const TraceStep& step : trace.steps) {
    lines.push_back(std::string(ResolveStepName(step.step)) + " | " +
                    std::string(StepOutcomeName(step.outcome)) + " | " +
                    step.key);
    CHECK_FALSE(step.reason.empty());
  }
  CHECK(lines ==
        std::vector<std::string>{
            "exact-ipport | no binding | ipport=[fe80::1]:443",
            "exact-sni | no binding | hostnameport=shop.contoso.com:443",
            "wildcard-sni | no binding | hostnameport=*.contoso.com:443",
            "scoped-ccs | no binding | scopedccs=shop.contoso.com:443",
            "ccs | no binding | ccs=443",
            "wildcard-ipv6 | no binding | ipport=[::]:443",
            "wildcard-ipv4 | matched | ipport=0.0.0.0:443",
        });
}

SNAPSHOT_CASE("the trace says why steps were skipped") {
  auto s = Build({Ip("0.0.0.0:443")});
  Trace trace;
  s->Resolve(Addr("10.0.0.1"), 443, "", &trace);
  REQUIRE(trace.steps.size() == 7);
  for (size_t i : {1, 2, 3, 4}) {
    CHECK(trace.steps[i].outcome == StepOutcome::kSkipped);
    CHECK(trace.steps[i].key.empty());
    CHECK(trace.steps[i].reason == "the client sent no SNI name");
  }
  CHECK(trace.steps[5].step == ResolveStep::kWildcardIpV6);
  CHECK(trace.steps[5].outcome == StepOutcome::kSkipped);

  s->Resolve(Addr("10.0.0.1"), 443, "a_b.com", &trace);
  CHECK(trace.steps[1].reason ==
        "the SNI name 'a_b.com' is not a valid host name: it contains a "
        "character not allowed in a host name");
  // A client's bytes are quoted escaped and cut, as every echoed value is.
  s->Resolve(Addr("10.0.0.1"), 443, "\x1b[2J" + std::string(300, 'a'), &trace);
  CHECK(trace.steps[1].reason.starts_with("the SNI name '\\e[2Jaaa"));
  CHECK(trace.steps[1].reason.find("... (304 bytes) is not a valid host") !=
        std::string::npos);

  s->Resolve(Addr("0.0.0.0"), 443, "", &trace);
  CHECK(trace.steps[0].outcome == StepOutcome::kSkipped);

  s->Resolve(Addr("10.0.0.1"), 443, "intranet", &trace);
  CHECK(trace.steps[2].step == ResolveStep::kWildcardSni);
  CHECK(trace.steps[2].outcome == StepOutcome::kSkipped);
}

SNAPSHOT_CASE("a CCS answer's trace step lists the candidate files") {
  auto s = Build({Ccs("443")});
  Trace trace;
  s->Resolve(Addr("10.0.0.1"), 443, "www.contoso.com", &trace);
  REQUIRE(trace.steps.size() == 5);
  CHECK(trace.steps[4].outcome == StepOutcome::kMatched);
  CHECK(trace.steps[4].ccs_files ==
        std::vector<std::string>{"www.contoso.com.pfx", "_.contoso.com.pfx"});
}

SNAPSHOT_CASE(
    "a binding read from a snapshot equals the one it was built from") {
  Binding ip = Ip("[2001:db8::1]:443");
  ip.ctl_identifier = "ctl";
  ip.ctl_store_name = "CA";
  ip.check_mode = kCheckNoRevocation | kCheckFreshnessTime;
  ip.revocation_freshness_time = 60;
  ip.url_retrieval_timeout = 5000;
  ip.flags = kFlagDisableTls12 | kFlagReject;
  Binding sni = Sni("*.contoso.com:443");
  sni.cert_store_name = "WebHosting";
  Binding v4 = Ip("1.2.3.4:80");
  std::vector<Binding> all = {ip, sni, v4, Ccs("443"), Scoped("a.b.com:1")};
  auto s = Build(all);
  CHECK(s->size() == all.size());
  for (const Binding& b : all) {
    CAPTURE(b.key.ToParam());
    std::optional<BindingRef> ref = s->Find(b.key);
    REQUIRE(ref.has_value());
    CHECK(ref->ToBinding() == b);
    CHECK(ref->kind() == b.key.kind());
    CHECK(ref->port() == b.key.port());
  }
  std::optional<BindingRef> ref = s->Find(ip.key);
  CHECK(ref->address() == ip.key.address());
  CHECK(ref->hostname().empty());
  CHECK(ref->ctl_identifier() == std::optional<std::string_view>("ctl"));
  CHECK(s->Find(sni.key)->hostname() == "*.contoso.com");
  CHECK(s->Find(sni.key)->cert_store_name() ==
        std::optional<std::string_view>("WebHosting"));
  CHECK_FALSE(s->Find(Ccs("443").key)->cert_store_name().has_value());
  CHECK(s->Find(Ccs("443").key)->cert_hash().empty());
  CHECK_FALSE(s->Find(Key(BindingKind::kCcs, "444")).has_value());
  CHECK_FALSE(s->Find(Key(BindingKind::kHostnamePort, "x.contoso.com:443"))
                  .has_value());
}

SNAPSHOT_CASE("bindings with many different parameters each keep their own") {
  // Parameters shared by bindings are stored once; enough different sets to
  // pass the few the builder compares one by one.
  std::vector<Binding> all;
  for (int i = 0; i < 40; ++i) {
    Binding b = Sni("site" + std::to_string(i) + ".com:443");
    b.ctl_identifier = "ctl" + std::to_string(i % 20);
    b.flags = static_cast<uint32_t>(i % 7);
    b.app_id.bytes[0] = static_cast<uint8_t>(i % 5);
    all.push_back(b);
  }
  auto s = Build(all);
  for (const Binding& b : all) {
    CAPTURE(b.key.ToParam());
    CHECK(s->Find(b.key)->ToBinding() == b);
  }
}

#ifndef SSLBIND_SNAPSHOT_VARIANT
TEST_CASE("Build refuses a key given twice and an invalid binding") {
  Result<std::shared_ptr<const Snapshot>> twice = Snapshot::Build(
      std::vector<Binding>{Sni("a.com:443", 1), Sni("a.com:443", 2)});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().IsInvalidArgument());
  CHECK(twice.status().message() == "hostnameport=a.com:443 is given twice");

  Binding no_store = Sni("a.com:443");
  no_store.cert_store_name.reset();
  Result<std::shared_ptr<const Snapshot>> invalid =
      Snapshot::Build(std::vector<Binding>{no_store});
  CHECK(invalid.status().IsInvalidArgument());
}
#endif  // SSLBIND_SNAPSHOT_VARIANT

SNAPSHOT_CASE(
    "a wildcard and an exact name with the same parent are distinct") {
  auto s = Build({Sni("contoso.com:443", 1), Sni("*.contoso.com:443", 2)});
  CHECK(s->size() == 2);
  CHECK(Who(*s, "10.0.0.1", 443, "contoso.com") ==
        "exact-sni hostnameport=contoso.com:443");
  CHECK(Who(*s, "10.0.0.1", 443, "a.contoso.com") ==
        "wildcard-sni hostnameport=*.contoso.com:443");
}

#ifndef SSLBIND_SNAPSHOT_VARIANT
TEST_CASE("Load indexes the store as it is, and reports its change counter") {
  TempDir dir;
  Store store = Store::Open(dir.File("s.db"),
                            {.writable = true, .create_if_missing = true})
                    .value();
  WriteBatch batch;
  for (const Binding& b : {Ip("10.0.0.1:443"), Sni("www.contoso.com:443"),
                           Ccs("443"), Scoped("a.contoso.com:443")}) {
    batch.Add(b);
  }
  REQUIRE(store.Write(batch).ok());
  uint64_t counter = 0;
  auto s = Snapshot::Load(store, {}, &counter).value();
  CHECK(counter == store.ChangeCounter().value());
  CHECK(s->size() == 4);
  CHECK(Who(*s, "10.0.0.2", 443, "www.contoso.com") ==
        "exact-sni hostnameport=www.contoso.com:443");
  CHECK(Who(*s, "10.0.0.2", 443, "a.contoso.com") ==
        "scoped-ccs scopedccs=a.contoso.com:443");
  for (const Binding& b : store.List().value()) {
    CHECK(s->Find(b.key)->ToBinding() == b);
  }
}
#endif  // SSLBIND_SNAPSHOT_VARIANT

#ifndef SSLBIND_SNAPSHOT_VARIANT
TEST_CASE(
    "Load gives the snapshot and the first error of the plain walk, over "
    "many batches") {
  // Load reads on one thread and decodes on another, 1,024 keys a batch.
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store =
      Store::Open(path, {.writable = true, .create_if_missing = true}).value();
  WriteBatch batch;
  std::vector<Binding> all;
  // Three bindings the SQL below finds by their certificate hash (whatever
  // the store's key names look like).
  auto marked = [](int i) -> uint8_t {
    return i == 4001 ? 0xa1 : i == 1001 ? 0xa2 : i == 2 ? 0xa3 : 0;
  };
  for (int i = 0; i < 5000; ++i) {
    all.push_back(i % 5 == 0 ? Ip("10.1." + std::to_string(i / 250) + "." +
                                  std::to_string(i % 250) + ":443")
                             : Sni("site" + std::to_string(i) + ".com:443"));
    if (marked(i) != 0) all.back().cert_hash.assign(20, marked(i));
    batch.Add(all.back());
  }
  REQUIRE(store.Write(batch).ok());
  auto s = Snapshot::Load(store).value();
  REQUIRE(s->size() == all.size());
  for (const Binding& b : all) CHECK(s->Find(b.key)->ToBinding() == b);

  // Keys that do not decode (no values at all) and one whose values are
  // cut short (the scan itself fails there), one after the other: Load
  // fails as Store::ForEach does, with the same first error.
  auto walk_status = [&] {
    return store.ForEach([](const Binding&) { return Status::Ok(); });
  };
  auto set_values = [](std::string_view values, uint8_t mark) {
    char hash[41];
    for (int i = 0; i < 20; ++i) std::snprintf(hash + 2 * i, 3, "%02x", mark);
    return "UPDATE registry_node SET vals = x'" + std::string(values) +
           "' WHERE instr(vals, x'" + hash + "') > 0";
  };
  for (const std::string& sql :
       {set_values("", 0xa1), set_values("00", 0xa2), set_values("", 0xa3)}) {
    CAPTURE(sql);
    const std::string error = testing::RunRawSql(path, sql);
    REQUIRE_MESSAGE(error.empty(), error);
    const Status expected = walk_status();
    REQUIRE_FALSE(expected.ok());
    Result<std::shared_ptr<const Snapshot>> loaded = Snapshot::Load(store);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().code() == expected.code());
    CHECK(loaded.status().message() == expected.message());
  }
}
#endif  // SSLBIND_SNAPSHOT_VARIANT

#ifndef SSLBIND_SNAPSHOT_VARIANT
TEST_CASE("a snapshot holds a binding in well under 200 bytes") {
  std::vector<Binding> bindings;
  for (int i = 0; i < 20000; ++i) {
    bindings.push_back(Sni("site" + std::to_string(i) + ".example.com:443"));
    bindings.back().cert_hash.assign(20, static_cast<uint8_t>(i));
  }
  auto s = Build(bindings);
  CHECK(s->MemoryUsage() / s->size() < 120);
}
#endif  // SSLBIND_SNAPSHOT_VARIANT

}  // namespace
}  // namespace sslbind
