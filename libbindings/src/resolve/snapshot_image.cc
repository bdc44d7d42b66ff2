// OpenSnapshot and WriteSnapshotImage: the image, else the store.
#include "sslbind/snapshot_image.h"

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

Result<OpenedSnapshot> OpenSnapshot(const Store& store,
                                    const SnapshotOptions& options,
                                    const SnapshotImageOptions& image) {
  OpenedSnapshot out;
  Result<uint64_t> revision = store.ChangeCounter();
  if (!revision.ok()) return revision.status();
  const std::string store_file = internal::StoreFileOf(store);
  if (store_file.empty()) {
    out.image_refused = "a store in PostgreSQL has no image";
  } else if (std::optional<internal::MappedImage> mapped =
                 internal::MapImage(store_file + ".snapshot", store_file,
                                    *revision, options, &out.image_refused)) {
    if (mapped->revision == *revision) {
      out.snapshot = std::move(mapped->snapshot);
      out.revision = *revision;
      out.source = SnapshotSource::kImage;
      return out;
    }
    out.image_refused =
        "the image was made at revision " + std::to_string(mapped->revision) +
        ", the store is at revision " + std::to_string(*revision);
    internal::OverlayChanges changes;
    Result<bool> read =
        internal::ReadJournalChanges(store, mapped->revision, *revision,
                                     image.max_journal_changes, &changes);
    if (!read.ok()) return read.status();
    if (*read) {
      Result<std::shared_ptr<const Snapshot>> overlay =
          internal::BuildOverlay(std::move(mapped->snapshot), changes, options);
      if (!overlay.ok()) return overlay.status();
      out.snapshot = std::move(*overlay);
      out.revision = *revision;
      out.source = SnapshotSource::kImageAndJournal;
      return out;
    }
    out.image_refused += ", and the journal since holds too many changes";
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

Result<uint64_t> WriteSnapshotImage(const Store& store) {
  const std::string store_file = internal::StoreFileOf(store);
  if (store_file.empty()) {
    return Status::InvalidArgument(
        "a store in PostgreSQL has no snapshot image");
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
