// sslbind revision: the store's current revision; {"revision":N}.
// Also the journal commands' shared helpers and their registration.
#include "command_error.h"
#include "journal_commands.h"
#include "journal_format.h"
#include "show_format.h"

namespace sslbind::cli {

uint64_t RevisionArg(std::string_view option, std::string_view text) {
  Result<uint64_t> revision = ParseRevision(option, text);
  if (!revision.ok()) throw CommandError::Input(revision.status());
  return *revision;
}

uint64_t RevisionOrThrow(const Context& ctx) {
  std::optional<Store> store = ctx.OpenForReading();
  if (!store) return 0;
  Result<uint64_t> revision = store->Revision();
  if (!revision.ok()) throw CommandError::Failed(revision.status());
  return *revision;
}

StoreState StateOrThrow(const Context& ctx, uint64_t revision) {
  std::optional<Store> store = ctx.OpenForReading();
  if (!store) {
    if (revision == 0) return StoreState{};
    throw CommandError::Failed(
        Status::NotFound("revision " + std::to_string(revision) +
                         " does not exist: the store is at revision 0"));
  }
  Result<StoreState> state = StateAt(*store, revision);
  if (!state.ok()) throw CommandError::Failed(state.status());
  return std::move(*state);
}

std::vector<Binding> BindingsAtOrThrow(const Context& ctx,
                                       const std::optional<BindingKey>& key,
                                       Status* missing) {
  StoreState state = StateOrThrow(ctx, RevisionArg("--at", ctx.show_at));
  if (!key) return std::move(state.bindings);
  for (Binding& b : state.bindings) {
    if (b.key == *key) return {std::move(b)};
  }
  *missing = Status::NotFound(key->ToParam() + " did not exist at revision " +
                              ctx.show_at);
  return {};
}

void AddShowAtOption(CLI::App& show, Context& ctx) {
  show.add_option("--at", ctx.show_at,
                  "Show the bindings as they were after revision REV")
      ->type_name("REV");
}

void SetupRevision(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "revision",
      "Print the store's revision: moved by one by every change, from any "
      "process (0 for a store never written).");
  cmd->fallthrough();
  cmd->callback([&ctx, &action] {
    action = [&ctx] {
      ctx.subject = "Revision";
      ctx.verb = "show";
      const uint64_t revision = RevisionOrThrow(ctx);
      if (ctx.json) {
        *ctx.out << JsonText(Json{{"revision", revision}}) << '\n';
      } else {
        *ctx.out << revision << '\n';
      }
      return 0;
    };
  });
}

void SetupJournalCommands(CLI::App& app, Context& ctx, Action& action) {
  SetupRevision(app, ctx, action);
  SetupHistory(app, ctx, action);
  SetupDiff(app, ctx, action);
  SetupRollback(app, ctx, action);
}

}  // namespace sslbind::cli
