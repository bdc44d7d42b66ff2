// sslbind/snapshot_image.h: a snapshot persisted beside its store, so that a
// server starts in milliseconds (docs/performance.md, "Starting a server").
//
// Loading a snapshot reads every binding of the store: about a second at a
// million bindings, and each server process holds its own copy. The image
// <store>.snapshot holds a snapshot in the very layout it has in memory;
// OpenSnapshot maps it read-only, so opening costs a check of its checksum,
// and every process on the machine shares one copy of it (the kernel's page
// cache) instead of each building its own.
//
// An image is trusted only when everything about it matches:
//   - it is a regular file owned by the store's owner, the caller or root,
//     that group and others may not write (as the key folder);
//   - its format version, its size and the checksums of its header and of
//     every byte after it are right;
//   - it was made from this store file (device and inode) at a revision the
//     store has reached.
// An image at the store's revision is used as it is. An older one is used
// with the journal since its revision laid over it (as Resolver::Refresh
// does), when the journal still holds those revisions and they change few
// keys; the answers are exactly those of a fresh load. Otherwise the store
// is loaded (Snapshot::Load) and, by default, a fresh image written for the
// next process.
//
// Who writes the image: whoever finds it missing or stale (OpenSnapshot, a
// server's Resolver with the image enabled), or WriteSnapshotImage (`sslbind
// image build` after a large import, a cron job). A write never rewrites it:
// a single `add` at a million bindings would cost a second. The file is
// written beside the store under a temporary name and renamed over the old
// one, so a reader sees the old image or the new, never a part.
// InspectSnapshotImage says what OpenSnapshot would make of the image
// (`sslbind image show`), RemoveSnapshotImage removes it.
#ifndef SSLBIND_SNAPSHOT_IMAGE_H_
#define SSLBIND_SNAPSHOT_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sslbind/snapshot.h"
#include "sslbind/status.h"

namespace sslbind {

class Store;

// Where OpenSnapshot's snapshot came from.
enum class SnapshotSource : uint8_t {
  kImage,            // the image, made at the store's revision
  kImageAndJournal,  // an older image with the journal since laid over it
  kStore,            // the store itself (no usable image)
};

// "image", "image and journal", "store".
std::string_view SnapshotSourceName(SnapshotSource source);

struct OpenedSnapshot {
  std::shared_ptr<const Snapshot> snapshot;
  // The store's revision the snapshot holds.
  uint64_t revision = 0;
  SnapshotSource source = SnapshotSource::kStore;
  // Why the image was not used as it is (kStore, kImageAndJournal), in
  // words: "there is no image", "the image was made at revision 7, the store
  // is at revision 9", "the image's checksum is wrong", ...
  std::string image_refused;
  // Whether this call wrote a fresh image, and if it tried and failed, why
  // (the snapshot is good either way).
  bool image_written = false;
  Status image_write_status;
};

struct SnapshotImageOptions {
  // Write a fresh image when the store had to be loaded.
  bool write_when_stale = true;
  // An older image is used with the journal since its revision if that
  // changes at most this many keys; else the store is loaded.
  size_t max_journal_changes = 16384;
};

// The image's path: the store file's path with every symbolic link
// resolved, + ".snapshot". Empty for a store in PostgreSQL (which has no
// image; OpenSnapshot then loads it).
std::string SnapshotImagePath(const Store& store);

// The store's bindings as a snapshot: from the image when it can be
// trusted (see the file comment), else loaded from the store. Fails only
// as Snapshot::Load does: a bad image is never an error, only a slower
// open (OpenedSnapshot says why).
Result<OpenedSnapshot> OpenSnapshot(const Store& store,
                                    const SnapshotOptions& options = {},
                                    const SnapshotImageOptions& image = {});

// Loads the store and writes its image, replacing the old one atomically.
// Returns the revision the image holds. AccessDenied or IoError when the
// file cannot be written (the old image, if any, is left as it was);
// InvalidArgument for a store in PostgreSQL.
Result<uint64_t> WriteSnapshotImage(const Store& store);

// What OpenSnapshot would make of the image now.
enum class SnapshotImageState : uint8_t {
  kCurrent,  // made at the store's revision: mapped as it is
  kBehind,   // older: mapped, with the journal since laid over it
  kStale,    // older, and the journal since changes too many keys or no
             // longer holds every revision: the store is loaded instead
  kMissing,  // there is no image: the store is loaded
  kRefused,  // there is a file, but it is not trusted (see the file
             // comment): the store is loaded
};

// "current", "behind", "stale", "missing", "refused".
std::string_view SnapshotImageStateName(SnapshotImageState state);

struct SnapshotImageInfo {
  // SnapshotImagePath(store).
  std::string path;
  SnapshotImageState state = SnapshotImageState::kMissing;
  // Where OpenSnapshot would take its snapshot from: kImage for kCurrent,
  // kImageAndJournal for kBehind, else kStore.
  SnapshotSource source = SnapshotSource::kStore;
  // The store's revision (Store::ChangeCounter).
  uint64_t store_revision = 0;
  // The revision the image was made at, when the image passed every other
  // check (kCurrent, kBehind, kStale).
  std::optional<uint64_t> image_revision;
  // The image file's size in bytes (as lstat says; 0 when missing).
  uint64_t size = 0;
  // Why the image is not used as it is, in OpenedSnapshot::image_refused's
  // words; empty for kCurrent.
  std::string reason;
};

// Checks the image exactly as OpenSnapshot (with `image`'s limits) would,
// checksums included, and says what it would do; loads nothing from the
// store but its revision (and, for an older image, the journal since), and
// writes nothing. A bad or missing image is not an error: its state says
// so. InvalidArgument for a store in PostgreSQL; the store's errors
// otherwise.
Result<SnapshotImageInfo> InspectSnapshotImage(
    const Store& store, const SnapshotImageOptions& image = {});

// Removes the store's image file, and nothing else. Returns whether there
// was one (no image is not an error: there is nothing to do). AccessDenied
// or IoError when the file cannot be removed; InvalidArgument for a store
// in PostgreSQL. A server that mapped the image keeps its mapping; the next
// OpenSnapshot loads the store (and writes a fresh image by default).
Result<bool> RemoveSnapshotImage(const Store& store);

}  // namespace sslbind

#endif  // SSLBIND_SNAPSHOT_IMAGE_H_
