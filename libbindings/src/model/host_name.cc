// The host-name rules of model/host_name.h, and CanonicalHostname of
// sslbind/binding_key.h, which applies them to what users and files give.
#include "model/host_name.h"

#include <idn2.h>

#include <array>
#include <string>

#include "sslbind/text.h"

namespace sslbind {
namespace internal {
namespace {

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

// The problems of a label all of whose characters are allowed.
HostNameProblem CheckLabelShape(std::string_view label) {
  if (label.empty()) return HostNameProblem::kEmptyLabel;
  if (label.size() > kMaxLabelLength) return HostNameProblem::kLabelTooLong;
  if (label.front() == '-' || label.back() == '-') {
    return HostNameProblem::kHyphenAtEdge;
  }
  return HostNameProblem::kNone;
}

// The first problem of one label, in the order of HostNameProblem.
HostNameProblem CheckLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) {
    return CheckLabelShape(label);
  }
  for (char c : label) {
    const auto byte = static_cast<unsigned char>(c);
    if (kCanonical[byte] == 0) {
      return byte >= 0x80 ? HostNameProblem::kNotAscii
                          : HostNameProblem::kBadCharacter;
    }
  }
  return CheckLabelShape(label);
}

// The first problem of a name that the one-pass loop refused: label by
// label, then the length of the whole name.
[[gnu::noinline]] HostNameProblem FindProblem(std::string_view name,
                                              std::string_view* bad_label) {
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    const std::string_view label = name.substr(
        start,
        dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const HostNameProblem problem = CheckLabel(label);
    if (problem != HostNameProblem::kNone) {
      if (bad_label != nullptr) *bad_label = label;
      return problem;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return name.size() > kMaxHostnameLength ? HostNameProblem::kTooLong
                                          : HostNameProblem::kNone;
}

}  // namespace

std::string_view HostNameProblemText(HostNameProblem problem) {
  switch (problem) {
    case HostNameProblem::kNone: return "is valid";
    case HostNameProblem::kEmpty: return "is empty";
    case HostNameProblem::kTooLong: return "is longer than 253 characters";
    case HostNameProblem::kNotAscii:
      return "is not ASCII (names on the wire are A-labels, xn--...)";
    case HostNameProblem::kBadCharacter:
      return "contains a character not allowed in a host name";
    case HostNameProblem::kEmptyLabel: return "has an empty label";
    case HostNameProblem::kLabelTooLong:
      return "has a label longer than 63 characters";
    case HostNameProblem::kHyphenAtEdge:
      return "has a label that starts or ends with '-'";
  }
  return "is not valid";
}

HostNameProblem CanonicaliseAsciiName(std::string_view name, char* out,
                                      size_t* length,
                                      std::string_view* bad_label) {
  *length = 0;
  if (bad_label != nullptr) *bad_label = {};
  if (name.empty()) return HostNameProblem::kEmpty;
  if (name.size() > kMaxHostnameLength) return FindProblem(name, bad_label);
  // One table look-up per character: its canonical form, or 0 when it has
  // none. (A branch per character class costs twice as much.)
  size_t label_start = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = kCanonical[static_cast<unsigned char>(name[i])];
    out[i] = c;
    if (c == '.' || c == 0) {
      if (c == 0) return FindProblem(name, bad_label);
      const HostNameProblem problem =
          CheckLabelShape({out + label_start, i - label_start});
      if (problem != HostNameProblem::kNone) {
        if (bad_label != nullptr) {
          *bad_label = name.substr(label_start, i - label_start);
        }
        return problem;
      }
      label_start = i + 1;
    }
  }
  const HostNameProblem problem =
      CheckLabelShape({out + label_start, name.size() - label_start});
  if (problem != HostNameProblem::kNone) {
    if (bad_label != nullptr) *bad_label = name.substr(label_start);
    return problem;
  }
  *length = name.size();
  return HostNameProblem::kNone;
}

}  // namespace internal

using internal::HostNameProblem;

Result<std::string> CanonicalHostname(std::string_view name,
                                      bool allow_wildcard) {
  const std::string_view shown = name;  // as given, for messages
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '/' || c == '\\') {
      return Status::InvalidArgument(
          "host name " + QuoteForMessage(shown) +
          " contains a space, slash, backslash or control character");
    }
  }
  if (size_t bad = FindInvalidUtf8(name); bad != std::string_view::npos) {
    return Status::InvalidArgument("host name " + QuoteForMessage(shown) +
                                   ": the byte at offset " +
                                   std::to_string(bad) + " is not valid UTF-8");
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Status::InvalidArgument("host name is empty");

  const bool wildcard = name.starts_with(internal::kWildcardPrefix);
  if (wildcard) {
    if (!allow_wildcard) {
      return Status::InvalidArgument(QuoteForMessage(shown) +
                                     ": a wildcard name is not allowed here");
    }
    name.remove_prefix(internal::kWildcardPrefix.size());
  }

  // A Unicode name becomes its A-label first; every name then goes through
  // the one rule of the lookup path.
  std::string a_label;
  bool is_ascii = true;
  for (unsigned char c : name) is_ascii = is_ascii && c < 0x80;
  if (!is_ascii) {
    char* out = nullptr;
    const std::string input(name);
    const int rc = idn2_to_ascii_8z(input.c_str(), &out,
                                    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
      return Status::InvalidArgument("host name " + QuoteForMessage(shown) +
                                     " is not a valid internationalised "
                                     "name: " +
                                     idn2_strerror(rc));
    }
    a_label = out;
    idn2_free(out);
    name = a_label;
  }

  char canonical[kMaxHostnameLength];
  size_t length = 0;
  std::string_view bad_label;
  HostNameProblem problem =
      internal::CanonicaliseAsciiName(name, canonical, &length, &bad_label);
  if (problem == HostNameProblem::kNone && wildcard &&
      internal::kWildcardPrefix.size() + length > kMaxHostnameLength) {
    problem = HostNameProblem::kTooLong;
  }
  switch (problem) {
    case HostNameProblem::kNone: break;
    case HostNameProblem::kTooLong:
      return Status::InvalidArgument(
          "host name " + QuoteForMessage(shown) + " " +
          std::string(internal::HostNameProblemText(problem)));
    case HostNameProblem::kBadCharacter:
      if (bad_label == "*") {
        return Status::InvalidArgument(QuoteForMessage(shown) +
                                       ": '*' is allowed only as the whole "
                                       "left-most label");
      }
      [[fallthrough]];
    default:
      // "" is what is left of "*.": an empty label.
      if (problem == HostNameProblem::kEmpty) {
        problem = HostNameProblem::kEmptyLabel;
      }
      return Status::InvalidArgument(
          QuoteForMessage(shown) + " " +
          std::string(internal::HostNameProblemText(problem)));
  }
  std::string result(wildcard ? internal::kWildcardPrefix : "");
  result.append(canonical, length);
  return result;
}

}  // namespace sslbind
