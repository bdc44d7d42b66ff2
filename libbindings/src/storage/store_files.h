// Internal: where a store's files are, and whether the folder holding them
// may be trusted by a writer.
//
// A store is named by a path that may pass through symbolic links; SQLite
// opens the file the links lead to, so everything beside the store (the key
// folder, the WAL files) is derived from the resolved path, never from the
// path as given.
#ifndef SSLBIND_SRC_STORAGE_STORE_FILES_H_
#define SSLBIND_SRC_STORAGE_STORE_FILES_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <string_view>

#include "sslbind/status.h"

namespace sslbind::internal {

// The absolute path of the store file with every symbolic link resolved,
// also when the file (or a link's target, or folders on the way) does not
// exist yet: the existing part is resolved and the rest appended. Falls back
// to the absolute path as given when a part cannot be examined (the open
// then reports why).
std::string ResolveStorePath(const std::string& path);

// The owner a store's folders must have: the store file's owner, or the
// caller (geteuid) when the file does not exist yet.
uid_t StoreOwner(const std::string& resolved_path);

// AccessDenied ("refusing the <what> '<dir>': <why>") unless the folder
// whose lstat or fstat is `st` may be trusted by a writer of a store owned
// by `store_owner`: a folder (not a symbolic link) owned by the store's
// owner, the caller or root, that group and others may not write (unless
// `sticky_ok` and it has the sticky bit, as /tmp: then nobody else may
// remove or rename what is in it).
Status CheckFolderTrust(std::string_view what, const std::string& dir,
                        const struct stat& st, uid_t store_owner,
                        bool sticky_ok);

// A writer's check of the folder holding the store, before anything is
// created: AccessDenied (5), saying why, if it exists and is owned by
// someone else (see CheckFolderTrust) or may be written by group or others
// without the sticky bit (anyone could then replace the store or its key
// folder). A folder that does not exist yet is fine: the writer creates it
// (CreateStoreFolders), mode 0755.
Status CheckStoreFolder(const std::string& resolved_path, uid_t store_owner);

// Creates the missing folders above the store file, each mode 0755 (less the
// umask), never writable by group or others.
Status CreateStoreFolders(const std::string& resolved_path);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_STORE_FILES_H_
