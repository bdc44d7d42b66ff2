// sslbind import FILE|- [--format json|reg|netsh] [--replace] [--dry-run]:
// adds the bindings of a file in one transaction -- all of them or none.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// Operations handed to the store at a time.
constexpr size_t kPieceOps = 4096;

// One reading of the file, writing its bindings to `write` as they come
// (none without it). The store may read the file more than once (a
// transaction run again), each time afresh.
class ImportReading {
 public:
  ImportReading(const InputMap& input, const std::string& name,
                const ReadBindingsOptions& options, bool replace)
      : input_(input), name_(name), options_(options), replace_(replace) {}

  // Reads the file through; returns the malformed file's status, or the
  // failure of an operation `write` applied, or OK. `stop_at_first`: stop
  // at the first binding (stopped() then tells whether there was one).
  Status Run(const WriteBatchSink* write, bool stop_at_first = false) {
    write_ = write;
    malformed_ = Status::Ok();
    write_failure_ = Status::Ok();
    stopped_ = false;
    count_ = 0;
    piece_.Clear();
    wheres_.clear();
    written_ = 0;
    auto visit = [&](ParsedBinding&& p) {
      if (stop_at_first) {
        stopped_ = true;
        return Status::Internal("stopped at the first binding");
      }
      ++count_;
      if (!write_ || !write_failure_.ok()) return Status::Ok();
      if (replace_) {
        piece_.Put(std::move(p.binding));
      } else {
        piece_.Add(std::move(p.binding));
      }
      wheres_.push_back(std::move(p.where));
      if (piece_.size() >= kPieceOps) Flush();
      return Status::Ok();
    };
    Result<BindingsFileInfo> info =
        ReadBindings(input_.bytes(), name_, visit, options_);
    if (stopped_) return Status::Ok();
    if (!info.ok()) {
      malformed_ = info.status();
      return malformed_;
    }
    info_ = std::move(*info);
    if (write_ && write_failure_.ok() && !piece_.empty()) Flush();
    return write_failure_;
  }

  const Status& malformed() const { return malformed_; }
  bool stopped() const { return stopped_; }
  // How far the current Run has got, from 0 to 100: of the file read up to
  // `read_up_to`.
  size_t Percent(size_t read_up_to) const {
    const size_t total = input_.bytes().size();
    return total == 0 ? 100 : std::min(read_up_to, total) * 100 / total;
  }
  size_t count() const { return count_; }
  const BindingsFileInfo& info() const { return info_; }
  // Where the binding of operation `op` (an index over every piece) was
  // read; after a failed write only.
  std::string WhereOf(size_t op) const {
    return op >= written_ && op - written_ < wheres_.size()
               ? wheres_[op - written_]
               : name_;
  }

 private:
  void Flush() {
    Status s = (*write_)(piece_);
    if (!s.ok()) {
      write_failure_ = s;  // the piece and its places stay for WhereOf
      return;
    }
    written_ += piece_.size();
    piece_.Clear();
    wheres_.clear();
  }

  const InputMap& input_;
  const std::string& name_;
  const ReadBindingsOptions& options_;
  const bool replace_;
  const WriteBatchSink* write_ = nullptr;
  Status malformed_;
  Status write_failure_;
  bool stopped_ = false;
  size_t count_ = 0;
  BindingsFileInfo info_;
  WriteBatch piece_;
  std::vector<std::string> wheres_;  // of the operations in piece_
  size_t written_ = 0;               // operations of earlier pieces
};

int RunImport(Context& ctx, const ImportOptions& options) {
  ctx.verb = "add";
  const std::string name = InputName(options.file);
  Progress progress(ctx);
  progress.Step("reading " + name);
  InputMap input(options.file);
  size_t read_up_to = 0;  // of the file, for the progress
  ReadBindingsOptions read_options{
      .format = FormatOption(options.format),
      .consumed = [&input, &read_up_to](size_t offset) {
        input.Release(offset);
        read_up_to = offset;
      }};
  // Every format streams: the file is read again for each pass.
  ImportReading reading(input, name, read_options, options.replace);

  // A file without bindings changes nothing: the store is not opened. Nor
  // is a store created for a malformed file: if there is none yet, the
  // file is read through once before.
  Status s = reading.Run(nullptr, /*stop_at_first=*/true);
  if (!s.ok()) ThrowMalformed(s);
  const bool any = reading.stopped();
  if (any && !ctx.dry_run && !ctx.OpenForReading()) {
    s = reading.Run(nullptr);
    if (!s.ok()) ThrowMalformed(s);
  }
  size_t failed = kNoFailedOp;
  if (any) {
    Store store = ctx.OpenForChange();
    // An import restores registry contents, which Windows does not check
    // either: certificates are not verified (check reports what is missing).
    const WriteOptions write_options{
        .progress =
            progress.Counter(ctx.dry_run ? "checking" : "importing",
                             [&] { return reading.Percent(read_up_to); })};
    s = ctx.WriteOrCheck(
        store,
        [&reading](const WriteBatchSink& write) { return reading.Run(&write); },
        write_options, &failed);
    // A malformed file is told before the failure of a binding in it.
    if (!reading.malformed().ok()) ThrowMalformed(reading.malformed());
  }
  PrintNotes(ctx, reading.info().notes);
  if (!s.ok()) {
    CommandError error = CommandError::Failed(s);
    if (failed != kNoFailedOp) {
      error = CommandError::Failed(s.WithContext(reading.WhereOf(failed)));
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
  const size_t count = reading.count();
  const std::string format(ExchangeFormatName(reading.info().format));
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
