// The key folder: private keys and the CCS password as 0600 files, each
// written once, atomically, under a new name.
#include "certs/key_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "certs/openssl_util.h"
#include "model/text_rules.h"
#include "sslbind/binding.h"
#include "storage/store_files.h"

namespace sslbind::internal {
namespace {

constexpr size_t kMaxSecretFile = 1 << 20;

Status ErrnoStatus(int err, const std::string& what) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == EACCES || err == EPERM) return Status::AccessDenied(msg);
  return Status::IoError(msg);
}

Status SyncFolder(const std::string& dir);

Status TrustFolder(const std::string& dir, const struct stat& st,
                   uid_t store_owner) {
  return CheckFolderTrust("key folder", dir, st, store_owner, false);
}

// Opens the folder `dir` (creating it, mode 0700, if missing) after
// checking that it may be trusted; takes group and other permissions away
// from a folder of the caller's. Returns the folder's descriptor.
Result<int> OpenPrivateFolder(const std::string& dir, uid_t store_owner) {
  if (mkdir(dir.c_str(), 0700) == 0) {
    std::string parent = dir.substr(0, dir.find_last_of('/') + 1);
    Status s = SyncFolder(parent.empty() ? "." : parent);
    if (!s.ok()) return s;
  } else if (errno != EEXIST) {
    return ErrnoStatus(errno, "cannot create the key folder '" + dir + "'");
  }
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    struct stat st;
    if (lstat(dir.c_str(), &st) == 0) {
      Status s = TrustFolder(dir, st, store_owner);  // a link, a file
      if (!s.ok()) return s;
    }
    return ErrnoStatus(err, "cannot open the key folder '" + dir + "'");
  }
  struct stat st;
  Status s =
      fstat(fd, &st) == 0
          ? TrustFolder(dir, st, store_owner)
          : ErrnoStatus(errno, "cannot read the key folder '" + dir + "'");
  if (s.ok() && (st.st_mode & 077) != 0 && st.st_uid == geteuid() &&
      fchmod(fd, 0700) != 0) {
    s = ErrnoStatus(errno, "cannot restrict the key folder '" + dir + "'");
  }
  if (!s.ok()) {
    close(fd);
    return s;
  }
  return fd;
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

constexpr std::string_view kTempMark = ".tmp-";

// Writes `name` in the folder open as `dir_fd` whole or not at all, mode
// 0600; refuses to replace a file. `dir` names the folder in messages.
Status WriteNewFile(int dir_fd, const std::string& dir, const std::string& name,
                    std::string_view data) {
  Result<std::string> nonce = NewFileId();
  if (!nonce.ok()) return nonce.status();
  const std::string tmp_name = "." + name + std::string(kTempMark) + *nonce;
  const std::string tmp_path = dir + "/" + tmp_name;
  const std::string final_path = dir + "/" + name;
  int fd = openat(dir_fd, tmp_name.c_str(),
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
  // linkat() fails if the name is taken, where renameat() would replace.
  if (s.ok() &&
      linkat(dir_fd, tmp_name.c_str(), dir_fd, name.c_str(), 0) != 0) {
    s = ErrnoStatus(errno, "cannot write '" + final_path + "'");
  }
  unlinkat(dir_fd, tmp_name.c_str(), 0);
  if (s.ok() && fsync(dir_fd) != 0) {
    s = ErrnoStatus(errno, "cannot sync '" + dir + "'");
  }
  return s;
}

bool IsHexRun(std::string_view s, bool upper) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [upper](char c) {
    return (c >= '0' && c <= '9') ||
           (upper ? (c >= 'A' && c <= 'F') : (c >= 'a' && c <= 'f'));
  });
}

// <THUMBPRINT>.<id>.key or ccs.<id>.password, as KeyFileName and
// PasswordFileName spell them.
bool IsKeyOrPasswordName(std::string_view name) {
  auto strip = [&name](std::string_view suffix) {
    if (!name.ends_with(suffix)) return false;
    name.remove_suffix(suffix.size());
    return true;
  };
  if (strip(".password")) {
    return name.starts_with("ccs.") && IsFileId(name.substr(4));
  }
  if (!strip(".key") || name.size() < 18) return false;
  std::string_view id = name.substr(name.size() - 16);
  std::string_view thumb = name.substr(0, name.size() - 17);
  return name[name.size() - 17] == '.' && IsFileId(id) && IsHexRun(thumb, true);
}

// .<key or password name>.tmp-<id>, as WriteNewFile spells it.
bool IsTemporaryName(std::string_view name) {
  size_t mark = name.rfind(kTempMark);
  return name.size() > 1 && name[0] == '.' && mark != std::string_view::npos &&
         IsFileId(name.substr(mark + kTempMark.size())) &&
         IsKeyOrPasswordName(name.substr(1, mark - 1));
}

bool Before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

}  // namespace

std::string ThumbprintName(const std::vector<uint8_t>& thumbprint) {
  std::string s = HexLower(thumbprint);
  for (char& c : s) c = AsciiUpper(c);
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

std::string KeyFileName(const std::vector<uint8_t>& thumbprint,
                        std::string_view id) {
  return ThumbprintName(thumbprint) + "." + std::string(id) + ".key";
}

std::string PasswordFileName(std::string_view id) {
  return "ccs." + std::string(id) + ".password";
}

std::string KeyFolder::KeyPath(const std::vector<uint8_t>& thumbprint,
                               std::string_view id) const {
  if (vault_) return "";
  return root_ + "/" + KeyFileName(thumbprint, id);
}

std::string KeyFolder::PasswordPath(std::string_view id) const {
  if (vault_) return "";
  return root_ + "/" + PasswordFileName(id);
}

uid_t KeyFolder::StoreOwner() const {
  return store_owner_ == static_cast<uid_t>(-1) ? geteuid() : store_owner_;
}

Status KeyFolder::CheckTrusted() const {
  if (vault_) return Status::Ok();
  struct stat st;
  if (lstat(root_.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return ErrnoStatus(errno, "cannot read the key folder '" + root_ + "'");
  }
  return TrustFolder(root_, st, StoreOwner());
}

KeyFolder::Leftovers KeyFolder::ListLeftovers(const timespec& before) const {
  Leftovers found;
  if (held_) return found;
  if (vault_) {  // written in transactions: nothing is in flight
    Result<std::vector<std::string>> names = vault_->List();
    if (names.ok()) found.keys_and_passwords = std::move(*names);
    return found;
  }
  Result<int> dir_fd = [this]() -> Result<int> {
    int fd =
        open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return Status::NotFound("no key folder");
    struct stat st;
    if (fstat(fd, &st) != 0 || !TrustFolder(root_, st, StoreOwner()).ok()) {
      close(fd);
      return Status::AccessDenied("untrusted");
    }
    return fd;
  }();
  if (!dir_fd.ok()) return found;
  // Owned, so that it is closed (with *dir_fd) also when an emplace_back
  // throws.
  struct CloseDir {
    void operator()(DIR* d) const { closedir(d); }
  };
  std::unique_ptr<DIR, CloseDir> dir(fdopendir(*dir_fd));
  if (dir == nullptr) {
    close(*dir_fd);
    return found;
  }
  while (const dirent* entry = readdir(dir.get())) {
    std::string_view name = entry->d_name;
    bool temporary = IsTemporaryName(name);
    if (!temporary && !IsKeyOrPasswordName(name)) continue;
    struct stat st;
    if (fstatat(*dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode) || !Before(st.st_mtim, before) ||
        !Before(st.st_ctim, before)) {
      continue;
    }
    (temporary ? found.temporaries : found.keys_and_passwords)
        .emplace_back(name);
  }
  return found;
}

void KeyFolder::RemoveLeftover(const std::string& name) const {
  if (vault_ && !held_) {
    (void)vault_->Remove(name);
    return;
  }
  if (held_ || name.find('/') != std::string::npos) return;
  (void)RemoveFileIfPresent(root_ + "/" + name);
}

Result<std::string> KeyFolder::Retire(const std::string& name) const {
  if (!vault_) return root_ + "/" + name;
  if (held_) return std::string();
  Status s = vault_->Remove(name);
  if (!s.ok()) return s;
  return std::string();
}

struct KeyFolder::Held {
  ~Held() {
    for (auto& [path, data] : files) Wipe(data);
  }
  std::map<std::string, std::string> files;
};

KeyFolder KeyFolder::InVault(std::shared_ptr<const SecretVault> vault,
                             bool in_memory) {
  KeyFolder folder("");
  folder.vault_ = std::move(vault);
  if (in_memory) folder.held_ = std::make_shared<Held>();
  return folder;
}

KeyFolder KeyFolder::InMemory(std::string root) {
  KeyFolder folder(std::move(root));
  folder.held_ = std::make_shared<Held>();
  return folder;
}

Result<std::string> KeyFolder::Write(std::string path,
                                     std::string_view data) const {
  if (root_.empty()) {
    return Status::Internal("a key folder without a path");
  }
  if (held_) {
    if (held_->files.count(path) != 0) {
      return Status::Internal("the file '" + path + "' exists");
    }
    held_->files.emplace(path, std::string(data));
    return path;
  }
  Result<int> dir_fd = OpenPrivateFolder(root_, StoreOwner());
  if (!dir_fd.ok()) return dir_fd.status();
  Status s;
  try {
    s = WriteNewFile(*dir_fd, root_, path.substr(root_.size() + 1), data);
  } catch (...) {  // out of memory: the folder is closed all the same
    close(*dir_fd);
    throw;
  }
  close(*dir_fd);
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

Result<std::string> KeyFolder::WriteSecret(const std::string& name,
                                           std::string_view data) const {
  if (held_) {
    held_->files[name] = std::string(data);
    return std::string();
  }
  Status s = vault_->Put(name, data);
  if (!s.ok()) return s;
  return std::string();
}

Result<std::optional<std::string>> KeyFolder::ReadSecret(
    const std::string& name) const {
  if (held_) {
    auto it = held_->files.find(name);
    if (it != held_->files.end()) return std::optional<std::string>(it->second);
  }
  return vault_->Get(name);
}

Result<std::string> KeyFolder::WriteKey(const std::vector<uint8_t>& thumbprint,
                                        std::string_view id,
                                        std::string_view pem) const {
  if (!IsFileId(id)) return Status::Internal("bad key file id");
  if (vault_) return WriteSecret(KeyFileName(thumbprint, id), pem);
  return Write(KeyPath(thumbprint, id), pem);
}

Result<std::string> KeyFolder::WritePassword(std::string_view id,
                                             std::string_view password) const {
  if (!IsFileId(id)) return Status::Internal("bad password file id");
  if (vault_) return WriteSecret(PasswordFileName(id), password);
  return Write(PasswordPath(id), password);
}

Result<std::optional<std::string>> KeyFolder::ReadKey(
    const std::vector<uint8_t>& thumbprint, std::string_view id) const {
  if (!IsFileId(id)) return std::optional<std::string>();
  if (vault_) return ReadSecret(KeyFileName(thumbprint, id));
  return Read(KeyPath(thumbprint, id));
}

Result<std::optional<std::string>> KeyFolder::ReadPassword(
    std::string_view id) const {
  if (!IsFileId(id)) return std::optional<std::string>();
  if (vault_) return ReadSecret(PasswordFileName(id));
  return Read(PasswordPath(id));
}

}  // namespace sslbind::internal
