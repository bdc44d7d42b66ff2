// Tests for model/ip_address.h: an IPv4-mapped IPv6 address stands for its
// IPv4 address, when parsed and when compared.
#include "model/ip_address.h"

#include <doctest/doctest.h>

namespace sslbind::internal {
namespace {

IpAddress Parse(std::string_view text) {
  Result<IpAddress> address = IpAddress::Parse(text);
  REQUIRE_MESSAGE(address.ok(), address.status().ToString());
  return *address;
}

// An IPv6 address whose bytes IpAddress::Parse did not rewrite.
IpAddress V6(std::initializer_list<uint8_t> bytes) {
  IpAddress address = IpAddress::AnyV6();
  std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
  return address;
}

TEST_CASE("a ::ffff: address is parsed as the IPv4 address it stands for") {
  CHECK(Parse("::ffff:10.1.2.3") == Parse("10.1.2.3"));
  CHECK(Parse("::FFFF:0a01:0203") == Parse("10.1.2.3"));
  CHECK(Parse("::ffff:0.0.0.0").IsWildcard());
  CHECK_FALSE(Parse("::ffff:0.0.0.0").is_v6());
}

TEST_CASE("addresses next to the mapped prefix stay IPv6") {
  CHECK(Parse("::fffe:10.1.2.3").is_v6());    // another prefix
  CHECK(Parse("::10.1.2.3").is_v6());         // IPv4-compatible, obsolete
  CHECK(Parse("64:ff9b::10.1.2.3").is_v6());  // NAT64
  CHECK(Parse("1::ffff:10.1.2.3").is_v6());   // prefix not all zero
  CHECK(Parse("::1").ToString() == "::1");
}

TEST_CASE("UnmapIpv4 turns a mapped address into IPv4 and keeps others") {
  const IpAddress mapped =
      V6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7});
  CHECK(IsIpv4Mapped(mapped));
  CHECK(UnmapIpv4(mapped) == Parse("192.0.2.7"));
  const IpAddress loopback =
      V6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  CHECK_FALSE(IsIpv4Mapped(loopback));
  CHECK(UnmapIpv4(loopback) == loopback);
  // An IPv4 address is IPv4, whatever its unused bytes hold.
  IpAddress v4 = mapped;
  v4.family = IpAddress::Family::kV4;
  CHECK_FALSE(IsIpv4Mapped(v4));
  CHECK(UnmapIpv4(v4) == v4);
}

}  // namespace
}  // namespace sslbind::internal
