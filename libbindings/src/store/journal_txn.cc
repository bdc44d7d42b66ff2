// The journal's side of a write: noting changed keys, redacting them, and
// saying who wrote.
#include "store/journal_txn.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "certs/cert_registry.h"
#include "certs/openssl_util.h"
#include "model/text_rules.h"
#include "sslbind/journal.h"
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
  Note(key.path, std::move(old), PackValues(key.values));
  return Status::Ok();
}

Result<bool> JournalingTxn::AddKey(const RegistryKey& key) {
  Result<bool> added = inner_.AddKey(key);
  if (added.ok() && *added) {
    Note(key.path, std::nullopt, PackValues(key.values));
  }
  return added;
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
  for (RegistryKey& key : doomed) {
    Note(key.path, PackValues(key.values), std::nullopt);
  }
  return existed;
}

namespace {

// A hash of a path as registry names compare (ASCII case folded), without
// building the folded string.
uint64_t FoldedHash(std::string_view path) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (char c : path) {
    h = (h ^ static_cast<unsigned char>(AsciiLower(c))) * 0x100000001b3ull;
  }
  return h;
}

}  // namespace

void JournalingTxn::Note(const std::string& path,
                         std::optional<PackedValues> before,
                         std::optional<PackedValues> after) {
  const uint64_t hash = FoldedHash(path);
  auto [first, last] = index_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    if (NamesEqual(changes_[it->second].path, path)) {
      changes_[it->second].after = std::move(after);
      return;
    }
  }
  index_.emplace(hash, changes_.size());
  changes_.push_back({path, std::move(before), std::move(after)});
}

std::vector<JournalKeyChange> JournalingTxn::TakeChanges() {
  std::vector<JournalKeyChange> kept;
  kept.reserve(changes_.size());
  for (JournalKeyChange& c : changes_) {
    if (c.before == c.after) continue;
    c.before = RedactForJournal(c.path, std::move(c.before));
    c.after = RedactForJournal(c.path, std::move(c.after));
    kept.push_back(std::move(c));
  }
  changes_.clear();
  index_.clear();
  return kept;
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
