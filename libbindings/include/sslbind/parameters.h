// sslbind/parameters.h: the netsh parameters of a binding, by name
// (docs/reference.md, "Parameters").
//
// One table describes every parameter: its netsh name, its `show` label, its
// type and where it lives in a Binding. The CLI, the JSON formats and the
// plan of `apply` all read and write bindings through it, so a parameter is
// added in one place. Everything here is immutable and thread-safe.
#ifndef SSLBIND_PARAMETERS_H_
#define SSLBIND_PARAMETERS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/status.h"

namespace sslbind {

// The parameters in netsh's `show` order (docs/reference.md, "Parameters"),
// keys excluded.
enum class Param : uint8_t {
  kCertHash,
  kAppId,
  kCertStoreName,
  kVerifyClientCertRevocation,
  kVerifyRevocationWithCachedClientCertOnly,
  kUsageCheck,
  kRevocationFreshnessTime,
  kUrlRetrievalTimeout,
  kSslCtlIdentifier,
  kSslCtlStoreName,
  kDsMapperUsage,
  kClientCertNegotiation,
  kReject,
  kDisableHttp2,
  kDisableQuic,
  kDisableTls12,
  kDisableTls13,
  kDisableOcspStapling,
  kEnableTokenBinding,
  kLogExtendedEvents,
  kDisableLegacyTls,
  kEnableSessionTicket,
  kDisableSessionId,
  kEnableCachingClientHello,
};

enum class ParamType : uint8_t {
  kHex,     // certhash
  kGuid,    // appid
  kString,  // may be absent
  kOption,  // enable/disable, shown Enabled/Disabled
  kNumber,  // unsigned 32-bit, shown in decimal
  kFlag,    // enable/disable, shown Set/Not Set
};

struct ParamInfo {
  Param id;
  // The parameter name, lower case ("certhash"). enablecachingclienthello
  // is sslbind's name for the flag netsh prints but has no option for.
  std::string_view name;
  std::string_view label;  // the `show sslcert` label
  ParamType type;
  // kOption and kFlag: the bit in check_mode (in_check_mode) or flags.
  uint32_t bit = 0;
  bool in_check_mode = false;
  // kOption: true when a set bit means "disabled" (e.g. usagecheck).
  bool bit_means_disabled = false;
};

// All parameters, in show order.
std::span<const ParamInfo> AllParams();
const ParamInfo& GetParamInfo(Param param);
// Finds a parameter by its netsh name, case-insensitively; nullptr if none.
// Key names (ipport, ...) are not parameters.
const ParamInfo* FindParam(std::string_view name);

// The value of one parameter: absent (an unset string, or a ccs binding's
// hash), a truth value (kOption, kFlag), a number, or text (certhash as lower
// hex, appid as "{...}", strings as they are).
using ParamValue = std::variant<std::monostate, bool, uint32_t, std::string>;

ParamValue GetParam(const Binding& binding, Param param);
// Sets a parameter from a typed value, validating it as from netsh text.
Status SetParam(Binding& binding, Param param, const ParamValue& value);
// Parses a netsh text value ("enable", "0102...", "{...}", "30") for the
// parameter. enable/disable are case-insensitive.
Result<ParamValue> ParseParamText(Param param, std::string_view text);
// The value as `show sslcert` prints it: Enabled/Disabled, Set/Not Set,
// decimal, (null) for absent.
std::string ShowParam(const Binding& binding, Param param);

// A set of parameter assignments: what `update` (and `add`) were given.
// Later assignments of one parameter replace earlier ones.
class BindingPatch {
 public:
  void Set(Param param, ParamValue value);
  // Parses and sets a netsh text value; InvalidArgument names the parameter.
  Status SetText(Param param, std::string_view text);

  bool Has(Param param) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<Param, ParamValue>>& entries() const {
    return entries_;
  }

  // Applies every assignment, then checks the result with ValidateBinding.
  // On error the binding may be partly changed: apply to a copy.
  Status ApplyTo(Binding& binding) const;

 private:
  std::vector<std::pair<Param, ParamValue>> entries_;
};

// A new binding for the key with every parameter at its default and the
// patch applied; InvalidArgument if the result is not a valid binding.
Result<Binding> MakeBinding(const BindingKey& key, const BindingPatch& patch);

}  // namespace sslbind

#endif  // SSLBIND_PARAMETERS_H_
