// sslbind/write_batch.h: a group of changes applied to a store atomically.
//
// Every change to a store -- one command, a script, an import, an apply --
// is a WriteBatch handed to Store::Write, which applies all of it in one
// transaction or none of it. Operations run in the order they were added and
// see the effect of the ones before them. Thread-compatible.
#ifndef SSLBIND_WRITE_BATCH_H_
#define SSLBIND_WRITE_BATCH_H_

#include <cstddef>
#include <vector>

#include "sslbind/binding.h"
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
  };

  struct Op {
    OpType type;
    BindingKey key;
    std::optional<Binding> binding;  // kAdd, kPut
    BindingPatch patch;              // kUpdate
  };

  void Add(Binding binding);
  void Put(Binding binding);
  void Update(BindingKey key, BindingPatch patch);
  void Delete(BindingKey key);
  void Erase(BindingKey key);

  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  void Clear() { ops_.clear(); }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

}  // namespace sslbind

#endif  // SSLBIND_WRITE_BATCH_H_
