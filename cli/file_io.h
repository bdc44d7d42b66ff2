// Reading input files (or standard input) and writing output files (or
// standard output) for the provisioning commands.
#ifndef SSLBIND_CLI_FILE_IO_H_
#define SSLBIND_CLI_FILE_IO_H_

#include <cstdio>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace sslbind::cli {

// The name of a file in messages: "standard input" for "-", else the path.
std::string InputName(const std::string& path);

// Opens the file to read, or returns stdin for "-" (which the caller then
// does not close). Throws CommandError::Input: NotFound (2) if the file does
// not exist, AccessDenied (5) or IoError otherwise, InvalidArgument (87) for
// a folder, naming the file.
std::FILE* OpenInput(const std::string& path);

// All bytes of the file, or of standard input for "-". Throws
// CommandError::Input as OpenInput, and IoError if reading fails; running
// out of memory is CommandError::Failed (Internal, "out of memory"), never a
// shorter text.
std::string ReadInput(const std::string& path);

// A file, or standard input, mapped into memory to be read once from front
// to back: a file of a gigabyte costs its address space, not its size in
// resident memory, as the pages read are dropped (Release). Standard input
// that is not a file (a pipe) is first copied to an unnamed temporary file
// in $TMPDIR (else /tmp), which goes when the map does.
class InputMap {
 public:
  // Throws CommandError::Input as OpenInput, and IoError if reading or
  // copying fails; a map that does not fit in the address space (ulimit
  // -v) is CommandError::Failed (Internal, "out of memory reading ...").
  explicit InputMap(const std::string& path);
  InputMap(const InputMap&) = delete;
  InputMap& operator=(const InputMap&) = delete;
  ~InputMap();

  std::string_view bytes() const { return {data_, size_}; }
  // Drops the pages below `offset` from memory (they are read again from
  // the file if used again). An offset below the last one starts over: the
  // bytes are being read a second time.
  void Release(size_t offset);

 private:
  char* map_ = nullptr;  // the mapping: from a page boundary at or before
  size_t map_size_ = 0;  // the first byte to read, to the end of the file
  size_t skip_ = 0;      // bytes of the mapping before data_
  const char* data_ = "";
  size_t size_ = 0;
  size_t released_ = 0;  // bytes of the mapping dropped
};

// Writes `bytes` to the file at `path`, through a temporary file in the same
// folder renamed into place, so that a failed write never leaves a partial
// file; or to `out` when `path` is empty or "-". Throws CommandError::Input
// on failure, naming the file.
void WriteOutput(const std::string& path, std::string_view bytes,
                 std::ostream& out);

// WriteOutput for output made a piece at a time: `fill` writes to the
// stream it is given. If `fill` throws, a file is not renamed into place
// (what reached standard output stays there) and the exception goes on.
void WriteOutputWith(const std::string& path, std::ostream& out,
                     const std::function<void(std::ostream&)>& fill);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_FILE_IO_H_
