// Internal: reading a store that is in WAL mode but has no -wal file beside
// it, without creating anything.
//
// SQLite reads such a database only after creating the -wal and -shm files,
// which a user who may only read the store cannot do (and a reader must not
// do anyway). The file then holds the whole database, and stays so exactly
// as long as no -wal file appears: every change to a WAL-mode file is
// written to the -wal file first, and only a connection holding an
// EXCLUSIVE lock on the store file may remove a -wal file or leave WAL mode.
// So the guard holds a shared lock on the store file (SQLite's SHARED byte
// range, as an open file description lock), the reader opens the file
// `immutable` (no locks, no -wal, no -shm), and each read is trusted only if
// no -wal file exists after it.
#ifndef SSLBIND_SRC_STORAGE_WAL_ABSENCE_GUARD_H_
#define SSLBIND_SRC_STORAGE_WAL_ABSENCE_GUARD_H_

#include <string>

#include "sslbind/status.h"

namespace sslbind::internal {

// Whether `file` is an SQLite database in WAL mode (its header says so)
// with no `file`-wal beside it.
bool IsWalWithoutWalFile(const std::string& file);

// "file:<path>?immutable=1" for sqlite3_open_v2 with SQLITE_OPEN_URI.
std::string ImmutableUri(const std::string& file);

class WalAbsenceGuard {
 public:
  WalAbsenceGuard() = default;
  WalAbsenceGuard(const WalAbsenceGuard&) = delete;
  WalAbsenceGuard& operator=(const WalAbsenceGuard&) = delete;
  ~WalAbsenceGuard();

  // Takes the shared lock on `file`, waiting up to `timeout_ms` for a writer
  // holding an exclusive one (Busy after that).
  Status Lock(const std::string& file, int timeout_ms);
  // OK while no -wal file exists beside the file. Busy once one does: a
  // writer started, and what was read since Lock may mix two states of the
  // store; opening the store again then reads it the usual way.
  Status Check() const;

 private:
  int fd_ = -1;
  std::string wal_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_WAL_ABSENCE_GUARD_H_
