// The Central Certificate Store: its settings, and finding the file for a
// host name inside the CCS folder and nowhere else.
#include "sslbind/ccs.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "certs/ccs_files.h"
#include "model/ccs_file_name.h"
#include "sslbind/binding_key.h"

namespace sslbind {
namespace internal {
namespace {

Status Corrupt(const RegistryKey& key, std::string_view what) {
  return Status::IncompatibleStore("registry key '" + key.path +
                                   "': " + std::string(what));
}

Result<std::string> RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) {
    std::string msg = "'" + path + "': " + std::strerror(errno);
    if (errno == EACCES) return Status::AccessDenied(msg);
    return Status::NotFound(msg);
  }
  return std::string(buf);
}

// A file name is one path component: the host name rules already refuse
// these, and this check keeps it so whatever the caller.
bool IsPlainFileName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(std::string_view("/\\\0", 3)) ==
             std::string_view::npos;
}

}  // namespace

Result<CcsSettings> DecodeCcsSettings(const RegistryKey& key) {
  CcsSettings settings;
  if (const RegistryValue* v = key.Find(kCcsEnabledValue)) {
    if (v->type != RegType::kDword || v->data.size() != 4) {
      return Corrupt(key, "Enabled is not a REG_DWORD");
    }
    settings.config.enabled =
        (v->data[0] | v->data[1] | v->data[2] | v->data[3]) != 0;
  }
  if (const RegistryValue* v = key.Find(kCcsLocationValue)) {
    if (v->type != RegType::kSz) {
      return Corrupt(key, "CertStoreLocation is not a REG_SZ");
    }
    settings.config.location.assign(v->data.begin(), v->data.end());
  }
  if (const RegistryValue* v = key.Find(kCcsPasswordIdValue)) {
    if (v->type != RegType::kSz) {
      return Corrupt(key, "SslbindPasswordId is not a REG_SZ");
    }
    settings.password_id.assign(v->data.begin(), v->data.end());
    for (char c : settings.password_id) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return Corrupt(key, "SslbindPasswordId is not an id");
      }
    }
    settings.config.has_password = !settings.password_id.empty();
  }
  return settings;
}

RegistryKey EncodeCcsSettings(bool enabled, std::string_view location,
                              std::string_view password_id) {
  RegistryKey key;
  key.path = std::string(kCentralCertProviderPath);
  key.values.push_back(
      RegistryValue::Dword(std::string(kCcsEnabledValue), enabled ? 1 : 0));
  key.values.push_back(
      RegistryValue::Sz(std::string(kCcsLocationValue), location));
  if (!password_id.empty()) {
    key.values.push_back(
        RegistryValue::Sz(std::string(kCcsPasswordIdValue), password_id));
  }
  return key;
}

CcsFile::CcsFile(CcsFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), stat_(other.stat_) {
  other.fd_ = -1;
}

CcsFile::~CcsFile() {
  if (fd_ >= 0) close(fd_);
}

Result<std::string> CcsFile::ReadAll(size_t max_bytes) const {
  if (static_cast<uint64_t>(stat_.st_size) > max_bytes) {
    return Status::InvalidArgument("the CCS file '" + path_ +
                                   "' is larger than " +
                                   std::to_string(max_bytes) + " bytes");
  }
  std::string data(static_cast<size_t>(stat_.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = pread(fd_, data.data() + done, data.size() - done,
                      static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::IoError("cannot read '" + path_ +
                             "': " + std::strerror(errno));
    }
    if (n == 0) break;  // shrank meanwhile: the caller sees a short file
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

namespace {

// The CCS folder, open; opens files inside it and nowhere else.
class CcsDir {
 public:
  static Result<std::unique_ptr<CcsDir>> Open(std::string_view folder) {
    std::string dir(folder);
    int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      std::string msg = "the CCS folder '" + dir + "': " + std::strerror(errno);
      if (errno == EACCES) return Status::AccessDenied(msg);
      return Status::NotFound(msg);
    }
    return std::unique_ptr<CcsDir>(new CcsDir(std::move(dir), fd));
  }
  CcsDir(const CcsDir&) = delete;
  CcsDir& operator=(const CcsDir&) = delete;
  ~CcsDir() { close(fd_); }

  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

  // Opens the regular file `name` (one path component) for reading,
  // following a symbolic link only if it ends inside the folder, and fills
  // `*st`. -1 with `*why` set ("does not exist", ...) if it cannot be used.
  Result<int> OpenFile(const std::string& name, std::string* why,
                       struct stat* st) {
    if (!IsPlainFileName(name)) {
      *why = "is not a file name";
      return -1;
    }
    int fd = openat(fd_, name.c_str(),
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP) {
      if (real_.empty()) {
        Result<std::string> real = RealPath(path_);
        if (!real.ok()) return real.status();
        real_ = *real + "/";
      }
      Result<std::string> target = RealPath(path_ + "/" + name);
      if (!target.ok()) {
        *why = "is a symbolic link to nothing";
        return -1;
      }
      if (!target->starts_with(real_)) {
        *why = "is a symbolic link to a file outside the folder";
        return -1;
      }
      fd =
          open(target->c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    }
    if (fd < 0) {
      *why = errno == ENOENT
                 ? std::string("does not exist")
                 : "cannot be opened: " + std::string(std::strerror(errno));
      return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
      close(fd);
      *why = "is not a regular file";
      return -1;
    }
    return fd;
  }

 private:
  CcsDir(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_;
  std::string real_;  // the folder's real path and '/', once needed
};

}  // namespace

Result<CcsFile> OpenCcsFile(std::string_view folder,
                            std::string_view hostname) {
  Result<std::vector<std::string>> names = CcsCandidateFileNames(hostname);
  if (!names.ok()) return names.status();
  Result<std::unique_ptr<CcsDir>> dir = CcsDir::Open(folder);
  if (!dir.ok()) return dir.status();
  std::string reasons;
  for (const std::string& name : *names) {
    std::string why;
    struct stat st;
    Result<int> fd = (*dir)->OpenFile(name, &why, &st);
    if (!fd.ok()) return fd.status();
    if (*fd < 0) {
      reasons += "; " + name + " " + why;
      continue;
    }
    return CcsFile(*fd, (*dir)->path() + "/" + name, st);
  }
  return Status::NotFound("no CCS file for " + std::string(hostname) + " in '" +
                          (*dir)->path() + "': " + reasons.substr(2));
}

Result<CcsSettings> ReadCcsSettings(RegistryReader& reader) {
  Result<std::optional<RegistryKey>> key =
      reader.GetKey(kCentralCertProviderPath);
  if (!key.ok()) return key.status();
  if (!*key) return CcsSettings{};
  return DecodeCcsSettings(**key);
}

}  // namespace internal

Result<std::vector<std::string>> CcsCandidateFileNames(
    std::string_view hostname) {
  Result<std::string> name = CanonicalHostname(hostname, false);
  if (!name.ok()) return name.status();
  std::vector<std::string> files;
  for (size_t i = 0; i < internal::CcsFileCount(*name); ++i) {
    files.push_back(internal::CcsFileName(*name, i));
  }
  return files;
}

Result<std::string> FindCcsFile(std::string_view folder,
                                std::string_view hostname) {
  Result<internal::CcsFile> file = internal::OpenCcsFile(folder, hostname);
  if (!file.ok()) return file.status();
  return file->path();
}

Result<std::vector<std::string>> ListCcsFiles(std::string_view folder) {
  Result<std::unique_ptr<internal::CcsDir>> dir =
      internal::CcsDir::Open(folder);
  if (!dir.ok()) return dir.status();
  int list_fd = dup((*dir)->fd());
  DIR* listing = list_fd < 0 ? nullptr : fdopendir(list_fd);
  if (listing == nullptr) {
    if (list_fd >= 0) close(list_fd);
    return Status::IoError("cannot list the CCS folder '" + (*dir)->path() +
                           "': " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(listing)) {
    if (internal::IsCcsFileName(entry->d_name))
      names.emplace_back(entry->d_name);
  }
  closedir(listing);
  std::vector<std::string> usable;
  for (const std::string& name : names) {
    std::string why;
    struct stat st;
    Result<int> fd = (*dir)->OpenFile(name, &why, &st);
    if (!fd.ok()) return fd.status();
    if (*fd >= 0) {
      close(*fd);
      usable.push_back(name);
    }
  }
  std::sort(usable.begin(), usable.end());
  return usable;
}

Result<std::shared_ptr<const CcsFolderListing>> CcsFolderListing::List(
    std::string_view folder) {
  Result<std::vector<std::string>> files = ListCcsFiles(folder);
  if (!files.ok()) return files.status();
  return std::shared_ptr<const CcsFolderListing>(
      new CcsFolderListing(std::string(folder), std::move(*files)));
}

bool CcsFolderListing::HasFile(std::string_view file_name) const {
  return std::binary_search(
      files_.begin(), files_.end(), file_name,
      [](std::string_view a, std::string_view b) { return a < b; });
}

}  // namespace sslbind
