// The key folder: private keys and the CCS password as 0600 files, each
// written once, atomically, under a new name.
#include "certs/key_folder.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "certs/openssl_util.h"
#include "sslbind/binding.h"

namespace sslbind::internal {
namespace {

constexpr size_t kMaxSecretFile = 1 << 20;

Status ErrnoStatus(int err, const std::string& what) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == EACCES || err == EPERM) return Status::AccessDenied(msg);
  return Status::IoError(msg);
}

// Creates `dir` with mode 0700 if missing; refuses a symbolic link or a
// non-folder there, and takes group and other permissions away from an
// existing folder of ours.
Status SyncFolder(const std::string& dir);

Status EnsurePrivateFolder(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) == 0) {
    std::string parent = dir.substr(0, dir.find_last_of('/') + 1);
    return SyncFolder(parent.empty() ? "." : parent);
  }
  if (errno != EEXIST) {
    return ErrnoStatus(errno, "cannot create the key folder '" + dir + "'");
  }
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) {
    return ErrnoStatus(errno, "cannot read the key folder '" + dir + "'");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::IoError("the key folder '" + dir +
                           "' is not a folder (or is a symbolic link)");
  }
  if ((st.st_mode & 077) != 0 && st.st_uid == geteuid() &&
      chmod(dir.c_str(), 0700) != 0) {
    return ErrnoStatus(errno, "cannot restrict the key folder '" + dir + "'");
  }
  return Status::Ok();
}

Status SyncFolder(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open '" + dir + "'");
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return ErrnoStatus(err, "cannot sync '" + dir + "'");
  return Status::Ok();
}

// Writes `dir`/`name` whole or not at all, mode 0600; refuses to replace a
// file.
Status WriteNewFile(const std::string& dir, const std::string& name,
                    std::string_view data) {
  Result<std::string> nonce = NewFileId();
  if (!nonce.ok()) return nonce.status();
  const std::string final_path = dir + "/" + name;
  const std::string tmp_path = dir + "/." + name + ".tmp-" + *nonce;
  int fd = open(tmp_path.c_str(),
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus(errno, "cannot create '" + tmp_path + "'");
  Status s;
  if (fchmod(fd, 0600) != 0) {
    s = ErrnoStatus(errno, "cannot set the mode of '" + tmp_path + "'");
  }
  size_t done = 0;
  while (s.ok() && done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      s = ErrnoStatus(errno, "cannot write '" + tmp_path + "'");
    } else {
      done += static_cast<size_t>(n);
    }
  }
  if (s.ok() && fsync(fd) != 0) {
    s = ErrnoStatus(errno, "cannot sync '" + tmp_path + "'");
  }
  if (close(fd) != 0 && s.ok()) {
    s = ErrnoStatus(errno, "cannot write '" + tmp_path + "'");
  }
  // link() fails if the name is taken, where rename() would replace.
  if (s.ok() && link(tmp_path.c_str(), final_path.c_str()) != 0) {
    s = ErrnoStatus(errno, "cannot write '" + final_path + "'");
  }
  unlink(tmp_path.c_str());
  if (!s.ok()) return s;
  return SyncFolder(dir);
}

}  // namespace

std::string ThumbprintName(const std::vector<uint8_t>& thumbprint) {
  std::string s = HexLower(thumbprint);
  for (char& c : s) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

Result<std::string> NewFileId() {
  uint8_t bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Status::Internal("no random bytes: " + TakeOpenSslError());
  }
  return HexLower(std::vector<uint8_t>(bytes, bytes + sizeof bytes));
}

bool IsFileId(std::string_view id) {
  return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status RemoveFileIfPresent(const std::string& path) {
  if (unlink(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return ErrnoStatus(errno, "cannot remove '" + path + "'");
}

Result<std::optional<std::string>> ReadSmallFile(const std::string& path,
                                                 size_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return ErrnoStatus(errno, "cannot read '" + path + "'");
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return Status::IoError("'" + path + "' is not a regular file of at most " +
                           std::to_string(max_bytes) + " bytes");
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  int err = errno;
  close(fd);
  if (done != data.size()) {
    Wipe(data);
    return ErrnoStatus(err, "cannot read '" + path + "'");
  }
  return std::optional<std::string>(std::move(data));
}

std::string KeyFolder::KeyPath(const std::vector<uint8_t>& thumbprint,
                               std::string_view id) const {
  return root_ + "/" + ThumbprintName(thumbprint) + "." + std::string(id) +
         ".key";
}

std::string KeyFolder::PasswordPath(std::string_view id) const {
  return root_ + "/ccs." + std::string(id) + ".password";
}

struct KeyFolder::Held {
  ~Held() {
    for (auto& [path, data] : files) Wipe(data);
  }
  std::map<std::string, std::string> files;
};

KeyFolder KeyFolder::InMemory(std::string root) {
  KeyFolder folder(std::move(root));
  folder.held_ = std::make_shared<Held>();
  return folder;
}

Result<std::string> KeyFolder::Write(std::string path,
                                     std::string_view data) const {
  if (held_) {
    if (held_->files.count(path) != 0) {
      return Status::Internal("the file '" + path + "' exists");
    }
    held_->files.emplace(path, std::string(data));
    return path;
  }
  Status s = EnsurePrivateFolder(root_);
  if (!s.ok()) return s;
  s = WriteNewFile(root_, path.substr(root_.size() + 1), data);
  if (!s.ok()) return s;
  return path;
}

Result<std::optional<std::string>> KeyFolder::Read(
    const std::string& path) const {
  if (held_) {
    auto it = held_->files.find(path);
    if (it != held_->files.end()) return std::optional<std::string>(it->second);
  }
  return ReadSmallFile(path, kMaxSecretFile);
}

Result<std::string> KeyFolder::WriteKey(const std::vector<uint8_t>& thumbprint,
                                        std::string_view id,
                                        std::string_view pem) const {
  if (!IsFileId(id)) return Status::Internal("bad key file id");
  return Write(KeyPath(thumbprint, id), pem);
}

Result<std::string> KeyFolder::WritePassword(std::string_view id,
                                             std::string_view password) const {
  if (!IsFileId(id)) return Status::Internal("bad password file id");
  return Write(PasswordPath(id), password);
}

Result<std::optional<std::string>> KeyFolder::ReadKey(
    const std::vector<uint8_t>& thumbprint, std::string_view id) const {
  if (!IsFileId(id)) return std::optional<std::string>();
  return Read(KeyPath(thumbprint, id));
}

Result<std::optional<std::string>> KeyFolder::ReadPassword(
    std::string_view id) const {
  if (!IsFileId(id)) return std::optional<std::string>();
  return Read(PasswordPath(id));
}

}  // namespace sslbind::internal
