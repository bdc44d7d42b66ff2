// sslbind export [--format json|reg|netsh] [-o FILE]: the store's bindings
// as a JSON document, a .reg file of the HTTP\Parameters branch, or netsh's
// show text (sslbind/exchange.h).
#include <memory>

#include "command_error.h"
#include "file_io.h"
#include "show_format.h"
#include "sslbind/exchange.h"
#include "sslbind/registry.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

struct ExportOptions {
  std::string format = "json";
  std::string output;  // empty or "-": standard output
};

int RunExport(Context& ctx, const ExportOptions& options) {
  ctx.verb = "export";
  ExchangeFormat format = ParseExchangeFormatName(options.format).value();
  const bool to_stdout = options.output.empty() || options.output == "-";
  if (ctx.json && to_stdout && format != ExchangeFormat::kJson) {
    // Under --json standard output is one JSON object, always.
    throw CommandError::Syntax(
        "--json: export --format " + std::string(ExchangeFormatName(format)) +
            " to standard output is not JSON; write it to a file with -o "
            "FILE, or leave --json out",
        "");
  }
  std::optional<Store> store = ctx.OpenForReading();
  std::string bytes;
  size_t count = 0;
  if (format == ExchangeFormat::kReg) {
    std::vector<RegistryKey> keys;
    if (store) {
      Result<std::vector<RegistryKey>> read = store->ReadRegistry();
      if (!read.ok()) throw CommandError::Failed(read.status());
      keys = std::move(*read);
    }
    // The branch's top key always heads the file, also for a store that
    // was never written, so that every export of no bindings is the same.
    if (keys.empty() ||
        FoldCase(keys.front().path) != FoldCase(kHttpParametersPath)) {
      keys.insert(keys.begin(),
                  RegistryKey{std::string(kHttpParametersPath), {}});
    }
    for (const RegistryKey& key : keys) count += key.values.empty() ? 0 : 1;
    bytes = FormatRegFile(keys);
  } else {
    std::vector<Binding> bindings;
    if (store) {
      Result<std::vector<Binding>> all = store->List();
      if (!all.ok()) throw CommandError::Failed(all.status());
      bindings = std::move(*all);
    }
    count = bindings.size();
    bytes = format == ExchangeFormat::kJson ? FormatJsonDocument(bindings)
                                            : FormatNetshText(bindings);
  }
  WriteOutput(options.output, bytes, *ctx.out);
  if (to_stdout) return 0;
  if (ctx.json) {
    Json j = {{"status", "exported"},
              {"format", ExchangeFormatName(format)},
              {"bindings", count},
              {"file", options.output}};
    *ctx.out << JsonText(j) << '\n';
  } else {
    *ctx.out << "Exported " << count << (count == 1 ? " binding" : " bindings")
             << " to " << options.output << " (" << ExchangeFormatName(format)
             << ").\n";
  }
  return 0;
}

}  // namespace

void SetupExport(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write every binding as a JSON document (default), a .reg file for "
      "`reg import` on Windows (UTF-16), or netsh's `show sslcert` text.");
  cmd->fallthrough();
  cmd->add_option("--format", options->format, "json, reg or netsh")
      ->check(CLI::IsMember({"json", "reg", "netsh"}, CLI::ignore_case))
      ->type_name("FORMAT");
  cmd->add_option("-o,--output", options->output,
                  "The file to write (default: standard output)")
      ->type_name("FILE");
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] { return RunExport(ctx, *options); };
  });
}

}  // namespace sslbind::cli
