// Tests for model/host_name.h: the one host-name rule behind
// CanonicalHostname (binding keys, IIS, the CCS) and the lookup path's
// CanonicaliseSni.
#include "model/host_name.h"

#include <doctest/doctest.h>

#include <string>

namespace sslbind::internal {
namespace {

// The canonical form the lookup path makes of `sni`, or "!" + the problem.
std::string Sni(std::string_view sni) {
  char out[kMaxHostnameLength];
  size_t length = 99;
  const HostNameProblem problem = CanonicaliseSni(sni, out, &length);
  if (problem != HostNameProblem::kNone) {
    CHECK(length == 0);
    return "!" + std::string(HostNameProblemText(problem));
  }
  return std::string(out, length);
}

// The first problem of `name` and the label that has it.
std::pair<HostNameProblem, std::string> Problem(std::string_view name) {
  char out[kMaxHostnameLength];
  size_t length = 0;
  std::string_view label = "unset";
  const HostNameProblem problem =
      CanonicaliseAsciiName(name, out, &length, &label);
  return {problem, std::string(label)};
}

// CanonicalHostname's result, or its message.
std::string Store(std::string_view name, bool allow_wildcard = true) {
  Result<std::string> canonical = CanonicalHostname(name, allow_wildcard);
  return canonical.ok() ? *canonical : canonical.status().message();
}

const std::string k63(63, 'a');

TEST_CASE("a host name comes out in ASCII lower case") {
  CHECK(Sni("WWW.Contoso.COM") == "www.contoso.com");
  CHECK(Store("WWW.Contoso.COM") == "www.contoso.com");
  CHECK(Sni("a-1.b2") == "a-1.b2");
}

TEST_CASE("one trailing dot is dropped, a second makes an empty label") {
  CHECK(Sni("www.contoso.com.") == "www.contoso.com");
  CHECK(Store("www.contoso.com.") == "www.contoso.com");
  CHECK(Sni("www.contoso.com..") == "!has an empty label");
  CHECK(Store("a..") == "'a..' has an empty label");
  // Without the trailing-dot rule of an SNI name, "a." has an empty label.
  CHECK(Problem("a.") ==
        std::pair{HostNameProblem::kEmptyLabel, std::string()});
}

TEST_CASE("an empty name or a lone dot is empty") {
  CHECK(Sni("") == "!is empty");
  CHECK(Sni(".") == "!is empty");
  CHECK(Store("") == "host name is empty");
  CHECK(Store(".") == "host name is empty");
}

TEST_CASE("labels of 63 characters are allowed and longer ones are not") {
  CHECK(Sni(k63 + ".com") == k63 + ".com");
  CHECK(Sni(k63 + "a.com") == "!has a label longer than 63 characters");
  CHECK(Problem("x." + k63 + "a") ==
        std::pair{HostNameProblem::kLabelTooLong, k63 + "a"});
}

TEST_CASE("names of 253 characters are allowed and longer ones are not") {
  const std::string n253 =
      k63 + "." + k63 + "." + k63 + "." + std::string(61, 'b');
  REQUIRE(n253.size() == 253);
  CHECK(Sni(n253) == n253);
  CHECK(Sni(n253 + "b") == "!is longer than 253 characters");
  CHECK(Store(n253 + "b") == "host name '" + k63 + "." + std::string(16, 'a') +
                                 "'... (254 bytes) is longer than 253 "
                                 "characters");
  // "*." counts: a wildcard of 252 characters and its prefix is too long.
  CHECK(
      Store("*." + n253.substr(1)).ends_with("is longer than 253 characters"));
  CHECK(Store("*." + n253.substr(2)) == "*." + n253.substr(2));
}

TEST_CASE("a label may not start or end with a hyphen") {
  CHECK(Sni("-a.com") == "!has a label that starts or ends with '-'");
  CHECK(Sni("a-.com") == "!has a label that starts or ends with '-'");
  CHECK(Store("a.-com") == "'a.-com' has a label that starts or ends with '-'");
  CHECK(Problem("ok.b-") ==
        std::pair{HostNameProblem::kHyphenAtEdge, std::string("b-")});
}

TEST_CASE("characters other than letters, digits, '-' and '.' are refused") {
  CHECK(Sni("a_b.com") == "!contains a character not allowed in a host name");
  CHECK(Store("a_b.com") ==
        "'a_b.com' contains a character not allowed in a host name");
  CHECK(Problem("ok.a:b") ==
        std::pair{HostNameProblem::kBadCharacter, std::string("a:b")});
}

TEST_CASE("the lookup path refuses a name that is not ASCII") {
  CHECK(Sni("b\xC3\xBC"
            "cher.example") ==
        "!is not ASCII (names on the wire are A-labels, xn--...)");
  CHECK(Sni("xn--bcher-kva.example") == "xn--bcher-kva.example");
}

TEST_CASE("a Unicode name becomes its A-label, then follows the same rule") {
  CHECK(Store("B\xC3\xBC"
              "cher.Example.") == "xn--bcher-kva.example");
  CHECK(Store("*.b\xC3\xBC"
              "cher.example") == "*.xn--bcher-kva.example");
  CHECK(Store("b\xC3\xBC"
              "cher..example") ==
        "'b\xC3\xBC"
        "cher..example' has an empty label");
}

TEST_CASE("bad UTF-8 and bytes that could escape a folder are refused first") {
  CHECK(Store("a\xFF.com") ==
        "host name 'a\\xff.com': the byte at offset 1 is not valid UTF-8");
  CHECK(Store("a/b.com") ==
        "host name 'a/b.com' contains a space, slash, "
        "backslash or control character");
  CHECK(Store("a b") ==
        "host name 'a b' contains a space, slash, backslash "
        "or control character");
}

TEST_CASE("a wildcard is only a whole left-most label, and only if allowed") {
  CHECK(Store("*.Contoso.com") == "*.contoso.com");
  CHECK(Store("*.contoso.com", false) ==
        "'*.contoso.com': a wildcard name is not allowed here");
  CHECK(Store("a.*.com") ==
        "'a.*.com': '*' is allowed only as the whole left-most label");
  CHECK(Store("*") == "'*': '*' is allowed only as the whole left-most label");
  CHECK(Store("w*.com") ==
        "'w*.com' contains a character not allowed in a host name");
  CHECK(Store("*..") == "'*..' has an empty label");
  CHECK(Sni("*.contoso.com") ==
        "!contains a character not allowed in a host name");
}

TEST_CASE("of several problems the first label's is named, the length last") {
  // An empty label before a bad character.
  CHECK(Problem("a..b_c").first == HostNameProblem::kEmptyLabel);
  // A bad character before a later label that is too long.
  CHECK(Problem("a_b." + k63 + "a").first == HostNameProblem::kBadCharacter);
  // In one label: too long before a bad character.
  CHECK(Problem(k63 + "_").first == HostNameProblem::kLabelTooLong);
  // A label's problem before the length of the whole name.
  CHECK(Problem(std::string(300, 'a')).first == HostNameProblem::kLabelTooLong);
  CHECK(Problem(std::string(200, '.')).first == HostNameProblem::kEmptyLabel);
  const std::string long_name = k63 + "." + k63 + "." + k63 + "." + k63;
  CHECK(Problem(long_name) ==
        std::pair{HostNameProblem::kTooLong, std::string()});
}

TEST_CASE("the parent of a name is what follows its first dot") {
  CHECK(ParentName("a.contoso.com") == "contoso.com");
  CHECK(ParentName("contoso.com") == "com");
  CHECK(ParentName("localhost").empty());
}

}  // namespace
}  // namespace sslbind::internal
