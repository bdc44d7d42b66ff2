// Tests for sslbind/journal.h: revisions, the journal written with every
// batch, history, the state after a revision, rollback plans, compaction,
// compare-and-swap writes and the redaction of secrets.
#include "sslbind/journal.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "cert_test_util.h"
#include "certs/cert_registry.h"
#include "model/registry_codec.h"
#include "storage/journal_packing.h"
#include "store/journal_txn.h"
#include "storage/value_codec.h"
#include "raw_store_util.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::IpBinding;
using testing::Key;
using testing::TempDir;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

Store OpenWritable(const std::string& path) {
  Result<Store> store = Store::Open(path, kWrite);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(*store);
}

std::vector<std::string> Keys(const std::vector<Binding>& bindings) {
  std::vector<std::string> keys;
  for (const Binding& b : bindings) keys.push_back(b.key.ToParam());
  return keys;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

TEST_CASE("every committed batch moves the revision by one and journals it") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  CHECK(store.Revision().value() == 0);
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  CHECK(store.Revision().value() == 1);
  CHECK(store.last_written_revision() == 1);

  WriteBatch batch;
  batch.Put(IpBinding("1.1.1.1:443", 7));
  batch.Add(IpBinding("2.2.2.2:443"));
  REQUIRE(store.Write(batch, WriteOptions{.reason = "renewal"}).ok());
  CHECK(store.Revision().value() == 2);

  std::vector<RevisionRecord> history = ReadHistory(store, {}).value();
  REQUIRE(history.size() == 2);
  const RevisionRecord& newest = history[0];
  CHECK(newest.revision == 2);
  CHECK(newest.reason == "renewal");
  CHECK(newest.pid == getpid());
  CHECK(newest.uid == static_cast<int64_t>(getuid()));
  CHECK_FALSE(newest.user.empty());
  CHECK(newest.time_ms > 1600000000000);
  REQUIRE(newest.changes.size() == 2);
  CHECK(newest.changes[0].op == JournalChange::Op::kUpdate);
  CHECK(newest.changes[0].subject == JournalChange::Subject::kBinding);
  CHECK(newest.changes[0].before->cert_hash ==
        std::vector<uint8_t>{1, 2, 3, 4});
  CHECK(newest.changes[0].after->cert_hash == std::vector<uint8_t>{7, 2, 3, 4});
  CHECK(newest.changes[1].op == JournalChange::Op::kAdd);
  CHECK_FALSE(newest.changes[1].before.has_value());
  CHECK(history[1].revision == 1);
  CHECK(history[1].reason.empty());
}

TEST_CASE(
    "a key changed several times in one batch is journaled once, from its "
    "first value to its last; one that ends as it began is not") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("3.3.3.3:443")).ok());  // 1
  WriteBatch batch;
  batch.Add(IpBinding("1.1.1.1:443", 5));
  batch.Delete(Key(BindingKind::kIpPort, "1.1.1.1:443"));
  batch.Add(IpBinding("1.1.1.1:443", 6));
  batch.Add(IpBinding("2.2.2.2:443", 5));
  batch.Put(IpBinding("2.2.2.2:443", 8));
  batch.Put(IpBinding("3.3.3.3:443", 9));
  batch.Put(IpBinding("3.3.3.3:443"));  // as it was
  batch.Add(IpBinding("4.4.4.4:443"));
  batch.Delete(Key(BindingKind::kIpPort, "4.4.4.4:443"));
  REQUIRE(store.Write(batch).ok());  // 2
  std::vector<RevisionRecord> history = ReadHistory(store, {}).value();
  REQUIRE(history.size() == 2);
  const std::vector<JournalChange>& changes = history[0].changes;
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].op == JournalChange::Op::kAdd);
  CHECK(changes[0].after->cert_hash == std::vector<uint8_t>{6, 2, 3, 4});
  CHECK(changes[1].op == JournalChange::Op::kAdd);
  CHECK(changes[1].after->cert_hash == std::vector<uint8_t>{8, 2, 3, 4});
}

TEST_CASE("failed batches, dry runs and refused swaps move no revision") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  // A taken key fails the whole batch.
  WriteBatch batch;
  batch.Add(IpBinding("2.2.2.2:443"));
  batch.Add(IpBinding("1.1.1.1:443"));
  CHECK(store.Write(batch).IsAlreadyExists());
  CHECK(store.Check(batch).IsAlreadyExists());
  WriteBatch good;
  good.Add(IpBinding("3.3.3.3:443"));
  REQUIRE(store.Check(good).ok());
  CHECK(store.Revision().value() == 1);
  CHECK(ReadHistory(store, {}).value().size() == 1);

  // Compare-and-swap.
  Status stale = store.Write(good, WriteOptions{.expected_revision = 0});
  CHECK(stale.code() == StatusCode::kRevisionMismatch);
  CHECK(stale.win32() == 1306);
  CHECK(stale.message().find("revision 1, not 0") != std::string::npos);
  CHECK(store.Check(good, WriteOptions{.expected_revision = 0}).code() ==
        StatusCode::kRevisionMismatch);
  CHECK(store.Revision().value() == 1);
  CHECK(store.List().value().size() == 1);
  CHECK(store.Write(good, WriteOptions{.expected_revision = 1}).ok());
  CHECK(store.Revision().value() == 2);
}

TEST_CASE("history of one key lists only the revisions that touched it") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  REQUIRE(store.Add(IpBinding("2.2.2.2:443")).ok());
  REQUIRE(store.Delete(Key(BindingKind::kIpPort, "1.1.1.1:443")).ok());
  HistoryQuery query;
  query.key = Key(BindingKind::kIpPort, "1.1.1.1:443");
  std::vector<RevisionRecord> history = ReadHistory(store, query).value();
  REQUIRE(history.size() == 2);
  CHECK(history[0].revision == 3);
  CHECK(history[0].changes[0].op == JournalChange::Op::kDelete);
  CHECK(history[1].revision == 1);
  CHECK(ReadHistory(store, {.limit = 1}).value().size() == 1);
  CHECK(ReadHistory(store, {.since_revision = 2}).value().size() == 2);
}

using testing::RawCount;

TEST_CASE(
    "history of one key is read through the key index: revisions journaled "
    "before it and large batches are looked inside") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  // A store of schema 3 (a journal without its key index): revision 1
  // imported 29 bindings with 9.0.0.1:80, 2 added 1.2.3.4:443, 3 deleted
  // 9.0.0.1:80.
  REQUIRE(testing::RunRawSql(path, testing::Schema3StoreSql()) == "");
  Store store = OpenWritable(path);  // migrates: 004 marks 1, 2 and 3
  CHECK(RawCount(path, "SELECT count(*) FROM journal_key WHERE key_hash = 0") ==
        3);
  // One small revision (indexed key by key), one large (looked inside).
  WriteBatch small;
  small.Put(IpBinding("1.2.3.4:443", 7));
  REQUIRE(store.Write(small).ok());
  WriteBatch large;
  for (int i = 0; i < 1100; ++i) {
    large.Add(IpBinding("10.9." + std::to_string(i / 256) + "." +
                        std::to_string(i % 256) + ":443"));
  }
  large.Delete(Key(BindingKind::kIpPort, "1.2.3.4:443"));
  REQUIRE(store.Write(large).ok());
  CHECK(RawCount(path,
                 "SELECT count(*) FROM journal_key WHERE revision = 4") == 1);
  CHECK(RawCount(path,
                 "SELECT count(*) FROM journal_key WHERE revision = 5 "
                 "AND key_hash = 0") == 1);

  HistoryQuery query;
  query.key = Key(BindingKind::kIpPort, "1.2.3.4:443");
  std::vector<RevisionRecord> history = ReadHistory(store, query).value();
  REQUIRE(history.size() == 3);
  CHECK(history[0].revision == 5);
  REQUIRE(history[0].changes.size() == 1);
  CHECK(history[0].changes[0].op == JournalChange::Op::kDelete);
  CHECK(history[1].revision == 4);
  CHECK(history[2].revision == 2);
  query.limit = 2;
  CHECK(ReadHistory(store, query).value().size() == 2);
  query.limit = 0;
  query.key = Key(BindingKind::kIpPort, "9.0.0.1:80");
  history = ReadHistory(store, query).value();
  REQUIRE(history.size() == 2);
  CHECK(history[0].revision == 3);
  CHECK(history[1].revision == 1);
  query.key = Key(BindingKind::kIpPort, "10.9.4.1:443");
  CHECK(ReadHistory(store, query).value().size() == 1);

  REQUIRE(CompactJournal(store, 5).ok());
  CHECK(RawCount(path,
                 "SELECT count(*) FROM journal_key WHERE revision < 5") == 0);
  query.key = Key(BindingKind::kIpPort, "1.2.3.4:443");
  CHECK(ReadHistory(store, query).value().size() == 1);
}

TEST_CASE(
    "a revision's changes pack value by value against the previous key's "
    "and read back") {
  using internal::JournalKeyChange;
  using internal::PackedValues;
  using internal::PackValues;
  const std::vector<uint8_t> hash1(20, 0x11), hash2(20, 0x22);
  const std::vector<uint8_t> app(16, 0xab);
  const PackedValues a =
      PackValues({RegistryValue::Binary("SslCertHash", hash1),
                  RegistryValue::Binary("AppId", app),
                  RegistryValue::Dword("DefaultSslCertCheckMode", 0)});
  // b: another hash (new data); c: a name no code stands for; d: b and
  // one more value; e: b's values in another order (new values).
  const PackedValues b =
      PackValues({RegistryValue::Binary("SslCertHash", hash2),
                  RegistryValue::Binary("AppId", app),
                  RegistryValue::Dword("DefaultSslCertCheckMode", 0)});
  const PackedValues c = PackValues({RegistryValue::Sz("Custom", "x")});
  const PackedValues d =
      PackValues({RegistryValue::Binary("SslCertHash", hash2),
                  RegistryValue::Binary("AppId", app),
                  RegistryValue::Dword("DefaultSslCertCheckMode", 0),
                  RegistryValue::Dword("DefaultFlags", 4)});
  const PackedValues e =
      PackValues({RegistryValue::Dword("DefaultSslCertCheckMode", 0),
                  RegistryValue::Binary("SslCertHash", hash2),
                  RegistryValue::Binary("AppId", app)});
  const PackedValues empty;
  std::vector<JournalKeyChange> changes = {
      {"HTTP\\Parameters\\SslBindingInfo\\1.1.1.1:443", std::nullopt, a},
      {"HTTP\\Parameters\\SslBindingInfo\\1.1.1.2:443", a, b},
      {"HTTP\\Parameters\\SslBindingInfo\\1.1.1.3:443", c, std::nullopt},
      {"HTTP\\Parameters\\SslBindingInfo\\2.1.1.3:443", b, d},
      {"HTTP\\Parameters\\SslBindingInfo\\2.1.1.4:443", d, e},
      {"HTTP\\Parameters\\SslSniBindingInfo\\a.example:443", e, empty},
      {"Other", empty, c},
  };
  std::vector<uint8_t> packed;
  REQUIRE(internal::PackChanges(changes, &packed).ok());
  std::vector<JournalKeyChange> read;
  REQUIRE(internal::UnpackChanges(packed, "", &read).ok());
  REQUIRE(read.size() == changes.size());
  for (size_t i = 0; i < read.size(); ++i) {
    CAPTURE(i);
    CHECK(read[i].path == changes[i].path);
    CHECK(read[i].before == changes[i].before);
    CHECK(read[i].after == changes[i].after);
  }
  read.clear();
  REQUIRE(internal::UnpackChanges(
              packed, "http\\parameters\\sslbindinginfo\\2.1.1.3:443", &read)
              .ok());
  REQUIRE(read.size() == 1);
  CHECK(read[0].before == b);
  CHECK(read[0].after == d);
  // Cut anywhere inside a key's entry, the packing is refused.
  for (size_t cut = 5; cut < packed.size(); ++cut) {
    read.clear();
    const std::vector<uint8_t> part(packed.begin(), packed.begin() + cut);
    const Status s = internal::UnpackChanges(part, "", &read);
    if (s.ok()) {
      CHECK(read.size() < changes.size());  // cut between two keys
    } else {
      CHECK(s.code() == StatusCode::kIncompatibleStore);
    }
  }
  read.clear();
  const std::vector<uint8_t> cut(packed.begin(), packed.end() - 1);
  CHECK(internal::UnpackChanges(cut, "", &read).code() ==
        StatusCode::kIncompatibleStore);
  // What is not a value list is not packed.
  const std::vector<JournalKeyChange> bad = {
      {"k", std::nullopt, PackedValues{1, 2, 3}}};
  CHECK(internal::PackChanges(bad, &packed).code() == StatusCode::kInternal);
}

TEST_CASE(
    "an import's siblings journal little more than their paths and the "
    "values that differ") {
  using internal::JournalKeyChange;
  std::vector<JournalKeyChange> changes;
  size_t listed = 0;
  for (int i = 0; i < 1000; ++i) {
    std::vector<uint8_t> hash(20, static_cast<uint8_t>(i));
    hash[0] = static_cast<uint8_t>(i >> 8);
    const auto values = internal::PackValues(
        {RegistryValue::Binary("SslCertHash", hash),
         RegistryValue::Binary("AppId", std::vector<uint8_t>(16, 7)),
         RegistryValue::Sz("SslCertStoreName", "MY"),
         RegistryValue::Dword("DefaultSslCertCheckMode", 0),
         RegistryValue::Dword("DefaultFlags", 0)});
    listed += values.size();
    changes.push_back({"System\\CurrentControlSet\\Services\\HTTP\\Parameters"
                       "\\SslSniBindingInfo\\host" +
                           std::to_string(100000 + i) + ".example:443",
                       std::nullopt, values});
  }
  std::vector<uint8_t> packed;
  REQUIRE(internal::PackChanges(changes, &packed).ok());
  // Per key: the path's tail after the previous path (15 bytes with their
  // lengths), a byte per value and the new hash with its length (26), the
  // sides and the count (2) -- 43 bytes, of the value lists' 163.
  CHECK(packed.size() <= 1000 * 44);
  CHECK(listed == 1000 * 163);
  std::vector<JournalKeyChange> read;
  REQUIRE(internal::UnpackChanges(packed, "", &read).ok());
  REQUIRE(read.size() == 1000);
  CHECK(read[999].after == changes[999].after);
}

TEST_CASE("the packings of schemas 3 and 4 (1 and 2) still read") {
  using internal::JournalKeyChange;
  using internal::PackedValues;
  // Read as bytes: neither version looks inside a value list.
  const PackedValues a = {1, 2, 3, 4, 5, 6, 7, 8};
  const PackedValues b = {1, 2, 9, 9, 9, 6, 7, 8};
  const PackedValues c = {1, 2};
  std::vector<JournalKeyChange> read;

  // Schema 3: u32 shared | u32 length | path | u8 which | u32 length | list.
  std::vector<uint8_t> v1 = {0, 0, 0, 0, 3, 0, 0, 0, 'a', '\\', 'b', 2,
                             8, 0, 0, 0};
  v1.insert(v1.end(), a.begin(), a.end());
  v1.insert(v1.end(), {2, 0, 0, 0, 1, 0, 0, 0, 'c', 3, 2, 0, 0, 0});
  v1.insert(v1.end(), c.begin(), c.end());
  v1.insert(v1.end(), {8, 0, 0, 0});
  v1.insert(v1.end(), b.begin(), b.end());
  REQUIRE(internal::UnpackChanges(v1, "", &read).ok());
  REQUIRE(read.size() == 2);
  CHECK(read[0].path == "a\\b");
  CHECK(!read[0].before);
  CHECK(read[0].after == a);
  CHECK(read[1].path == "a\\c");
  CHECK(read[1].before == c);
  CHECK(read[1].after == b);

  // Schema 4: the header, and each side a delta against the previous list
  // of its side: u32 prefix | u32 suffix | u32 length | middle.
  std::vector<uint8_t> v2 = {0xff, 0xff, 0xff, 0xff, 2,
                             0, 0, 0, 0, 3, 0, 0, 0, 'a', '\\', 'b', 2,
                             0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0};
  v2.insert(v2.end(), a.begin(), a.end());
  v2.insert(v2.end(), {2, 0, 0, 0, 1, 0, 0, 0, 'c', 3,
                       0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 2,
                       2, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 9, 9, 9});
  read.clear();
  REQUIRE(internal::UnpackChanges(v2, "", &read).ok());
  REQUIRE(read.size() == 2);
  CHECK(read[0].after == a);
  CHECK(read[1].path == "a\\c");
  CHECK(read[1].before == c);
  CHECK(read[1].after == b);
  // A version this build does not know is refused.
  v2[4] = 4;
  read.clear();
  CHECK(internal::UnpackChanges(v2, "", &read).code() ==
        StatusCode::kIncompatibleStore);
}

TEST_CASE("the state after a revision is rebuilt from the journal") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());  // 1
  REQUIRE(store.Add(IpBinding("2.2.2.2:443")).ok());  // 2
  WriteBatch change;
  change.Put(IpBinding("1.1.1.1:443", 9));
  change.Delete(Key(BindingKind::kIpPort, "2.2.2.2:443"));
  REQUIRE(store.Write(change).ok());  // 3

  StoreState at0 = StateAt(store, 0).value();
  CHECK(at0.bindings.empty());
  StoreState at2 = StateAt(store, 2).value();
  CHECK(Keys(at2.bindings) ==
        std::vector<std::string>{"ipport=1.1.1.1:443", "ipport=2.2.2.2:443"});
  CHECK(at2.bindings[0].cert_hash[0] == 1);
  StoreState at3 = StateAt(store, 3).value();
  CHECK(Keys(at3.bindings) == std::vector<std::string>{"ipport=1.1.1.1:443"});
  CHECK(at3.bindings[0].cert_hash[0] == 9);

  Status future = StateAt(store, 4).status();
  CHECK(future.IsNotFound());
  CHECK(future.message().find("at revision 3") != std::string::npos);
}

TEST_CASE("a rollback plan restores a revision and rolls back again") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  WriteBatch ccs;
  ccs.EnableCcs("/srv/ccs", std::nullopt);
  REQUIRE(store.Write(ccs).ok());  // 2
  WriteBatch change;
  change.Put(IpBinding("1.1.1.1:443", 9));
  change.Add(IpBinding("3.3.3.3:443"));
  change.DisableCcs();
  REQUIRE(store.Write(change).ok());  // 3
  const std::vector<Binding> at3 = store.List().value();

  RollbackPlan plan = PlanRollback(store, 2).value();
  CHECK(plan.from_revision == 3);
  CHECK(plan.plan.added == 0);
  CHECK(plan.plan.updated == 1);
  CHECK(plan.plan.removed == 1);
  REQUIRE(plan.ccs_after.has_value());
  CHECK(plan.ccs_after->enabled);
  REQUIRE(store
              .Write(plan.plan.batch,
                     WriteOptions{.expected_revision = plan.from_revision})
              .ok());  // 4
  CHECK(store.List().value() == StateAt(store, 2).value().bindings);
  CHECK(ReadCcsConfig(store).value().active());

  RollbackPlan back = PlanRollback(store, 3).value();
  REQUIRE(store.Write(back.plan.batch).ok());  // 5
  CHECK(store.List().value() == at3);
  CHECK_FALSE(ReadCcsConfig(store).value().enabled);
  CHECK(store.Revision().value() == 5);
  CHECK(PlanRollback(store, 5).value().in_place());
}

TEST_CASE("compaction drops old records and names the oldest revision kept") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  for (int i = 1; i <= 4; ++i) {
    REQUIRE(store.Add(IpBinding("10.0.0." + std::to_string(i) + ":443")).ok());
  }
  CHECK(OldestRevision(store).value() == 0);
  CHECK(CompactJournal(store, 9).IsInvalidArgument());
  REQUIRE(CompactJournal(store, 3).ok());
  CHECK(store.Revision().value() == 4);
  CHECK(OldestRevision(store).value() == 2);
  CHECK(ReadHistory(store, {}).value().size() == 2);
  CHECK(StateAt(store, 2).value().bindings.size() == 2);
  Status old = StateAt(store, 1).status();
  CHECK(old.IsNotFound());
  CHECK(old.message().find("the oldest revision kept is 2") !=
        std::string::npos);
  CHECK(store.List().value().size() == 4);
}

TEST_CASE(
    "a certificate key is reduced to its subject once: what the reduction "
    "made is kept as it is") {
  testing::TestCert cert = testing::MakeCert();
  const RegistryKey key = internal::EncodeCertificate("MY", cert.der, "");
  const std::optional<internal::PackedValues> once =
      internal::RedactForJournal(key.path, internal::PackValues(key.values));
  REQUIRE(once);
  const std::vector<RegistryValue> values =
      internal::UnpackValues(*once).value();
  REQUIRE(values.size() == 1);
  CHECK(values[0].name == internal::kJournalSubjectValue);
  CHECK(values[0].data.size() > 10);  // the subject, not ""
  CHECK(internal::RedactForJournal(key.path, once) == once);
  // A binding's values are kept whole.
  const RegistryKey binding = internal::EncodeBinding(IpBinding("1.1.1.1:443"));
  const internal::PackedValues packed = internal::PackValues(binding.values);
  CHECK(internal::RedactForJournal(binding.path, packed) == packed);
}

TEST_CASE("certificates are journaled as store, thumbprint and subject") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = OpenWritable(path);
  testing::TestCert cert = testing::MakeCert();
  const std::string secret = "pfx-Secret-4711";
  auto pfx = cert.Pfx(secret.c_str());
  CertificateBundle bundle = CertificateBundle::Parse(pfx, secret).value();
  WriteBatch batch;
  batch.PutCertificate("MY", std::move(bundle));
  REQUIRE(store.Write(batch, WriteOptions{.actor = "tool password=" + secret})
              .ok());
  WriteBatch ccs;
  ccs.EnableCcs("/srv/ccs", secret);
  REQUIRE(store.Write(ccs, WriteOptions{.reason = "ccs on"}).ok());

  std::vector<RevisionRecord> history = ReadHistory(store, {}).value();
  REQUIRE(history.size() == 2);
  const JournalChange& c = history[1].changes.at(0);
  CHECK(c.subject == JournalChange::Subject::kCertificate);
  CHECK(c.op == JournalChange::Op::kAdd);
  CHECK(c.cert_store == "MY");
  CHECK(c.cert_subject.find("www.contoso.com") != std::string::npos);
  CHECK(c.thumbprint.size() == 40);
  CHECK(history[1].command == "tool password=***");
  CHECK(history[0].changes.at(0).subject == JournalChange::Subject::kCcs);
  CHECK(history[0].changes.at(0).ccs_after->has_password);

  // Nowhere in the database file, the journal's tables included, nor in
  // the certificate's bytes: the journal keeps no Blob.
  CHECK(ReadWholeFile(path).find(secret) == std::string::npos);
  CHECK(ReadWholeFile(path + "-wal").find(secret) == std::string::npos);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT length(changes) FROM journal_revision "
                             "WHERE revision = 1",
                             -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  // The path and the subject, not the certificate's bytes.
  CHECK(static_cast<size_t>(sqlite3_column_int(stmt, 0)) < cert.der.size());
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_CASE("secret values of command lines are written as ***") {
  CHECK(RedactCommandLine({"sslbind", "cert", "import", "a.pfx",
                           "password=S3cret", "store=MY"}) ==
        "sslbind cert import a.pfx password=*** store=MY");
  CHECK(RedactCommandLine({"sslbind", "ccs", "enable", "PassWord=a b"}) ==
        "sslbind ccs enable PassWord=***");
  CHECK(RedactCommandLine({"sslbind", "--reason", "it's new", ""}) ==
        "sslbind --reason 'it'\\''s new' ''");
  CHECK(RedactSecrets("job 7 password=x  keystorepassword=y") ==
        "job 7 password=***  keystorepassword=***");
}

TEST_CASE("a store older than the journal starts from a baseline revision") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  // A store of schema 3 (29 bindings, counter at 3) back to schema 2: the
  // journal's tables gone.
  REQUIRE(testing::RunRawSql(
              path, testing::Schema3StoreSql() +
                        "DROP TABLE journal_revision; DELETE FROM store_meta "
                        "WHERE name = 'journal_start'; PRAGMA user_version = "
                        "2;") == "");

  Store reader = Store::Open(path).value();
  CHECK(reader.Revision().value() == 3);
  CHECK(ReadHistory(reader, {}).value().empty());
  Store writer = OpenWritable(path);
  CHECK(OldestRevision(writer).value() == 3);
  REQUIRE(writer.Add(IpBinding("3.3.3.3:443")).ok());
  CHECK(writer.Revision().value() == 4);
  CHECK(StateAt(writer, 3).value().bindings.size() == 29);
  CHECK(StateAt(writer, 2).status().IsNotFound());
}

}  // namespace
}  // namespace sslbind
