// The lookup path's host-name canonicalisation: one pass, no allocation.
#include "resolve/sni_name.h"

namespace sslbind::internal {
namespace {

constexpr size_t kMaxLabelLength = 63;

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
    case SniProblem::kNone:
      return "it is valid";
    case SniProblem::kEmpty:
      return "it is empty";
    case SniProblem::kTooLong:
      return "it is longer than 253 characters";
    case SniProblem::kNotAscii:
      return "it is not ASCII (names on the wire are A-labels, xn--...)";
    case SniProblem::kBadCharacter:
      return "it contains a character not allowed in a host name";
    case SniProblem::kEmptyLabel:
      return "it has an empty label";
    case SniProblem::kLabelTooLong:
      return "it has a label longer than 63 characters";
    case SniProblem::kHyphenAtEdge:
      return "it has a label that starts or ends with '-'";
  }
  return "it is not valid";
}

void CanonicaliseSni(std::string_view sni, CanonicalSni* out) {
  out->length = 0;
  out->problem = SniProblem::kNone;
  if (!sni.empty() && sni.back() == '.') sni.remove_suffix(1);
  if (sni.empty()) {
    out->problem = SniProblem::kEmpty;
    return;
  }
  if (sni.size() > kMaxHostnameLength) {
    out->problem = SniProblem::kTooLong;
    return;
  }
  size_t label_start = 0;
  for (size_t i = 0; i < sni.size(); ++i) {
    char c = sni[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == '.') {
      out->problem = CheckLabel(out->name, label_start, i);
      if (out->problem != SniProblem::kNone) return;
      label_start = i + 1;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-')) {
      out->problem = static_cast<unsigned char>(c) >= 0x80
                         ? SniProblem::kNotAscii
                         : SniProblem::kBadCharacter;
      return;
    }
    out->name[i] = c;
  }
  out->problem = CheckLabel(out->name, label_start, sni.size());
  if (out->problem == SniProblem::kNone) out->length = sni.size();
}

}  // namespace sslbind::internal
