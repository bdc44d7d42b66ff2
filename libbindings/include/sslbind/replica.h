// sslbind/replica.h: a local SQLite store kept an exact copy of a store in
// PostgreSQL (docs/farm.md, "Replicas").
//
// A replica applies its source's revisions in order, each as one local
// transaction with the same revision number and the same journal record,
// so its journal matches the source's; the private keys and the CCS
// password, sealed in the database, land decrypted as 0600 files in the
// local key folder. A new replica (local revision 0) of a source that has
// revisions, or one whose revision the source's journal no longer reaches
// back to (compacted), instead copies the source's current state whole as
// one transaction (a snapshot) and its journal starts there; a replica that
// was empty while its source was too replays from the first revision. Servers read the local store as any other
// (Resolver, CertificateLoader): no handshake waits for the database, and
// the local store keeps its last state while the database is down.
//
// The local store is marked as a replica (a file <store>.replica naming the
// source): every other writer is refused with AccessDenied, naming the
// source. Thread-compatible: one Replica per thread.
#ifndef SSLBIND_REPLICA_H_
#define SSLBIND_REPLICA_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sslbind/status.h"

namespace sslbind {

struct ReplicaOptions {
  // The farm key file (StoreOptions::key_file) that decrypts the private
  // keys and the CCS password. Without it, copying a revision that carries
  // one fails with AccessDenied; bindings and certificates alone need none.
  std::string key_file{};
  int busy_timeout_ms = 10000;
  // Run() compares revisions at least this often even when no notification
  // came (a lost notification delays a revision by at most this much).
  int poll_interval_ms = 2000;
};

// One revision the local store took.
struct ReplicaApplied {
  uint64_t revision = 0;
  // True: the source's state was copied whole (a snapshot), not replayed.
  bool snapshot = false;
  // The keys the revision changed; for a snapshot, the keys copied.
  size_t keys = 0;
  // When the source's writer made the revision (its journal record, ms
  // since 1970 UTC); 0 for a snapshot.
  int64_t source_time_ms = 0;
  // When the local transaction committed (ms since 1970 UTC).
  int64_t applied_time_ms = 0;
};

struct ReplicaEvents {
  // After each local commit.
  std::function<void(const ReplicaApplied&)> applied;
  // The source failed (cannot be reached, or the connection was lost): Run
  // tries again after `retry_in_ms` (doubling up to 5 s).
  std::function<void(const Status& why, int retry_in_ms)> source_lost;
  // The source can be reached again.
  std::function<void()> source_back;
};

class Replica {
 public:
  // Checks the SQLite store `local` as a replica of `source`, a PostgreSQL
  // URI, without creating or changing anything yet (Connect does).
  // InvalidArgument if `source` is not a PostgreSQL URI or `local` is;
  // InvalidArgument if `local` has revisions of its own (it is at revision
  // > 0 and no replica) or replicates another source (named); Store::Open's
  // statuses for the local store.
  static Result<Replica> Open(const std::string& source,
                              const std::string& local,
                              const ReplicaOptions& options);

  Replica(Replica&&) noexcept;
  Replica& operator=(Replica&&) noexcept;
  ~Replica();

  // Connects to the source (again) and listens for its notifications; the
  // first time, then creates the local store if needed and marks it as a
  // replica. IoError if the source cannot be reached (nothing created);
  // Store::Open's other statuses.
  Status Connect();

  // Brings the local store to the source's revision (see the top of the
  // file), calling `applied` after each local commit; returns the local
  // revision. IncompatibleStore if the source is at revision 0 and the
  // replica is not (its database was replaced). On failure, source_failed() says whether the source failed
  // (connect again and retry: nothing half-applied stays) or the local
  // store did.
  Result<uint64_t> CatchUp(
      const std::function<void(const ReplicaApplied&)>& applied);
  bool source_failed() const;

  // Waits at most `timeout_ms` for the source's notification of a new
  // revision: true if one came, false on timeout or a signal. IoError if
  // the connection was lost.
  Result<bool> WaitForChange(int timeout_ms);

  // Connects, catches up, waits for notifications and catches up again,
  // reconnecting with backoff whenever the source fails, until `stop`
  // becomes true (checked at least every 100 ms, and when a signal
  // interrupts a wait): then OK. Returns early with the status of a local
  // failure, or of a source failure that retrying cannot mend (a bad URI, a
  // farm key that cannot be read, a newer schema).
  Status Run(const ReplicaEvents& events, const std::atomic<bool>& stop);

  // The source's URI as messages show it (its password written as ***).
  const std::string& source() const;

 private:
  struct Impl;
  explicit Replica(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sslbind

#endif  // SSLBIND_REPLICA_H_
