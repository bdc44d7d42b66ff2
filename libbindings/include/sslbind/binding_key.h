// sslbind/binding_key.h: what identifies a binding (docs/reference.md,
// "Binding kinds").
//
// A BindingKey is one of the four kinds netsh knows -- ipport=IP:PORT,
// hostnameport=NAME:PORT, ccs=PORT, scopedccs=NAME:PORT -- always held in
// canonical form, so two keys that name the same binding compare equal.
// Keys are immutable values; thread-compatible.
#ifndef SSLBIND_BINDING_KEY_H_
#define SSLBIND_BINDING_KEY_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sslbind/status.h"

namespace sslbind {

enum class BindingKind : uint8_t {
  kIpPort = 0,        // ipport=
  kHostnamePort = 1,  // hostnameport= (SNI)
  kCcs = 2,           // ccs= (Central Certificate Store, every name)
  kScopedCcs = 3,     // scopedccs= (Central Certificate Store, one name)
};

// The four kinds, in the order netsh lists them.
inline constexpr std::array<BindingKind, 4> kAllBindingKinds = {
    BindingKind::kIpPort, BindingKind::kHostnamePort, BindingKind::kCcs,
    BindingKind::kScopedCcs};

// The netsh parameter that names a key of this kind: "ipport", "hostnameport",
// "ccs" or "scopedccs".
std::string_view KindParamName(BindingKind kind);

// An IPv4 or IPv6 address, bytes in network order.
struct IpAddress {
  enum class Family : uint8_t { kV4 = 0, kV6 = 1 };

  Family family = Family::kV4;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4

  // Parses an address without port or brackets: "10.1.2.3", "fe80::1".
  // IPv4-mapped IPv6 ("::ffff:1.2.3.4") becomes the IPv4 address. Zone ids
  // ("fe80::1%eth0"), leading zeros and out-of-range octets are refused.
  static Result<IpAddress> Parse(std::string_view text);
  static IpAddress AnyV4() { return IpAddress{}; }                 // 0.0.0.0
  static IpAddress AnyV6() { return IpAddress{Family::kV6, {}}; }  // ::

  bool is_v6() const { return family == Family::kV6; }
  // True for 0.0.0.0 and ::.
  bool IsWildcard() const;
  // "10.1.2.3" or "fe80::1" (as inet_ntop prints it; no brackets).
  std::string ToString() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

// The longest host name, in characters (docs/reference.md, "Binding kinds").
inline constexpr size_t kMaxHostnameLength = 253;

// Canonicalises a DNS name as docs/reference.md, "Binding kinds" requires:
// lower case, trailing dot removed, Unicode converted to its A-label (xn--...),
// RFC 1123 labels, at most 253 characters. With allow_wildcard, a left-most
// "*." label is kept. Refuses '/', '\\', "..", spaces, control bytes and empty
// labels with InvalidArgument (a name also names a file in the CCS folder).
Result<std::string> CanonicalHostname(std::string_view name,
                                      bool allow_wildcard);

// Parses a port: decimal 1..65535, digits only.
Result<uint16_t> ParsePort(std::string_view text);

class BindingKey {
 public:
  // Parses the value of the kind's netsh parameter, e.g. (kIpPort,
  // "[FE80::1]:443") or (kCcs, "443"). "*:443" and ":443" mean 0.0.0.0:443.
  static Result<BindingKey> Parse(BindingKind kind, std::string_view text);
  // Parses "ipport=0.0.0.0:443" and the like; the parameter name is
  // case-insensitive.
  static Result<BindingKey> ParseParam(std::string_view name,
                                       std::string_view value);

  static BindingKey IpPort(const IpAddress& address, uint16_t port);
  // The name must already be canonical (see CanonicalHostname).
  static BindingKey HostnamePort(std::string canonical_name, uint16_t port);
  static BindingKey Ccs(uint16_t port);
  static BindingKey ScopedCcs(std::string canonical_name, uint16_t port);

  BindingKind kind() const { return kind_; }
  uint16_t port() const { return port_; }
  // Meaningful for kIpPort only.
  const IpAddress& address() const { return address_; }
  // Meaningful for kHostnamePort and kScopedCcs only.
  const std::string& hostname() const { return hostname_; }

  // The netsh parameter value: "0.0.0.0:443", "[::1]:443",
  // "www.contoso.com:443" or "443".
  std::string ToString() const;
  // "ipport=0.0.0.0:443" and so on.
  std::string ToParam() const;

  // The stable order of `show`: kind, then address family, address, port
  // (IP keys) or name, port (named keys) or port (ccs).
  friend std::strong_ordering operator<=>(const BindingKey&,
                                          const BindingKey&) = default;
  friend bool operator==(const BindingKey&, const BindingKey&) = default;

 private:
  BindingKey() = default;

  // Member order is the comparison order.
  BindingKind kind_ = BindingKind::kIpPort;
  IpAddress address_;
  std::string hostname_;
  uint16_t port_ = 0;
};

}  // namespace sslbind

#endif  // SSLBIND_BINDING_KEY_H_
