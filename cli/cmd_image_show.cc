// sslbind image show: the store's snapshot image, and what a server opening
// the store would make of it. Exit status 0 when it is current, 10 when not.
#include "command_error.h"
#include "exit_codes.h"
#include "image_commands.h"
#include "show_format.h"
#include "sslbind/snapshot_image.h"

namespace sslbind::cli {
namespace {

int RunImageShow(Context& ctx) {
  const Store store = OpenImageStore(ctx, "show");
  Result<SnapshotImageInfo> info = InspectSnapshotImage(store);
  if (!info.ok()) throw CommandError::Failed(info.status());
  const SnapshotImageInfo& i = *info;
  const bool missing = i.state == SnapshotImageState::kMissing;
  if (ctx.json) {
    *ctx.out << JsonText(
                    Json{{"path", i.path},
                         {"state", SnapshotImageStateName(i.state)},
                         {"size", missing ? Json(nullptr) : Json(i.size)},
                         {"revision", i.image_revision ? Json(*i.image_revision)
                                                       : Json(nullptr)},
                         {"store_revision", i.store_revision},
                         {"opens_from", SnapshotSourceName(i.source)},
                         {"reason",
                          i.reason.empty() ? Json(nullptr) : Json(i.reason)}})
             << '\n';
  } else {
    std::string text = "Snapshot image " + QuotedPath(i.path) + ":\n";
    text += ShowField("State", SnapshotImageStateName(i.state));
    if (!missing) text += ShowField("Size", ImageSizeText(i.size));
    if (i.image_revision) {
      text += ShowField("Made At Revision", std::to_string(*i.image_revision));
    }
    text += ShowField("Store Revision", std::to_string(i.store_revision));
    text += ShowField("A Server Opens From", SnapshotSourceName(i.source));
    if (!i.reason.empty()) text += ShowField("Why", i.reason);
    *ctx.out << text;
  }
  return i.state == SnapshotImageState::kCurrent ? kExitOk : kExitFindings;
}

}  // namespace

void SetupImageShow(CLI::App& app, Context& ctx, Action& action) {
  AddImageCommand(
      app, ctx, action, "show",
      "Show the snapshot image: its size, the revision it was made at, and "
      "whether a server would use it as it is, with the journal since, or "
      "not at all (and why). Exit status 0 when it is current, 10 when "
      "not.",
      kReadsStore, RunImageShow);
}

}  // namespace sslbind::cli
