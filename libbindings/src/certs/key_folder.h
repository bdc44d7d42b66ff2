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
// Files are written whole or not at all (a temporary file
// .<name>.tmp-<nonce>, fsync, link to the final name, fsync of the folder).
// Nothing here knows about the database.
//
// A writer trusts the folder only if it is a folder (not a symbolic link),
// owned by the store's owner, the writer or root, and not writable by group
// or others: anyone else could have prepared it to read or swap the keys.
#ifndef SSLBIND_SRC_CERTS_KEY_FOLDER_H_
#define SSLBIND_SRC_CERTS_KEY_FOLDER_H_

#include <sys/types.h>
#include <time.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/status.h"

namespace sslbind::internal {

// Where a store without a key folder (in PostgreSQL) keeps its private keys
// and CCS password: named like the files of a key folder, written in the
// store's write transaction, encrypted by the implementation
// (store_secrets.h).
class SecretVault {
 public:
  virtual ~SecretVault() = default;
  virtual Status Put(const std::string& name, std::string_view data) const = 0;
  virtual Result<std::optional<std::string>> Get(
      const std::string& name) const = 0;
  virtual Result<std::vector<std::string>> List() const = 0;
  virtual Status Remove(const std::string& name) const = 0;
};

class KeyFolder {
 public:
  // `store_owner`: the owner of the store file (see storage/store_files.h),
  // whom the folder must belong to (or to the caller, or root).
  KeyFolder(std::string root, uid_t store_owner)
      : root_(std::move(root)), store_owner_(store_owner) {}
  // A folder only read from.
  explicit KeyFolder(std::string root) : root_(std::move(root)) {}
  // A folder for dry runs: files written to it are kept in memory, and read
  // back from there, while the disk is never touched; files already on the
  // disk read as usual.
  static KeyFolder InMemory(std::string root);
  // The secrets of a store without a key folder, kept in `vault`: no file
  // is ever touched, and paths (KeyPath, what WriteKey returns) are empty.
  // With `in_memory`, for dry runs: writes are kept in memory.
  static KeyFolder InVault(std::shared_ptr<const SecretVault> vault,
                           bool in_memory);

  const std::string& root() const { return root_; }
  // True for InVault: a failed read is then the backend's (the store's),
  // not a file's.
  bool in_vault() const { return vault_ != nullptr; }
  std::string KeyPath(const std::vector<uint8_t>& thumbprint,
                      std::string_view id) const;
  std::string PasswordPath(std::string_view id) const;

  // AccessDenied, saying why, if the folder exists and may not be trusted
  // (see above); OK if it does not exist. Changes nothing.
  Status CheckTrusted() const;

  // Writes a new file (never replaces one), creating the folder (0700) if
  // needed; returns its path. AccessDenied if the folder may not be trusted
  // (checked on the open folder, so it cannot be swapped meanwhile); a
  // trusted folder of the caller's loses group and other permissions.
  Result<std::string> WriteKey(const std::vector<uint8_t>& thumbprint,
                               std::string_view id, std::string_view pem) const;
  Result<std::string> WritePassword(std::string_view id,
                                    std::string_view password) const;

  // A file's contents, or nullopt if there is none. AccessDenied if it may
  // not be read.
  Result<std::optional<std::string>> ReadKey(
      const std::vector<uint8_t>& thumbprint, std::string_view id) const;
  Result<std::optional<std::string>> ReadPassword(std::string_view id) const;

  // The names of the files a crashed writer may have left: temporaries,
  // key files and password files (nothing else is ever touched) that are
  // regular files last changed strictly before `before`. Empty if the
  // folder does not exist or may not be trusted.
  struct Leftovers {
    std::vector<std::string> temporaries;
    std::vector<std::string> keys_and_passwords;
  };
  Leftovers ListLeftovers(const timespec& before) const;
  // Removes a file named by ListLeftovers; failures are ignored.
  void RemoveLeftover(const std::string& name) const;

  // A key or password file (by name) the running write transaction stops
  // referencing. In a vault its row is removed now, inside that
  // transaction, so it goes exactly when the change commits; a dry run's
  // vault keeps it. A folder's file may only go once the change has
  // committed: its path is returned, for FileChanges::Replaced (empty for
  // a vault).
  Result<std::string> Retire(const std::string& name) const;

 private:
  struct Held;  // the files of an in-memory folder, wiped when dropped

  uid_t StoreOwner() const;
  Result<std::string> Write(std::string path, std::string_view data) const;
  Result<std::optional<std::string>> Read(const std::string& path) const;
  Result<std::string> WriteSecret(const std::string& name,
                                  std::string_view data) const;
  Result<std::optional<std::string>> ReadSecret(const std::string& name) const;

  std::string root_;
  uid_t store_owner_ = static_cast<uid_t>(-1);  // -1: the caller
  std::shared_ptr<Held> held_;                  // null: files go to the disk
  std::shared_ptr<const SecretVault> vault_;    // set: no folder
};

// Upper-case hex, as Windows names a certificate's key (and as its key file
// is named).
std::string ThumbprintName(const std::vector<uint8_t>& thumbprint);

// The name of a key file and of a password file (without the folder).
std::string KeyFileName(const std::vector<uint8_t>& thumbprint,
                        std::string_view id);
std::string PasswordFileName(std::string_view id);

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
