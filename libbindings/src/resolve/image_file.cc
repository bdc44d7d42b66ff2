// The snapshot image file: mapped and checked, or written.
#include "resolve/image_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "resolve/snapshot_rep.h"

namespace sslbind::internal {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'L', 'B', 'I', 'M', 'G', '\n'};
constexpr uint32_t kByteOrder = 0x01020304;
constexpr size_t kPage = 4096;

struct Section {
  uint64_t offset;
  uint64_t size;
};

enum SectionId : size_t {
  kArena,
  kControl,  // the cells' control bytes
  kProfiles,
  kStrings,
  kStringBytes,
  kFirstTable,  // then one per TableId (kSniTable's is empty)
  kSectionCount = kFirstTable + kTableCount
};

struct ImageHeader {
  char magic[8];
  uint32_t version;
  uint32_t byte_order;
  uint32_t header_size;
  uint32_t reserved;
  uint64_t file_size;
  // What it was made from.
  uint64_t revision;
  uint64_t store_device;
  uint64_t store_inode;
  // The rep.
  uint64_t count;
  uint64_t cells;
  uint64_t table_sizes[kTableCount];
  Section sections[kSectionCount];
  uint64_t sections_checksum;  // XXH3 of the sections, in order
  uint64_t header_checksum;    // XXH3 of the bytes before this field
};
static_assert(sizeof(ImageHeader) <= kPage);
static_assert(std::has_unique_object_representations_v<ImageHeader>);

uint64_t HeaderChecksum(const ImageHeader& h) {
  return XXH3_64bits(&h, offsetof(ImageHeader, header_checksum));
}

size_t PageRoundUp(size_t n) { return (n + kPage - 1) & ~(kPage - 1); }

// The mapping an image's rep reads.
struct Mapping : SnapshotStorage {
  void* data = nullptr;
  size_t size = 0;
  ~Mapping() override {
    if (data) munmap(data, size);
  }
};

std::string Errno() { return std::strerror(errno); }

// An open file descriptor, closed at scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Why the file may not be trusted, or empty (as the key folder: see
// storage/store_files.h, CheckFolderTrust).
std::string Untrusted(const struct stat& st, const struct stat& store) {
  if (!S_ISREG(st.st_mode)) return "it is not a regular file";
  if (st.st_uid != store.st_uid && st.st_uid != geteuid() && st.st_uid != 0) {
    return "it is owned by user " + std::to_string(st.st_uid) +
           ", not by the store's owner (user " + std::to_string(store.st_uid) +
           ")";
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return "group or others may write it";
  }
  return {};
}

// Why the header does not describe a well-formed image of `file_size`
// bytes, or empty.
std::string Malformed(const ImageHeader& h, uint64_t file_size) {
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) {
    return "it is not a snapshot image";
  }
  if (h.version != kImageVersion) {
    return "its format is version " + std::to_string(h.version) +
           ", this library reads version " + std::to_string(kImageVersion);
  }
  if (h.byte_order != kByteOrder || h.header_size != sizeof(ImageHeader)) {
    return "it was made on another kind of machine";
  }
  if (HeaderChecksum(h) != h.header_checksum) {
    return "its header's checksum is wrong";
  }
  if (h.file_size != file_size) {
    return "it is " + std::to_string(file_size) + " bytes, its header says " +
           std::to_string(h.file_size) + " (truncated?)";
  }
  uint64_t end = kPage;
  for (const Section& s : h.sections) {
    if (s.offset % kPage != 0 || s.offset < end || s.size > file_size ||
        s.offset > file_size - s.size) {
      return "its sections are out of place";
    }
    end = s.offset + s.size;
  }
  const Section* sec = h.sections;
  if (sec[kArena].size > KeyTable::kNone ||
      h.cells > sec[kArena].size / kCellSize ||
      (h.cells != 0 && h.cells < kGroupWidth) ||  // (a group is all cells)
      sec[kControl].size != ControlSize(h.cells) ||
      sec[kProfiles].size % sizeof(Profile) != 0 ||
      sec[kStrings].size % sizeof(StringRef) != 0) {
    return "its sections have impossible sizes";
  }
  for (size_t t = 0; t < kTableCount; ++t) {
    const uint64_t slots = sec[kFirstTable + t].size / sizeof(KeyTable::Slot);
    if (sec[kFirstTable + t].size % sizeof(KeyTable::Slot) != 0 ||
        (slots != 0 &&
         (!std::has_single_bit(slots) || h.table_sizes[t] >= slots))) {
      return "its tables have impossible sizes";
    }
  }
  return {};
}

}  // namespace

std::optional<MappedImage> MapImage(const std::string& path,
                                    const std::string& store_path,
                                    uint64_t store_revision,
                                    const SnapshotOptions& options,
                                    std::string* refused) {
  auto refuse = [&](std::string why) -> std::optional<MappedImage> {
    *refused = std::move(why);
    return std::nullopt;
  };
  struct stat store;
  if (stat(store_path.c_str(), &store) != 0) {
    return refuse("the store file cannot be examined: " + Errno());
  }
  Fd file;
  file.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (file.fd < 0) {
    return refuse(errno == ENOENT ? kNoImage
                                  : "the image cannot be opened: " + Errno());
  }
  struct stat st;
  if (fstat(file.fd, &st) != 0) {
    return refuse("the image cannot be examined: " + Errno());
  }
  if (std::string why = Untrusted(st, store); !why.empty()) {
    return refuse("the image is not trusted: " + why);
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < kPage) return refuse("the image is truncated");
  auto mapping = std::make_shared<Mapping>();
  // Populated: the checksum reads every page anyway, and faulting them in
  // one call is cheaper than one fault at a time.
  void* data =
      mmap(nullptr, size, PROT_READ, MAP_SHARED | MAP_POPULATE, file.fd, 0);
  if (data == MAP_FAILED) {
    return refuse("the image cannot be mapped: " + Errno());
  }
  mapping->data = data;
  mapping->size = size;
  const auto* bytes = static_cast<const uint8_t*>(data);
  ImageHeader h;
  std::memcpy(&h, bytes, sizeof h);
  if (std::string why = Malformed(h, size); !why.empty()) {
    return refuse("the image is refused: " + why);
  }
  if (h.store_device != static_cast<uint64_t>(store.st_dev) ||
      h.store_inode != static_cast<uint64_t>(store.st_ino)) {
    return refuse("the image was made from another store file");
  }
  if (h.revision > store_revision) {
    return refuse("the image was made at revision " +
                  std::to_string(h.revision) + ", after the store's " +
                  std::to_string(store_revision));
  }
  XXH3_state_t* state = XXH3_createState();
  if (!state) return refuse("out of memory");
  XXH3_64bits_reset(state);
  for (const Section& s : h.sections) {
    XXH3_64bits_update(state, bytes + s.offset, s.size);
  }
  const uint64_t checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  if (checksum != h.sections_checksum) {
    return refuse("the image is refused: its checksum is wrong");
  }

  auto rep = std::make_unique<SnapshotRep>();
  const Section* sec = h.sections;
  rep->arena = bytes + sec[kArena].offset;
  rep->arena_size = sec[kArena].size;
  rep->cells = h.cells;
  rep->control = bytes + sec[kControl].offset;
  rep->profiles = {
      reinterpret_cast<const Profile*>(bytes + sec[kProfiles].offset),
      sec[kProfiles].size / sizeof(Profile)};
  rep->strings = {
      reinterpret_cast<const StringRef*>(bytes + sec[kStrings].offset),
      sec[kStrings].size / sizeof(StringRef)};
  rep->string_bytes =
      reinterpret_cast<const char*>(bytes + sec[kStringBytes].offset);
  rep->count = h.count;
  for (size_t t = 0; t < kTableCount; ++t) {
    const Section& s = sec[kFirstTable + t];
    rep->tables[t] = KeyTable::View(
        reinterpret_cast<const KeyTable::Slot*>(bytes + s.offset),
        s.size / sizeof(KeyTable::Slot), h.table_sizes[t]);
  }
  rep->IndexAddresses();
  rep->options = options;
  rep->storage = std::move(mapping);
  return MappedImage{SnapshotBuilder::Wrap(std::move(rep)), h.revision};
}

Status WriteImage(const std::string& path, const std::string& store_path,
                  const Snapshot& snapshot, uint64_t revision) {
  if (snapshot.is_overlay()) {
    return Status::Internal("an overlay cannot be written as an image");
  }
  const SnapshotRep& rep = SnapshotBuilder::RepOf(snapshot);
  struct stat store;
  if (stat(store_path.c_str(), &store) != 0) {
    return Status::IoError("cannot examine the store file '" + store_path +
                           "': " + Errno());
  }
  ImageHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kImageVersion;
  h.byte_order = kByteOrder;
  h.header_size = sizeof(ImageHeader);
  h.revision = revision;
  h.store_device = static_cast<uint64_t>(store.st_dev);
  h.store_inode = static_cast<uint64_t>(store.st_ino);
  h.count = rep.count;
  h.cells = rep.cells;
  const void* data[kSectionCount] = {};
  data[kArena] = rep.arena;
  h.sections[kArena].size = rep.arena_size;
  data[kControl] = rep.control;
  h.sections[kControl].size = ControlSize(rep.cells);
  data[kProfiles] = rep.profiles.data();
  h.sections[kProfiles].size = rep.profiles.size_bytes();
  data[kStrings] = rep.strings.data();
  h.sections[kStrings].size = rep.strings.size_bytes();
  data[kStringBytes] = rep.string_bytes;
  h.sections[kStringBytes].size =
      rep.strings.empty() ? 0
                          : rep.strings.back().offset + rep.strings.back().size;
  for (size_t t = 0; t < kTableCount; ++t) {
    data[kFirstTable + t] = rep.tables[t].slots();
    h.sections[kFirstTable + t].size =
        rep.tables[t].capacity() * sizeof(KeyTable::Slot);
    h.table_sizes[t] = rep.tables[t].size();
  }
  XXH3_state_t* state = XXH3_createState();
  if (!state) return Status::Internal("out of memory");
  XXH3_64bits_reset(state);
  uint64_t offset = kPage;
  for (size_t i = 0; i < kSectionCount; ++i) {
    h.sections[i].offset = offset;
    offset = PageRoundUp(offset + h.sections[i].size);
    XXH3_64bits_update(state, data[i], h.sections[i].size);
  }
  h.sections_checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  h.file_size =
      h.sections[kSectionCount - 1].offset + h.sections[kSectionCount - 1].size;
  h.header_checksum = HeaderChecksum(h);

  // A temporary file beside the image, renamed over it when complete.
  std::string temp = path + ".tmp-XXXXXX";
  Fd file;
  file.fd = mkstemp(temp.data());
  auto failed = [&](const std::string& what) {
    std::string msg =
        "cannot " + what + " the snapshot image '" + path + "': " + Errno();
    const bool denied = errno == EACCES || errno == EPERM || errno == EROFS;
    if (file.fd >= 0) unlink(temp.c_str());
    return denied ? Status::AccessDenied(msg) : Status::IoError(msg);
  };
  if (file.fd < 0) return failed("create");
  // Readable as the store is (never writable by group or others).
  if (fchmod(file.fd, store.st_mode & 0644) != 0) return failed("write");
  auto write_all = [&](const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    while (n > 0) {
      ssize_t w = write(file.fd, b, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      b += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  };
  static const uint8_t kZeros[kPage] = {};
  uint8_t header_page[kPage] = {};
  std::memcpy(header_page, &h, sizeof h);
  if (!write_all(header_page, kPage)) return failed("write");
  uint64_t at = kPage;
  for (size_t i = 0; i < kSectionCount; ++i) {
    if (!write_all(kZeros, h.sections[i].offset - at) ||
        !write_all(data[i], h.sections[i].size)) {
      return failed("write");
    }
    at = h.sections[i].offset + h.sections[i].size;
  }
  if (fsync(file.fd) != 0) return failed("write");
  if (rename(temp.c_str(), path.c_str()) != 0) return failed("replace");
  return Status::Ok();
}

}  // namespace sslbind::internal
