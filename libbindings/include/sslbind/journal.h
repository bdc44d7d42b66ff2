// sslbind/journal.h: revisions and the change journal of a store.
//
// Every committed WriteBatch is one revision of the store: Store::Revision()
// is gap-free and strictly increasing across all writers and processes,
// moved by exactly one per committed batch (a dry run, a failed batch or a
// refused compare-and-swap moves nothing). In the same transaction the
// store journals the revision: when (UTC, milliseconds), who (user name and
// uid, host, process id, the command line or WriteOptions::actor with every
// secret value written as ***), why (WriteOptions::reason), and every
// registry key it changed with the key's values before and after.
// Certificates appear as store, thumbprint and subject only; private keys
// and the CCS password are files beside the store and never reach the
// journal in any form.
//
// From the journal come the history of a store or of one binding, the
// bindings as they were after any revision the journal still reaches
// (BindingsAt), and the batch that brings them back (PlanRollback). The
// journal keeps everything unless compacted (CompactJournal).
//
// Reading functions take a const Store and work on read-only handles; they
// return plain values. Thread-compatible, as Store is.
#ifndef SSLBIND_JOURNAL_H_
#define SSLBIND_JOURNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/apply_plan.h"
#include "sslbind/binding.h"
#include "sslbind/ccs.h"
#include "sslbind/status.h"
#include "sslbind/store.h"

namespace sslbind {

// One thing a revision changed.
struct JournalChange {
  enum class Op : uint8_t { kAdd, kUpdate, kDelete };
  enum class Subject : uint8_t {
    kBinding,      // before/after hold the binding
    kCertificate,  // cert_store, thumbprint, cert_subject
    kCcs,          // ccs_before/ccs_after hold the CCS settings
    kOther,        // another registry key (path only)
  };

  Op op = Op::kUpdate;
  Subject subject = Subject::kOther;
  // The registry key's path.
  std::string path;
  std::optional<Binding> before;  // kBinding; none when added
  std::optional<Binding> after;   // kBinding; none when deleted
  std::string cert_store;         // kCertificate, e.g. "MY"
  std::string thumbprint;         // kCertificate, lower-case hex
  std::string cert_subject;       // kCertificate, e.g. "CN=www.contoso.com"
  std::optional<CcsConfig> ccs_before;  // kCcs
  std::optional<CcsConfig> ccs_after;   // kCcs
};

// One revision as the journal keeps it.
struct RevisionRecord {
  uint64_t revision = 0;
  int64_t time_ms = 0;  // UTC, milliseconds since 1970-01-01
  std::string user;     // operating-system user name
  int64_t uid = -1;
  std::string host;
  int64_t pid = 0;
  // The command line (secret values as ***) or WriteOptions::actor.
  std::string command;
  std::string reason;  // empty when none was given
  std::vector<JournalChange> changes;
};

struct HistoryQuery {
  // Only the revisions that changed this binding, and of each only that
  // change.
  std::optional<BindingKey> key{};
  // Only revisions >= since_revision.
  uint64_t since_revision = 0;
  // Only revisions committed at or after this time (ms since 1970, UTC).
  std::optional<int64_t> since_time_ms{};
  // At most this many revisions, newest first; 0: all.
  size_t limit = 0;
};

// The store's current revision (Store::Revision()).
Result<uint64_t> CurrentRevision(const Store& store);

// The oldest revision whose bindings the journal can rebuild: the
// revision the store had when it was upgraded to keep a journal (0 for a
// store that always had one), or later after CompactJournal.
Result<uint64_t> OldestRevision(const Store& store);

// The journal, newest revision first. IncompatibleStore if an entry cannot
// be decoded.
Result<std::vector<RevisionRecord>> ReadHistory(const Store& store,
                                                const HistoryQuery& query);

// The store's bindings and CCS settings as they were right after
// `revision`.
struct StoreState {
  uint64_t revision = 0;
  std::vector<Binding> bindings;  // in show order
  CcsConfig ccs;
};
// NotFound (2) if `revision` is newer than the store or older than the
// journal reaches (the message names the oldest revision kept).
Result<StoreState> StateAt(const Store& store, uint64_t revision);

// What `rollback --to REVISION` writes: the plan that turns the current
// bindings into those of `revision` (every key, pruning), plus the CCS
// settings of then when they differ. Apply it with Store::Write as one new
// revision; the journal is never rewritten. Certificates are not
// restored: with WriteOptions::verify_certificates the write refuses a
// restored binding whose certificate is gone with 1312. The CCS password
// is not restored either (the journal never held it): a rollback that
// turns the CCS on again leaves it without a password.
struct RollbackPlan {
  uint64_t from_revision = 0;  // the revision planned against
  uint64_t to_revision = 0;
  ApplyPlan plan;
  std::optional<CcsConfig> ccs_before;  // set when the CCS settings change
  std::optional<CcsConfig> ccs_after;
  bool in_place() const { return plan.in_place(); }
};
// NotFound as StateAt.
Result<RollbackPlan> PlanRollback(const Store& store, uint64_t revision);

// Drops the journal's records of revisions before `before`; the bindings
// stay, the revision does not move, and OldestRevision() becomes
// before - 1. InvalidArgument if `before` is newer than the current
// revision; AccessDenied on a read-only handle.
Status CompactJournal(Store& store, uint64_t before);

// A command line for the journal: the arguments joined by spaces (quoted
// as a shell takes them when they hold blanks or quotes), each argument
// holding "password=" (any case, any prefix) cut after it and written as
// "password=***".
std::string RedactCommandLine(const std::vector<std::string>& args);
// The same over free text (whitespace-separated words), for
// WriteOptions::actor.
std::string RedactSecrets(std::string_view text);

}  // namespace sslbind

#endif  // SSLBIND_JOURNAL_H_
