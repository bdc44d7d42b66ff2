// The parent keys a write transaction knows to exist.
#include "storage/known_ancestors.h"

#include "sslbind/registry.h"

namespace sslbind::internal {

Status KnownAncestors::Ensure(std::string_view path, const Create& create) {
  // A batch writes many siblings: when the parent is the one ensured last,
  // every ancestor is known to exist.
  size_t last = path.rfind('\\');
  if (last == std::string_view::npos) return Status::Ok();
  std::string_view parent = path.substr(0, last);
  if (parent.size() == last_parent_.size() &&
      FoldCase(parent) == last_parent_) {
    return Status::Ok();
  }
  for (size_t slash = path.find('\\'); slash != std::string_view::npos;
       slash = path.find('\\', slash + 1)) {
    std::string_view ancestor = path.substr(0, slash);
    std::string folded = FoldCase(ancestor);
    if (ensured_.count(folded)) continue;
    Status s = create(folded, ancestor);
    if (!s.ok()) return s;
    ensured_.insert(std::move(folded));
  }
  last_parent_ = FoldCase(parent);
  return Status::Ok();
}

void KnownAncestors::Forget(const std::string& folded) {
  auto removed = [&folded](const std::string& p) {
    return p == folded || p.starts_with(folded + "\\");
  };
  std::erase_if(ensured_, removed);
  if (removed(last_parent_)) last_parent_.clear();
}

}  // namespace sslbind::internal
