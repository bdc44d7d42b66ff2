#include "netsh_args.h"

#include <set>

#include "command_error.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind::cli {

bool IsHelpRequest(const std::vector<std::string>& tokens) {
  return tokens.size() == 1 && (FoldCase(tokens[0]) == "help" ||
                                tokens[0] == "?" || tokens[0] == "/?");
}

SslcertArgs ParseSslcertArgs(const std::vector<std::string>& tokens,
                             const std::string& usage) {
  SslcertArgs args;
  std::set<std::string> seen;
  for (const std::string& token : tokens) {
    size_t eq = token.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw CommandError::Syntax(
          QuoteForMessage(token) + " is not of the form NAME=VALUE", usage);
    }
    std::string name = FoldCase(token.substr(0, eq));
    std::string value = token.substr(eq + 1);
    // Every value is text: check it here, whatever its type, so that the
    // message names the parameter and the offset in its value.
    if (size_t bad = FindInvalidUtf8(token); bad != std::string::npos) {
      const bool in_name = bad < eq;
      throw CommandError::Failed(Status::InvalidArgument(
          (in_name ? "parameter name " + QuoteForMessage(token.substr(0, eq))
                   : name + "=" + QuoteForMessage(value)) +
          ": the byte at offset " +
          std::to_string(in_name ? bad : bad - eq - 1) +
          " is not valid UTF-8"));
    }
    if (!seen.insert(name).second) {
      throw CommandError::Syntax(
          "parameter " + QuoteForMessage(name) + " is given twice", usage);
    }
    if (name == "ipport" || name == "hostnameport" || name == "ccs" ||
        name == "scopedccs") {
      if (args.key) {
        throw CommandError::Syntax(
            "give exactly one of ipport, hostnameport, ccs and scopedccs",
            usage);
      }
      Result<BindingKey> key = BindingKey::ParseParam(name, value);
      if (!key.ok()) throw CommandError::Failed(key.status());
      args.key = std::move(*key);
      continue;
    }
    const ParamInfo* info = FindParam(name);
    if (!info || !info->settable) {
      throw CommandError::Syntax(
          "unknown parameter " + QuoteForMessage(token.substr(0, eq)), usage);
    }
    Status s = args.patch.SetText(info->id, value);
    if (!s.ok()) throw CommandError::Failed(s);
  }
  return args;
}

}  // namespace sslbind::cli
