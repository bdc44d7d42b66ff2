// sslbind/resolver.h: the current snapshot of a store, for servers.
//
// A server that resolves bindings in its TLS handshakes keeps one Resolver.
// A maintenance thread calls Refresh() now and then: it asks the store for
// its change counter and, only when that moved, loads a new Snapshot and
// publishes it. Handshake threads each keep a ResolverReader and resolve
// through it:
//
//   sslbind::Resolver resolver;
//   resolver.Refresh(store);                  // the maintenance thread
//
//   sslbind::ResolverReader reader(resolver);  // each handshake thread
//   sslbind::Resolution r = reader.Resolve(local, port, sni);
//
// Readers never block, never allocate and never see a half-built snapshot:
// a snapshot is complete before it is published, and publishing stores one
// pointer.
//
// How (epoch-based reclamation): every publication moves a generation
// number. A reader looks at the generation on each lookup -- one atomic
// load of a value that changes only when a snapshot is published -- and
// only when it moved does it take the new snapshot's pointer, after
// announcing the generation it has reached in an atomic of its own. A
// replaced snapshot is freed, by the Resolver in Publish() or Refresh(),
// once every reader has announced a later generation: no reader can still
// be using it. So a lookup takes no lock, writes no shared cache line
// (copying a shared_ptr would write its reference count, one line every
// thread fights over) and never pays for freeing a million bindings.
// (std::atomic<std::shared_ptr> is not used: libstdc++ 12 implements it
// with a spin lock, and its load() releases that lock with a relaxed store,
// which ThreadSanitizer rightly reports as a data race.)
//
// A reader that stops resolving keeps the snapshot it last used alive until
// it resolves again or is destroyed.
//
// Resolver: thread-safe. ResolverReader: one per thread (not thread-safe);
// it must not outlive its Resolver.
#ifndef SSLBIND_RESOLVER_H_
#define SSLBIND_RESOLVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "sslbind/binding_key.h"
#include "sslbind/snapshot.h"
#include "sslbind/status.h"

namespace sslbind {

class ResolverReader;
class Store;

class Resolver {
 public:
  // Starts with an empty snapshot (every lookup finds nothing) until the
  // first Refresh() or Publish(). Loaded snapshots use `options`.
  explicit Resolver(SnapshotOptions options = {});
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;
  // Precondition: no ResolverReader of this resolver is left.
  ~Resolver();

  // Reads the store's revision (its change counter); if no snapshot was
  // loaded from a store yet, or the revision moved since, publishes a new
  // snapshot. Usually that is an overlay (Snapshot::is_overlay()): the
  // bindings the revisions since changed, read from the store's journal
  // (journal.h), laid over the last snapshot loaded whole, which it shares
  // -- milliseconds and kilobytes for a few changes over a million
  // bindings. It loads the whole store again (Snapshot::Load) instead when
  // there is no snapshot to lay it over, the journal no longer reaches back
  // (compacted, or an older store), or the bindings changed since the last
  // whole load pass `max_overlay_changes`, which folds them into a new base.
  // With the snapshot image enabled (set_snapshot_image), the first
  // Refresh takes the store's image as its base when it can be trusted
  // (snapshot_image.h) -- a mapping, milliseconds at a million bindings,
  // shared with the other processes -- with the journal since its revision
  // laid over it; and a whole load writes a fresh image for the next
  // process.
  // Returns whether it published. On error the current snapshot stays in
  // use. Also frees replaced snapshots no reader uses any more. Calls are
  // serialised; `store` must not be used by another thread meanwhile.
  // Readers are not held up while it loads.
  Result<bool> Refresh(const Store& store);

  // How many changed bindings an overlay may hold before Refresh loads the
  // store whole again.
  static constexpr size_t kDefaultMaxOverlayChanges = 16384;
  void set_max_overlay_changes(size_t n);
  // How many of the publications of Refresh were overlays, and how many
  // whole loads (for tests and monitoring).
  uint64_t overlay_refreshes() const;
  uint64_t full_refreshes() const;

  // Whether Refresh uses the store's snapshot image (see Refresh); off
  // until set. image_loads() counts the times it took the image as base.
  void set_snapshot_image(bool use);
  uint64_t image_loads() const;

  // Publishes a snapshot built by the caller (e.g. Snapshot::Build). The
  // next Refresh() loads from the store again.
  void Publish(std::shared_ptr<const Snapshot> snapshot);

  // The current snapshot, for callers that resolve now and then. Takes the
  // resolver's internal lock for a moment: handshake threads use a
  // ResolverReader instead.
  std::shared_ptr<const Snapshot> Current() const;

  // Moves by one with every snapshot published (0 until the first).
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

  // How many replaced snapshots are still kept for some reader.
  size_t retired_count() const;

 private:
  friend class ResolverReader;

  struct Retired {
    std::shared_ptr<const Snapshot> snapshot;
    // Readers that announced this generation or a later one no longer use
    // the snapshot.
    uint64_t free_after;
  };

  // Require mu_.
  void PublishLocked(std::shared_ptr<const Snapshot> snapshot);
  void FreeRetiredLocked();

  // For ResolverReader.
  void Register(ResolverReader* reader) const;
  void Unregister(ResolverReader* reader) const;

  const SnapshotOptions options_;

  // Read by readers without a lock.
  std::atomic<const Snapshot*> current_;
  std::atomic<uint64_t> generation_{0};

  std::mutex refresh_mu_;                   // serialises Refresh()
  std::optional<uint64_t> loaded_counter_;  // guarded by refresh_mu_
  // The last whole load and the changes since (guarded by refresh_mu_).
  struct Incremental;
  std::unique_ptr<Incremental> incremental_;

  // Held only for moments; never while loading a snapshot.
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> owner_;  // owns *current_; guarded by mu_
  std::vector<Retired> retired_;           // guarded by mu_
  mutable std::vector<const ResolverReader*> readers_;  // guarded by mu_
};

// A handshake thread's view of a Resolver.
class ResolverReader {
 public:
  explicit ResolverReader(const Resolver& resolver);
  ResolverReader(const ResolverReader&) = delete;
  ResolverReader& operator=(const ResolverReader&) = delete;
  ~ResolverReader();

  // The latest published snapshot. The reference is valid until the next
  // call of Get() or Resolve() on this reader, or its destruction. When
  // nothing was published since the last call it costs one atomic load.
  const Snapshot& Get() {
    uint64_t generation = resolver_->generation();
    if (generation != generation_) Update(generation);
    return *snapshot_;
  }

  // Get().Resolve(...): see Snapshot::Resolve. The Resolution points into
  // the snapshot: it is valid until the next call on this reader.
  Resolution Resolve(const IpAddress& local, uint16_t port,
                     std::string_view sni, Trace* trace = nullptr) {
    return Get().Resolve(local, port, sni, trace);
  }

 private:
  friend class Resolver;

  void Update(uint64_t generation);

  const Resolver* resolver_;
  uint64_t generation_ = 0;
  const Snapshot* snapshot_ = nullptr;
  // The generation this reader has reached: it uses no snapshot replaced
  // before it. Written by the reader, read by the Resolver; on a cache line
  // of its own so that readers do not slow each other down.
  alignas(64) std::atomic<uint64_t> announced_{0};
};

}  // namespace sslbind

#endif  // SSLBIND_RESOLVER_H_
