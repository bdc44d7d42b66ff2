// OpenSnapshot and WriteSnapshotImage: the image, else the store.
#include "sslbind/snapshot_image.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "resolve/image_file.h"
#include "resolve/journal_refresh.h"
#include "sslbind/store.h"
#include "storage/store_files.h"

namespace sslbind {

std::string_view SnapshotSourceName(SnapshotSource source) {
  switch (source) {
    case SnapshotSource::kImage: return "image";
    case SnapshotSource::kImageAndJournal: return "image and journal";
    case SnapshotSource::kStore: return "store";
  }
  return "unknown";
}

namespace internal {

std::string StoreFileOf(const Store& store) {
  if (store.KeyFolderPath().empty()) return {};
  return ResolveStorePath(store.path());
}

}  // namespace internal

std::string SnapshotImagePath(const Store& store) {
  std::string file = internal::StoreFileOf(store);
  return file.empty() ? file : file + ".snapshot";
}

namespace {

// The image judged as OpenSnapshot judges it: its state, its mapping when
// it is current or behind, and the journal's changes since it when behind.
struct ImageVerdict {
  SnapshotImageState state = SnapshotImageState::kMissing;
  std::optional<internal::MappedImage> mapped;
  internal::OverlayChanges changes;
  std::string reason;
};

Result<ImageVerdict> JudgeImage(const Store& store,
                                const std::string& store_file,
                                uint64_t revision,
                                const SnapshotOptions& options,
                                const SnapshotImageOptions& image) {
  ImageVerdict v;
  v.mapped = internal::MapImage(store_file + ".snapshot", store_file, revision,
                                options, &v.reason);
  if (!v.mapped) {
    v.state = v.reason == internal::kNoImage ? SnapshotImageState::kMissing
                                             : SnapshotImageState::kRefused;
    return v;
  }
  if (v.mapped->revision == revision) {
    v.state = SnapshotImageState::kCurrent;
    return v;
  }
  v.reason = "the image was made at revision " +
             std::to_string(v.mapped->revision) +
             ", the store is at revision " + std::to_string(revision);
  Result<bool> read =
      internal::ReadJournalChanges(store, v.mapped->revision, revision,
                                   image.max_journal_changes, &v.changes);
  if (!read.ok()) return read.status();
  if (*read) {
    v.state = SnapshotImageState::kBehind;
  } else {
    v.state = SnapshotImageState::kStale;
    v.reason +=
        ", and the journal since changes too many keys (or no longer holds "
        "every revision)";
  }
  return v;
}

SnapshotSource SourceFor(SnapshotImageState state) {
  switch (state) {
    case SnapshotImageState::kCurrent: return SnapshotSource::kImage;
    case SnapshotImageState::kBehind: return SnapshotSource::kImageAndJournal;
    default: return SnapshotSource::kStore;
  }
}

constexpr const char* kNoImageInPostgres =
    "a store in PostgreSQL has no snapshot image";

}  // namespace

std::string_view SnapshotImageStateName(SnapshotImageState state) {
  switch (state) {
    case SnapshotImageState::kCurrent: return "current";
    case SnapshotImageState::kBehind: return "behind";
    case SnapshotImageState::kStale: return "stale";
    case SnapshotImageState::kMissing: return "missing";
    case SnapshotImageState::kRefused: return "refused";
  }
  return "unknown";
}

Result<OpenedSnapshot> OpenSnapshot(const Store& store,
                                    const SnapshotOptions& options,
                                    const SnapshotImageOptions& image) {
  OpenedSnapshot out;
  Result<uint64_t> revision = store.ChangeCounter();
  if (!revision.ok()) return revision.status();
  const std::string store_file = internal::StoreFileOf(store);
  if (store_file.empty()) {
    out.image_refused = "a store in PostgreSQL has no image";
  } else {
    Result<ImageVerdict> v =
        JudgeImage(store, store_file, *revision, options, image);
    if (!v.ok()) return v.status();
    out.image_refused = std::move(v->reason);
    if (v->state == SnapshotImageState::kCurrent) {
      out.snapshot = std::move(v->mapped->snapshot);
      out.revision = *revision;
      out.source = SnapshotSource::kImage;
      return out;
    }
    if (v->state == SnapshotImageState::kBehind) {
      Result<std::shared_ptr<const Snapshot>> overlay = internal::BuildOverlay(
          std::move(v->mapped->snapshot), v->changes, options);
      if (!overlay.ok()) return overlay.status();
      out.snapshot = std::move(*overlay);
      out.revision = *revision;
      out.source = SnapshotSource::kImageAndJournal;
      return out;
    }
  }
  uint64_t loaded = 0;
  Result<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Load(store, options, &loaded);
  if (!snapshot.ok()) return snapshot.status();
  out.snapshot = std::move(*snapshot);
  out.revision = loaded;
  out.source = SnapshotSource::kStore;
  if (image.write_when_stale && !store_file.empty()) {
    out.image_write_status = internal::WriteImage(
        store_file + ".snapshot", store_file, *out.snapshot, loaded);
    out.image_written = out.image_write_status.ok();
  }
  return out;
}

Result<SnapshotImageInfo> InspectSnapshotImage(
    const Store& store, const SnapshotImageOptions& image) {
  const std::string store_file = internal::StoreFileOf(store);
  if (store_file.empty()) return Status::InvalidArgument(kNoImageInPostgres);
  Result<uint64_t> revision = store.ChangeCounter();
  if (!revision.ok()) return revision.status();
  SnapshotImageInfo info;
  info.path = store_file + ".snapshot";
  info.store_revision = *revision;
  struct stat st;
  if (lstat(info.path.c_str(), &st) == 0) {
    info.size = static_cast<uint64_t>(st.st_size);
  }
  Result<ImageVerdict> v = JudgeImage(store, store_file, *revision, {}, image);
  if (!v.ok()) return v.status();
  info.state = v->state;
  info.source = SourceFor(v->state);
  if (v->mapped) info.image_revision = v->mapped->revision;
  info.reason = std::move(v->reason);
  return info;
}

Result<bool> RemoveSnapshotImage(const Store& store) {
  const std::string path = SnapshotImagePath(store);
  if (path.empty()) return Status::InvalidArgument(kNoImageInPostgres);
  if (unlink(path.c_str()) == 0) return true;
  const int error = errno;
  if (error == ENOENT) return false;
  const std::string msg = "cannot remove the snapshot image '" + path +
                          "': " + std::strerror(error);
  if (error == EACCES || error == EPERM || error == EROFS) {
    return Status::AccessDenied(msg);
  }
  return Status::IoError(msg);
}

Result<uint64_t> WriteSnapshotImage(const Store& store) {
  const std::string store_file = internal::StoreFileOf(store);
  if (store_file.empty()) {
    return Status::InvalidArgument(kNoImageInPostgres);
  }
  uint64_t revision = 0;
  Result<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Load(store, {}, &revision);
  if (!snapshot.ok()) return snapshot.status();
  Status s = internal::WriteImage(store_file + ".snapshot", store_file,
                                  **snapshot, revision);
  if (!s.ok()) return s;
  return revision;
}

}  // namespace sslbind
