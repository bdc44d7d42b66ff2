// sslbind/iis.h: IIS configuration files and the HTTP.sys bindings they
// need.
//
// IIS keeps its sites in one file and their certificates in HTTP.sys's
// bindings, and the two drift apart. This header reads both file formats
// into plain values and compares them with a store:
//
// - IIS 7 and later, applicationHost.config:
//     <sites><site name="..." id="N"><bindings>
//       <binding protocol="https" bindingInformation="IP:PORT:HOST"
//                sslFlags="N"/>
//   The file holds no certificate: the binding's HTTP.sys entry does.
//   sslFlags 0 needs ipport=IP:PORT ('*' is 0.0.0.0), 1 (SNI) needs
//   hostnameport=HOST:PORT, 2 or 3 (Central Certificate Store) need ccs=PORT.
//   The higher bits are options of the HTTP.sys binding (kIisSsl...).
// - IIS 6, MetaBase.xml: <IIsWebServer Location="/LM/W3SVC/N"
//   ServerComment="..." SecureBindings=":443: 10.0.0.1:443:"
//   SSLCertHash="..." SSLStoreName="MY" SslCtlStoreName="CA"/>. Every
//   SecureBindings entry needs ipport=IP:PORT, with the site's one
//   certificate.
//
// Plain values and functions of their arguments; thread-safe.
#ifndef SSLBIND_IIS_H_
#define SSLBIND_IIS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/binding_key.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"
#include "sslbind/diagnostics.h"
#include "sslbind/status.h"

namespace sslbind {

// The application id IIS gives the HTTP.sys bindings it creates.
inline constexpr std::string_view kIisAppId =
    "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

// The largest configuration file ParseIisConfig reads (32 MiB; an
// applicationHost.config of 10,000 sites is about 3 MiB).
inline constexpr size_t kMaxIisConfigBytes = 32u << 20;

// The sslFlags bits of an applicationHost.config binding. IIS and HTTP.sys
// number the options differently: IisSslFlagName and IisFlagsToHttpFlags
// say which HTTP.sys option each bit stands for.
inline constexpr uint32_t kIisSslSni = 1;
inline constexpr uint32_t kIisSslCcs = 2;
inline constexpr uint32_t kIisSslDisableHttp2 = 4;
inline constexpr uint32_t kIisSslDisableOcspStapling = 8;
inline constexpr uint32_t kIisSslDisableQuic = 16;
inline constexpr uint32_t kIisSslDisableTls13OverTcp = 32;
inline constexpr uint32_t kIisSslDisableLegacyTls = 64;
inline constexpr uint32_t kIisSslNegotiateClientCert = 128;
// Every bit IIS defines; any other bit is refused.
inline constexpr uint32_t kIisSslKnownFlags = 0xff;

// The name of one sslFlags bit: "sni", "ccs", then the netsh option the bit
// sets on the HTTP.sys binding ("disablehttp2", "disableocspstapling",
// "disablequic", "disabletls13", "disablelegacytls",
// "clientcertnegotiation"). Empty for anything else.
std::string_view IisSslFlagName(uint32_t bit);
// The names of the bits set in `ssl_flags`, in bit order.
std::vector<std::string_view> IisSslFlagNames(uint32_t ssl_flags);

// "0", "3 (sni, ccs)", "68 (disablehttp2, disablelegacytls)".
std::string IisSslFlagsText(uint32_t ssl_flags);

// The HTTP.sys flag bits (kFlag..., binding.h) that sslFlags controls.
inline constexpr uint32_t kIisManagedFlags =
    kFlagDisableHttp2 | kFlagDisableOcspStapling | kFlagDisableQuic |
    kFlagDisableTls13 | kFlagDisableLegacyTls | kFlagNegotiateClientCert;
// The HTTP.sys flag bits (within kIisManagedFlags) that `ssl_flags` sets,
// translated bit by bit by name.
uint32_t IisFlagsToHttpFlags(uint32_t ssl_flags);

enum class IisFormat : uint8_t {
  kApplicationHost,  // IIS 7+: applicationHost.config
  kMetabase,         // IIS 6: MetaBase.xml
};
// "applicationHost.config" or "MetaBase.xml".
std::string_view IisFormatName(IisFormat format);

// One HTTPS binding of a site (bindings of other protocols are skipped).
struct IisBinding {
  std::string site_name;  // name= (IIS 6: ServerComment)
  uint64_t site_id = 0;   // id= (IIS 6: the N of /LM/W3SVC/N)
  // The line of the element in the file, from 1.
  size_t line = 0;
  // As written: "*:443:", "10.1.2.3:443:www.contoso.com", "[::1]:443:".
  std::string binding_information;
  // The address: nullopt for '*' or empty (every address).
  std::optional<IpAddress> address;
  uint16_t port = 0;
  // Canonical host name (CanonicalHostname, wildcards kept); empty if none.
  std::string host;
  uint32_t ssl_flags = 0;  // kIisSsl... bits; always 0 in IIS 6
  // IIS 6 only: the site's certificate (empty: none), its store and the
  // store of its certificate trust list.
  std::vector<uint8_t> cert_hash;
  std::optional<std::string> cert_store_name;
  std::optional<std::string> ctl_store_name;
  // IIS 6 only: how many SecureBindings entries the site has.
  size_t site_secure_bindings = 1;
};

// The binding in messages: "'*:443:' of site 'Default Web Site' (id 1), line
// 12", with control bytes and quotes of the file escaped (\xNN).
std::string IisBindingName(const IisBinding& binding);

struct IisConfig {
  IisFormat format = IisFormat::kApplicationHost;
  size_t sites = 0;
  // In file order.
  std::vector<IisBinding> bindings;
};

// Reads an applicationHost.config or a MetaBase.xml, told apart by content,
// in UTF-8 (with or without a byte-order mark), as IIS writes them.
// InvalidArgument, with the line and column, for text that is not valid
// UTF-8 or not well-formed XML; for a UTF-16 file; for a document that is
// neither format (naming its root element); for a file larger than
// kMaxIisConfigBytes; and, with the site and line, for an HTTPS binding whose
// bindingInformation is not IP:PORT:HOST (a bad address, port or host name),
// whose sslFlags is not a number or has a bit IIS does not define, or (IIS 6)
// whose SSLCertHash is not hex or whose SSLStoreName or SslCtlStoreName is not
// a certificate store name.
Result<IisConfig> ParseIisConfig(std::string_view text);

// The HTTP.sys binding an IIS binding needs.
struct IisNeed {
  // Absent when no key can be named: SNI without a host name.
  std::optional<BindingKey> key;
  // The HTTP.sys flag bits, within kIisManagedFlags, its sslFlags ask for.
  uint32_t flags = 0;
};
IisNeed NeededBinding(const IisBinding& binding);

enum class IisFindingKind : uint8_t {
  kMissing,             // an IIS binding without the HTTP.sys binding it needs
  kOrphan,              // an HTTP.sys binding no IIS binding needs
  kFlags,               // sslFlags options that disagree with the binding's
  kShared,              // one HTTP.sys binding that several sites rely on
  kSniWithoutHost,      // the SNI flag on a binding without a host name
  kDuplicate,           // the same IP:port:host on two sites
  kCcsDisabled,         // a CCS site while the CCS is not enabled
  kOneCertificate,      // IIS 6: several SecureBindings, one certificate
  kCertificateDiffers,  // IIS 6: SSLCertHash/SSLStoreName != the binding's
};
// A stable code for scripts: "missing", "orphan", "flags", "shared",
// "sni-without-host", "duplicate", "ccs-disabled", "one-certificate",
// "certificate-differs".
std::string_view IisFindingCode(IisFindingKind kind);

struct IisFinding {
  IisFindingKind kind;
  Severity severity;
  // One line, naming the sites and bindings that matter.
  std::string message;
  // The IIS bindings concerned (indexes into IisConfig::bindings), in file
  // order; empty for kOrphan.
  std::vector<size_t> iis_bindings;
  // The HTTP.sys binding concerned, if any.
  std::optional<BindingKey> binding;
};

// Compares the configuration with the bindings of a store (any order, keys
// distinct) and its CCS settings. Findings come in the order of
// IisFindingKind, then in file order (kOrphan: key order).
std::vector<IisFinding> CheckIisConfig(const IisConfig& config,
                                       std::span<const Binding> store_bindings,
                                       const CcsConfig& ccs);

// An IIS binding that PlanIisSync could not turn into an HTTP.sys binding.
struct IisSkipped {
  size_t iis_binding;  // index into IisConfig::bindings
  std::optional<BindingKey> key;
  // Why, in plain words: "no certificate in the store covers www.contoso.com".
  std::string reason;
};

struct IisSyncPlan {
  // The bindings the store should hold for IIS, in key order: for a key the
  // store has, its binding with the sslFlags options set (and, from a
  // MetaBase, the site's certificate); for a new key, a binding with
  // kIisAppId, the options, and its certificate.
  std::vector<Binding> desired;
  std::vector<IisSkipped> skipped;
};

// What the store should hold to match IIS; hand `desired` to PlanApply
// (apply_plan.h). A certificate for a new ipport or hostnameport binding
// comes from the MetaBase (SSLCertHash, SSLStoreName, SslCtlStoreName); for
// applicationHost.config, from `certificates`: of those with a private key,
// valid at `now` (seconds since the epoch) and covering the binding's host
// name, the newest (latest not_before). No host name, no such certificate, or
// several equally new ones: the binding is skipped, not guessed. Where
// several IIS bindings need one key, the first (in file order) sets its
// options.
IisSyncPlan PlanIisSync(const IisConfig& config,
                        std::span<const Binding> store_bindings,
                        std::span<const StoredCertificate> certificates,
                        int64_t now);

}  // namespace sslbind

#endif  // SSLBIND_IIS_H_
