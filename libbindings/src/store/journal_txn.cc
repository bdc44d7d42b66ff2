// The journal's side of a write: noting changed keys, redacting them, and
// saying who wrote.
#include "store/journal_txn.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

#include "certs/cert_registry.h"
#include "certs/openssl_util.h"
#include "sslbind/journal.h"
#include "storage/journal_packing.h"
#include "storage/postgres_conn.h"
#include "storage/value_codec.h"

namespace sslbind::internal {

Status JournalingTxn::PutKey(const RegistryKey& key) {
  Result<std::optional<RegistryKey>> before = inner_.GetKey(key.path);
  if (!before.ok()) return before.status();
  Status s = inner_.PutKey(key);
  if (!s.ok()) return s;
  std::optional<PackedValues> old;
  if (*before) old = PackValues((*before)->values);
  s = StopPacking();
  if (!s.ok()) return s;
  Note(key.path, std::move(old), PackValues(key.values));
  return Status::Ok();
}

Result<bool> JournalingTxn::AddKey(const RegistryKey& key) {
  PackedValues packed = PackValues(key.values);
  Result<bool> added = inner_.AddPackedKey(key, packed);
  if (!added.ok() || !*added) return added;
  if (may_repeat_) {
    Note(key.path, std::nullopt, std::move(packed));
    return added;
  }
  if (packing_failed_.ok()) {
    packing_failed_ = packer_.Add(
        {key.path, std::nullopt, RedactForJournal(key.path, std::move(packed))});
  }
  if (packed_hashes_.size() <= kJournalIndexedKeysMax) {
    packed_hashes_.push_back(JournalKeyHash(key.path));
  }
  return added;
}

Status JournalingTxn::StopPacking() {
  if (may_repeat_) return Status::Ok();
  may_repeat_ = true;
  packed_hashes_.clear();
  changes_.reserve(expected_keys_);
  if (!packing_failed_.ok()) return packing_failed_;
  if (packer_.count() == 0) return Status::Ok();
  // (Already redacted; RedactForJournal leaves them so.)
  return UnpackChanges(packer_.Take(), "", &changes_);
}

Result<bool> JournalingTxn::DeleteKey(std::string_view path) {
  std::vector<RegistryKey> doomed;
  Status s = inner_.ScanSubtree(path, [&doomed](RegistryKey&& key) {
    doomed.push_back(std::move(key));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  Result<bool> existed = inner_.DeleteKey(path);
  if (!existed.ok()) return existed;
  s = StopPacking();
  if (!s.ok()) return s;
  for (RegistryKey& key : doomed) {
    Note(key.path, PackValues(key.values), std::nullopt);
  }
  return existed;
}

void JournalingTxn::Note(const std::string& path,
                         std::optional<PackedValues> before,
                         std::optional<PackedValues> after) {
  changes_.push_back({path, std::move(before), std::move(after)});
}

std::vector<bool> JournalingTxn::MergeRepeatedNotes() {
  // Merges the notes of one key into its first: its first value before,
  // its last value after. Notes of one hash sit together once sorted.
  std::vector<bool> merged(changes_.size(), false);
  std::vector<int64_t> hashes(changes_.size());
  std::vector<uint32_t> order(changes_.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    hashes[i] = JournalKeyHash(changes_[i].path);
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&hashes](uint32_t a, uint32_t b) {
    return hashes[a] != hashes[b] ? hashes[a] < hashes[b] : a < b;
  });
  for (size_t g = 0; g < order.size();) {
    size_t end = g + 1;
    while (end < order.size() && hashes[order[end]] == hashes[order[g]]) {
      ++end;
    }
    for (size_t i = g; i < end; ++i) {  // rarely more than one
      if (merged[order[i]]) continue;
      JournalKeyChange& first = changes_[order[i]];
      for (size_t j = i + 1; j < end; ++j) {
        JournalKeyChange& later = changes_[order[j]];
        if (merged[order[j]] || !NamesEqual(first.path, later.path)) continue;
        first.after = std::move(later.after);
        merged[order[j]] = true;
      }
    }
    g = end;
  }
  return merged;
}

Status JournalingTxn::TakeChanges(JournalRecord* record) {
  if (!packing_failed_.ok()) return packing_failed_;
  if (!may_repeat_) {  // only added keys, all packed
    if (packer_.count() > 0) {
      JournalRecord::Packed packed;
      packed.count = packer_.count();
      packed.bytes = packer_.Take();
      packed.key_hashes = std::move(packed_hashes_);
      record->packed = std::move(packed);
    }
    packed_hashes_.clear();
    return Status::Ok();
  }
  const std::vector<bool> merged =
      may_repeat_ ? MergeRepeatedNotes() : std::vector<bool>();
  // Kept in place: a second vector of a million changes would double the
  // peak of a large import.
  size_t kept = 0;
  for (size_t i = 0; i < changes_.size(); ++i) {
    JournalKeyChange& c = changes_[i];
    if ((may_repeat_ && merged[i]) || c.before == c.after) continue;
    c.before = RedactForJournal(c.path, std::move(c.before));
    c.after = RedactForJournal(c.path, std::move(c.after));
    if (kept != i) changes_[kept] = std::move(c);
    ++kept;
  }
  changes_.resize(kept);
  record->changes = std::move(changes_);
  changes_.clear();
  may_repeat_ = false;
  return Status::Ok();
}

std::optional<PackedValues> RedactForJournal(
    std::string_view path, std::optional<PackedValues> packed) {
  // (A cheap look at the prefix first: most keys are bindings.)
  const std::string_view certificates = kSystemCertificatesPath;
  if (!packed || path.size() <= certificates.size() ||
      !NamesEqual(path.substr(0, certificates.size()), certificates) ||
      !ParseCertificatePath(path)) {
    return packed;
  }
  std::string subject;
  Result<std::vector<RegistryValue>> values = UnpackValues(*packed);
  if (values.ok() && values->size() == 1 &&
      (*values)[0].name == kJournalSubjectValue) {
    return packed;  // redacted already
  }
  if (values.ok()) {
    for (const RegistryValue& v : *values) {
      if (!NamesEqual(v.name, kBlobValue)) continue;
      Result<X509Ptr> cert = ParseDerCertificate(v.data);
      if (cert.ok()) {
        subject = DescribeCertificate(cert->get(), v.data).subject;
      }
    }
  }
  return PackValues(
      {RegistryValue::Sz(std::string(kJournalSubjectValue), subject)});
}

namespace {

std::string UserName(uid_t uid) {
  struct passwd pw;
  struct passwd* found = nullptr;
  char buf[4096];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found) {
    return found->pw_name;
  }
  return std::to_string(uid);
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

// This process's command line, secrets written as ***.
std::string OwnCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    args.push_back(raw.substr(start, end - start));
    start = end + 1;
  }
  if (!args.empty()) {
    size_t slash = args[0].rfind('/');
    if (slash != std::string::npos) args[0].erase(0, slash + 1);
  }
  for (std::string& arg : args) {  // a PostgreSQL store's password, as ***
    size_t at = arg.find("postgres");
    if (at != std::string::npos &&
        IsPostgresUri(std::string_view(arg).substr(at))) {
      arg = arg.substr(0, at) + RedactedUri(std::string_view(arg).substr(at));
    }
  }
  return RedactCommandLine(args);
}

}  // namespace

JournalRecord MakeJournalRecord(const WriteOptions& options) {
  JournalRecord record;
  record.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const uid_t uid = getuid();
  record.uid = uid;
  record.user = UserName(uid);
  record.host = HostName();
  record.pid = getpid();
  record.command =
      options.actor.empty() ? OwnCommandLine() : RedactSecrets(options.actor);
  record.reason = options.reason;
  return record;
}

}  // namespace sslbind::internal
