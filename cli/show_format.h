// How bindings are printed: netsh's `show sslcert` layout (docs/reference.md,
// "The show layout") and the JSON binding object (keys are the netsh parameter
// names). Both are defined once, in the library's exchange formats
// (sslbind/exchange.h); these are the CLI's handles on them.
#ifndef SSLBIND_CLI_SHOW_FORMAT_H_
#define SSLBIND_CLI_SHOW_FORMAT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"

namespace sslbind::cli {

using Json = nlohmann::ordered_json;

// `json` as one line of JSON text. Bytes of its strings that are not valid
// UTF-8 come out as U+FFFD (nlohmann's error_handler_t::replace), so
// printing a message or a name that holds them never throws: every JSON
// line the CLI prints goes through here.
std::string JsonText(const Json& json);

// "\nSSL Certificate bindings:\n-------------------------\n\n"
std::string ShowHeader();
// One field line: 4 spaces, the label in a 29-character column (or the
// label and one space when it is longer), ": ", the value.
std::string ShowField(std::string_view label, std::string_view value);
// The entry of one binding, ending with its empty line.
std::string ShowEntry(const Binding& binding);

// The object `show --json` prints for a binding, as a Json value built from
// the binding (never from JSON text): "key" (its netsh parameter,
// "ipport=0.0.0.0:443") first, then exactly one key parameter
// ({"ipport": "0.0.0.0:443"}; ccs carries the port number), then every
// parameter in show order -- options as true/false, numbers as numbers,
// absent values as null. Its JsonText is ShowBindingJson's text
// (tests/cli/json_binding_test.sh compares them).
Json BindingToJson(const Binding& binding);
// The same object as text, written without a Json value (show --json
// streams a million of them): "key" then sslbind::FormatBindingJson's
// members.
std::string ShowBindingJson(const Binding& binding);
// Adds "warnings":[...] to a JSON result when there are any.
void AddJsonWarnings(Json& result, const std::vector<std::string>& warnings);
// The key alone: {"ipport": "0.0.0.0:443"}.
Json KeyToJson(const BindingKey& key);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_SHOW_FORMAT_H_
