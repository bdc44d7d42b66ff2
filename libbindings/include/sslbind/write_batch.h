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
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/certificates.h"
#include "sslbind/parameters.h"
#include "sslbind/status.h"

namespace sslbind {

class WriteBatch {
 public:
  // What an operation does, for callers that name it (a netsh verb) without
  // visiting it; Iterate tells each operation with its arguments.
  enum class OpType : uint8_t {
    kAdd,     // AlreadyExists (183) if the key is taken
    kPut,     // adds, or replaces the whole binding
    kUpdate,  // merges a patch into an existing binding; NotFound (2) if none
    kDelete,  // NotFound (2) if there is no such binding
    kErase,   // deletes if present; never fails for a missing key
    kPutCertificate,     // adds or replaces a certificate (and its key)
    kDeleteCertificate,  // NotFound (2) if absent; InUse (32) if used
    kSetCcs,             // writes the CCS settings (EnableCcs, DisableCcs)
  };

  // Told each operation of a batch, in order, with the arguments it was
  // recorded with (leveldb's WriteBatch::Handler). Every method does nothing
  // and returns OK unless overridden, so a handler overrides only the
  // operations it looks at. A non-OK status stops Iterate. The references
  // are valid during the call only.
  class Handler {
   public:
    virtual ~Handler() = default;

    virtual Status Add(const Binding& binding);
    virtual Status Put(const Binding& binding);
    virtual Status Update(const BindingKey& key, const BindingPatch& patch);
    virtual Status Delete(const BindingKey& key);
    virtual Status Erase(const BindingKey& key);
    // `store_name` as given to PutCertificate: empty for MY.
    virtual Status PutCertificate(const std::string& store_name,
                                  const CertificateBundle& bundle);
    virtual Status DeleteCertificate(const std::string& store_name,
                                     const std::vector<uint8_t>& thumbprint,
                                     bool force);
    virtual Status EnableCcs(const std::string& folder,
                             const std::optional<std::string>& password);
    virtual Status DisableCcs();
  };

  WriteBatch();
  WriteBatch(const WriteBatch& other);
  WriteBatch& operator=(const WriteBatch& other);
  WriteBatch(WriteBatch&& other) noexcept;
  WriteBatch& operator=(WriteBatch&& other) noexcept;
  // Wipes the CCS passwords the batch holds.
  ~WriteBatch();

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

  // Calls the handler's method for each operation, in the order they were
  // added, and returns the first non-OK status a method returns (the
  // operations after it are not visited), setting *failed_op (if given) to
  // that operation's index; OK once every operation was visited.
  Status Iterate(Handler* handler, size_t* failed_op = nullptr) const;

  size_t size() const;
  bool empty() const { return size() == 0; }
  void Clear();
  // Operation `i` (< size()): what it does, and the binding it names
  // (nullptr for certificate and CCS operations).
  OpType type(size_t i) const;
  const BindingKey* key(size_t i) const;

 private:
  struct Op;  // model/write_batch.cc
  std::vector<Op> ops_;
};

}  // namespace sslbind

#endif  // SSLBIND_WRITE_BATCH_H_
