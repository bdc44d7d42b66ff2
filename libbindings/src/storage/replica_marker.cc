// The file that marks a store as a replica.
#include "storage/replica_marker.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sslbind::internal {
namespace {

constexpr size_t kMaxMarker = 64 * 1024;

Status Errno(int err, const std::string& what) {
  std::string text = what + ": " + std::strerror(err);
  return err == EACCES || err == EPERM ? Status::AccessDenied(text)
                                       : Status::IoError(text);
}

}  // namespace

std::string ReplicaMarkerPath(const std::string& resolved_store) {
  return resolved_store + ".replica";
}

Result<std::optional<std::string>> ReadReplicaMarker(
    const std::string& resolved_store) {
  const std::string path = ReplicaMarkerPath(resolved_store);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Errno(errno, "cannot read '" + path + "'");
  }
  std::string data(kMaxMarker, '\0');
  ssize_t n = read(fd, data.data(), data.size());
  int err = errno;
  close(fd);
  if (n < 0) return Errno(err, "cannot read '" + path + "'");
  data.resize(static_cast<size_t>(n));
  size_t end = data.find('\n');
  if (end != std::string::npos) data.resize(end);
  return std::optional<std::string>(std::move(data));
}

Status WriteReplicaMarker(const std::string& resolved_store,
                          const std::string& source) {
  const std::string path = ReplicaMarkerPath(resolved_store);
  const std::string temp = path + ".tmp-" + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno(errno, "cannot write '" + path + "'");
  const std::string data = source + "\n";
  bool ok = write(fd, data.data(), data.size()) ==
                static_cast<ssize_t>(data.size()) &&
            fsync(fd) == 0;
  int err = errno;
  close(fd);
  if (!ok || rename(temp.c_str(), path.c_str()) != 0) {
    if (ok) err = errno;
    unlink(temp.c_str());
    return Errno(err, "cannot write '" + path + "'");
  }
  return Status::Ok();
}

}  // namespace sslbind::internal
