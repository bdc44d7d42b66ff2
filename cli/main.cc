// sslbind: TLS certificate bindings the way `netsh http ... sslcert` keeps
// them. The process edge: global options, dispatch, and turning failures
// into netsh's messages and the documented exit statuses.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <sstream>

#include "cert_commands.h"
#include "command_error.h"
#include "exit_codes.h"
#include "global_options.h"
#include "iis_commands.h"
#include "image_commands.h"
#include "show_format.h"
#include "sslbind/registry.h"
#include "sslbind/version.h"
#include "sslcert_command.h"

namespace sslbind::cli {

// cmd_replicate.cc
void SetupReplicate(CLI::App& app, Context& ctx, Action& action);

namespace {

constexpr const char* kSyntaxLine =
    "The syntax supplied for this command is not valid. Check help for the "
    "correct syntax.\n";

// The options whose next argument is their value (a file name may be
// "help" or "http").
bool TakesValue(const std::string& arg) {
  if (IsGlobalOptionWithValue(arg)) return true;
  for (const char* option : {"-f", "--file", "-o", "--output", "--format"}) {
    if (arg == option) return true;
  }
  return false;
}

// True if `flag` is one of the options of `args` (not the value of another
// option). Help and parse errors are reported before every flag is bound,
// so they look at the words themselves.
bool HasFlag(const std::vector<std::string>& args, const std::string& flag) {
  for (size_t i = 1; i < args.size(); ++i) {
    if (TakesValue(args[i])) {
      ++i;
    } else if (args[i] == flag) {
      return true;
    }
  }
  return false;
}

// The command that was parsed, e.g. the `sslcert` of `show sslcert`; `app`
// itself for -f.
const CLI::App* ParsedCommand(const CLI::App& app) {
  const CLI::App* command = &app;
  while (!command->get_subcommands().empty()) {
    command = command->get_subcommands().front();
  }
  return command;
}

// Makes netsh lines paste in: drops a leading "http" or "netsh http"
// (`sslbind netsh http add sslcert ...`) and turns netsh's "help", "?", "/?"
// and "-?" words into --help (after sslcert, into "?" for the command).
std::vector<std::string> NormalizeArgs(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  bool first_word = true;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (TakesValue(a)) {
      ++i;
      continue;
    }
    // netsh's -? and /? ask for help like ?.
    if (a == "-?" || a == "/?") args[i] = "?";
    if (!args[i].empty() && args[i][0] == '-') continue;
    std::string folded = sslbind::FoldCase(args[i]);
    // "netsh http ..." as copied from a runbook: both words go.
    if (first_word && folded == "netsh" && i + 1 < args.size() &&
        sslbind::FoldCase(args[i + 1]) == "http") {
      args.erase(args.begin() + static_cast<long>(i));
      folded = "http";
    }
    if (first_word && folded == "http") {
      args.erase(args.begin() + static_cast<long>(i));
      --i;
      first_word = false;
      continue;
    }
    first_word = false;
    // "help" after "sslcert" is left for the command (it prints the usage).
    if ((folded == "help" || a == "?") &&
        (i < 2 || sslbind::FoldCase(args[i - 1]) != "sslcert")) {
      args[i] = "--help";
    }
  }
  return args;
}

// CLI11 says "A subcommand is required" for `sslbind frobnicate`; name the
// word that is wrong instead.
std::string ExplainParseError(const CLI::App& app, const CLI::ParseError& e,
                              const std::vector<std::string>& args) {
  std::vector<std::string> words;
  for (size_t i = 1; i < args.size(); ++i) {
    if (TakesValue(args[i])) {
      ++i;
    } else if (!args[i].empty() && args[i][0] != '-') {
      words.push_back(args[i]);
    }
  }
  if (words.empty()) return "give a command, e.g. `sslbind show sslcert`";
  const CLI::App* verb = nullptr;
  try {
    verb = app.get_subcommand(words[0]);
  } catch (const CLI::OptionNotFound&) {
    return "'" + words[0] + "' is not a command; see `sslbind --help`";
  }
  if (words.size() == 1 && !verb->get_subcommands({}).empty()) {
    return "'" + words[0] + "' needs an object, e.g. `sslbind " + words[0] +
           " " + verb->get_subcommands({})[0]->get_name() + "`";
  }
  if (words.size() > 1 && !verb->get_subcommands({}).empty()) {
    try {
      verb->get_subcommand(words[1]);
    } catch (const CLI::OptionNotFound&) {
      return "'" + words[0] + " " + words[1] +
             "' is not a command; see `sslbind " + words[0] + " --help`";
    }
  }
  return e.what();
}

// Prints `error` as netsh would, naming the subject and verb it was raised
// with (else the running command's).
void PrintCommandError(const Context& ctx, const CommandError& error) {
  const CommandError e = error.RaisedIn(ctx.subject, ctx.verb);
  const Status& status = e.status();
  if (ctx.json) {
    Json j = {
        {"error", {{"win32", status.win32()}, {"message", status.message()}}}};
    *ctx.out << JsonText(j) << '\n';
    return;
  }
  std::ostream& err = *ctx.err;
  if (!e.place().empty() && e.kind() != CommandError::Kind::kInput) {
    err << e.place() << ": ";
  }
  // With a usage to follow, the line naming the cause comes first, so that
  // it is not lost above a screen of usage.
  const bool cause_first = (e.kind() == CommandError::Kind::kSyntax ||
                            e.kind() == CommandError::Kind::kMissing) &&
                           !e.usage().empty();
  if (cause_first) err << "sslbind: " << status.message() << '\n';
  switch (e.kind()) {
    case CommandError::Kind::kMissing:
      err << "One or more essential parameters were not entered.\n"
             "Verify the required parameters, and reenter them.\n";
      [[fallthrough]];
    case CommandError::Kind::kSyntax:
      err << kSyntaxLine;
      if (!e.usage().empty()) {
        if (e.usage().front() != '\n') err << '\n';  // netsh's blank line
        err << e.usage();
      }
      break;
    case CommandError::Kind::kFailed:
      err << e.subject() << ' ' << e.verb()
          << " failed, Error: " << status.win32() << '\n'
          << Win32Message(status.win32()) << '\n';
      break;
    case CommandError::Kind::kInput: break;
  }
  if (!cause_first) err << "sslbind: " << status.message() << '\n';
  if (!e.note().empty()) err << "sslbind: " << e.note() << '\n';
}

int Main(int argc, char** argv) {
  Context ctx;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  Action action;

  CLI::App app{
      "sslbind keeps TLS certificate bindings the way Windows HTTP.sys does,\n"
      "with the commands of `netsh http add|update|delete|show sslcert`.",
      "sslbind"};
  AddGlobalOptions(app, ctx);
  app.set_version_flag("--version", std::string("sslbind ") + Version());
  app.require_subcommand(0, 1);  // none with -f (SetupScript checks)
  app.footer(
      "The words `netsh http` or `http` may come first, so that netsh lines\n"
      "paste in whole:\n"
      "  sslbind netsh http add sslcert ipport=0.0.0.0:443 certhash=... "
      "appid={...}\n"
      "Exit status: 0 success, 1 internal error or out of memory, 2 bad "
      "input (87),\n"
      "3 not found (2), 4 exists (183), 5 certificate unusable (1312),\n"
      "6 access denied (5), 7 store busy, 8 store error, 9 in use (32),\n"
      "10 changes pending (apply --check), findings (check) or an image\n"
      "not current (image show),\n"
      "11 the store moved past --expect-revision (1306).");
  SetupAdd(app, ctx, action);
  SetupUpdate(app, ctx, action);
  SetupDelete(app, ctx, action);
  SetupShow(app, ctx, action);
  SetupCertImport(app, ctx, action);
  SetupCertShow(app, ctx, action);
  SetupCertDelete(app, ctx, action);
  SetupCcsEnable(app, ctx, action);
  SetupCcsShow(app, ctx, action);
  SetupCcsDisable(app, ctx, action);
  SetupResolve(app, ctx, action);
  SetupCheck(app, ctx, action);
  SetupScript(app, ctx, action);
  SetupApply(app, ctx, action);
  SetupExport(app, ctx, action);
  SetupImport(app, ctx, action);
  SetupIisShow(app, ctx, action);
  SetupIisCheck(app, ctx, action);
  SetupIisSync(app, ctx, action);
  SetupImageBuild(app, ctx, action);
  SetupImageShow(app, ctx, action);
  SetupImageRemove(app, ctx, action);
  SetupJournalCommands(app, ctx, action);
  SetupKeygen(app, ctx, action);
  SetupReplicate(app, ctx, action);

  // `sslbind --list-global-options`, alone: the global options each command
  // honours, for tests/cli/global_options_test.sh (not in --help).
  if (argc == 2 && std::strcmp(argv[1], "--list-global-options") == 0) {
    *ctx.out << GlobalOptionTable(app, ctx);
    return kExitOk;
  }
  std::vector<std::string> args = NormalizeArgs(argc, argv);
  std::vector<char*> argv2;
  for (std::string& a : args) argv2.push_back(a.data());
  // Set before parsing, so that help and parse errors see them too.
  ctx.json = HasFlag(args, "--json");
  ctx.dry_run = HasFlag(args, "--dry-run");
  try {
    app.parse(static_cast<int>(argv2.size()), argv2.data());
  } catch (const CLI::ParseError& e) {
    const bool help = dynamic_cast<const CLI::CallForHelp*>(&e) != nullptr ||
                      dynamic_cast<const CLI::CallForAllHelp*>(&e) != nullptr;
    const bool version =
        dynamic_cast<const CLI::CallForVersion*>(&e) != nullptr;
    if ((help || version) && ctx.dry_run) {
      try {
        ctx.RefuseDryRun(help ? "--help" : "--version");
      } catch (const CommandError& refused) {
        PrintCommandError(ctx, refused);
        return kExitBadInput;
      }
    }
    if (help || version) {
      if (!ctx.json) return app.exit(e);
      std::ostringstream text;
      std::ostringstream ignored;
      int status = app.exit(e, text, ignored);
      *ctx.out << JsonText(Json{
                      {help ? "help" : "version",
                       version ? text.str().substr(0, text.str().find('\n'))
                               : text.str()}})
               << '\n';
      return status;
    }
    std::string detail = ExplainParseError(app, e, args);
    if (ctx.json) {
      PrintCommandError(ctx, CommandError::Syntax(detail, ""));
    } else {
      std::cerr << kSyntaxLine << "sslbind: " << detail << '\n';
    }
    return kExitBadInput;
  }

  ApplyEnvironment(app, ctx);
  try {
    RefuseUnhonoured(app, *ParsedCommand(app), ctx);
    return action ? action() : kExitOk;
  } catch (const CommandError& e) {
    PrintCommandError(ctx, e);
    return ExitCodeFor(e.status());
  } catch (const std::bad_alloc&) {
    // Out of memory is a failure of the command that ran (exit 1), never
    // success: nothing was committed, as a write commits last.
    PrintCommandError(
        ctx, CommandError::Failed(Status::Internal("out of memory"))
                 .WithNote(ctx.committed ? "the change was written; only "
                                           "its report failed"
                                         : "nothing was changed"));
    return kExitInternal;
  } catch (const std::exception& e) {
    CommandError error = CommandError::Failed(Status::Internal(e.what()));
    if (ctx.committed) {
      error = error.WithNote("the change was written; only its report failed");
    }
    PrintCommandError(ctx, error);
    return kExitInternal;
  }
}

// The last resort when even reporting a failure failed (out of memory while
// printing): a fixed line, no allocation.
int ReportUnprintableFailure(int argc, char** argv) {
  bool json = false;
  for (int i = 1; i < argc; ++i)
    json = json || std::strcmp(argv[i], "--json") == 0;
  if (json) {
    std::fputs(
        "{\"error\":{\"win32\":1359,\"message\":\"internal error while "
        "reporting the result (out of memory?)\"}}\n",
        stdout);
  } else {
    std::fputs(
        "sslbind: internal error while reporting the result (out of "
        "memory?)\n",
        stderr);
  }
  std::fflush(stdout);
  return kExitInternal;
}

}  // namespace
}  // namespace sslbind::cli

// Nothing throws out of main: every failure is a documented exit status.
int main(int argc, char** argv) {
  try {
    return sslbind::cli::Main(argc, argv);
  } catch (...) {
    return sslbind::cli::ReportUnprintableFailure(argc, argv);
  }
}
