#include "file_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

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

}  // namespace

std::string InputName(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

std::string ReadInput(const std::string& path) {
  std::ostringstream data;
  if (path == "-") {
    data << std::cin.rdbuf();
    if (std::cin.bad()) {
      throw CommandError::Input(Status::IoError("cannot read standard input"));
    }
    return std::move(data).str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CommandError::Input(ErrnoStatus(errno, "cannot read '" + path + "'"));
  }
  if (std::filesystem::is_directory(path)) {
    throw CommandError::Input(Status::InvalidArgument(
        "cannot read '" + path + "': it is a folder, not a file"));
  }
  // One read of the whole file: large imports should not copy it twice.
  std::string bytes;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) {  // a pipe (e.g. <(command)): no size to ask for
    in.clear();
    data << in.rdbuf();
    bytes = std::move(data).str();
  } else if (size > 0) {
    bytes.resize(static_cast<size_t>(size));
    in.read(bytes.data(), size);
    bytes.resize(static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) {
    throw CommandError::Input(ErrnoStatus(errno, "cannot read '" + path + "'"));
  }
  return bytes;
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
