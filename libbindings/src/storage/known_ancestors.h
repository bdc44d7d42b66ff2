// Internal: the parent keys a write transaction knows to exist, so that a
// batch writing 100k siblings creates their ancestors once, not 100k times.
// Shared by the backends; the SQL that creates a key stays theirs.
#ifndef SSLBIND_SRC_STORAGE_KNOWN_ANCESTORS_H_
#define SSLBIND_SRC_STORAGE_KNOWN_ANCESTORS_H_

#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "sslbind/status.h"

namespace sslbind::internal {

class KnownAncestors {
 public:
  // Calls create(folded, ancestor) for each ancestor of `path` (not `path`
  // itself) not known to exist, shortest first, and remembers it; a non-OK
  // status stops and is returned.
  using Create =
      std::function<Status(const std::string& folded, std::string_view path)>;
  Status Ensure(std::string_view path, const Create& create);
  // Forgets the key at `folded` and every key below it (it was deleted).
  void Forget(const std::string& folded);

 private:
  std::unordered_set<std::string> ensured_;
  std::string last_parent_;  // folded; it and its ancestors exist
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_KNOWN_ANCESTORS_H_
