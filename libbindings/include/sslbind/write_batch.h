// sslbind/write_batch.h: a group of changes applied to a store atomically.
//
// Every change to a store -- one command, a script, an import, an apply --
// is a WriteBatch handed to Store::Write, which applies all of it in one
// transaction or none of it. Operations run in the order they were added and
// see the effect of the ones before them: a batch may import a certificate
// and then add a binding that uses it. Thread-compatible.
//
// Certificate and CCS operations also write files beside the store (private
// keys, the CCS password; see certificates.h and ccs.h). New files are
// written before the transaction commits and old ones removed after it, so
// that a crash or a failed batch leaves at worst an unused file, never a
// database entry without its file.
#ifndef SSLBIND_WRITE_BATCH_H_
#define SSLBIND_WRITE_BATCH_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/certificates.h"
#include "sslbind/parameters.h"

namespace sslbind {

class WriteBatch {
 public:
  enum class OpType : uint8_t {
    kAdd,     // AlreadyExists (183) if the key is taken
    kPut,     // adds, or replaces the whole binding
    kUpdate,  // merges a patch into an existing binding; NotFound (2) if none
    kDelete,  // NotFound (2) if there is no such binding
    kErase,   // deletes if present; never fails for a missing key
    kPutCertificate,     // adds or replaces a certificate (and its key)
    kDeleteCertificate,  // NotFound (2) if absent; InUse (32) if used
    kSetCcs,             // writes the CCS settings
  };

  // What a certificate operation names or carries.
  struct CertificateChange {
    std::string store_name;
    std::vector<uint8_t> thumbprint;
    // kPutCertificate: the certificate and its key, if any.
    std::shared_ptr<const CertificateBundle> bundle;
    // kDeleteCertificate: even if bindings use it.
    bool force = false;
  };

  // The CCS settings a kSetCcs operation writes. Wipes the password when
  // destroyed.
  struct CcsChange {
    CcsChange() = default;
    CcsChange(const CcsChange&) = delete;
    CcsChange& operator=(const CcsChange&) = delete;
    ~CcsChange();

    bool enabled = false;
    // Enabling: the folder, absolute. Disabling keeps the stored folder.
    std::string location;
    // Enabling: the password of the folder's files, if they have one.
    std::optional<std::string> password;
  };

  struct Op {
    OpType type;
    // Binding operations (kAdd .. kErase); absent for the others.
    std::optional<BindingKey> key;
    std::optional<Binding> binding;                        // kAdd, kPut
    BindingPatch patch;                                    // kUpdate
    std::shared_ptr<const CertificateChange> certificate;  // certificates
    std::shared_ptr<const CcsChange> ccs;                  // kSetCcs
  };

  void Add(Binding binding);
  void Put(Binding binding);
  void Update(BindingKey key, BindingPatch patch);
  void Delete(BindingKey key);
  void Erase(BindingKey key);

  // Adds the certificate to the certificate store `store_name` (MY when
  // empty), replacing the same certificate. With a private key, the key file
  // is written too; without one, a key already stored for the certificate is
  // kept. InvalidArgument for a bad store name.
  void PutCertificate(std::string store_name, CertificateBundle bundle);
  // Removes a certificate and its private key. NotFound (2) if the store does
  // not hold it; InUse (32), naming the bindings, while a binding uses it,
  // unless `force`.
  void DeleteCertificate(std::string store_name,
                         std::vector<uint8_t> thumbprint, bool force = false);
  // Turns the CCS on for `folder` (absolute; InvalidArgument otherwise),
  // with a password for its files or none. Replaces any earlier password.
  void EnableCcs(std::string folder, std::optional<std::string> password);
  // Turns the CCS off (Enabled = 0), keeping the folder, and forgets the
  // password.
  void DisableCcs();

  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  void Clear() { ops_.clear(); }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

}  // namespace sslbind

#endif  // SSLBIND_WRITE_BATCH_H_
