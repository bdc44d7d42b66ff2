// Resolver: publishing snapshots; ResolverReader: picking them up.
#include "sslbind/resolver.h"

#include <algorithm>

#include "sslbind/store.h"

namespace sslbind {

Resolver::Resolver(SnapshotOptions options)
    : options_(std::move(options)), current_(Snapshot::Empty()) {}

Resolver::~Resolver() = default;

Result<bool> Resolver::Refresh(const Store& store) {
  std::lock_guard<std::mutex> lock(mu_);
  FreeRetiredLocked();
  Result<uint64_t> counter = store.ChangeCounter();
  if (!counter.ok()) return counter.status();
  if (loaded_counter_ == *counter) return false;
  uint64_t loaded = 0;
  Result<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Load(store, options_, &loaded);
  if (!snapshot.ok()) return snapshot.status();
  PublishLocked(std::move(*snapshot));
  loaded_counter_ = loaded;
  return true;
}

void Resolver::Publish(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  PublishLocked(std::move(snapshot));
  loaded_counter_.reset();
}

void Resolver::PublishLocked(std::shared_ptr<const Snapshot> snapshot) {
  // The snapshot first, then the generation: a reader that sees the new
  // generation finds this snapshot (or a later one).
  std::shared_ptr<const Snapshot> old =
      current_.exchange(std::move(snapshot), std::memory_order_acq_rel);
  generation_.fetch_add(1, std::memory_order_release);
  retired_.push_back(std::move(old));
  FreeRetiredLocked();
}

void Resolver::FreeRetiredLocked() {
  // A retired snapshot is no longer reachable through current_, so once the
  // list holds its only reference nobody can take a new one: dropping it
  // here frees it. (The count's decrements are acq_rel, so the readers'
  // last reads happen before the free.)
  std::erase_if(retired_, [](const std::shared_ptr<const Snapshot>& s) {
    return s.use_count() == 1;
  });
}

std::shared_ptr<const Snapshot> Resolver::Current() const {
  return current_.load(std::memory_order_acquire);
}

size_t Resolver::retired_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return retired_.size();
}

ResolverReader::ResolverReader(const Resolver& resolver)
    : resolver_(&resolver),
      generation_(resolver.generation()),
      snapshot_(resolver.Current()) {}

void ResolverReader::Update(uint64_t generation) {
  // The snapshot may be newer than `generation` (published meanwhile); the
  // next Get() then takes it again, which is harmless.
  snapshot_ = resolver_->Current();
  generation_ = generation;
}

}  // namespace sslbind
