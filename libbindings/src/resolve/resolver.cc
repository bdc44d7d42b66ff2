// Resolver: publishing snapshots and freeing replaced ones; ResolverReader:
// picking them up. See resolver.h for the reclamation scheme.
#include "sslbind/resolver.h"

#include <algorithm>

#include "resolve/image_file.h"
#include "resolve/journal_refresh.h"
#include "sslbind/store.h"

namespace sslbind {

struct Resolver::Incremental {
  std::shared_ptr<const Snapshot> base;  // the last whole load
  internal::OverlayChanges changes;      // since `base`
  size_t max_changes = kDefaultMaxOverlayChanges;
  bool use_image = false;
  std::atomic<uint64_t> overlays{0};
  std::atomic<uint64_t> full_loads{0};
  std::atomic<uint64_t> image_loads{0};
};

Resolver::Resolver(SnapshotOptions options)
    : options_(std::move(options)),
      incremental_(std::make_unique<Incremental>()),
      owner_(Snapshot::Empty()) {
  current_.store(owner_.get(), std::memory_order_release);
}

Resolver::~Resolver() = default;

void Resolver::set_max_overlay_changes(size_t n) {
  std::lock_guard<std::mutex> refresh_lock(refresh_mu_);
  incremental_->max_changes = n;
}

uint64_t Resolver::overlay_refreshes() const {
  return incremental_->overlays.load(std::memory_order_relaxed);
}

uint64_t Resolver::full_refreshes() const {
  return incremental_->full_loads.load(std::memory_order_relaxed);
}

void Resolver::set_snapshot_image(bool use) {
  std::lock_guard<std::mutex> refresh_lock(refresh_mu_);
  incremental_->use_image = use;
}

uint64_t Resolver::image_loads() const {
  return incremental_->image_loads.load(std::memory_order_relaxed);
}

Result<bool> Resolver::Refresh(const Store& store) {
  std::lock_guard<std::mutex> refresh_lock(refresh_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    FreeRetiredLocked();
  }
  Result<uint64_t> counter = store.ChangeCounter();
  if (!counter.ok()) return counter.status();
  if (loaded_counter_ == *counter) return false;
  Incremental& inc = *incremental_;
  const std::string store_file =
      inc.use_image ? internal::StoreFileOf(store) : std::string();
  // The base to lay the journal over: the last whole load, or on the first
  // Refresh the image.
  std::shared_ptr<const Snapshot> base = inc.base;
  std::optional<uint64_t> base_counter = loaded_counter_;
  internal::OverlayChanges changes = inc.changes;
  if (!base_counter && !store_file.empty()) {
    std::string refused;
    if (std::optional<internal::MappedImage> image =
            internal::MapImage(store_file + ".snapshot", store_file, *counter,
                               options_, &refused)) {
      base = std::move(image->snapshot);
      base_counter = image->revision;
      changes.clear();
      inc.image_loads.fetch_add(1, std::memory_order_relaxed);
      if (*base_counter == *counter) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          PublishLocked(base);
        }
        inc.base = std::move(base);
        inc.changes.clear();
        loaded_counter_ = *counter;
        return true;
      }
    }
  }
  if (base_counter && base && *counter > *base_counter) {
    // The short way: the journal's changes over the last whole load.
    Result<bool> read = internal::ReadJournalChanges(
        store, *base_counter, *counter, inc.max_changes, &changes);
    if (!read.ok()) return read.status();
    if (*read) {
      Result<std::shared_ptr<const Snapshot>> overlay =
          internal::BuildOverlay(base, changes, options_);
      if (!overlay.ok()) return overlay.status();
      {
        std::lock_guard<std::mutex> lock(mu_);
        PublishLocked(std::move(*overlay));
      }
      inc.base = std::move(base);
      inc.changes = std::move(changes);
      loaded_counter_ = *counter;
      inc.overlays.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
  }
  uint64_t loaded = 0;
  Result<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Load(store, options_, &loaded);
  if (!snapshot.ok()) return snapshot.status();
  // Drop the old base (and the overlays' hold on it) before keeping the new.
  inc.base.reset();
  inc.changes.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    PublishLocked(*snapshot);
  }
  inc.base = std::move(*snapshot);
  loaded_counter_ = loaded;
  inc.full_loads.fetch_add(1, std::memory_order_relaxed);
  if (!store_file.empty()) {
    // For the next process; a failure (a read-only folder) only costs it
    // the load.
    (void)internal::WriteImage(store_file + ".snapshot", store_file, *inc.base,
                               loaded);
  }
  return true;
}

void Resolver::Publish(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard<std::mutex> refresh_lock(refresh_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    PublishLocked(std::move(snapshot));
  }
  loaded_counter_.reset();
  incremental_->base.reset();
  incremental_->changes.clear();
}

void Resolver::PublishLocked(std::shared_ptr<const Snapshot> snapshot) {
  // The pointer first, then the generation: a reader that sees the new
  // generation finds this snapshot (or a later one).
  current_.store(snapshot.get(), std::memory_order_seq_cst);
  const uint64_t generation =
      generation_.fetch_add(1, std::memory_order_seq_cst) + 1;
  // Readers still on an earlier generation may hold the old snapshot;
  // one that announced `generation` has taken the new pointer.
  retired_.push_back({std::move(owner_), generation});
  owner_ = std::move(snapshot);
  FreeRetiredLocked();
}

void Resolver::FreeRetiredLocked() {
  // The lowest generation a reader has announced. A reader announces a
  // generation (seq_cst) before it loads the pointer and after its last use
  // of the snapshot it leaves, so reading an announcement >= free_after
  // proves that reader is done with the snapshot; a stale read only shows a
  // lower value and delays the free.
  uint64_t oldest = generation_.load(std::memory_order_seq_cst);
  for (const ResolverReader* reader : readers_) {
    oldest =
        std::min(oldest, reader->announced_.load(std::memory_order_seq_cst));
  }
  std::erase_if(retired_,
                [oldest](const Retired& r) { return r.free_after <= oldest; });
}

std::shared_ptr<const Snapshot> Resolver::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return owner_;
}

size_t Resolver::retired_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return retired_.size();
}

void Resolver::Register(ResolverReader* reader) const {
  std::lock_guard<std::mutex> lock(mu_);
  // Under mu_, no publication can slip between these loads: the reader
  // starts on the current snapshot, announced.
  const uint64_t generation = generation_.load(std::memory_order_seq_cst);
  reader->announced_.store(generation, std::memory_order_seq_cst);
  reader->generation_ = generation;
  reader->snapshot_ = current_.load(std::memory_order_seq_cst);
  readers_.push_back(reader);
}

void Resolver::Unregister(ResolverReader* reader) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase(readers_, reader);
}

ResolverReader::ResolverReader(const Resolver& resolver)
    : resolver_(&resolver) {
  resolver.Register(this);
}

ResolverReader::~ResolverReader() { resolver_->Unregister(this); }

void ResolverReader::Update(uint64_t generation) {
  // Announce first: from here on this reader does not touch the snapshot it
  // leaves, and any snapshot replaced at or before `generation` may go.
  // The pointer loaded next was published at `generation` or later (the
  // publisher stores the pointer before moving the generation), so it is
  // not one of those.
  announced_.store(generation, std::memory_order_seq_cst);
  snapshot_ = resolver_->current_.load(std::memory_order_seq_cst);
  generation_ = generation;
}

}  // namespace sslbind
