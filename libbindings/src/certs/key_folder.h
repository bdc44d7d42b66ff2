// Internal: the key folder beside a store file, <store>.keys/ (mode 0700).
//
//   <THUMBPRINT>.<id>.key   a certificate's private key, PEM PKCS#8, 0600
//   ccs.<id>.password       the CCS password, 0600
//
// The database names each file by its id (the certificate's SslbindKeyId
// value, the CCS settings' SslbindPasswordId). A file is never changed once
// written: a new key or password is a new file with a new id, written before
// the transaction that references it commits, and the file it replaces is
// removed after. So the database never references a missing file whatever
// fails when, two writers can never touch the same file, and the worst a
// crash leaves is a file nothing references.
//
// Files are written whole or not at all (a temporary file, fsync, rename,
// fsync of the folder). Nothing here knows about the database.
#ifndef SSLBIND_SRC_CERTS_KEY_FOLDER_H_
#define SSLBIND_SRC_CERTS_KEY_FOLDER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/status.h"

namespace sslbind::internal {

class KeyFolder {
 public:
  explicit KeyFolder(std::string root) : root_(std::move(root)) {}
  // A folder for dry runs: files written to it are kept in memory, and read
  // back from there, while the disk is never touched; files already on the
  // disk read as usual.
  static KeyFolder InMemory(std::string root);

  const std::string& root() const { return root_; }
  std::string KeyPath(const std::vector<uint8_t>& thumbprint,
                      std::string_view id) const;
  std::string PasswordPath(std::string_view id) const;

  // Writes a new file (never replaces one), creating the folder (0700) if
  // needed; returns its path.
  Result<std::string> WriteKey(const std::vector<uint8_t>& thumbprint,
                               std::string_view id, std::string_view pem) const;
  Result<std::string> WritePassword(std::string_view id,
                                    std::string_view password) const;

  // A file's contents, or nullopt if there is none. AccessDenied if it may
  // not be read.
  Result<std::optional<std::string>> ReadKey(
      const std::vector<uint8_t>& thumbprint, std::string_view id) const;
  Result<std::optional<std::string>> ReadPassword(std::string_view id) const;

 private:
  struct Held;  // the files of an in-memory folder, wiped when dropped

  Result<std::string> Write(std::string path, std::string_view data) const;
  Result<std::optional<std::string>> Read(const std::string& path) const;

  std::string root_;
  std::shared_ptr<Held> held_;  // null: files go to the disk
};

// Upper-case hex, as Windows names a certificate's key (and as its key file
// is named).
std::string ThumbprintName(const std::vector<uint8_t>& thumbprint);

// 16 random hex digits: a file id.
Result<std::string> NewFileId();
// True for what NewFileId returns (and so may name a file).
bool IsFileId(std::string_view id);

// Removes a file if it exists.
Status RemoveFileIfPresent(const std::string& path);

// Reads a whole file of at most `max_bytes`, opened without following a
// symbolic link in its last component. nullopt if it does not exist.
Result<std::optional<std::string>> ReadSmallFile(const std::string& path,
                                                 size_t max_bytes);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_KEY_FOLDER_H_
