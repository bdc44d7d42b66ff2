// What the image commands share (image_commands.h).
#include "image_commands.h"

#include "command_error.h"
#include "keyword_command.h"
#include "sslbind/text.h"

namespace sslbind::cli {

void AddImageCommand(CLI::App& app, Context& ctx, Action& action,
                     const std::string& name, const std::string& description,
                     GlobalSet honoured, int (*run)(Context&),
                     const std::string& dry_run_help) {
  CLI::App* group =
      CommandGroup(app, "image",
                   "The snapshot image beside the store, from which servers "
                   "start in milliseconds (build, show, remove).");
  CLI::App* cmd = group->add_subcommand(name, description);
  cmd->fallthrough();
  HonourOptions(*cmd, ctx, honoured, dry_run_help);
  cmd->callback(
      [&ctx, &action, run] { action = [&ctx, run] { return run(ctx); }; });
}

Store OpenImageStore(Context& ctx, const std::string& verb) {
  ctx.subject = "Snapshot Image";
  ctx.verb = verb;
  std::optional<Store> store = ctx.OpenForReading();
  if (!store) {
    throw CommandError::Failed(Status::NotFound(
        "the store " + QuotedPath(ctx.store_path) + " does not exist"));
  }
  return std::move(*store);
}

std::string QuotedPath(std::string_view path) {
  return QuoteForMessage(path, 1024);
}

std::string ImageSizeText(uint64_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  constexpr uint64_t kKiB = 1024;
  constexpr uint64_t kMiB = kKiB * 1024;
  if (bytes >= 10 * kMiB) {
    text += " (" + std::to_string(bytes / kMiB) + " MiB)";
  } else if (bytes >= 10 * kKiB) {
    text += " (" + std::to_string(bytes / kKiB) + " KiB)";
  }
  return text;
}

}  // namespace sslbind::cli
