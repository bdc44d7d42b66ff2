#include "name_value_args.h"

#include <algorithm>
#include <set>

#include "command_error.h"
#include "sslbind/text.h"

namespace sslbind::cli {
namespace {

bool IsWord(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  });
}

}  // namespace

void ParseNameValues(const std::vector<std::string>& tokens,
                     const NameValueRules& rules, const std::string& usage,
                     const std::function<void(const NameValue&)>& take) {
  std::set<std::string> seen;
  size_t untagged = 0;
  std::optional<std::string> first_tag;
  for (const std::string& token : tokens) {
    const size_t eq = token.find('=');
    const size_t bad = rules.utf8 ? FindInvalidUtf8(token) : std::string::npos;
    if (bad != std::string::npos && eq != std::string::npos && bad < eq) {
      throw CommandError::Failed(Status::InvalidArgument(
          "parameter name " + QuoteForMessage(token.substr(0, eq)) +
          ": the byte at offset " + std::to_string(bad) +
          " is not valid UTF-8"));
    }
    NameValue p;
    p.token = token;
    p.tagged = eq != std::string::npos && eq > 0 &&
               (!rules.position || IsWord(std::string_view(token).substr(0, eq)));
    if (p.tagged) {
      p.name = FoldCase(token.substr(0, eq));
      p.value = token.substr(eq + 1);
      p.eq = eq;
      if (!first_tag) first_tag = p.name;
    } else if (!rules.position) {
      throw CommandError::Syntax(
          QuoteForMessage(token) + " is not of the form NAME=VALUE", usage);
    } else {
      if (first_tag) {
        throw CommandError::Syntax(
            "the untagged value " + QuoteForMessage(token) + " follows " +
                *first_tag +
                "=: once a parameter is tagged, the following ones must be "
                "tagged too (NAME=VALUE)",
            usage);
      }
      std::optional<std::string> at = rules.position(untagged);
      if (!at) {
        throw CommandError::Syntax(
            "the untagged value " + QuoteForMessage(token) +
                " is beyond the last position (" + std::to_string(untagged) +
                " parameter" + (untagged == 1 ? "" : "s") +
                " can be given untagged here); give it as NAME=VALUE",
            usage);
      }
      p.name = *at;
      p.value = token;
      ++untagged;
    }
    if (bad != std::string::npos) {
      throw CommandError::Failed(Status::InvalidArgument(
          p.name + "=" + QuoteForMessage(p.value) + ": the byte at offset " +
          std::to_string(p.tagged ? bad - eq - 1 : bad) +
          " is not valid UTF-8"));
    }
    if (!seen.insert(p.name).second) {
      throw CommandError::Syntax(
          "parameter " + QuoteForMessage(p.name) + " is given twice", usage);
    }
    if (!rules.names.empty() &&
        std::find(rules.names.begin(), rules.names.end(), p.name) ==
            rules.names.end()) {
      throw CommandError::Syntax(
          "unknown parameter " + QuoteForMessage(token.substr(0, eq)), usage);
    }
    take(p);
  }
}

}  // namespace sslbind::cli
