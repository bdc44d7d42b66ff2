// The global options -- --json, --store, --key-file, --dry-run, --no-verify,
// --reason, --expect-revision -- declared once, and which command honours
// which of them.
//
// A global option may be given before the command or after it
// (`sslbind --dry-run add sslcert ...`, `sslbind add sslcert ... --dry-run`).
// Every command declares the ones it honours with HonourOptions; main()
// refuses any other one that was given on the command line (error 87, exit
// status 2) before the command runs, naming the option and the command:
// `sslbind show sslcert --no-verify` fails rather than ignoring it. A value
// from the environment ($SSLBIND_STORE, $SSLBIND_KEY_FILE) is not "given":
// it is used where it means something and ignored elsewhere.
#ifndef SSLBIND_CLI_GLOBAL_OPTIONS_H_
#define SSLBIND_CLI_GLOBAL_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "context.h"

namespace sslbind::cli {

enum class GlobalOption : uint8_t {
  kJson,            // --json: results and errors as one JSON object
  kStore,           // --store FILE
  kKeyFile,         // --key-file FILE
  kDryRun,          // --dry-run: check the change, write nothing
  kNoVerify,        // --no-verify: do not check the bindings' certificates
  kReason,          // --reason TEXT: for the journal
  kExpectRevision,  // --expect-revision N
};

// A set of global options (a bit per GlobalOption).
using GlobalSet = uint32_t;
constexpr GlobalSet Bit(GlobalOption option) {
  return GlobalSet{1} << static_cast<unsigned>(option);
}

// The usual sets. Every command prints JSON on request.
// A command that opens no store (keygen).
inline constexpr GlobalSet kOpensNoStore = Bit(GlobalOption::kJson);
// A command that reads the store (show, check, export, history, ...): the
// default of a command that declares nothing.
inline constexpr GlobalSet kReadsStore = kOpensNoStore |
                                         Bit(GlobalOption::kStore) |
                                         Bit(GlobalOption::kKeyFile);
// A command that changes the store through Context::WriteOrCheck (delete,
// import, cert import|delete, ccs enable|disable): a dry run, and the
// journal's reason and expected revision.
inline constexpr GlobalSet kChangesStore =
    kReadsStore | Bit(GlobalOption::kDryRun) | Bit(GlobalOption::kReason) |
    Bit(GlobalOption::kExpectRevision);
// A change that adds or updates bindings and checks their certificates
// (add, update, -f, apply, iis sync, rollback).
inline constexpr GlobalSet kChangesBindings =
    kChangesStore | Bit(GlobalOption::kNoVerify);

// Adds every global option to the main app, bound to `ctx`, with its help.
void AddGlobalOptions(CLI::App& app, Context& ctx);

// Declares that `command` honours exactly the global options of `honoured`
// (`command` may be the main app itself: -f). --dry-run and --no-verify, when
// honoured, are also listed in the command's own --help; `dry_run_help`
// describes --dry-run there. A command that honours --dry-run must then
// change nothing on disk under it: a change to the store opens it with
// Context::OpenForChange and writes with Context::WriteOrCheck (`image
// build|remove`, which change only the file beside it, skip their write).
void HonourOptions(
    CLI::App& command, Context& ctx, GlobalSet honoured,
    const std::string& dry_run_help =
        "Check the change against the store; write nothing");

// Gives `command`'s refusal of --dry-run its own reason, for a command that
// changes something but has no dry run: "--dry-run: `keygen` <why>; leave
// --dry-run out". Without one the refusal says that the command changes
// nothing.
void SetDryRunRefusal(CLI::App& command, Context& ctx, std::string why);

// The global options `command` honours: its declaration, else kReadsStore.
GlobalSet HonouredOptions(const Context& ctx, const CLI::App& command);

// Throws CommandError::Syntax (error 87) naming the first global option
// given on the command line that `command` (the parsed command of `app`)
// does not honour, and the command.
void RefuseUnhonoured(const CLI::App& app, const CLI::App& command,
                      const Context& ctx);

// Sets the store and the key file from $SSLBIND_STORE and $SSLBIND_KEY_FILE
// where the command line of `app` gave none.
void ApplyEnvironment(const CLI::App& app, Context& ctx);

// The error for `option` given to `what` (a command's words in backquotes,
// or "--help"), which does not honour it: "--dry-run: `show sslcert`
// changes nothing, so it has no dry run; leave --dry-run out".
std::string RefusalMessage(GlobalOption option, const std::string& what);

// True if `arg` is a global option whose value is the next argument
// (--store, --key-file, --reason, --expect-revision).
bool IsGlobalOptionWithValue(std::string_view arg);

// "`show sslcert`", "`cert show`", "-f": the words of a parsed command.
std::string CommandWords(const CLI::App& app, const CLI::App& command);

// One line per command of `app` (the main app stands for -f), its words and
// the global options it honours: "show sslcert: --json --store --key-file".
// For tests (tests/cli/global_options_test.sh), through the hidden option
// --list-global-options.
std::string GlobalOptionTable(const CLI::App& app, const Context& ctx);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_GLOBAL_OPTIONS_H_
