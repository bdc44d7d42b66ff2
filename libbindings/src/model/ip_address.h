// Internal: the IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, RFC 4291
// section 2.5.5.2), which stand for the IPv4 address a.b.c.d wherever an
// address is parsed (IpAddress::Parse) or compared (the lookup path).
#ifndef SSLBIND_SRC_MODEL_IP_ADDRESS_H_
#define SSLBIND_SRC_MODEL_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <cstring>

#include "sslbind/binding_key.h"

namespace sslbind::internal {

// The first 12 bytes of an IPv4-mapped IPv6 address; the IPv4 address
// follows.
inline constexpr std::array<uint8_t, 12> kIpv4MappedPrefix = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

inline bool IsIpv4Mapped(const IpAddress& address) {
  return address.is_v6() &&
         std::memcmp(address.bytes.data(), kIpv4MappedPrefix.data(),
                     kIpv4MappedPrefix.size()) == 0;
}

// The IPv4 address an IPv4-mapped address stands for; any other address as
// it is.
inline IpAddress UnmapIpv4(const IpAddress& address) {
  if (!IsIpv4Mapped(address)) return address;
  IpAddress v4 = IpAddress::AnyV4();
  std::memcpy(v4.bytes.data(), address.bytes.data() + kIpv4MappedPrefix.size(),
              4);
  return v4;
}

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_MODEL_IP_ADDRESS_H_
