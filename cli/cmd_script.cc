// sslbind -f FILE [--dry-run]: a script of netsh lines, run as one
// transaction.
//
// Each line is `[netsh] [http] add|update|delete sslcert PARAM...`,
// checked exactly as the command would be (netsh_line.h); blank lines and
// lines starting with '#' are skipped, and so are netsh's context lines
// (`pushd http`, `popd`, a bare `http`); `exit`, `quit` or `bye` ends the
// script, as in netsh (the lines after it are not read). All changes go into
// one WriteBatch: if any line fails -- to parse, or against the store --
// nothing is written, and the error names the line. `show` lines are refused:
// in one transaction a show could only print the state after the whole script,
// not at its line, which would mislead.
#include <memory>
#include <new>
#include <optional>

#include "cert_warnings.h"
#include "command_error.h"
#include "file_io.h"
#include "line_reader.h"
#include "netsh_args.h"
#include "netsh_line.h"
#include "progress.h"
#include "show_format.h"
#include "sslbind/exchange.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

struct ScriptOp {
  size_t line;
  ChangeVerb verb;
};

// A CommandError of line `n` of the script: "line 3: " before netsh's
// words and "FILE:3: " before the detail.
CommandError AtLine(const CommandError& e, const std::string& file, size_t n) {
  return CommandError(e.kind(),
                      e.status().WithContext(file + ":" + std::to_string(n)))
      .RaisedIn(e.subject(), e.verb())
      .AtPlace("line " + std::to_string(n))
      .WithNote("nothing was changed: the script is one transaction");
}

enum class LineKind { kSkip, kChange, kExit };

// A line of netsh's own that moves between contexts: `pushd http`, `popd`,
// a bare `http`; kExit for `exit`, `quit` and `bye`. nullopt for any other.
std::optional<LineKind> ContextLine(const std::vector<std::string>& words,
                                    size_t i) {
  const size_t n = words.size() - i;
  const std::string first = FoldCase(words[i]);
  if (n == 1 && (first == "http" || first == "popd")) return LineKind::kSkip;
  if (n == 1 && (first == "exit" || first == "quit" || first == "bye")) {
    return LineKind::kExit;
  }
  if (first == "pushd") {
    if (n == 2 && FoldCase(words[i + 1]) == "http") return LineKind::kSkip;
    throw CommandError::Syntax(
        "only the http context is supported (pushd http), not " +
            QuoteForMessage(n > 1 ? words[i + 1] : std::string()),
        "");
  }
  return std::nullopt;
}

// Parses one script line into the batch: kSkip for a blank, comment or
// context line, kExit for the end of the script.
LineKind ParseLine(std::string_view line, WriteBatch* batch, ChangeVerb* verb,
                   std::vector<std::string>* warnings) {
  line = line.substr(0, line.find_last_not_of(" \t\r") + 1);
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos || line[start] == '#') {
    return LineKind::kSkip;
  }
  std::vector<std::string> words = SplitNetshLine(line.substr(start));
  size_t i = 0;
  if (i < words.size() && FoldCase(words[i]) == "netsh") ++i;
  if (i < words.size()) {
    if (std::optional<LineKind> kind = ContextLine(words, i)) return *kind;
  }
  if (i < words.size() && FoldCase(words[i]) == "http") ++i;
  if (i == words.size()) {
    throw CommandError::Syntax("the line has no command", "");
  }
  const std::string& word = words[i];
  std::optional<ChangeVerb> parsed = ParseChangeVerb(word);
  if (!parsed) {
    if (FoldCase(word) == "show") {
      throw CommandError::Syntax(
          "show is not run in a script: the script is one transaction, so "
          "a show could only print the state after all of it; run `sslbind "
          "show sslcert` after the script",
          "");
    }
    throw CommandError::Syntax(QuoteForMessage(word) +
                                   " is not a command of a script (add, "
                                   "update or delete sslcert; pushd http, "
                                   "popd, http, exit)",
                               "");
  }
  *verb = *parsed;
  if (i + 1 == words.size() || FoldCase(words[i + 1]) != "sslcert") {
    std::string what = i + 1 < words.size() ? " " + words[i + 1] : "";
    throw CommandError::Syntax(
        "only sslcert lines are supported, not '" + word + what + "'", "");
  }
  std::vector<std::string> tokens(words.begin() + static_cast<long>(i + 2),
                                  words.end());
  if (IsHelpRequest(tokens)) {
    throw CommandError::Syntax("help is not a change", "");
  }
  AppendChange(*verb, tokens, batch, warnings);
  return LineKind::kChange;
}

int RunScript(Context& ctx, const std::string& path) {
  ctx.verb = "script";
  const std::string name = InputName(path);
  // Read line by line: memory holds one line and the changes, never the
  // blank lines and comments around them.
  LineReader reader(path);
  WriteBatch batch;
  std::vector<ScriptOp> ops;
  std::vector<std::string> line_warnings;  // "FILE:N: certhash: ..."
  std::string line;
  ChangeVerb verb = ChangeVerb::kAdd;
  try {
    while (reader.Next(&line)) {
      const size_t n = reader.line_number();
      LineKind kind = LineKind::kSkip;
      std::vector<std::string> warnings;
      try {
        kind = ParseLine(line, &batch, &verb, &warnings);
      } catch (const CommandError& e) {
        throw AtLine(e.WithVerb(NetshVerb(verb)), name, n);
      }
      for (const std::string& w : warnings) {
        line_warnings.push_back(name + ":" + std::to_string(n) + ": " + w);
        PrintWarnings(ctx, {line_warnings.back()});
      }
      if (kind == LineKind::kExit) break;  // as netsh, the rest is not read
      if (kind == LineKind::kSkip) continue;
      ops.push_back({n, verb});
    }
  } catch (const std::bad_alloc&) {
    // Never "holds no changes" for a script that did not fit in memory.
    batch = WriteBatch();
    ops = {};
    throw AtLine(CommandError::Failed(Status::Internal("out of memory"))
                     .WithVerb(NetshVerb(verb)),
                 name, reader.line_number());
  }

  if (ops.empty()) {
    // Nothing to write: the store is not even opened.
    if (ctx.json) {
      *ctx.out << JsonText(Json{{"status", "no-changes"},
                                {"changes", Json::array()}})
               << '\n';
    } else {
      *ctx.out << name << " holds no changes.\n";
    }
    return 0;
  }
  Store store = ctx.OpenForChange();
  size_t failed = kNoFailedOp;
  Status s;
  {
    Progress progress(ctx);
    const WriteOptions options{
        .verify_certificates = !ctx.no_verify,
        .progress = progress.Counter(ctx.dry_run ? "checking" : "writing")};
    s = ctx.WriteOrCheck(store, batch, options, &failed);
  }
  if (!s.ok()) {
    if (failed == kNoFailedOp) throw CommandError::Failed(s);
    throw AtLine(CommandError::Failed(s).WithVerb(NetshVerb(ops[failed].verb)),
                 name, ops[failed].line);
  }

  static constexpr const char* kDone[] = {"added", "updated", "deleted"};
  std::vector<std::string> found;
  if (!ctx.dry_run && !ctx.no_verify) found = CertificateWarnings(store, batch);
  if (ctx.json) {
    Json changes = Json::array();
    for (size_t i = 0; i < ops.size(); ++i) {
      changes.push_back({{"line", ops[i].line},
                         {"status", kDone[static_cast<int>(ops[i].verb)]},
                         {"key", KeyToJson(*batch.ops()[i].key)}});
    }
    Json j = {{"status", ctx.dry_run ? "dry-run" : "applied"},
              {"changes", std::move(changes)}};
    line_warnings.insert(line_warnings.end(), found.begin(), found.end());
    AddJsonWarnings(j, line_warnings);
    *ctx.out << JsonText(j) << '\n';
  } else if (ctx.dry_run) {
    *ctx.out << "Dry run: "
             << (ops.size() == 1
                     ? std::string("the 1 change")
                     : "all " + std::to_string(ops.size()) + " changes")
             << " of " << name << " would succeed; nothing was written.\n";
  } else {
    std::string out;
    for (const ScriptOp& op : ops) {
      out += "SSL Certificate successfully ";
      out += kDone[static_cast<int>(op.verb)];
      out += '\n';
    }
    *ctx.out << out;
  }
  PrintWarnings(ctx, found);
  return 0;
}

}  // namespace

void SetupScript(CLI::App& app, Context& ctx, Action& action) {
  auto file = std::make_shared<std::string>();
  app.add_option("-f,--file", *file,
                 "Run a script of netsh lines (add, update and delete "
                 "sslcert) as one transaction; - reads standard input")
      ->type_name("FILE");
  // -f is the main app's own command: it honours what add, update and
  // delete do.
  HonourOptions(app, ctx, kChangesBindings);
  app.final_callback([&app, &ctx, &action, file] {
    if (file->empty()) {
      if (app.get_subcommands().empty()) {
        throw CLI::RequiredError("a command, or -f FILE");
      }
      return;
    }
    if (!app.get_subcommands().empty()) {
      throw CLI::ValidationError("-f",
                                 "-f runs a script; give no command with it");
    }
    action = [&ctx, file] { return RunScript(ctx, *file); };
  });
}

}  // namespace sslbind::cli
