#include "bindings_file.h"

#include <ostream>

#include "command_error.h"
#include "file_io.h"

namespace sslbind::cli {

std::optional<ExchangeFormat> FormatOption(const std::string& name) {
  if (name.empty()) return std::nullopt;
  Result<ExchangeFormat> format = ParseExchangeFormatName(name);
  if (!format.ok()) throw CommandError::Syntax(format.status().message(), "");
  return *format;
}

ParsedBindings ReadBindingsFile(const Context& ctx, const std::string& path,
                                std::optional<ExchangeFormat> format) {
  std::string data = ReadInput(path);
  Result<ParsedBindings> parsed = ParseBindings(data, InputName(path), format);
  if (!parsed.ok()) {
    throw CommandError::Input(parsed.status()).WithNote("nothing was changed");
  }
  const std::vector<std::string>& notes = parsed->notes;
  for (size_t i = 0; i < notes.size() && i < kMaxNotes; ++i) {
    *ctx.err << "sslbind: note: " << notes[i] << '\n';
  }
  if (notes.size() > kMaxNotes) {
    *ctx.err << "sslbind: note: ... and " << notes.size() - kMaxNotes
             << " more like these\n";
  }
  return std::move(*parsed);
}

}  // namespace sslbind::cli
