// sslbind/diagnostics.h: what is likely wrong in a set of bindings.
//
// CheckBindings() looks at a whole binding set for the faults behind "the
// wrong certificate is served" and "HTTPS fails for some clients", given the
// resolution order (docs/reference.md, "Resolution order"; snapshot.h):
//
// - kNoDefaultBinding: SNI or CCS bindings on a port with no 0.0.0.0 default
//   (IIS: "No default SSL site has been created. To support browsers without
//   SNI capabilities, it is recommended to create a default SSL site."):
//   clients that send no SNI name get no certificate. A [::] default alone
//   serves only IPv6 clients, so it is reported too.
// - kShadowedByIpPort: an ipport binding for a specific address serves every
//   connection to that address on its port, so the port's SNI and CCS
//   bindings never serve clients connecting to it.
// - kUnreachableName: a hostnameport or scopedccs binding that no client can
//   reach. Resolution alone makes no name binding unreachable: exact names
//   come first, but a wildcard *.parent still serves the endless other
//   x.parent names, and specific ipport bindings hide names only on their
//   own addresses (reported as kShadowedByIpPort). What makes a name
//   unreachable is the client: a name whose last label is numeric (all
//   digits, or 0x and hex digits) is read as an IPv4 address by clients
//   (the WHATWG URL standard's "ends in a number" rule), and IP addresses
//   are never sent as SNI (RFC 6066 §3). So hostnameport=10.1.2.3:443 -- an
//   address typed where a name belongs -- and *.1.2.3:443 can never serve.
//   An error: the binding cannot work. [our choice]
// - kRedundantExactName: an exact hostnameport binding with the same
//   certificate and settings as the wildcard that covers it: the wildcard
//   would serve the name the same way. (Info: harmless, but a change to one
//   of them will not reach the other.)
// - kIpv4Ipv6Differ: ipport=[::]:P and 0.0.0.0:P with different
//   certificates: clients without a matching name get one certificate over
//   IPv6 and another over IPv4.
// - kConflictingSettings: bindings of one port that disagree on reject,
//   disabletls12, disabletls13 or disablelegacytls: whether a client is
//   refused, or which TLS versions it is offered, depends on the address and
//   name it happens to use.
//
// A port's findings of one kind come one by one up to
// CheckOptions::max_findings of them; beyond that they are one finding
// with the count (an address shadowing 30,000 SNI bindings is one warning,
// and 18,000 such addresses on one port are one warning too).
//
// The checks cost O(N log N) for N bindings, and BindingChecker keeps about
// 100 bytes per binding, not the bindings. Bindings are compared for
// "same certificate and settings" by a 64-bit fingerprint of those fields.
//
// Plain functions over values; thread-safe (a BindingChecker is one
// thread's).
#ifndef SSLBIND_DIAGNOSTICS_H_
#define SSLBIND_DIAGNOSTICS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/binding_key.h"

namespace sslbind {

enum class Severity : uint8_t {
  kError,    // a binding cannot work as configured
  kWarning,  // some clients are served wrongly, or not at all
  kInfo,     // worth knowing, harmless
};

// "error", "warning", "info".
std::string_view SeverityName(Severity severity);

enum class FindingKind : uint8_t {
  kNoDefaultBinding,
  kShadowedByIpPort,
  kUnreachableName,
  kRedundantExactName,
  kIpv4Ipv6Differ,
  kConflictingSettings,
};

// A stable code for scripts: "no-default", "shadowed", "unreachable-name",
// "redundant-exact", "ipv4-ipv6-differ", "conflicting-settings".
std::string_view FindingCode(FindingKind kind);

struct Finding {
  FindingKind kind;
  Severity severity;
  uint16_t port;
  // One line, naming the bindings that matter to the explanation.
  std::string message;
  // The bindings involved, in `show` order: at most
  // CheckOptions::max_listed of them; `more` counts the others.
  std::vector<BindingKey> bindings;
  size_t more = 0;
};

struct CheckOptions {
  // How many bindings a finding lists (a port may have a million); SIZE_MAX
  // lists them all.
  size_t max_listed = 20;
  // How many findings of one kind a port gets one by one (shadowed,
  // unreachable-name, redundant-exact); more become one finding that counts
  // them and involves all their bindings.
  size_t max_findings = 20;
};

// Every finding about the bindings (given in any order, keys distinct),
// ordered by port, then kind, then the bindings involved.
std::vector<Finding> CheckBindings(std::span<const Binding> bindings,
                                   const CheckOptions& options = {});

// CheckBindings over bindings given one at a time, e.g. from
// Store::ForEach, without holding them: Add each binding (keys distinct),
// then Finish once for the findings.
class BindingChecker {
 public:
  explicit BindingChecker(const CheckOptions& options = {});
  BindingChecker(BindingChecker&&) noexcept;
  BindingChecker& operator=(BindingChecker&&) noexcept;
  ~BindingChecker();

  void Add(const Binding& binding);
  // How many bindings were added.
  size_t count() const;
  // The findings, as CheckBindings returns them. Leaves the checker empty.
  std::vector<Finding> Finish();

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace sslbind

#endif  // SSLBIND_DIAGNOSTICS_H_
