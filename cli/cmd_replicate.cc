// sslbind replicate --from SOURCE [--store LOCAL] [--once]: keeps the local
// store an exact copy of a store in PostgreSQL (docs/farm.md, "Replicas"),
// one line per revision it takes ({"revision":N,...} lines with --json),
// until SIGINT or SIGTERM; --once catches up and exits.
#include <signal.h>

#include <atomic>
#include <iomanip>
#include <iostream>

#include "command_error.h"
#include "context.h"
#include "global_options.h"
#include "show_format.h"
#include "sslbind/replica.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

std::atomic<bool> stop_requested{false};

void RequestStop(int) { stop_requested = true; }

// SIGINT and SIGTERM end the run; they interrupt a wait (no SA_RESTART).
void CatchStopSignals() {
  struct sigaction action {};
  action.sa_handler = RequestStop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void PrintApplied(const Context& ctx, const ReplicaApplied& applied) {
  if (ctx.json) {
    Json line{{"revision", applied.revision},
              {"snapshot", applied.snapshot},
              {"keys", applied.keys},
              {"source_time_ms", applied.source_time_ms},
              {"applied_time_ms", applied.applied_time_ms}};
    if (applied.snapshot) line["source_time_ms"] = nullptr;
    *ctx.out << JsonText(line) << std::endl;
  } else if (applied.snapshot) {
    *ctx.out << "revision " << applied.revision
             << ": copied the source's state (" << applied.keys << " keys)"
             << std::endl;
  } else {
    *ctx.out << "revision " << applied.revision << ": " << applied.keys
             << (applied.keys == 1 ? " key" : " keys") << " changed"
             << std::endl;
  }
}

struct ReplicateOptions {
  std::string from;
  bool once = false;
};

int RunReplicate(Context& ctx, const ReplicateOptions& options) {
  ctx.subject = "Replica";
  ctx.verb = "replicate";
  ReplicaOptions replica_options;
  replica_options.key_file = ctx.key_file;
  Result<Replica> replica =
      Replica::Open(options.from, ctx.store_path, replica_options);
  if (!replica.ok()) throw CommandError::Failed(replica.status());
  auto applied = [&ctx](const ReplicaApplied& a) { PrintApplied(ctx, a); };
  if (options.once) {
    Status s = replica->Connect();
    if (!s.ok()) throw CommandError::Failed(s);
    Result<uint64_t> revision = replica->CatchUp(applied);
    if (!revision.ok()) throw CommandError::Failed(revision.status());
    return 0;
  }
  CatchStopSignals();
  ReplicaEvents events;
  events.applied = applied;
  const std::string source = replica->source();
  events.source_lost = [&ctx, source](const Status& why, int retry_in_ms) {
    *ctx.err << "sslbind: the source '" << source
             << "' failed, serving the last revision; retrying in "
             << std::fixed << std::setprecision(1) << retry_in_ms / 1000.0
             << " s: " << why.message() << std::endl;
  };
  events.source_back = [&ctx, source] {
    *ctx.err << "sslbind: the source '" << source << "' is back" << std::endl;
  };
  Status s = replica->Run(events, stop_requested);
  if (!s.ok()) throw CommandError::Failed(s);
  return 0;
}

}  // namespace

void SetupReplicate(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "replicate",
      "Keep the local store (--store, a file) an exact copy of the store in "
      "PostgreSQL SOURCE: apply its revisions as they are committed, one "
      "line per revision, until stopped (SIGINT, SIGTERM). The local store "
      "then refuses every other change (error 5).");
  static ReplicateOptions options;
  cmd->add_option("--from", options.from,
                  "The store to copy, a PostgreSQL URI "
                  "(postgresql://user@host/db?...)")
      ->type_name("SOURCE")
      ->required();
  cmd->add_flag("--once", options.once, "Catch up with the source and exit");
  cmd->fallthrough();
  SetDryRunRefusal(*cmd, ctx,
                   "has no dry run: it makes the store a copy of its source, "
                   "revision by revision");
  cmd->callback([&ctx, &action] {
    action = [&ctx] { return RunReplicate(ctx, options); };
  });
}

}  // namespace sslbind::cli
