#include "file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>

#include "command_error.h"

namespace sslbind::cli {
namespace {

Status ErrnoStatus(int err, const std::string& what) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return Status::NotFound(msg);
  if (err == EACCES || err == EPERM || err == EROFS) {
    return Status::AccessDenied(msg);
  }
  return Status::IoError(msg);
}

// A file in a message: 'path', or standard input.
std::string Described(const std::string& path) {
  return path == "-" ? "standard input" : "'" + path + "'";
}

}  // namespace

std::string InputName(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

std::FILE* OpenInput(const std::string& path) {
  if (path == "-") return stdin;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw CommandError::Input(ErrnoStatus(errno, "cannot read '" + path + "'"));
  }
  struct stat st;
  if (fstat(fileno(file), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::fclose(file);
    throw CommandError::Input(Status::InvalidArgument(
        "cannot read '" + path + "': it is a folder, not a file"));
  }
  return file;
}

std::string ReadInput(const std::string& path) {
  std::FILE* file = OpenInput(path);
  std::string bytes;
  int err = 0;
  try {
    // One read into a buffer of the file's size: large imports should not
    // copy it twice. A pipe has no size; the string then grows.
    struct stat st;
    if (fstat(fileno(file), &st) == 0 && S_ISREG(st.st_mode)) {
      bytes.reserve(static_cast<size_t>(st.st_size) + 1);
    }
    char chunk[1 << 16];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
      bytes.append(chunk, n);
    }
    if (std::ferror(file)) err = errno;
  } catch (const std::bad_alloc&) {
    if (file != stdin) std::fclose(file);
    std::string().swap(bytes);
    throw CommandError::Failed(
        Status::Internal("out of memory reading " + Described(path)));
  }
  if (file != stdin) std::fclose(file);
  if (err != 0) {
    throw CommandError::Input(
        ErrnoStatus(err, "cannot read " + Described(path)));
  }
  return bytes;
}

namespace {

// An unnamed temporary file holding the rest of standard input; its
// descriptor (closed by the caller).
int SpillStandardInput() {
  const char* tmp = std::getenv("TMPDIR");
  const std::string folder = tmp && *tmp ? tmp : "/tmp";
  int fd = open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw CommandError::Input(ErrnoStatus(
        errno,
        "cannot copy standard input to a temporary file in '" + folder + "'"));
  }
  char chunk[1 << 16];
  while (true) {
    ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    int err = n < 0 ? errno : 0;
    for (ssize_t done = 0; err == 0 && done < n;) {
      ssize_t w = write(fd, chunk + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) err = errno;
      done += w < 0 ? 0 : w;
    }
    if (err != 0) {
      close(fd);
      throw CommandError::Input(ErrnoStatus(
          err, n < 0 ? "cannot read standard input"
                     : "cannot copy standard input to a temporary file in '" +
                           folder + "'"));
    }
  }
  return fd;
}

}  // namespace

InputMap::InputMap(const std::string& path) {
  std::FILE* file = OpenInput(path);
  int fd = fileno(file);
  struct stat st;
  bool spilled = false;
  // Standard input redirected from a file is read from where it stands.
  off_t start = 0;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    fd = SpillStandardInput();  // only "-" can be other than a file
    spilled = true;
    if (fstat(fd, &st) != 0) st.st_size = 0;
  } else if (file == stdin) {
    start = std::max<off_t>(0, std::min(lseek(fd, 0, SEEK_CUR), st.st_size));
  }
  static const off_t kPage = static_cast<off_t>(sysconf(_SC_PAGESIZE));
  const off_t map_from = start / kPage * kPage;
  int err = 0;
  if (st.st_size > start) {
    const size_t length = static_cast<size_t>(st.st_size - map_from);
    void* at = mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, map_from);
    if (at == MAP_FAILED) {
      err = errno;
    } else {
      map_ = static_cast<char*>(at);
      map_size_ = length;
      skip_ = static_cast<size_t>(start - map_from);
      data_ = map_ + skip_;
      size_ = map_size_ - skip_;
      madvise(at, map_size_, MADV_SEQUENTIAL);
    }
  }
  if (spilled) close(fd);
  if (file != stdin) std::fclose(file);
  if (err == ENOMEM) {
    throw CommandError::Failed(
        Status::Internal("out of memory reading " + Described(path)));
  }
  if (err != 0) {
    throw CommandError::Input(
        ErrnoStatus(err, "cannot read " + Described(path)));
  }
}

InputMap::~InputMap() {
  if (map_ != nullptr) munmap(map_, map_size_);
}

void InputMap::Release(size_t offset) {
  if (map_ == nullptr) return;
  static const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t end = (skip_ + std::min(offset, size_)) / kPage * kPage;
  if (end < released_) released_ = 0;  // read again from the start
  if (end <= released_) return;
  madvise(map_ + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

void WriteOutput(const std::string& path, std::string_view bytes,
                 std::ostream& out) {
  WriteOutputWith(path, out, [bytes](std::ostream& o) {
    o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

void WriteOutputWith(const std::string& path, std::ostream& out,
                     const std::function<void(std::ostream&)>& fill) {
  if (path.empty() || path == "-") {
    fill(out);
    out.flush();
    if (!out) {
      throw CommandError::Input(
          Status::IoError("cannot write standard output"));
    }
    return;
  }
  std::string tmp = path + ".sslbind-tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) {
      throw CommandError::Input(
          ErrnoStatus(errno, "cannot write '" + path + "'"));
    }
    try {
      fill(file);
    } catch (...) {
      file.close();
      std::remove(tmp.c_str());
      throw;
    }
    file.flush();
    if (!file) {
      int err = errno;
      std::remove(tmp.c_str());
      throw CommandError::Input(
          ErrnoStatus(err, "cannot write '" + path + "'"));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    throw CommandError::Input(ErrnoStatus(err, "cannot write '" + path + "'"));
  }
}

}  // namespace sslbind::cli
