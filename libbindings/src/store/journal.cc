// The journal read back: history, the state after a revision, rollback
// plans, compaction, and the redaction of command lines.
#include "sslbind/journal.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "certs/ccs_files.h"
#include "certs/cert_registry.h"
#include "store/journal_txn.h"
#include "model/registry_codec.h"
#include "storage/value_codec.h"
#include "store/store_access.h"
#include "model/exception_status.h"

namespace sslbind {

using internal::JournalKeyChange;
using internal::JournalQuery;
using internal::JournalRecord;
using internal::RegistryBackend;
using internal::StoreAccess;

namespace {

bool IsCcsPath(std::string_view path) {
  return NamesEqual(path, kCentralCertProviderPath);
}

// The key at `path` with these packed values.
Result<RegistryKey> Unpack(const std::string& path,
                           const internal::PackedValues& packed) {
  Result<std::vector<RegistryValue>> values = internal::UnpackValues(packed);
  if (!values.ok()) return values.status().WithContext(path);
  return RegistryKey{path, std::move(*values)};
}

Result<CcsConfig> DecodeCcs(const RegistryKey& key) {
  Result<internal::CcsSettings> settings = internal::DecodeCcsSettings(key);
  if (!settings.ok()) return settings.status();
  return settings->config;
}

Result<JournalChange> DecodeChange(const JournalKeyChange& raw) {
  JournalChange change;
  change.path = raw.path;
  change.op = !raw.before  ? JournalChange::Op::kAdd
              : !raw.after ? JournalChange::Op::kDelete
                           : JournalChange::Op::kUpdate;
  if (internal::IsBindingKeyPath(raw.path)) {
    change.subject = JournalChange::Subject::kBinding;
    for (auto [values, out] : {std::pair{&raw.before, &change.before},
                               std::pair{&raw.after, &change.after}}) {
      if (!*values) continue;
      Result<RegistryKey> key = Unpack(raw.path, **values);
      if (!key.ok()) return key.status();
      Result<Binding> b = internal::DecodeBinding(*key);
      if (!b.ok()) return b.status();
      *out = std::move(*b);
    }
  } else if (auto where = internal::ParseCertificatePath(raw.path)) {
    change.subject = JournalChange::Subject::kCertificate;
    change.cert_store = where->store_name;
    change.thumbprint = HexLower(where->thumbprint);
    Result<RegistryKey> key =
        Unpack(raw.path, raw.after ? *raw.after : *raw.before);
    if (!key.ok()) return key.status();
    if (const RegistryValue* v = key->Find(internal::kJournalSubjectValue)) {
      change.cert_subject.assign(v->data.begin(), v->data.end());
    }
  } else if (IsCcsPath(raw.path)) {
    change.subject = JournalChange::Subject::kCcs;
    for (auto [values, out] : {std::pair{&raw.before, &change.ccs_before},
                               std::pair{&raw.after, &change.ccs_after}}) {
      if (!*values) continue;
      Result<RegistryKey> key = Unpack(raw.path, **values);
      if (!key.ok()) return key.status();
      Result<CcsConfig> c = DecodeCcs(*key);
      if (!c.ok()) return c.status();
      *out = std::move(*c);
    }
  }
  return change;
}

Result<RevisionRecord> DecodeRecord(JournalRecord&& raw) {
  RevisionRecord record;
  record.revision = raw.revision;
  record.time_ms = raw.time_ms;
  record.user = std::move(raw.user);
  record.uid = raw.uid;
  record.host = std::move(raw.host);
  record.pid = raw.pid;
  record.command = std::move(raw.command);
  record.reason = std::move(raw.reason);
  record.changes.reserve(raw.changes.size());
  for (const JournalKeyChange& c : raw.changes) {
    Result<JournalChange> change = DecodeChange(c);
    if (!change.ok()) {
      return change.status().WithContext("revision " +
                                         std::to_string(raw.revision));
    }
    record.changes.push_back(std::move(*change));
  }
  return record;
}

// The binding keys and the CCS key of a store, by folded path.
using KeyState = std::map<std::string, RegistryKey>;

bool IsStateKey(std::string_view path) {
  return internal::IsBindingKeyPath(path) || IsCcsPath(path);
}

// Reads the keys the state is made of and the revision they are at, from
// one revision (retried while writers commit in between).
Result<uint64_t> ReadCurrentKeys(RegistryBackend& backend, KeyState* keys) {
  for (int attempt = 0;; ++attempt) {
    keys->clear();
    Result<uint64_t> before = backend.ChangeCounter();
    if (!before.ok()) return before.status();
    Status s =
        backend.ScanSubtree(kHttpParametersPath, [keys](RegistryKey&& key) {
          if (internal::IsBindingKeyPath(key.path)) {
            std::string folded = FoldCase(key.path);
            keys->emplace(std::move(folded), std::move(key));
          }
          return Status::Ok();
        });
    if (!s.ok()) return s;
    Result<std::optional<RegistryKey>> ccs =
        backend.GetKey(kCentralCertProviderPath);
    if (!ccs.ok()) return ccs.status();
    if (*ccs) keys->emplace(FoldCase((*ccs)->path), std::move(**ccs));
    Result<uint64_t> after = backend.ChangeCounter();
    if (!after.ok()) return after.status();
    if (*after == *before) return *before;
    if (attempt == 100) {
      return Status::Busy("the store kept changing while it was read");
    }
  }
}

Result<StoreState> DecodeState(uint64_t revision, const KeyState& keys) {
  StoreState state;
  state.revision = revision;
  for (const auto& [folded, key] : keys) {
    if (IsCcsPath(key.path)) {
      Result<CcsConfig> ccs = DecodeCcs(key);
      if (!ccs.ok()) return ccs.status();
      state.ccs = std::move(*ccs);
      continue;
    }
    Result<Binding> b = internal::DecodeBinding(key);
    if (!b.ok()) return b.status();
    state.bindings.push_back(std::move(*b));
  }
  std::sort(state.bindings.begin(), state.bindings.end(),
            [](const Binding& a, const Binding& b) { return a.key < b.key; });
  return state;
}

Status CheckReachable(RegistryBackend& backend, uint64_t revision,
                      uint64_t current) {
  if (revision > current) {
    return Status::NotFound("revision " + std::to_string(revision) +
                            " does not exist: the store is at revision " +
                            std::to_string(current));
  }
  Result<uint64_t> oldest = backend.JournalStart();
  if (!oldest.ok()) return oldest.status();
  if (revision < *oldest) {
    return Status::NotFound("revision " + std::to_string(revision) +
                            " is older than the journal: the oldest "
                            "revision kept is " +
                            std::to_string(*oldest));
  }
  return Status::Ok();
}

// The state now (into *now, if given) and after `revision`.
Result<StoreState> RebuildState(const Store& store, uint64_t revision,
                                StoreState* now) {
  RegistryBackend& backend = StoreAccess::Backend(store);
  KeyState keys;
  Result<uint64_t> current = ReadCurrentKeys(backend, &keys);
  if (!current.ok()) return current.status();
  Status s = CheckReachable(backend, revision, *current);
  if (!s.ok()) return s;
  if (now) {
    Result<StoreState> decoded = DecodeState(*current, keys);
    if (!decoded.ok()) return decoded.status();
    *now = std::move(*decoded);
  }
  // Undo, newest first, every revision after the one asked for.
  JournalQuery query;
  query.after_revision = revision;
  query.up_to_revision = *current;
  s = backend.ReadJournal(query, [&keys](JournalRecord&& record) {
    for (auto it = record.changes.rbegin(); it != record.changes.rend(); ++it) {
      if (!IsStateKey(it->path)) continue;
      std::string folded = FoldCase(it->path);
      if (!it->before) {
        keys.erase(folded);
        continue;
      }
      Result<RegistryKey> key = Unpack(it->path, *it->before);
      if (!key.ok()) return key.status();
      keys[folded] = std::move(*key);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return DecodeState(revision, keys);
}

bool NeedsRedaction(std::string_view word) {
  std::string folded = FoldCase(word);
  size_t at = folded.find("password=");
  return at != std::string::npos;
}

std::string Redacted(std::string_view word) {
  size_t at = FoldCase(word).find("password=");
  return std::string(word.substr(0, at + 9)) + "***";
}

}  // namespace

Result<uint64_t> CurrentRevision(const Store& store) try {
  return store.Revision();
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<uint64_t> OldestRevision(const Store& store) try {
  return StoreAccess::Backend(store).JournalStart();
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<std::vector<RevisionRecord>> ReadHistory(const Store& store,
                                                const HistoryQuery& query) try {
  JournalQuery raw;
  raw.after_revision = query.since_revision == 0 ? 0 : query.since_revision - 1;
  if (query.since_time_ms) raw.since_time_ms = *query.since_time_ms;
  if (query.key) raw.key_path = internal::BindingKeyPath(*query.key);
  raw.limit = query.limit;
  std::vector<RevisionRecord> records;
  Status s = StoreAccess::Backend(store).ReadJournal(
      raw, [&records](JournalRecord&& record) {
        Result<RevisionRecord> decoded = DecodeRecord(std::move(record));
        if (!decoded.ok()) return decoded.status();
        records.push_back(std::move(*decoded));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return records;
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<StoreState> StateAt(const Store& store, uint64_t revision) try {
  return RebuildState(store, revision, nullptr);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<RollbackPlan> PlanRollback(const Store& store, uint64_t revision) try {
  StoreState now;
  Result<StoreState> then = RebuildState(store, revision, &now);
  if (!then.ok()) return then.status();
  Result<ApplyPlan> plan = PlanApply(now.bindings, then->bindings, true);
  if (!plan.ok()) return plan.status();
  RollbackPlan rollback;
  rollback.from_revision = now.revision;
  rollback.to_revision = revision;
  rollback.plan = std::move(*plan);
  const CcsConfig& want = then->ccs;
  const bool turn_on = want.enabled && !want.location.empty();
  const bool differs = now.ccs.active() != turn_on ||
                       (turn_on && now.ccs.location != want.location);
  if (differs) {
    rollback.ccs_before = now.ccs;
    rollback.ccs_after = want;
    if (turn_on) {
      rollback.plan.batch.EnableCcs(want.location, std::nullopt);
      rollback.ccs_after->has_password = false;
    } else {
      rollback.plan.batch.DisableCcs();
    }
  }
  return rollback;
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status CompactJournal(Store& store, uint64_t before) try {
  Status refused = StoreAccess::RefuseIfReplica(store);
  if (!refused.ok()) return refused;
  Result<uint64_t> current = store.Revision();
  if (!current.ok()) return current.status();
  if (before > *current) {
    return Status::InvalidArgument(
        "cannot compact before revision " + std::to_string(before) +
        ": the store is at revision " + std::to_string(*current));
  }
  return StoreAccess::Backend(store).CompactJournal(before);
} catch (...) {
  return internal::StatusOfCurrentException();
}

std::string RedactCommandLine(const std::vector<std::string>& args) {
  std::string line;
  for (const std::string& arg : args) {
    if (!line.empty()) line += ' ';
    std::string word = NeedsRedaction(arg) ? Redacted(arg) : arg;
    if (!word.empty() && word.find_first_of(" \t\n'\"") == std::string::npos) {
      line += word;
      continue;
    }
    // Quoted as a shell would take it back.
    line += '\'';
    for (char c : word)
      line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

std::string RedactSecrets(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() &&
           !std::isspace(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    std::string_view word = text.substr(i, end - i);
    out += NeedsRedaction(word) ? Redacted(word) : std::string(word);
    i = end;
  }
  return out;
}

}  // namespace sslbind
