// OverlayTxn: the base's keys, with this transaction's writes on top.
#include "storage/overlay_txn.h"

#include <vector>

namespace sslbind::internal {

Result<std::optional<RegistryKey>> OverlayTxn::GetKey(std::string_view path) {
  auto it = overlay_.find(FoldCase(path));
  if (it != overlay_.end()) return it->second;
  return base_.GetKey(path);
}

Result<bool> OverlayTxn::KeyExists(std::string_view path) {
  Result<std::optional<RegistryKey>> key = GetKey(path);
  if (!key.ok()) return key.status();
  return key->has_value();
}

Status OverlayTxn::PutKey(const RegistryKey& key) {
  // Create missing ancestors, as a backend does, so that a later delete of
  // an ancestor sees this key below it.
  for (size_t slash = key.path.find('\\'); slash != std::string::npos;
       slash = key.path.find('\\', slash + 1)) {
    std::string ancestor = key.path.substr(0, slash);
    Result<bool> exists = KeyExists(ancestor);
    if (!exists.ok()) return exists.status();
    if (!*exists) overlay_[FoldCase(ancestor)] = RegistryKey{ancestor, {}};
  }
  overlay_[FoldCase(key.path)] = key;
  return Status::Ok();
}

Result<bool> OverlayTxn::AddKey(const RegistryKey& key) {
  Result<bool> exists = KeyExists(key.path);
  if (!exists.ok()) return exists.status();
  if (*exists) return false;
  Status s = PutKey(key);
  if (!s.ok()) return s;
  return true;
}

Result<bool> OverlayTxn::DeleteKey(std::string_view path) {
  Result<bool> existed = KeyExists(path);
  if (!existed.ok()) return existed.status();
  const std::string folded = FoldCase(path);
  // Everything below it, in the base and written here.
  std::vector<std::string> doomed{folded};
  Status s = base_.ScanSubtree(path, [&](RegistryKey&& key) {
    doomed.push_back(FoldCase(key.path));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (auto it = overlay_.lower_bound(folded + "\\");
       it != overlay_.end() && it->first.starts_with(folded + "\\"); ++it) {
    doomed.push_back(it->first);
  }
  for (const std::string& p : doomed) overlay_[p] = std::nullopt;
  return *existed;
}

Status OverlayTxn::ScanSubtree(std::string_view path, const KeyVisitor& visit) {
  const std::string folded = FoldCase(path);
  const std::string below = folded + "\\";
  // The keys written here from `folded` on, in path order (the map's).
  auto written = overlay_.lower_bound(folded);
  // Visits the keys written here in the subtree that sort before `limit`
  // (all of them when null).
  auto visit_written_before = [&](const std::string* limit) -> Status {
    for (; written != overlay_.end(); ++written) {
      const std::string& place = written->first;
      if (limit != nullptr && !(place < *limit)) break;
      if (place != folded && !place.starts_with(below)) {
        // A key beside it whose name starts with its name ("...\\ab"
        // beside "...\\a") sorts among its keys; anything else ends the
        // range.
        if (place.starts_with(folded)) continue;
        written = overlay_.end();
        break;
      }
      if (!written->second) continue;  // deleted here
      RegistryKey copy = *written->second;
      Status s = visit(std::move(copy));
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  // The base's keys, each after the keys written here that sort before it;
  // a key written here replaces the base's at the same place.
  Status s = base_.ScanSubtree(path, [&](RegistryKey&& key) {
    const std::string place = FoldCase(key.path);
    Status before = visit_written_before(&place);
    if (!before.ok()) return before;
    if (overlay_.count(place) != 0) return Status::Ok();
    return visit(std::move(key));
  });
  if (!s.ok()) return s;
  return visit_written_before(nullptr);
}

}  // namespace sslbind::internal
