// The one parser of the NAME=VALUE words of a command line, used by every
// command that takes them: the sslcert verbs (netsh_args.h), the keyword
// commands `cert` and `ccs` (keyword_command.h) and `resolve`.
#ifndef SSLBIND_CLI_NAME_VALUE_ARGS_H_
#define SSLBIND_CLI_NAME_VALUE_ARGS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sslbind::cli {

// One parameter as given.
struct NameValue {
  std::string name;     // folded to ASCII lower case
  std::string value;
  std::string token;    // the whole word
  bool tagged = true;   // false: an untagged value, named by its position
  size_t eq = 0;        // where the '=' of a tagged token is
};

struct NameValueRules {
  // The names taken, folded; empty: every name (the caller checks).
  std::vector<std::string> names = {};
  // netsh's positions: the name an untagged value at position `index` (0
  // for the first) stands for, nullopt beyond the last. When set, a token
  // is tagged only if its NAME is a word of letters and digits (a value
  // such as a store name may hold '=' only after a tag), and untagged
  // values must come before the first tag. When not set, every token must
  // be NAME=VALUE.
  std::function<std::optional<std::string>(size_t index)> position = nullptr;
  // Refuse bytes that are not UTF-8 in names and values (error 87, naming
  // the parameter and the offset), as the values of bindings are text.
  bool utf8 = false;
};

// Parses `tokens` in order and hands each parameter to `take` before the
// next token is looked at, so that the first bad word is the one reported.
// Throws CommandError:
// - Syntax (with `usage`): a token that is not NAME=VALUE ("'x' is not of
//   the form NAME=VALUE"), an unknown name ("unknown parameter 'x'"), a
//   name given twice ("parameter 'x' is given twice"), an untagged value
//   after a tag or beyond the last position;
// - Failed (87): bytes that are not UTF-8 (with rules.utf8).
// `take` may throw CommandError too.
void ParseNameValues(const std::vector<std::string>& tokens,
                     const NameValueRules& rules, const std::string& usage,
                     const std::function<void(const NameValue&)>& take);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_NAME_VALUE_ARGS_H_
