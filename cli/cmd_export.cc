// sslbind export [--format json|reg|netsh] [-o FILE]: the store's bindings
// as a JSON document, a .reg file of the HTTP\Parameters branch, or netsh's
// show text (sslbind/exchange.h), each recording the revision exported.
#include <exception>
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
  size_t count = 0;
  // Written as the store is read, in bounded memory, from one read
  // transaction: the bindings are those of the revision recorded.
  auto write = [&](uint64_t revision) {
    WriteOutputWith(options.output, *ctx.out, [&](std::ostream& o) {
      ExportWriter writer(
          format,
          [&o](std::string_view bytes) {
            o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
          },
          revision);
      Status s;
      if (format == ExchangeFormat::kReg) {
        // The branch's top key always heads the file, also for a store that
        // was never written, so that every export of no bindings is the
        // same.
        const RegistryKey top{std::string(kHttpParametersPath), {}};
        bool first = true;
        if (store) {
          s = store->ForEachRegistryKey(
              kHttpParametersPath, [&](const RegistryKey& key) {
                if (first && FoldCase(key.path) != FoldCase(top.path)) {
                  writer.AddKey(top);
                }
                first = false;
                count += key.values.empty() ? 0 : 1;
                writer.AddKey(key);
                return Status::Ok();
              });
        }
        if (first) writer.AddKey(top);
      } else if (store) {
        s = store->ForEachSorted([&](const Binding& b) {
          ++count;
          writer.AddBinding(b);
          return Status::Ok();
        });
      }
      if (!s.ok()) throw CommandError::Failed(s);
      writer.Finish();
    });
  };
  uint64_t revision = 0;  // a store never written
  if (store) {
    // No exception crosses the library: one thrown by `write` waits here.
    std::exception_ptr thrown;
    Status s = store->ReadAtOneRevision([&](uint64_t at) {
      revision = at;
      try {
        write(at);
      } catch (...) {
        thrown = std::current_exception();
      }
      return Status::Ok();
    });
    if (thrown) std::rethrow_exception(thrown);
    if (!s.ok()) throw CommandError::Failed(s);
  } else {
    write(revision);
  }
  if (to_stdout) return 0;
  if (ctx.json) {
    Json j = {{"status", "exported"},
              {"format", ExchangeFormatName(format)},
              {"bindings", count},
              {"revision", revision},
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
