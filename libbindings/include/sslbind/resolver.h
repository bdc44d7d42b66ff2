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
// Readers never block and never see a half-built snapshot: a snapshot is
// complete before it is published, and publishing is one atomic swap.
//
// How it stays cheap: std::atomic<std::shared_ptr> is lock-based in
// libstdc++ (a spin lock in the pointer's low bit), and every copy of a
// shared_ptr writes its reference count, a cache line all threads would
// fight over. So a ResolverReader keeps its own reference to the snapshot
// and the generation it came from; while the Resolver's generation (one
// atomic integer, only read by readers) has not moved, a lookup touches
// nothing shared but the snapshot's read-only data. When it moved, the
// reader takes the new snapshot once (the short spin lock above, no system
// call, no allocation).
//
// Old snapshots are freed by the Resolver, in Publish() or Refresh(), once
// no reader holds them: a reader never frees a snapshot, so a handshake
// never pays for freeing a million bindings.
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

class Store;

class Resolver {
 public:
  // Starts with an empty snapshot (every lookup finds nothing) until the
  // first Refresh() or Publish(). Loaded snapshots use `options`.
  explicit Resolver(SnapshotOptions options = {});
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;
  ~Resolver();

  // Reads the store's change counter; if no snapshot was loaded from a
  // store yet, or the counter moved since, loads a new snapshot
  // (Snapshot::Load) and publishes it. Returns whether it published. On
  // error the current snapshot stays in use. Also frees old snapshots no
  // reader holds any more. Calls from several threads are serialised;
  // `store` must not be used by another thread meanwhile.
  Result<bool> Refresh(const Store& store);

  // Publishes a snapshot built by the caller (e.g. Snapshot::Build). The
  // next Refresh() loads from the store again.
  void Publish(std::shared_ptr<const Snapshot> snapshot);

  // The current snapshot, for callers that resolve now and then. Each call
  // takes the spin lock and writes the reference count (see the file
  // comment): handshake threads use a ResolverReader instead.
  std::shared_ptr<const Snapshot> Current() const;

  // Moves by one with every snapshot published (0 until the first).
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

  // How many replaced snapshots are still held by some reader (they are
  // freed by a later Publish() or Refresh()).
  size_t retired_count() const;

 private:
  friend class ResolverReader;

  // Requires mu_.
  void PublishLocked(std::shared_ptr<const Snapshot> snapshot);
  void FreeRetiredLocked();

  const SnapshotOptions options_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::atomic<uint64_t> generation_{0};

  mutable std::mutex mu_;  // serialises writers; readers never take it
  std::optional<uint64_t> loaded_counter_;                // guarded by mu_
  std::vector<std::shared_ptr<const Snapshot>> retired_;  // guarded by mu_
};

// A handshake thread's view of a Resolver.
class ResolverReader {
 public:
  explicit ResolverReader(const Resolver& resolver);
  ResolverReader(const ResolverReader&) = delete;
  ResolverReader& operator=(const ResolverReader&) = delete;

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
  void Update(uint64_t generation);

  const Resolver* resolver_;
  uint64_t generation_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace sslbind

#endif  // SSLBIND_RESOLVER_H_
