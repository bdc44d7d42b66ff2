// Internal: the snapshot image file -- mapping one and checking it, writing
// one. The format:
//
//   ImageHeader (one 4 KiB page) | arena | profiles | strings | string bytes
//   | the slots of the four KeyTables
//
// each section starting on a page boundary (the arena's 64-byte cells stay
// aligned), in the layout SnapshotRep reads, in the machine's byte order
// (the header's `byte_order` refuses another's). Two XXH3 checksums cover
// the header and every section.
#ifndef SSLBIND_SRC_RESOLVE_IMAGE_FILE_H_
#define SSLBIND_SRC_RESOLVE_IMAGE_FILE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sslbind/snapshot.h"
#include "sslbind/status.h"
#include "sslbind/store.h"

namespace sslbind::internal {

// Bump when the layout of the image or of SnapshotRep changes.
inline constexpr uint32_t kImageVersion = 3;

// The store file a SQLite store reads, every link resolved; empty for a
// store in PostgreSQL (which has no image).
std::string StoreFileOf(const Store& store);

struct MappedImage {
  std::shared_ptr<const Snapshot> snapshot;
  uint64_t revision = 0;
};

// MapImage's reason when there is no file at `path`.
inline constexpr char kNoImage[] = "there is no image";

// The image at `path`, made from the store file at `store_path`, if it can
// be trusted and its revision is at most `store_revision`; otherwise
// nullopt and *refused says why.
std::optional<MappedImage> MapImage(const std::string& path,
                                    const std::string& store_path,
                                    uint64_t store_revision,
                                    const SnapshotOptions& options,
                                    std::string* refused);

// Writes `snapshot` (not an overlay) as the image of the store file at
// `store_path` at `revision`: a temporary file beside `path`, renamed over
// it.
Status WriteImage(const std::string& path, const std::string& store_path,
                  const Snapshot& snapshot, uint64_t revision);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_IMAGE_FILE_H_
