// sslbind history [KEY] [--since REV|--since-time TIME] [--limit N]
// [--compact-before REV]: the journal, newest revision first -- per
// revision who, when, which command and why, and what it changed in
// apply's words -- or {"revisions":[...]}. With a key, only the revisions
// that changed that binding. --compact-before drops the older records.
#include <memory>

#include "command_error.h"
#include "global_options.h"
#include "journal_commands.h"
#include "journal_format.h"
#include "show_format.h"

namespace sslbind::cli {
namespace {

struct HistoryOptions {
  std::string key;
  std::string since;
  std::string since_time;
  std::string limit;
  std::string compact_before;
};

BindingKey ParseKeyArg(const std::string& text) {
  size_t eq = text.find('=');
  Result<BindingKey> key =
      eq == std::string::npos
          ? Result<BindingKey>(Status::InvalidArgument(
                "'" + text.substr(0, 60) +
                "' is not a binding key such as ipport=0.0.0.0:443"))
          : BindingKey::ParseParam(std::string_view(text).substr(0, eq),
                                   std::string_view(text).substr(eq + 1));
  if (!key.ok()) throw CommandError::Input(key.status());
  return *key;
}

int RunCompact(Context& ctx, uint64_t before) {
  ctx.verb = "compaction";
  Store store = ctx.OpenForWriting();
  Status s = CompactJournal(store, before);
  if (!s.ok()) throw CommandError::Failed(s);
  Result<uint64_t> oldest = OldestRevision(store);
  if (!oldest.ok()) throw CommandError::Failed(oldest.status());
  if (ctx.json) {
    *ctx.out << JsonText(
                    Json{{"status", "compacted"}, {"oldest_revision", *oldest}})
             << '\n';
  } else {
    *ctx.out << "Dropped the journal before revision " << before
             << "; the oldest revision kept is " << *oldest << ".\n";
  }
  return 0;
}

int RunHistory(Context& ctx, const HistoryOptions& options) {
  ctx.subject = "Journal";
  ctx.verb = "show";
  if (!options.compact_before.empty()) {
    return RunCompact(ctx,
                      RevisionArg("--compact-before", options.compact_before));
  }
  HistoryQuery query;
  if (!options.key.empty()) query.key = ParseKeyArg(options.key);
  if (!options.since.empty()) {
    query.since_revision = RevisionArg("--since", options.since);
  }
  if (!options.since_time.empty()) {
    query.since_time_ms = ParseUtcTime(options.since_time);
    if (!query.since_time_ms) {
      throw CommandError::Input(Status::InvalidArgument(
          "--since-time: '" + options.since_time.substr(0, 40) +
          "' is not a UTC time such as 2026-11-30 or 2026-11-30T02:15:00Z"));
    }
  }
  if (!options.limit.empty()) {
    query.limit = RevisionArg("--limit", options.limit);
  }
  std::vector<RevisionRecord> records;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Result<std::vector<RevisionRecord>> read = ReadHistory(*store, query);
    if (!read.ok()) throw CommandError::Failed(read.status());
    records = std::move(*read);
  }
  if (ctx.json) {
    Json list = Json::array();
    for (const RevisionRecord& r : records) list.push_back(RevisionJson(r));
    // The journal holds what writers gave it (a reason, a command line):
    // bytes that are not UTF-8 print as U+FFFD instead of failing.
    *ctx.out << JsonText(Json{{"revisions", std::move(list)}}) << '\n';
  } else {
    std::string out;
    for (const RevisionRecord& r : records) out += RevisionText(r);
    *ctx.out << out;
  }
  return 0;
}

}  // namespace

void SetupHistory(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<HistoryOptions>();
  CLI::App* cmd = app.add_subcommand(
      "history",
      "Show the journal, newest revision first: who changed what, when, "
      "with which command and why.");
  cmd->fallthrough();
  CLI::Option* key =
      cmd->add_option("KEY", options->key,
                      "Only the revisions that changed this binding, e.g. "
                      "ipport=0.0.0.0:443");
  CLI::Option* since =
      cmd->add_option("--since", options->since, "Only revisions from REV on")
          ->type_name("REV");
  CLI::Option* since_time =
      cmd->add_option("--since-time", options->since_time,
                      "Only revisions from this UTC time on (2026-11-30 or "
                      "2026-11-30T02:15:00Z)")
          ->type_name("TIME");
  CLI::Option* limit =
      cmd->add_option("--limit", options->limit, "At most N revisions")
          ->type_name("N");
  cmd->add_option("--compact-before", options->compact_before,
                  "Drop the journal's records of revisions before REV (the "
                  "bindings stay); print nothing else")
      ->type_name("REV")
      // It shows nothing: the options that choose what to show are refused.
      ->excludes(key)
      ->excludes(since)
      ->excludes(since_time)
      ->excludes(limit);
  SetDryRunRefusal(*cmd, ctx,
                   "changes nothing but the journal (--compact-before), "
                   "which has no dry run");
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] { return RunHistory(ctx, *options); };
  });
}

}  // namespace sslbind::cli
