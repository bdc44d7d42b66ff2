// sslbind import FILE|- [--format json|reg|netsh] [--replace] [--dry-run]:
// adds the bindings of a file in one transaction -- all of them or none.
#include <memory>

#include "bindings_file.h"
#include "command_error.h"
#include "file_io.h"
#include "progress.h"
#include "show_format.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string format;  // empty: detect
  bool replace = false;
};

int RunImport(Context& ctx, const ImportOptions& options) {
  ctx.verb = "add";
  const std::string name = InputName(options.file);
  Progress progress(ctx);
  progress.Step("reading " + name);
  ParsedBindings parsed =
      ReadBindingsFile(ctx, options.file, FormatOption(options.format));

  WriteBatch batch;
  for (ParsedBinding& p : parsed.bindings) {
    if (options.replace) {
      batch.Put(std::move(p.binding));
    } else {
      batch.Add(std::move(p.binding));
    }
  }
  // A file without bindings changes nothing: the store is not opened.
  size_t failed = kNoFailedOp;
  Status s;
  if (!batch.empty()) {
    Store store = ctx.OpenForChange();
    // An import restores registry contents, which Windows does not check
    // either: certificates are not verified (check reports what is missing).
    const WriteOptions write_options{
        .progress = progress.Counter(ctx.dry_run ? "checking" : "importing")};
    s = ctx.WriteOrCheck(store, batch, write_options, &failed);
  }
  if (!s.ok()) {
    CommandError error = CommandError::Failed(s);
    if (failed != kNoFailedOp) {
      error =
          CommandError::Failed(s.WithContext(parsed.bindings[failed].where));
      if (s.IsAlreadyExists()) {
        error = error.WithNote(
            "nothing was imported; --replace replaces existing bindings");
      } else {
        error = error.WithNote("nothing was imported");
      }
    }
    throw error;
  }

  progress.Clear();
  const size_t count = parsed.bindings.size();
  const std::string format(ExchangeFormatName(parsed.format));
  if (ctx.json) {
    Json j = {{"status", ctx.dry_run ? "dry-run" : "imported"},
              {"format", format},
              {"bindings", count}};
    *ctx.out << JsonText(j) << '\n';
  } else if (ctx.dry_run) {
    *ctx.out << "Dry run: " << count << (count == 1 ? " binding" : " bindings")
             << " from " << name << " (" << format
             << ") can be imported; nothing was written.\n";
  } else {
    *ctx.out << "Imported " << count << (count == 1 ? " binding" : " bindings")
             << " from " << name << " (" << format << ").\n";
  }
  return 0;
}

}  // namespace

void SetupImport(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Add the bindings of a file -- a JSON document, a .reg file or saved "
      "`netsh http show sslcert` output -- in one transaction: all or none.");
  cmd->fallthrough();
  cmd->add_option("FILE", options->file,
                  "The file to read; - reads standard input")
      ->required();
  cmd->add_option("--format", options->format,
                  "json, reg or netsh (default: told from the content)")
      ->check(CLI::IsMember({"json", "reg", "netsh"}, CLI::ignore_case))
      ->type_name("FORMAT");
  cmd->add_flag("--replace", options->replace,
                "Replace bindings whose key exists (default: refuse them with "
                "error 183)");
  HonourOptions(*cmd, ctx, kChangesStore,
                "Check the import against the store without writing it");
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] { return RunImport(ctx, *options); };
  });
}

}  // namespace sslbind::cli
