// sslbind/ccs.h: the Central Certificate Store (CCS) settings and files.
//
// IIS 8's Central Certificate Store serves, for a ccs or scopedccs binding,
// the certificate file named after the SNI name in one folder: for
// "www.contoso.com", "www.contoso.com.pfx", else the wildcard certificate
// "_.contoso.com.pfx". One optional password opens every file.
//
// The settings are the CentralCertProvider values of docs/reference.md, "IIS
// and CCS settings", under kCentralCertProviderPath: Enabled (REG_DWORD, 1 when
// on) and CertStoreLocation (REG_SZ, the folder). The password is never in the
// database: it is a 0600 file in the store's key folder (see
// certificates.h), which the settings name by a random id
// (SslbindPasswordId, REG_SZ), so that the file and the settings can never
// disagree after a crash. They change through WriteBatch::EnableCcs and
// DisableCcs.
//
// A name can never reach a file outside the folder: names are checked as
// host names (no '/', '\\', "..", spaces or control bytes), and a file that
// is a symbolic link is followed only if it ends inside the folder.
//
// Plain values and functions of their arguments; thread-compatible.
#ifndef SSLBIND_CCS_H_
#define SSLBIND_CCS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/snapshot.h"
#include "sslbind/status.h"

namespace sslbind {

class Store;

inline constexpr std::string_view kCentralCertProviderPath =
    "SOFTWARE\\Microsoft\\IIS\\CentralCertProvider";

struct CcsConfig {
  // Enabled is not 0.
  bool enabled = false;
  // CertStoreLocation: an absolute folder; empty if never set.
  std::string location;
  // A password is set (the password itself is not readable here).
  bool has_password = false;

  // Enabled, with a folder: resolution looks for files there.
  bool active() const { return enabled && !location.empty(); }
};

// The settings; all off if they were never written. IncompatibleStore names
// a value of the wrong type.
Result<CcsConfig> ReadCcsConfig(const Store& store);

// The files the CCS would use for a host name, in the order they are tried
// (docs/reference.md, "Resolution order"): {"www.contoso.com.pfx",
// "_.contoso.com.pfx"}; a single-label name ("localhost") has no parent and so
// no wildcard file. The name is canonicalised first (lower case, trailing dot
// dropped, Unicode to its A-label). InvalidArgument for anything that is not a
// host name, wildcards
// ("*.contoso.com") included.
Result<std::vector<std::string>> CcsCandidateFileNames(
    std::string_view hostname);

// The CCS file for `hostname` in `folder`: the path of the first candidate
// that is a regular file inside the folder (after following any symbolic
// link). NotFound (2) if there is none; its message lists each candidate and
// why it was not used ("does not exist", "is a symbolic link to a file
// outside the folder", "is not a regular file"). InvalidArgument for a bad
// name (see CcsCandidateFileNames); NotFound for a folder that does not
// exist; AccessDenied for one that may not be read.
Result<std::string> FindCcsFile(std::string_view folder,
                                std::string_view hostname);

// The files of `folder` that FindCcsFile can select, sorted: every
// "<name>.pfx" and "_.<name>.pfx", for a canonical host name, that is a
// regular file inside the folder (after following any symbolic link).
// Other names (upper case, not a host name) are left out. For an in-memory
// view of the folder, refreshed off the lookup path, that resolution asks
// without touching the disk. Statuses as FindCcsFile's for the folder.
Result<std::vector<std::string>> ListCcsFiles(std::string_view folder);

// A CCS folder as resolution sees it (SnapshotOptions::ccs_folder, see
// snapshot.h): the files ListCcsFiles found, held in memory. HasFile answers
// without touching the disk, locking or allocating. Immutable, so
// thread-safe: list the folder again, and build a new snapshot with it, to
// see files added or removed.
class CcsFolderListing final : public CcsFolder {
 public:
  // Lists `folder` (ListCcsFiles, with its statuses).
  static Result<std::shared_ptr<const CcsFolderListing>> List(
      std::string_view folder);

  bool HasFile(std::string_view file_name) const override;

  const std::string& folder() const { return folder_; }
  // The file names, sorted.
  const std::vector<std::string>& files() const { return files_; }

 private:
  CcsFolderListing(std::string folder, std::vector<std::string> files)
      : folder_(std::move(folder)), files_(std::move(files)) {}

  std::string folder_;
  std::vector<std::string> files_;
};

// The store's CCS folder, listed, for SnapshotOptions::ccs_folder: null when
// the CCS is not enabled (resolution then reports a CCS binding with its
// candidate files, without looking for them). NotFound or AccessDenied when
// the folder is configured but missing or unreadable here.
Result<std::shared_ptr<const CcsFolderListing>> ListStoreCcsFolder(
    const Store& store);

}  // namespace sslbind

#endif  // SSLBIND_CCS_H_
