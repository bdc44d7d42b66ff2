// sslbind/binding.h: one TLS certificate binding, as HTTP.sys keeps it.
//
// A Binding holds exactly what the registry holds for it (docs/reference.md,
// "Registry layout"): the key, the certificate hash, the application id, the
// certificate store name and the raw CheckMode and Flags bit sets. The named
// netsh options of docs/reference.md, "Parameters" (verifyclientcertrevocation,
// disablehttp2, ...) are views of those bits; parameters.h reads and writes
// them by name. Plain value; thread-compatible.
#ifndef SSLBIND_BINDING_H_
#define SSLBIND_BINDING_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding_key.h"
#include "sslbind/status.h"
#include "sslbind/text.h"  // HexLower

namespace sslbind {

// A GUID such as an application id.
struct Guid {
  // The bytes in text order: "{00112233-4455-..." is {0x00, 0x11, 0x22, ...}.
  std::array<uint8_t, 16> bytes{};

  // Parses 32 hex digits in the 8-4-4-4-12 layout, with or without braces,
  // in any case.
  static Result<Guid> Parse(std::string_view text);
  // "{00112233-4455-6677-8899-aabbccddeeff}", lower case.
  std::string ToString() const;

  // The 16 bytes as Windows stores a GUID structure: Data1 (4 bytes), Data2
  // and Data3 little-endian, then Data4 as is.
  std::array<uint8_t, 16> ToWindowsBytes() const;
  static Guid FromWindowsBytes(const std::array<uint8_t, 16>& bytes);

  friend auto operator<=>(const Guid&, const Guid&) = default;
};

// Parses a certificate hash: hex digits in any case, even length, 1..32
// bytes. Spaces are refused (netsh users paste thumbprints from the
// certificate dialog, which inserts them: the error says so).
Result<std::vector<uint8_t>> ParseCertHash(std::string_view text);

// The DefaultSslCertCheckMode bits (docs/reference.md, "Parameters").
inline constexpr uint32_t kCheckNoRevocation = 0x1;      // verify...=disable
inline constexpr uint32_t kCheckCachedOnly = 0x2;        // ...cachedonly=enable
inline constexpr uint32_t kCheckFreshnessTime = 0x4;     // freshness != 0
inline constexpr uint32_t kCheckNoUsageCheck = 0x10000;  // usagecheck=disable

// The DefaultFlags bits: HTTP_SERVICE_CONFIG_SSL_FLAG_* of http.h.
inline constexpr uint32_t kFlagUseDsMapper = 0x1;
inline constexpr uint32_t kFlagNegotiateClientCert = 0x2;
inline constexpr uint32_t kFlagNoRawFilter = 0x4;  // no netsh option
inline constexpr uint32_t kFlagReject = 0x8;
inline constexpr uint32_t kFlagDisableHttp2 = 0x10;
inline constexpr uint32_t kFlagDisableQuic = 0x20;
inline constexpr uint32_t kFlagDisableTls13 = 0x40;
inline constexpr uint32_t kFlagDisableOcspStapling = 0x80;
inline constexpr uint32_t kFlagEnableTokenBinding = 0x100;
inline constexpr uint32_t kFlagLogExtendedEvents = 0x200;
inline constexpr uint32_t kFlagDisableLegacyTls = 0x400;
inline constexpr uint32_t kFlagEnableSessionTicket = 0x800;
inline constexpr uint32_t kFlagDisableTls12 = 0x1000;
inline constexpr uint32_t kFlagEnableClientCorrelation = 0x2000;  // no option
inline constexpr uint32_t kFlagDisableSessionId = 0x4000;
inline constexpr uint32_t kFlagEnableCachingClientHello = 0x8000;

struct Binding {
  explicit Binding(BindingKey k) : key(std::move(k)) {}

  BindingKey key;
  // Empty for ccs and scopedccs bindings.
  std::vector<uint8_t> cert_hash;
  Guid app_id;
  // Absent means "not given" (HTTP.sys then uses MY; show prints (null)).
  std::optional<std::string> cert_store_name;
  uint32_t check_mode = 0;
  uint32_t revocation_freshness_time = 0;  // seconds
  uint32_t url_retrieval_timeout = 0;      // milliseconds
  std::optional<std::string> ctl_identifier;
  std::optional<std::string> ctl_store_name;
  uint32_t flags = 0;

  friend bool operator==(const Binding&, const Binding&) = default;
};

// Checks the rules that depend on the kind: ipport and hostnameport need a
// certificate hash, hostnameport also a store name; ccs and scopedccs refuse
// both. InvalidArgument names the offending parameter.
Status ValidateBinding(const Binding& binding);

}  // namespace sslbind

#endif  // SSLBIND_BINDING_H_
