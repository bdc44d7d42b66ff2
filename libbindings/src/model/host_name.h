// Internal: what a host name may be and its canonical form (docs/reference.md,
// "Binding kinds"), in one place for the model (CanonicalHostname, which
// binding keys, IIS bindings and the CCS use), and the lookup path, which
// canonicalises a ClientHello's server name without allocating.
//
// A canonical host name is ASCII lower case, without a trailing dot, made of
// labels of 1 to 63 characters of a-z, 0-9 and '-' that neither start nor
// end with '-', at most kMaxHostnameLength characters in all. Unicode names
// become their A-labels (xn--..., libidn2) in CanonicalHostname; the lookup
// path refuses them, since names on the wire are A-labels already. A
// hostnameport binding may also be a wildcard: kWildcardPrefix and a name.
#ifndef SSLBIND_SRC_MODEL_HOST_NAME_H_
#define SSLBIND_SRC_MODEL_HOST_NAME_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sslbind/binding_key.h"

namespace sslbind::internal {

inline constexpr size_t kMaxLabelLength = 63;

// The left-most label of a wildcard name, with its dot: "*.contoso.com".
inline constexpr std::string_view kWildcardPrefix = "*.";

// What makes a name no host name. When a name has several problems, the
// first label that has one names it (in a label: empty, too long, a
// character not allowed, a hyphen at an edge); the length of the whole name
// comes last.
enum class HostNameProblem : uint8_t {
  kNone,
  kEmpty,         // ""
  kTooLong,       // more than kMaxHostnameLength characters
  kNotAscii,      // a byte >= 0x80: not an A-label
  kBadCharacter,  // a character other than a-z, A-Z, 0-9, '-' and '.'
  kEmptyLabel,    // "a..b", ".a", "a."
  kLabelTooLong,  // a label of more than kMaxLabelLength characters
  kHyphenAtEdge,  // a label that starts or ends with '-'
};

// The problem as a phrase that completes "the name ...", e.g. "has an empty
// label" or "is longer than 253 characters".
std::string_view HostNameProblemText(HostNameProblem problem);

// Writes the canonical form of the ASCII name `name` (no trailing dot is
// removed: "a." has an empty label) to out[0, *length); `out` has room for
// kMaxHostnameLength characters. Returns HostNameProblem::kNone, or the
// name's first problem: then *length is 0, `out` holds garbage and, if
// `bad_label` is not null, *bad_label is the label that has the problem
// (empty for kEmpty and kTooLong). One pass and no allocation for a valid
// name.
HostNameProblem CanonicaliseAsciiName(std::string_view name, char* out,
                                      size_t* length,
                                      std::string_view* bad_label = nullptr);

// The canonical form of a ClientHello's server name: one trailing dot
// removed, then as CanonicaliseAsciiName ("" and "." are kEmpty).
inline HostNameProblem CanonicaliseSni(std::string_view sni, char* out,
                                       size_t* length) {
  if (!sni.empty() && sni.back() == '.') sni.remove_suffix(1);
  return CanonicaliseAsciiName(sni, out, length);
}

// The parent of a canonical name ("contoso.com" for "a.contoso.com"), or
// empty for a single-label name: what a wildcard binding and the CCS
// wildcard file cover.
inline std::string_view ParentName(std::string_view name) {
  const size_t dot = name.find('.');
  return dot == std::string_view::npos ? std::string_view()
                                       : name.substr(dot + 1);
}

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_MODEL_HOST_NAME_H_
