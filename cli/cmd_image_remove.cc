// sslbind image remove: removes the store's snapshot image (servers then
// load the store). No image is not an error.
#include "command_error.h"
#include "exit_codes.h"
#include "image_commands.h"
#include "show_format.h"
#include "sslbind/snapshot_image.h"

namespace sslbind::cli {
namespace {

int RunImageRemove(Context& ctx) {
  const Store store = OpenImageStore(ctx, "remove");
  bool removed = false;
  std::string path;
  if (ctx.dry_run) {
    // What a removal would find, without removing it.
    Result<SnapshotImageInfo> info = InspectSnapshotImage(store);
    if (!info.ok()) throw CommandError::Failed(info.status());
    removed = info->state != SnapshotImageState::kMissing;
    path = info->path;
  } else {
    Result<bool> done = RemoveSnapshotImage(store);
    if (!done.ok()) throw CommandError::Failed(done.status());
    removed = *done;
    ctx.committed = removed;
    path = SnapshotImagePath(store);
  }
  if (ctx.json) {
    Json j = {{"status", ctx.dry_run ? "dry-run"
                         : removed   ? "removed"
                                     : "absent"}};
    if (ctx.dry_run) j["would_be"] = removed ? "removed" : "absent";
    j["path"] = path;
    *ctx.out << JsonText(j) << '\n';
  } else if (ctx.dry_run) {
    *ctx.out << (removed ? "Dry run: the snapshot image " + QuotedPath(path) +
                               " would be removed; nothing was removed.\n"
                         : "Dry run: there is no snapshot image " +
                               QuotedPath(path) + "; nothing to remove.\n");
  } else {
    *ctx.out << (removed ? "Snapshot image removed: "
                         : "There was no snapshot image: ")
             << QuotedPath(path) << '\n';
  }
  return kExitOk;
}

}  // namespace

void SetupImageRemove(CLI::App& app, Context& ctx, Action& action) {
  AddImageCommand(
      app, ctx, action, "remove",
      "Remove the snapshot image (and nothing else); servers then load the "
      "store. No image is not an error.",
      kChangesImage, RunImageRemove,
      "Say whether there is an image to remove; remove nothing");
}

}  // namespace sslbind::cli
