// IpAddress of sslbind/binding_key.h, and the IPv4-mapped addresses of
// model/ip_address.h.
#include "model/ip_address.h"

#include <arpa/inet.h>

#include <string>

#include "sslbind/text.h"

namespace sslbind {

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return Status::InvalidArgument(QuoteForMessage(text) +
                                   " is not an IP address");
  }
  std::string s(text);
  IpAddress address;
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), address.bytes.data()) != 1) {
      return Status::InvalidArgument(QuoteForMessage(s) +
                                     " is not an IPv4 address");
    }
    return address;
  }
  if (s.find('%') != std::string::npos) {
    return Status::InvalidArgument(QuoteForMessage(s) +
                                   ": zone ids (%...) are not allowed");
  }
  if (inet_pton(AF_INET6, s.c_str(), address.bytes.data()) != 1) {
    return Status::InvalidArgument(QuoteForMessage(s) +
                                   " is not an IPv6 address");
  }
  address.family = Family::kV6;
  return internal::UnmapIpv4(address);
}

bool IpAddress::IsWildcard() const {
  size_t n = is_v6() ? 16 : 4;
  for (size_t i = 0; i < n; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(is_v6() ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

}  // namespace sslbind
