// Internal: the canonical form of a ClientHello server name, computed on the
// lookup path without allocating.
//
// The rules are those of CanonicalHostname() for ASCII names without a
// wildcard: ASCII lower case, one trailing dot removed, labels of 1 to 63
// characters of a-z, 0-9 and '-', not starting or ending with '-', at most
// kMaxHostnameLength characters. So a name is accepted here exactly when
// the store would accept it as a non-wildcard host name, and comes out the
// same. Non-ASCII bytes are refused rather than converted: names on the wire
// are A-labels.
#ifndef SSLBIND_SRC_RESOLVE_SNI_NAME_H_
#define SSLBIND_SRC_RESOLVE_SNI_NAME_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sslbind/binding_key.h"

namespace sslbind::internal {

enum class SniProblem : uint8_t {
  kNone,
  kEmpty,         // "" or "."
  kTooLong,       // more than kMaxHostnameLength characters
  kNotAscii,      // a byte >= 0x80: not an A-label
  kBadCharacter,  // a character other than a-z, A-Z, 0-9, '-' and '.'
  kEmptyLabel,    // "a..b", ".a"
  kLabelTooLong,  // a label of more than 63 characters
  kHyphenAtEdge,  // a label that starts or ends with '-'
};

// Why the name was refused, completing "the SNI name is not a valid host
// name: ...", e.g. "it has an empty label".
std::string_view SniProblemText(SniProblem problem);

// Writes the canonical form of `sni` to out[0, *length); `out` has room for
// kMaxHostnameLength characters. Returns SniProblem::kNone, or what makes
// the name no valid host name (then *length is 0 and `out` holds garbage).
SniProblem CanonicaliseSni(std::string_view sni, char* out, size_t* length);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_SNI_NAME_H_
