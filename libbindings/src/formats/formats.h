// Internal: the readers of the three exchange formats, behind ParseBindings
// (exchange.h). Each takes the decoded UTF-8 text and the file name for
// messages, and returns the bindings in file order; exchange.cc checks for
// keys given twice.
#ifndef SSLBIND_SRC_FORMATS_FORMATS_H_
#define SSLBIND_SRC_FORMATS_FORMATS_H_

#include <string>
#include <string_view>

#include "sslbind/exchange.h"

namespace sslbind::internal {

Result<ParsedBindings> ParseJsonBindings(std::string_view text,
                                         std::string_view file_name);
Result<ParsedBindings> ParseRegBindings(std::string_view text,
                                        std::string_view file_name);
Result<ParsedBindings> ParseNetshBindings(std::string_view text,
                                          std::string_view file_name);

// The checks a binding read from a file must pass beyond the syntax of its
// format: ValidateBinding, and the text rules of parameters.h for every
// string parameter (a .reg file can hold any string).
Status CheckImportedBinding(const Binding& binding);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_FORMATS_FORMATS_H_
