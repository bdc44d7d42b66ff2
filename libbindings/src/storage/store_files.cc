// The store file's resolved path and the writer's check of its folder.
#include "storage/store_files.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace sslbind::internal {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxLinks = 40;  // as the kernel's ELOOP limit

std::string Resolve(const std::string& abs, int depth) {
  if (depth > kMaxLinks) return abs;
  char buf[PATH_MAX];
  if (realpath(abs.c_str(), buf) != nullptr) return buf;
  if (errno != ENOENT) return abs;
  fs::path p(abs);
  struct stat st;
  if (lstat(abs.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    // A link to nothing yet: SQLite creates the file it points to.
    ssize_t n = readlink(abs.c_str(), buf, sizeof buf);
    if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return abs;
    fs::path target(std::string(buf, static_cast<size_t>(n)));
    if (target.is_relative()) target = p.parent_path() / target;
    return Resolve(target.string(), depth + 1);
  }
  // Missing: resolve its folder and keep its name.
  fs::path parent = p.parent_path();
  std::string name = p.filename().string();
  if (parent == p || name.empty() || name == "." || name == "..") return abs;
  std::string dir = Resolve(parent.string(), depth + 1);
  return (dir == "/" ? "" : dir) + "/" + name;
}

std::string Mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

std::string ResolveStorePath(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) return path;
  return Resolve(abs.string(), 0);
}

uid_t StoreOwner(const std::string& resolved_path) {
  struct stat st;
  if (stat(resolved_path.c_str(), &st) == 0) return st.st_uid;
  return geteuid();
}

Status CheckFolderTrust(std::string_view what, const std::string& dir,
                        const struct stat& st, uid_t store_owner,
                        bool sticky_ok) {
  const std::string refused =
      "refusing the " + std::string(what) + " '" + dir + "': ";
  if (S_ISLNK(st.st_mode)) {
    return Status::AccessDenied(refused + "it is a symbolic link");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::AccessDenied(refused + "it is not a folder");
  }
  if (st.st_uid != store_owner && st.st_uid != geteuid() && st.st_uid != 0) {
    return Status::AccessDenied(
        refused + "it is owned by user " + std::to_string(st.st_uid) +
        ", not by the store's owner (user " + std::to_string(store_owner) +
        "), and could have been prepared by anyone");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
      !(sticky_ok && (st.st_mode & S_ISVTX) != 0)) {
    return Status::AccessDenied(refused +
                                "group or others may write it (mode " +
                                Mode(st.st_mode) + ")");
  }
  return Status::Ok();
}

Status CheckStoreFolder(const std::string& resolved_path, uid_t store_owner) {
  const std::string dir = fs::path(resolved_path).parent_path().string();
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::Ok();  // created by the writer, or reported by the open
  }
  return CheckFolderTrust("store folder", dir, st, store_owner, true);
}

Status CreateStoreFolders(const std::string& resolved_path) {
  fs::path dir = fs::path(resolved_path).parent_path();
  fs::path sofar;
  for (const fs::path& part : dir) {
    sofar /= part;
    if (mkdir(sofar.c_str(), 0755) == 0 || errno == EEXIST) continue;
    std::string msg = "cannot create the folder '" + sofar.string() +
                      "': " + std::strerror(errno);
    if (errno == EACCES || errno == EPERM) {
      return Status::AccessDenied(msg);
    }
    return Status::IoError(msg);
  }
  return Status::Ok();
}

}  // namespace sslbind::internal
