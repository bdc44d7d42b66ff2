// Internal: what a replica (store/replica.cc) needs of its source beyond
// the reads of RegistryBackend: a wake-up when a writer commits, and reads
// from one snapshot. The PostgreSQL backend implements it
// (storage/postgres_backend.cc); its writers send the notification in their
// commit transaction, on the channel `sslbind_revision`, payload the
// revision.
#ifndef SSLBIND_SRC_STORAGE_REPLICA_SOURCE_H_
#define SSLBIND_SRC_STORAGE_REPLICA_SOURCE_H_

#include "sslbind/status.h"

namespace sslbind::internal {

class ReplicaSource {
 public:
  virtual ~ReplicaSource() = default;

  // Subscribes this connection to the writers' notifications. A
  // notification is only a wake-up: one is lost whenever the connection is,
  // so the replica always compares revisions.
  virtual Status Listen() = 0;
  // Waits until a notification arrives (true), `timeout_ms` passes or a
  // signal interrupts the wait (false). IoError if the connection is lost.
  virtual Result<bool> WaitForNotification(int timeout_ms) = 0;
  // Until EndSnapshot, every read of the backend sees one snapshot of the
  // store (a read-only REPEATABLE READ transaction): the revision, the
  // journal and the keys agree.
  virtual Status BeginSnapshot() = 0;
  virtual void EndSnapshot() = 0;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_REPLICA_SOURCE_H_
