// storage/binding_order.h: the BLOBs that name binding keys from schema 007
// sort as `show` sorts, and give back the name they stand for.
#include "storage/binding_order.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "model/registry_codec.h"
#include "sslbind/text.h"

namespace sslbind::internal {
namespace {

struct Named {
  std::string parent;  // folded
  std::string leaf;    // folded
};

std::string Parent(BindingKind kind) { return FoldCase(KindKeyPath(kind)); }

// Names of every kind whose text order is not `show` order, plus random
// ones.
std::vector<Named> Names() {
  std::vector<Named> out;
  const std::string ip = Parent(BindingKind::kIpPort);
  const std::string sni = Parent(BindingKind::kHostnamePort);
  const std::string ccs = Parent(BindingKind::kCcs);
  const std::string scoped = Parent(BindingKind::kScopedCcs);
  for (const char* a : {"0.0.0.0", "9.0.0.1", "10.0.0.1", "10.0.0.10",
                        "100.1.1.1", "255.255.255.255", "[::]", "[::1]",
                        "[2001:db8::1]", "[2001:db8::10]", "[fe80::1]",
                        "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]"}) {
    for (const char* p : {"1", "80", "443", "8443", "65535"})
      out.push_back({ip, std::string(a) + ":" + p});
  }
  for (const char* h : {"a.com", "a.com.b", "a.com-x", "a.com0", "a-b.com",
                        "*.a.com", "b.a.com", "xn--bcher-kva.example", "a",
                        "z"}) {
    for (const char* p : {"80", "443", "8443"}) {
      out.push_back({sni, std::string(h) + ":" + p});
      if (h[0] != '*') out.push_back({scoped, std::string(h) + ":" + p});
    }
  }
  for (const char* p : {"1", "80", "443", "8443", "65535"})
    out.push_back({ccs, std::string("0.0.0.0:") + p});
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    const uint32_t a = random();
    const std::string port = std::to_string(1 + random() % 65535);
    out.push_back({ip, std::to_string(a >> 24) + "." +
                           std::to_string(a >> 16 & 255) + "." +
                           std::to_string(a >> 8 & 255) + "." +
                           std::to_string(a & 255) + ":" + port});
    std::string host;
    for (int n = 1 + random() % 12; n > 0; --n)
      host += "ab.-9z"[random() % 6];
    host = "h" + host + "x";
    if (host.find("..") == std::string::npos &&
        host.find("-.") == std::string::npos &&
        host.find(".-") == std::string::npos) {
      out.push_back({sni, host + ":" + port});
    }
  }
  return out;
}

TEST_CASE("binding names sort as BindingKeys do and give their names back") {
  std::vector<Named> names = Names();
  struct Row {
    std::string blob, show;
  };
  std::vector<Row> rows;
  for (const Named& n : names) {
    std::optional<std::string> blob = BindingNodeName(n.parent, n.leaf);
    REQUIRE_MESSAGE(blob.has_value(), n.leaf);
    // A canonical name: the fields alone, no longer than the name (but
    // IPv6: always 19 bytes).
    if (n.leaf[0] != '[') CHECK(blob->size() <= n.leaf.size() + 2);
    Result<std::string> back = FoldedLeafOfBindingNodeName(*blob);
    REQUIRE(back.ok());
    CHECK(*back == n.leaf);
    std::optional<std::string> show = ShowOrderOfPath(n.parent + "\\" + n.leaf);
    REQUIRE(show.has_value());
    rows.push_back({*blob, *show});
  }
  // Within a kind, the BLOBs' byte order is the show order.
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = i + 1; j < rows.size() && j < i + 400; ++j) {
      if (rows[i].show[0] != rows[j].show[0]) continue;  // another kind
      CHECK((rows[i].blob < rows[j].blob) == (rows[i].show < rows[j].show));
    }
  }
  std::vector<Row> sorted = rows;
  std::sort(sorted.begin(), sorted.end(),
            [](const Row& a, const Row& b) { return a.blob < b.blob; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].show[0] != sorted[i - 1].show[0]) continue;
    CHECK(sorted[i - 1].show <= sorted[i].show);
  }
}

TEST_CASE(
    "a binding name that is not canonical is kept whole and sorts with its "
    "key") {
  const std::string ip = Parent(BindingKind::kIpPort);
  const std::string sni = Parent(BindingKind::kHostnamePort);
  const std::string ccs = Parent(BindingKind::kCcs);
  for (const Named& n : std::vector<Named>{
           {ip, "[::ffff:1.2.3.4]:443"},   // IPv4-mapped: 1.2.3.4:443
           {ip, "*:443"},                  // 0.0.0.0:443
           {ip, ":443"},
           {sni, "www.example.com.:443"},  // trailing dot
           {sni, "b\xC3\xBC" "cher.example:443"},
           {ccs, "1.2.3.4:443"}}) {         // ccs port 443
    std::optional<std::string> blob = BindingNodeName(n.parent, n.leaf);
    REQUIRE_MESSAGE(blob.has_value(), n.leaf);
    Result<std::string> back = FoldedLeafOfBindingNodeName(*blob);
    REQUIRE(back.ok());
    CHECK(*back == n.leaf);
    // Just after the canonical name of the same key.
    Result<BindingKey> key = BindingKeyOfPath(n.parent + "\\" + n.leaf);
    REQUIRE(key.ok());
    std::optional<std::string> canonical =
        BindingNodeName(n.parent, LeafName(*key));
    REQUIRE(canonical.has_value());
    CHECK(blob->starts_with(*canonical));
    CHECK(blob->size() > canonical->size());
  }
}

TEST_CASE(
    "keys that are not bindings keep their folded names, and damaged BLOBs "
    "are refused") {
  const std::string ip = Parent(BindingKind::kIpPort);
  CHECK_FALSE(BindingNodeName(ip, "not a key").has_value());
  CHECK_FALSE(BindingNodeName(ip, "1.2.3.4").has_value());  // no port
  CHECK_FALSE(BindingNodeName(Parent(BindingKind::kHostnamePort), "a.com")
                  .has_value());
  CHECK_FALSE(BindingNodeName(FoldCase(std::string(kHttpParametersPath)),
                              "sslbindinginfo")
                  .has_value());
  CHECK_FALSE(BindingNodeName(ip + "2", "1.2.3.4:443").has_value());
  CHECK_FALSE(BindingNodeName("", "system").has_value());
  for (std::string damaged :
       {std::string(), std::string("\x05\x01\xbb", 3), std::string("\x01\x01", 2),
        std::string("\x03no-nul", 7), std::string("\x03h\0\x01", 4)}) {
    Result<std::string> leaf = FoldedLeafOfBindingNodeName(damaged);
    CHECK(leaf.status().code() == StatusCode::kIncompatibleStore);
  }
}

}  // namespace
}  // namespace sslbind::internal
