// The PARAM=VALUE arguments of `add|update|delete|show sslcert`.
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
};

// True if the tokens ask for help: "help" or "?" (netsh's forms).
bool IsHelpRequest(const std::vector<std::string>& tokens);

// Parses NAME=VALUE tokens. Names are case-insensitive. Throws
// CommandError: Syntax (with `usage`) for a token without '=', an unknown or
// repeated parameter, or two keys; Failed (87) for a bad value.
SslcertArgs ParseSslcertArgs(const std::vector<std::string>& tokens,
                             const std::string& usage);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_NETSH_ARGS_H_
