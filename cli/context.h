// What every command gets: the global options and the way to the store.
#ifndef SSLBIND_CLI_CONTEXT_H_
#define SSLBIND_CLI_CONTEXT_H_

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "sslbind/store.h"

namespace CLI {
class App;
}

namespace sslbind::cli {

struct Context {
  // --store, else $SSLBIND_STORE, else the machine-wide store.
  std::string store_path{kDefaultStorePath};
  // --key-file, else $SSLBIND_KEY_FILE: the farm key of a store in
  // PostgreSQL (docs/farm.md).
  std::string key_file;
  bool json = false;
  // --dry-run: check changes against the store without writing them. Only
  // the commands that change something honour it (HonourOptions in
  // global_options.h); every other command refuses it (error 87), so a dry
  // run never reaches code that writes.
  bool dry_run = false;
  // --no-verify: do not check that the certificates of added and updated
  // bindings are in their stores with private keys.
  bool no_verify = false;
  // --reason TEXT: why, for the journal of every change.
  std::string reason;
  // --expect-revision N: change only if the store is still at revision N.
  std::optional<uint64_t> expect_revision;
  // show --at REV: the bindings as they were after revision REV.
  std::string show_at;
  // What the running command works on and its verb, for netsh's messages
  // ("SSL Certificate add failed, Error: 183"): subject "SSL Certificate",
  // "Certificate" or "Central Certificate Store"; verb "add", "update",
  // "deletion", "show", "import", ...
  std::string subject = "SSL Certificate";
  // Every command sets its verb before it can fail; an error raised by one
  // operation of a command (a script line, a step of a plan) names its own
  // (CommandError::WithVerb), and main() gives these to the others
  // (CommandError::RaisedIn).
  std::string verb = "show";

  std::ostream* out = nullptr;
  std::ostream* err = nullptr;

  // The global options each command honours, as declared with
  // HonourOptions (global_options.h): a bit per GlobalOption.
  std::map<const CLI::App*, uint32_t> honoured_options;
  // Why a command that changes something has no dry run, where it has its
  // own reason (SetDryRunRefusal in global_options.h).
  std::map<const CLI::App*, std::string> dry_run_refusals;

  // Opens the store to read; a store that does not exist yet reads as
  // empty (nullopt). Throws CommandError on any other failure.
  std::optional<Store> OpenForReading() const;
  // Opens the store to write, creating it (and its folders) on first use.
  Store OpenForWriting() const;
  // Opens the store for a dry run (Store::Check): read-only, and a store
  // that does not exist yet is an empty one (and is not created).
  Store OpenForChecking() const;
  // The store a change goes to: OpenForChecking() with dry_run, else
  // OpenForWriting().
  Store OpenForChange() const {
    return dry_run ? OpenForChecking() : OpenForWriting();
  }
  // Store::Check under --dry-run, else Store::Write (and, when it
  // succeeds, sets `committed`); either way with --reason and
  // --expect-revision (WithJournal in journal_options.h). Every command
  // writes through here.
  Status WriteOrCheck(Store& store, const WriteBatch& batch,
                      WriteOptions options = {}, size_t* failed_op = nullptr);
  // The same for a write in pieces (Store::Write with a source).
  Status WriteOrCheck(Store& store, const WriteBatchSource& source,
                      WriteOptions options, size_t* failed_op = nullptr);
  // True once a write of this command has committed: a failure after it
  // (out of memory while printing the result) must not say that nothing
  // was changed.
  bool committed = false;

  // Throws CommandError::Syntax (error 87) naming --dry-run when it was
  // given: for `what` (e.g. "help"), which changes nothing. (Commands are
  // checked before they run: RefuseUnhonoured in global_options.h.)
  void RefuseDryRun(const std::string& what) const;
};

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_CONTEXT_H_
