// sslbind image build: writes the store's snapshot image now.
#include "command_error.h"
#include "exit_codes.h"
#include "image_commands.h"
#include "show_format.h"
#include "sslbind/snapshot_image.h"

namespace sslbind::cli {
namespace {

int RunImageBuild(Context& ctx) {
  const Store store = OpenImageStore(ctx, "build");
  const std::string path = SnapshotImagePath(store);
  if (path.empty()) {  // PostgreSQL: refused, in the library's words
    throw CommandError::Failed(InspectSnapshotImage(store).status());
  }
  if (ctx.dry_run) {
    // Everything but the write: the store loads into a snapshot.
    uint64_t revision = 0;
    Result<std::shared_ptr<const Snapshot>> snapshot =
        Snapshot::Load(store, {}, &revision);
    if (!snapshot.ok()) throw CommandError::Failed(snapshot.status());
    if (ctx.json) {
      *ctx.out << JsonText(Json{{"status", "dry-run"},
                                {"would_be", "written"},
                                {"path", path},
                                {"revision", revision},
                                {"bindings", (*snapshot)->size()}})
               << '\n';
    } else {
      *ctx.out << "Dry run: the snapshot image of revision " << revision << " ("
               << (*snapshot)->size() << " bindings) would be written"
               << " to " << QuotedPath(path) << "; nothing was written.\n";
    }
    return kExitOk;
  }
  Result<uint64_t> revision = WriteSnapshotImage(store);
  if (!revision.ok()) throw CommandError::Failed(revision.status());
  ctx.committed = true;
  // What was written, as the next reader will judge it.
  Result<SnapshotImageInfo> info = InspectSnapshotImage(store);
  if (!info.ok()) throw CommandError::Failed(info.status());
  if (ctx.json) {
    *ctx.out << JsonText(Json{{"status", "written"},
                              {"path", path},
                              {"revision", *revision},
                              {"size", info->size},
                              {"state", SnapshotImageStateName(info->state)}})
             << '\n';
  } else {
    *ctx.out << "Snapshot image written: " << QuotedPath(path) << "\n"
             << ShowField("Revision", std::to_string(*revision))
             << ShowField("Size", ImageSizeText(info->size))
             << ShowField("State", SnapshotImageStateName(info->state));
  }
  return kExitOk;
}

}  // namespace

void SetupImageBuild(CLI::App& app, Context& ctx, Action& action) {
  AddImageCommand(
      app, ctx, action, "build",
      "Load the store and write its snapshot image now, replacing the old "
      "one atomically (after a large import, or from cron).",
      kChangesImage, RunImageBuild,
      "Load the store as a build would; write no image");
}

}  // namespace sslbind::cli
