// Internal: the certificate and CCS operations of a WriteBatch, and the
// certificate check of bindings (error 1312), applied inside the one
// transaction of Store::Write.
#ifndef SSLBIND_SRC_CERTS_CERTIFICATE_OPS_H_
#define SSLBIND_SRC_CERTS_CERTIFICATE_OPS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "certs/key_folder.h"
#include "sslbind/binding.h"
#include "sslbind/certificates.h"
#include "sslbind/status.h"
#include "storage/registry_backend.h"

namespace sslbind::internal {

// The files a batch creates and the files it replaces, undone unless
// committed. New files are written during the transaction; whoever runs it
// calls Committed() once it has committed, which removes the replaced files.
// Otherwise -- the transaction rolled back, or an exception unwinds past it
// -- the new files are removed: by RolledBack(), or by the destructor.
// Failures to remove are ignored: such a file is referenced by nothing, and
// the next writer removes it (RemoveStaleKeyFiles).
class FileChanges {
 public:
  FileChanges() = default;
  // For a dry run, whose files never reach the disk (KeyFolder::InMemory):
  // the changes are recorded, and nothing is ever removed.
  struct InMemory {};
  explicit FileChanges(InMemory) : on_disk_(false) {}
  FileChanges(const FileChanges&) = delete;
  FileChanges& operator=(const FileChanges&) = delete;
  ~FileChanges() { RolledBack(); }

  // Records a file just written. Should the record itself fail (out of
  // memory), the file is removed before the exception leaves.
  void Created(std::string path);
  void Replaced(std::string path) { replaced_.push_back(std::move(path)); }
  void Committed() noexcept;
  void RolledBack() noexcept;

 private:
  bool on_disk_ = true;
  std::vector<std::string> created_;
  std::vector<std::string> replaced_;
};

// What a writer killed in the middle of a transaction leaves in the key
// folder, removed by the next writer. Runs under the write lock, before the
// batch writes anything; `locked_at` is CLOCK_REALTIME_COARSE read once the
// lock was held (the clock file times come from). Key files are only ever
// created by the holder of the write lock, before it commits; so a file
// that exists while we hold the lock, and was last changed before we took
// it, is no other writer's work in flight:
// - a temporary (.<name>.tmp-<id>) is removed: it was never linked;
// - a key or password file that no committed row names (the transaction's
//   view before the batch) is removed: it belonged to a transaction that
//   never committed, or it was replaced and its remover died.
// Nothing else in the folder is touched. Errors are ignored (the files stay
// for the next writer); nothing is removed if the rows cannot be read.
void RemoveStaleKeyFiles(RegistryTxn& txn, const KeyFolder& keys,
                         const timespec& locked_at);

// Applies the certificate operations of one batch inside its transaction.
class CertificateWriter {
 public:
  CertificateWriter(RegistryTxn& txn, const KeyFolder& keys, FileChanges& files)
      : txn_(txn), keys_(keys), files_(files) {}

  // The operations of WriteBatch (see there), with its arguments.
  Status PutCertificate(const std::string& store_name,
                        const CertificateBundle& bundle);
  Status DeleteCertificate(const std::string& store_name,
                           const std::vector<uint8_t>& thumbprint, bool force);
  // `enabled`: EnableCcs(location, password); else DisableCcs().
  Status SetCcs(bool enabled, const std::string& location,
                const std::optional<std::string>& password);

  // CertificateUnusable (1312) if an ipport or hostnameport binding's
  // certificate is not in its store or has no usable private key; the
  // message names the binding, the certificate, the store and which of the
  // two is wrong. AccessDenied if the key folder may not be read.
  Status VerifyBinding(const Binding& binding);

 private:
  Status CheckStoredCertificate(const Binding& binding,
                                const std::string& store_name);

  RegistryTxn& txn_;
  const KeyFolder& keys_;
  FileChanges& files_;
  // Verification results by folded certificate key path, for batches that
  // add many bindings with one certificate; cleared by certificate changes.
  std::map<std::string, Status> verified_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_CERTIFICATE_OPS_H_
