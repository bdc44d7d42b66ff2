// The Central Certificate Store: its settings, and finding the file for a
// host name inside the CCS folder and nowhere else.
#include "sslbind/ccs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "certs/ccs_files.h"
#include "sslbind/binding_key.h"
#include "sslbind/store.h"

namespace sslbind {
namespace internal {
namespace {

Status Corrupt(const RegistryKey& key, std::string_view what) {
  return Status::IncompatibleStore("registry key '" + key.path + "': " +
                                   std::string(what));
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

Result<CcsFile> OpenCcsFile(std::string_view folder, std::string_view hostname) {
  Result<std::vector<std::string>> names = CcsCandidateFileNames(hostname);
  if (!names.ok()) return names.status();
  const std::string dir(folder);
  int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    std::string msg = "the CCS folder '" + dir + "': " + std::strerror(errno);
    if (errno == EACCES) return Status::AccessDenied(msg);
    return Status::NotFound(msg);
  }
  std::string why;
  std::string dir_real;
  for (const std::string& name : *names) {
    if (!IsPlainFileName(name)) continue;
    const std::string path = dir + "/" + name;
    int fd = openat(dir_fd, name.c_str(),
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP) {
      // A symbolic link: followed only if it ends inside the folder.
      if (dir_real.empty()) {
        Result<std::string> real = RealPath(dir);
        if (!real.ok()) {
          close(dir_fd);
          return real.status();
        }
        dir_real = *real + "/";
      }
      Result<std::string> target = RealPath(path);
      if (!target.ok()) {
        why += "; " + name + " is a symbolic link to nothing";
        continue;
      }
      if (!target->starts_with(dir_real)) {
        why += "; " + name + " is a symbolic link to a file outside the folder";
        continue;
      }
      fd = open(target->c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    }
    if (fd < 0) {
      why += "; " + name +
             (errno == ENOENT ? std::string(" does not exist")
                              : " cannot be opened: " +
                                    std::string(std::strerror(errno)));
      continue;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(fd);
      why += "; " + name + " is not a regular file";
      continue;
    }
    close(dir_fd);
    return CcsFile(fd, path, st);
  }
  close(dir_fd);
  return Status::NotFound("no CCS file for " + std::string(hostname) +
                          " in '" + dir + "': " + why.substr(2));
}

}  // namespace internal

Result<CcsConfig> ReadCcsConfig(const Store& store) {
  Result<std::vector<RegistryKey>> keys =
      store.ReadRegistry(kCentralCertProviderPath);
  if (!keys.ok()) return keys.status();
  for (const RegistryKey& key : *keys) {
    if (FoldCase(key.path) != FoldCase(kCentralCertProviderPath)) continue;
    Result<internal::CcsSettings> settings = internal::DecodeCcsSettings(key);
    if (!settings.ok()) return settings.status();
    return settings->config;
  }
  return CcsConfig{};
}

Result<std::vector<std::string>> CcsCandidateFileNames(
    std::string_view hostname) {
  Result<std::string> name = CanonicalHostname(hostname, false);
  if (!name.ok()) return name.status();
  std::vector<std::string> files = {*name + ".pfx"};
  size_t dot = name->find('.');
  if (dot != std::string::npos) {
    files.push_back("_." + name->substr(dot + 1) + ".pfx");
  }
  return files;
}

Result<std::string> FindCcsFile(std::string_view folder,
                                std::string_view hostname) {
  Result<internal::CcsFile> file = internal::OpenCcsFile(folder, hostname);
  if (!file.ok()) return file.status();
  return file->path();
}

}  // namespace sslbind
