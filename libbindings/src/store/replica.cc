// Replica: a local SQLite store kept an exact copy of a PostgreSQL store.
#include "sslbind/replica.h"

#include <time.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "certs/ccs_files.h"
#include "certs/cert_registry.h"
#include "certs/certificate_ops.h"
#include "certs/key_folder.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"
#include "sslbind/store.h"
#include "storage/postgres_conn.h"
#include "storage/registry_backend.h"
#include "storage/replica_marker.h"
#include "storage/replica_source.h"
#include "storage/value_codec.h"
#include "store/store_access.h"

namespace sslbind {

using internal::FileChanges;
using internal::JournalRecord;
using internal::KeyFolder;
using internal::RegistryBackend;
using internal::RegistryTxn;
using internal::StoreAccess;

namespace {

// The roots of the hive: every key of a store is below one of them.
constexpr std::string_view kHiveRoots[] = {"SYSTEM", "SOFTWARE"};

// Journal records replayed per snapshot of the source.
constexpr size_t kRecordsPerRead = 256;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A private key or CCS password file a key refers to.
struct SecretRef {
  bool password = false;
  std::vector<uint8_t> thumbprint;  // of a private key
  std::string id;
  std::string Name() const {
    return password ? internal::PasswordFileName(id)
                    : internal::KeyFileName(thumbprint, id);
  }
};

// The secret `key` refers to, if any: a certificate's private key or the
// CCS password.
std::optional<SecretRef> SecretOf(const RegistryKey& key) {
  if (auto where = internal::ParseCertificatePath(key.path)) {
    std::string id = internal::KeyIdOf(key);
    if (id.empty()) return std::nullopt;
    return SecretRef{false, std::move(where->thumbprint), std::move(id)};
  }
  if (FoldCase(key.path) == FoldCase(kCentralCertProviderPath)) {
    Result<internal::CcsSettings> ccs = internal::DecodeCcsSettings(key);
    if (!ccs.ok() || ccs->password_id.empty()) return std::nullopt;
    return SecretRef{true, {}, std::move(ccs->password_id)};
  }
  return std::nullopt;
}

Result<std::optional<std::string>> ReadSecret(const KeyFolder& keys,
                                              const SecretRef& ref) {
  return ref.password ? keys.ReadPassword(ref.id)
                      : keys.ReadKey(ref.thumbprint, ref.id);
}

// A certificate key: the journal keeps only its subject, so its values
// come from the source.
bool IsCertificateKey(std::string_view path) {
  return internal::ParseCertificatePath(path).has_value();
}

}  // namespace

struct Replica::Impl {
  std::string source_uri;   // to connect, password included
  std::string source_name;  // for messages
  std::string local_path;   // as given
  ReplicaOptions options;
  std::optional<Store> local;
  std::optional<Store> source;
  internal::ReplicaSource* feed = nullptr;
  bool source_failed = false;
  // Seen empty while the source was too: its revisions are replayed from
  // the first, not copied.
  bool followed_from_zero = false;
  // The journals were compared since the last Connect (SameHistoryAt).
  bool history_checked = false;

  // A status from the source: marks the failure as the source's.
  Status Src(Status s) {
    if (!s.ok()) source_failed = true;
    return s;
  }
  template <typename T>
  Result<T> Src(Result<T> r) {
    if (!r.ok()) source_failed = true;
    return r;
  }

  // InvalidArgument if the local store is another source's replica or has
  // revisions of its own.
  Status CheckLocal(const Store& store);
  // Opens (creating) the local store and marks it, once.
  Status OpenLocal();

  RegistryBackend& source_backend() { return StoreAccess::Backend(*source); }
  RegistryBackend& local_backend() { return StoreAccess::Backend(*local); }

  Result<uint64_t> CatchUpOnce(
      const std::function<void(const ReplicaApplied&)>& applied, bool* done);
  Status Replay(const JournalRecord& record, ReplicaApplied* out);
  Status Snapshot(uint64_t revision, ReplicaApplied* out);
  // Whether the source's journal record of `revision` is the one the
  // replica applied (the same time, writer, process and command): false
  // when the source's history is another one -- its database replaced, or
  // restored from a backup and written since. Records are compared by
  // their digests (RecordIdentity); right after a copy, the digest the copy
  // kept of the source's record stands for the replica's.
  // nullopt when either side lacks the record.
  Result<std::optional<bool>> SameHistoryAt(uint64_t revision);
};

namespace {

// The record of `revision` in `backend`'s journal, if it holds it.
Result<std::optional<JournalRecord>> RecordAt(RegistryBackend& backend,
                                              uint64_t revision) {
  std::optional<JournalRecord> found;
  internal::JournalQuery query;
  query.after_revision = revision - 1;
  query.up_to_revision = revision;
  query.limit = 1;
  Status s = backend.ReadJournal(query, [&](JournalRecord&& record) {
    found = std::move(record);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

// A 64-bit digest of what tells a journal record from one another history
// made: its revision, time, writer, process, command and reason (not its
// changes). Kept by a replica for the revision it copied (Rebase), whose
// own record it has not.
uint64_t RecordIdentity(const JournalRecord& r) {
  std::string bytes;
  auto add_number = [&](int64_t n) {
    bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
  };
  auto add_text = [&](const std::string& text) {
    add_number(static_cast<int64_t>(text.size()));  // (no two fields merge)
    bytes += text;
  };
  add_number(static_cast<int64_t>(r.revision));
  add_number(r.time_ms);
  add_text(r.user);
  add_number(r.uid);
  add_text(r.host);
  add_number(r.pid);
  add_text(r.command);
  add_text(r.reason);
  return XXH3_64bits(bytes.data(), bytes.size());
}

}  // namespace

Result<std::optional<bool>> Replica::Impl::SameHistoryAt(uint64_t revision) {
  Result<std::optional<JournalRecord>> mine =
      RecordAt(local_backend(), revision);
  if (!mine.ok()) return mine.status();
  // Right after a copy the replica has no record of its revision: the
  // digest of the source's, kept by the copy, stands for it.
  std::optional<uint64_t> my_digest;
  if (!*mine) {
    Result<std::optional<RegistryBackend::CopiedAnchor>> anchor =
        local_backend().CopiedFrom();
    if (!anchor.ok()) return anchor.status();
    if (!*anchor || (*anchor)->revision != revision) {
      return std::optional<bool>();
    }
    my_digest = (*anchor)->identity;
  }
  Result<std::optional<JournalRecord>> theirs =
      Src(RecordAt(source_backend(), revision));
  if (!theirs.ok()) return theirs.status();
  if (!*theirs) return std::optional<bool>();
  if (!my_digest) my_digest = RecordIdentity(**mine);
  return std::optional<bool>(*my_digest == RecordIdentity(**theirs));
}

namespace {

// What one local transaction does to the key folder, beside the keys.
class SecretCopier {
 public:
  // `source_failed` is set when reading the source fails.
  SecretCopier(bool& source_failed, const KeyFolder& local,
               const KeyFolder& source, FileChanges& files)
      : source_failed_(source_failed),
        local_(local),
        source_(source),
        files_(files) {}

  // The file `ref` names is in the local key folder: copied from the
  // source unless it is there already.
  Status Copy(const SecretRef& ref) {
    Result<std::optional<std::string>> have = ReadSecret(local_, ref);
    if (!have.ok()) return have.status();
    if (*have) return Status::Ok();
    Result<std::optional<std::string>> data = ReadSecret(source_, ref);
    if (!data.ok()) {
      // A missing or wrong farm key is this replica's to mend, not the
      // source's.
      if (data.status().code() != StatusCode::kAccessDenied)
        source_failed_ = true;
      return data.status();
    }
    if (!*data) return Status::Ok();  // the source lacks it too
    Result<std::string> written =
        ref.password ? local_.WritePassword(ref.id, **data)
                     : local_.WriteKey(ref.thumbprint, ref.id, **data);
    if (!written.ok()) return written.status();
    files_.Created(std::move(*written));
    return Status::Ok();
  }

  // The file goes once the transaction commits.
  Status Retire(const SecretRef& ref) {
    Result<std::string> path = local_.Retire(ref.Name());
    if (!path.ok()) return path.status();
    files_.Replaced(std::move(*path));
    return Status::Ok();
  }

 private:
  bool& source_failed_;
  const KeyFolder& local_;
  const KeyFolder& source_;
  FileChanges& files_;
};

// Makes the key at `path` (and, when deleting, its subtree) what `want`
// says, with the secrets it refers to.
Status Converge(RegistryTxn& txn, SecretCopier& secrets, std::string_view path,
                const std::optional<RegistryKey>& want) {
  std::vector<SecretRef> old;
  if (want) {
    Result<std::optional<RegistryKey>> have = txn.GetKey(path);
    if (!have.ok()) return have.status();
    if (*have) {
      if (auto ref = SecretOf(**have)) old.push_back(std::move(*ref));
    }
    std::optional<SecretRef> ref = SecretOf(*want);
    if (ref) {
      Status s = secrets.Copy(*ref);
      if (!s.ok()) return s;
      std::erase_if(
          old, [&](const SecretRef& o) { return o.Name() == ref->Name(); });
    }
    Status s = txn.PutKey(*want);
    if (!s.ok()) return s;
  } else {
    Status s = txn.ScanSubtree(path, [&](RegistryKey&& key) {
      if (auto ref = SecretOf(key)) old.push_back(std::move(*ref));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    Result<bool> deleted = txn.DeleteKey(path);
    if (!deleted.ok()) return deleted.status();
  }
  for (const SecretRef& ref : old) {
    Status s = secrets.Retire(ref);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// After a local transaction `s`: its key files kept (committed) or removed;
// if committed, *out is `applied`, stamped now.
Status Settle(const Status& s, FileChanges& files, ReplicaApplied applied,
              ReplicaApplied* out) {
  if (!s.ok()) {
    files.RolledBack();
    return s;
  }
  files.Committed();
  applied.applied_time_ms = NowMs();
  *out = applied;
  return Status::Ok();
}

// Reads from one snapshot of the source while it lives.
class SourceSnapshot {
 public:
  explicit SourceSnapshot(internal::ReplicaSource* feed) : feed_(feed) {}
  ~SourceSnapshot() {
    if (begun_) feed_->EndSnapshot();
  }
  Status Begin() {
    Status s = feed_->BeginSnapshot();
    begun_ = s.ok();
    return s;
  }

 private:
  internal::ReplicaSource* feed_;
  bool begun_ = false;
};

}  // namespace

Status Replica::Impl::Replay(const JournalRecord& record, ReplicaApplied* out) {
  const KeyFolder keys = StoreAccess::Keys(*local);
  const KeyFolder source_keys = StoreAccess::Keys(*source);
  FileChanges files;
  Status s = local_backend().WriteTransaction([&](RegistryTxn& txn) -> Status {
    files.RolledBack();
    Result<uint64_t> current = txn.Revision();
    if (!current.ok()) return current.status();
    if (*current + 1 != record.revision) {
      return Status::Internal(
          "the replica is at revision " + std::to_string(*current) +
          ", cannot apply revision " + std::to_string(record.revision));
    }
    timespec locked_at{};
    clock_gettime(CLOCK_REALTIME_COARSE, &locked_at);
    internal::RemoveStaleKeyFiles(txn, keys, locked_at);
    SecretCopier secrets(source_failed, keys, source_keys, files);
    for (const internal::JournalKeyChange& change : record.changes) {
      std::optional<RegistryKey> want;
      if (change.after && IsCertificateKey(change.path)) {
        // The source as of this snapshot: a certificate deleted since is
        // left out, as the later revision that deleted it will.
        Result<std::optional<RegistryKey>> key =
            Src(source_backend().GetKey(change.path));
        if (!key.ok()) return key.status();
        want = std::move(*key);
      } else if (change.after) {
        Result<std::vector<RegistryValue>> values =
            internal::UnpackValues(*change.after);
        if (!values.ok()) return values.status().WithContext(change.path);
        want = RegistryKey{change.path, std::move(*values)};
      }
      Status c = Converge(txn, secrets, change.path, want);
      if (!c.ok()) return c;
    }
    return txn.AppendJournal(record);
  });
  return Settle(s, files,
                {.revision = record.revision,
                 .keys = record.changes.size(),
                 .source_time_ms = record.time_ms},
                out);
}

Status Replica::Impl::Snapshot(uint64_t revision, ReplicaApplied* out) {
  const KeyFolder keys = StoreAccess::Keys(*local);
  const KeyFolder source_keys = StoreAccess::Keys(*source);
  FileChanges files;
  size_t copied = 0;
  Status s = local_backend().WriteTransaction([&](RegistryTxn& txn) -> Status {
    files.RolledBack();
    copied = 0;
    SecretCopier secrets(source_failed, keys, source_keys, files);
    std::map<std::string, SecretRef> old;
    for (std::string_view root : kHiveRoots) {
      Status l = txn.ScanSubtree(root, [&](RegistryKey&& key) {
        if (auto ref = SecretOf(key)) old.emplace(ref->Name(), *ref);
        return Status::Ok();
      });
      if (!l.ok()) return l;
      Result<bool> deleted = txn.DeleteKey(root);
      if (!deleted.ok()) return deleted.status();
    }
    std::vector<SecretRef> wanted;
    for (std::string_view root : kHiveRoots) {
      Status local_failure;
      Status scanned =
          source_backend().ScanSubtree(root, [&](RegistryKey&& key) {
            if (auto ref = SecretOf(key)) wanted.push_back(std::move(*ref));
            local_failure = txn.PutKey(key);
            ++copied;
            return local_failure;
          });
      if (!local_failure.ok()) return local_failure;
      if (!scanned.ok()) return Src(scanned);
    }
    // After the scan: the source's connection is free again.
    for (const SecretRef& ref : wanted) {
      old.erase(ref.Name());
      Status c = secrets.Copy(ref);
      if (!c.ok()) return c;
    }
    for (const auto& [name, ref] : old) {
      Status r = secrets.Retire(ref);
      if (!r.ok()) return r;
    }
    // The source's record of the revision copied (same read snapshot).
    Result<std::optional<JournalRecord>> record =
        Src(RecordAt(source_backend(), revision));
    if (!record.ok()) return record.status();
    std::optional<uint64_t> anchor;
    if (*record) anchor = RecordIdentity(**record);
    return txn.Rebase(revision, anchor);
  });
  return Settle(s, files,
                {.revision = revision, .snapshot = true, .keys = copied}, out);
}

// One read of the source: a snapshot, or up to kRecordsPerRead revisions.
Result<uint64_t> Replica::Impl::CatchUpOnce(
    const std::function<void(const ReplicaApplied&)>& applied, bool* done) {
  SourceSnapshot snapshot(feed);
  Status s = Src(snapshot.Begin());
  if (!s.ok()) return s;
  Result<uint64_t> target = Src(source_backend().ChangeCounter());
  if (!target.ok()) return target;
  Result<uint64_t> start = Src(source_backend().JournalStart());
  if (!start.ok()) return start;
  Result<uint64_t> at = local->Revision();
  if (!at.ok()) return at;
  *done = true;
  if (*at == 0 && *target == 0) {
    // Empty, as the source: the source's first revisions are replayed.
    followed_from_zero = true;
    return at;
  }
  if (*target == 0) {
    return Status::IncompatibleStore(
        "the source '" + source_name + "' is at revision 0, behind the " +
        "replica (" + std::to_string(*at) +
        "): was its database replaced? Replicate into a new store");
  }
  ReplicaApplied event;
  if (!history_checked && *at > 0 && *at <= *target && *start <= *at) {
    // Once a connection: is the source still the store this replica
    // followed? If not, its state is copied (below), not replayed.
    Result<std::optional<bool>> same = SameHistoryAt(*at);
    if (!same.ok()) return same.status();
    history_checked = true;
    if (*same && !**same) {
      s = Snapshot(*target, &event);
      if (!s.ok()) return s;
      if (applied) applied(event);
      return target;
    }
  }
  if (*at == *target) return at;
  if ((*at == 0 && !followed_from_zero) || *start > *at || *at > *target) {
    s = Snapshot(*target, &event);
    if (!s.ok()) return s;
    if (applied) applied(event);
    return target;
  }
  std::vector<JournalRecord> records;
  internal::JournalQuery query;
  query.after_revision = *at;
  query.up_to_revision = *target;
  query.limit = kRecordsPerRead;
  query.newest_first = false;
  s = Src(source_backend().ReadJournal(query, [&](JournalRecord&& record) {
    records.push_back(std::move(record));
    return Status::Ok();
  }));
  if (!s.ok()) return s;
  for (const JournalRecord& record : records) {
    s = Replay(record, &event);
    if (!s.ok()) return s;
    if (applied) applied(event);
  }
  if (records.empty() || records.front().revision != *at + 1) {
    // The journal does not hold the next revision: copy the state instead.
    s = Snapshot(*target, &event);
    if (!s.ok()) return s;
    if (applied) applied(event);
    return target;
  }
  *done = records.back().revision == *target;
  return records.back().revision;
}

Replica::Replica(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Replica::Replica(Replica&&) noexcept = default;
Replica& Replica::operator=(Replica&&) noexcept = default;
Replica::~Replica() = default;

Result<Replica> Replica::Open(const std::string& source,
                              const std::string& local,
                              const ReplicaOptions& options) {
  if (!internal::IsPostgresUri(source)) {
    return Status::InvalidArgument(
        "the source '" + source +
        "' is not a PostgreSQL store (postgresql://...): only a store in "
        "PostgreSQL can be replicated");
  }
  if (internal::IsPostgresUri(local)) {
    return Status::InvalidArgument("the replica '" +
                                   internal::RedactedUri(local) +
                                   "' must be a local store file, not a "
                                   "PostgreSQL store");
  }
  auto impl = std::make_unique<Impl>();
  impl->source_uri = source;
  impl->source_name = internal::RedactedUri(source);
  impl->local_path = local;
  impl->options = options;
  // Checked now, created (and marked) only once the source answers: a
  // replica that never reached its source leaves nothing behind.
  StoreOptions read_only;
  read_only.missing_is_empty = true;
  read_only.busy_timeout_ms = options.busy_timeout_ms;
  Result<Store> store = Store::Open(local, read_only);
  if (!store.ok()) return store.status();
  Status s = impl->CheckLocal(*store);
  if (!s.ok()) return s;
  return Replica(std::move(impl));
}

Status Replica::Impl::CheckLocal(const Store& store) {
  const std::string& file = StoreAccess::ResolvedPath(store);
  Result<std::optional<std::string>> marked = internal::ReadReplicaMarker(file);
  if (!marked.ok()) return marked.status();
  if (*marked && **marked != source_name) {
    return Status::InvalidArgument("the store '" + local_path +
                                   "' is a replica of '" + **marked +
                                   "', not of '" + source_name + "'");
  }
  if (*marked) return Status::Ok();
  Result<uint64_t> revision = store.Revision();
  if (!revision.ok()) return revision.status();
  if (*revision != 0) {
    return Status::InvalidArgument(
        "the store '" + local_path + "' has changes of its own (it is at " +
        "revision " + std::to_string(*revision) +
        ") and is no replica: replicate into a new store");
  }
  return Status::Ok();
}

Status Replica::Impl::OpenLocal() {
  if (local) return Status::Ok();
  StoreOptions writable;
  writable.writable = true;
  writable.create_if_missing = true;
  writable.busy_timeout_ms = options.busy_timeout_ms;
  Result<Store> store = Store::Open(local_path, writable);
  if (!store.ok()) return store.status();
  Status s = CheckLocal(*store);  // again: it may have changed since Open
  if (s.ok()) {
    s = internal::WriteReplicaMarker(StoreAccess::ResolvedPath(*store),
                                     source_name);
  }
  if (!s.ok()) return s;
  local.emplace(std::move(*store));
  return Status::Ok();
}

Status Replica::Connect() {
  impl_->history_checked = false;
  impl_->feed = nullptr;
  impl_->source.reset();
  StoreOptions options;
  options.missing_is_empty = true;  // a database not written yet
  options.busy_timeout_ms = impl_->options.busy_timeout_ms;
  options.key_file = impl_->options.key_file;
  Result<Store> store = Store::Open(impl_->source_uri, options);
  if (!store.ok()) return store.status();
  auto* feed =
      dynamic_cast<internal::ReplicaSource*>(&StoreAccess::Backend(*store));
  if (feed == nullptr) {
    return Status::Internal("the source '" + impl_->source_name +
                            "' cannot feed a replica");
  }
  Status s = feed->Listen();
  if (!s.ok()) return s;
  s = impl_->OpenLocal();
  if (!s.ok()) return s;
  impl_->source.emplace(std::move(*store));
  impl_->feed = feed;
  return Status::Ok();
}

Result<uint64_t> Replica::CatchUp(
    const std::function<void(const ReplicaApplied&)>& applied) {
  impl_->source_failed = false;
  if (!impl_->source) {
    impl_->source_failed = true;
    return Status::IoError("not connected to the source '" +
                           impl_->source_name + "'");
  }
  while (true) {
    bool done = false;
    Result<uint64_t> revision = impl_->CatchUpOnce(applied, &done);
    if (!revision.ok() || done) return revision;
  }
}

bool Replica::source_failed() const { return impl_->source_failed; }

Result<bool> Replica::WaitForChange(int timeout_ms) {
  if (!impl_->feed) return Status::IoError("not connected to the source");
  return impl_->feed->WaitForNotification(timeout_ms);
}

const std::string& Replica::source() const { return impl_->source_name; }

namespace {

// Failures of the source that waiting may mend.
bool Retryable(const Status& s) {
  return s.code() == StatusCode::kIoError || s.code() == StatusCode::kBusy ||
         s.code() == StatusCode::kNotFound;
}

// Sleeps `ms` in slices, returning early once `stop` is set.
void SleepUnlessStopped(int ms, const std::atomic<bool>& stop) {
  for (int slept = 0; slept < ms && !stop; slept += 100) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::min(100, ms - slept)));
  }
}

}  // namespace

Status Replica::Run(const ReplicaEvents& events,
                    const std::atomic<bool>& stop) {
  constexpr int kFirstRetryMs = 100;
  constexpr int kLastRetryMs = 5000;
  int retry_ms = kFirstRetryMs;
  bool lost = false;
  auto fail = [&](const Status& why) {
    impl_->feed = nullptr;
    impl_->source.reset();
    if (events.source_lost) events.source_lost(why, retry_ms);
    lost = true;
    SleepUnlessStopped(retry_ms, stop);
    retry_ms = std::min(retry_ms * 2, kLastRetryMs);
  };
  while (!stop) {
    if (!impl_->source) {
      Status s = Connect();
      if (!s.ok()) {
        if (!Retryable(s)) return s;
        fail(s);
        continue;
      }
    }
    Result<uint64_t> revision = CatchUp(events.applied);
    if (!revision.ok()) {
      if (!source_failed() || !Retryable(revision.status())) {
        return revision.status();
      }
      fail(revision.status());
      continue;
    }
    if (lost && events.source_back) events.source_back();
    lost = false;
    retry_ms = kFirstRetryMs;
    // Wait for a notification, comparing revisions at least every
    // poll_interval_ms whatever comes.
    const auto until =
        std::chrono::steady_clock::now() +
        std::chrono::milliseconds(impl_->options.poll_interval_ms);
    while (!stop && std::chrono::steady_clock::now() < until) {
      Result<bool> woke = WaitForChange(100);
      if (!woke.ok()) {
        fail(woke.status());
        break;
      }
      if (*woke) break;
    }
  }
  return Status::Ok();
}

}  // namespace sslbind
