// The parameters of `add|update|delete|show sslcert`, tagged (NAME=VALUE) or
// untagged in their documented position, as netsh takes them.
#ifndef SSLBIND_CLI_NETSH_ARGS_H_
#define SSLBIND_CLI_NETSH_ARGS_H_

#include <optional>
#include <string>
#include <vector>

#include "sslbind/binding_key.h"
#include "sslbind/parameters.h"

namespace sslbind::cli {

struct SslcertArgs {
  std::optional<BindingKey> key;
  BindingPatch patch;
  // What was cleaned from the values, e.g. "certhash: removed U+200E
  // (left-to-right mark) before the thumbprint"; the command prints them.
  std::vector<std::string> warnings;
};

// Which parameters a verb takes untagged, and in which order.
enum class SslcertPositions {
  kKeyOnly,  // delete, show: [ipport=]
  kAll,      // add, update: [ipport=] [certhash=] [appid=] [certstorename=]
             // and the others in the order of the usage text
};

// True if the tokens ask for help: "help", "?", "/?" or "-?" (netsh's
// forms).
bool IsHelpRequest(const std::vector<std::string>& tokens);

// Parses the tokens as netsh does (with ParseNameValues of
// name_value_args.h, the parser of every NAME=VALUE command). A token NAME=VALUE whose NAME is a
// parameter (case-insensitively) is tagged; any other token is untagged and
// stands for the parameter of its position: the key first, then certhash,
// appid, certstorename and the rest in the usage's order (with kAll). An
// untagged key is a ccs port when it is a number, else ipport when it
// parses as IP:port, else hostnameport. netsh's rule for mixing: untagged
// parameters come first; once a tag is used, every following parameter
// must be tagged.
//
// A certhash is cleaned of what copying from the Windows certificate dialog
// adds (U+200E, U+200F, U+FEFF, U+00A0 at its ends, blanks between hex
// pairs), with a warning in `warnings`; any other character that is not a
// hex digit is named by its code point.
//
// Throws CommandError: Syntax (with `usage`) for an unknown or repeated
// parameter, two keys, an untagged token after a tagged one or beyond the
// last position; Failed (87) for a bad value, tagged or untagged.
SslcertArgs ParseSslcertArgs(const std::vector<std::string>& tokens,
                             const std::string& usage,
                             SslcertPositions positions);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_NETSH_ARGS_H_
