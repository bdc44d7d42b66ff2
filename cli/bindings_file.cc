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
  InputMap input(path);
  Result<ParsedBindings> parsed =
      ParseBindings(input.bytes(), InputName(path), format);
  if (!parsed.ok()) ThrowMalformed(parsed.status());
  PrintNotes(ctx, parsed->notes);
  return std::move(*parsed);
}

void PrintNotes(const Context& ctx, const std::vector<std::string>& notes) {
  for (size_t i = 0; i < notes.size() && i < kMaxNotes; ++i) {
    *ctx.err << "sslbind: note: " << notes[i] << '\n';
  }
  if (notes.size() > kMaxNotes) {
    *ctx.err << "sslbind: note: ... and " << notes.size() - kMaxNotes
             << " more like these\n";
  }
}

void ThrowMalformed(const Status& status) {
  throw CommandError::Input(status).WithNote("nothing was changed");
}

}  // namespace sslbind::cli
