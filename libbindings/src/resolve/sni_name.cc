// The lookup path's host-name canonicalisation: one pass, no allocation.
#include "resolve/sni_name.h"

#include <array>

namespace sslbind::internal {
namespace {

constexpr size_t kMaxLabelLength = 63;

// Each byte's canonical form in a host name: a-z, 0-9, '-' and '.' as they
// are, A-Z in lower case, 0 for anything else.
constexpr auto kCanonical = [] {
  std::array<char, 256> table{};
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c = 'A'; c <= 'Z'; ++c) {
    table[static_cast<unsigned char>(c)] = static_cast<char>(c - 'A' + 'a');
  }
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  table['-'] = '-';
  table['.'] = '.';
  return table;
}();

// Checks the label that ends before `end` and starts at `start`.
SniProblem CheckLabel(const char* name, size_t start, size_t end) {
  if (end == start) return SniProblem::kEmptyLabel;
  if (end - start > kMaxLabelLength) return SniProblem::kLabelTooLong;
  if (name[start] == '-' || name[end - 1] == '-') {
    return SniProblem::kHyphenAtEdge;
  }
  return SniProblem::kNone;
}

}  // namespace

std::string_view SniProblemText(SniProblem problem) {
  switch (problem) {
    case SniProblem::kNone: return "it is valid";
    case SniProblem::kEmpty: return "it is empty";
    case SniProblem::kTooLong: return "it is longer than 253 characters";
    case SniProblem::kNotAscii:
      return "it is not ASCII (names on the wire are A-labels, xn--...)";
    case SniProblem::kBadCharacter:
      return "it contains a character not allowed in a host name";
    case SniProblem::kEmptyLabel: return "it has an empty label";
    case SniProblem::kLabelTooLong:
      return "it has a label longer than 63 characters";
    case SniProblem::kHyphenAtEdge:
      return "it has a label that starts or ends with '-'";
  }
  return "it is not valid";
}

SniProblem CanonicaliseSni(std::string_view sni, char* out, size_t* length) {
  *length = 0;
  if (!sni.empty() && sni.back() == '.') sni.remove_suffix(1);
  if (sni.empty()) return SniProblem::kEmpty;
  if (sni.size() > kMaxHostnameLength) return SniProblem::kTooLong;
  // One table look-up per character: its canonical form, or 0 when it has
  // none. (A branch per character class costs twice as much.)
  size_t label_start = 0;
  for (size_t i = 0; i < sni.size(); ++i) {
    const char c = kCanonical[static_cast<unsigned char>(sni[i])];
    out[i] = c;
    if (c == '.' || c == 0) {
      if (c == 0) {
        return static_cast<unsigned char>(sni[i]) >= 0x80
                   ? SniProblem::kNotAscii
                   : SniProblem::kBadCharacter;
      }
      SniProblem problem = CheckLabel(out, label_start, i);
      if (problem != SniProblem::kNone) return problem;
      label_start = i + 1;
    }
  }
  SniProblem problem = CheckLabel(out, label_start, sni.size());
  if (problem == SniProblem::kNone) *length = sni.size();
  return problem;
}

}  // namespace sslbind::internal
