// The shared lock and the -wal check of a reader of a WAL-mode store that
// has no -wal file.
#include "storage/wal_absence_guard.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>

#include "model/text_rules.h"

namespace sslbind::internal {
namespace {

// SQLite's lock bytes (os_unix.c): a SHARED lock is a read lock on
// [kSharedFirst, kSharedFirst + kSharedSize), EXCLUSIVE a write lock on it.
constexpr off_t kPendingByte = 0x40000000;
constexpr off_t kSharedFirst = kPendingByte + 2;
constexpr off_t kSharedSize = 510;

}  // namespace

bool IsWalWithoutWalFile(const std::string& file) {
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  uint8_t header[20];
  ssize_t n = pread(fd, header, sizeof header, 0);
  close(fd);
  // "SQLite format 3\0", then the write and read versions: 2 is WAL.
  bool wal = n == static_cast<ssize_t>(sizeof header) &&
             std::memcmp(header, "SQLite format 3", 16) == 0 &&
             header[18] == 2 && header[19] == 2;
  struct stat st;
  return wal && lstat((file + "-wal").c_str(), &st) != 0 && errno == ENOENT;
}

std::string ImmutableUri(const std::string& file) {
  std::string uri = "file:";
  for (unsigned char c : file) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f) {
      uri += '%';
      uri += AsciiUpper(HexDigit(c >> 4));
      uri += AsciiUpper(HexDigit(c));
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?immutable=1";
}

WalAbsenceGuard::~WalAbsenceGuard() {
  if (fd_ >= 0) close(fd_);  // releases the lock
}

Status WalAbsenceGuard::Lock(const std::string& file, int timeout_ms) {
  wal_ = file + "-wal";
  fd_ = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    std::string msg = "cannot open '" + file + "': " + std::strerror(errno);
    return errno == EACCES ? Status::AccessDenied(msg) : Status::IoError(msg);
  }
  struct flock lock {};
  lock.l_type = F_RDLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = kSharedFirst;
  lock.l_len = kSharedSize;
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (int attempt = 0;; ++attempt) {
    if (fcntl(fd_, F_OFD_SETLK, &lock) == 0) return Status::Ok();
    if (errno != EAGAIN && errno != EACCES && errno != EINTR) {
      return Status::IoError("cannot lock '" + file +
                             "' for reading: " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Busy("cannot lock '" + file +
                          "' for reading (a writer held it too long)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + attempt % 20));
  }
}

Status WalAbsenceGuard::Check() const {
  struct stat st;
  if (lstat(wal_.c_str(), &st) != 0 && errno == ENOENT) return Status::Ok();
  return Status::Busy(
      "the store changed while it was read (a writer started): try again");
}

}  // namespace sslbind::internal
