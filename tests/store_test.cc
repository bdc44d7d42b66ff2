// Tests for sslbind/store.h: the SQLite registry store, its write path and
// its dry runs (Check).
#include "sslbind/store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "raw_store_util.h"
#include "sslbind/journal.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::IpBinding;
using testing::Key;
using testing::TempDir;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

Binding SniBinding(std::string_view key) {
  Binding b(Key(BindingKind::kHostnamePort, key));
  b.cert_hash = {9, 9};
  b.cert_store_name = "WebHosting";
  b.flags = kFlagDisableHttp2 | kFlagNoRawFilter;
  return b;
}

Store OpenWritable(const std::string& path) {
  Result<Store> store = Store::Open(path, kWrite);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(*store);
}

std::vector<std::string> Keys(const Store& store) {
  std::vector<std::string> keys;
  for (const Binding& b : store.List().value()) keys.push_back(b.key.ToParam());
  return keys;
}

// Runs SQL on the raw file (to build old, foreign or newer stores).
void RawSql(const std::string& path, const std::string& sql) {
  const std::string error = testing::RunRawSql(path, sql);
  REQUIRE_MESSAGE(error.empty(), error);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("bindings of every kind round-trip through the store") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  Binding ip = IpBinding("[fe80::1]:8443");
  ip.ctl_identifier = "ctl";
  ip.revocation_freshness_time = 60;
  ip.check_mode = kCheckFreshnessTime | kCheckNoUsageCheck;
  Binding sni = SniBinding("www.contoso.com:443");
  Binding ccs(Key(BindingKind::kCcs, "443"));
  Binding scoped(Key(BindingKind::kScopedCcs, "a.contoso.com:443"));
  for (const Binding* b : {&ip, &sni, &ccs, &scoped}) {
    REQUIRE(store.Add(*b).ok());
  }
  CHECK(store.Get(ip.key).value() == ip);
  CHECK(store.Get(sni.key).value() == sni);
  CHECK(store.Get(ccs.key).value() == ccs);
  CHECK(store.Get(scoped.key).value() == scoped);
  CHECK(Keys(store) ==
        std::vector<std::string>{"ipport=[fe80::1]:8443",
                                 "hostnameport=www.contoso.com:443", "ccs=443",
                                 "scopedccs=a.contoso.com:443"});
}

TEST_CASE("the registry view has the value names and encodings of spec 5") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  Binding sni = SniBinding("www.contoso.com:443");
  sni.app_id = Guid::Parse("{00112233-4455-6677-8899-aabbccddeeff}").value();
  REQUIRE(store.Add(sni).ok());
  REQUIRE(store.Add(Binding(Key(BindingKind::kCcs, "443"))).ok());

  std::vector<RegistryKey> keys = store.ReadRegistry().value();
  std::vector<std::string> paths;
  for (const RegistryKey& k : keys) paths.push_back(k.path);
  const std::string root(kHttpParametersPath);
  CHECK(paths == std::vector<std::string>{
                     root, root + "\\SslCcsBindingInfo",
                     root + "\\SslCcsBindingInfo\\0.0.0.0:443",
                     root + "\\SslSniBindingInfo",
                     root + "\\SslSniBindingInfo\\www.contoso.com:443"});
  const RegistryKey& k = keys.back();
  std::vector<std::string> names;
  for (const RegistryValue& v : k.values) names.push_back(v.name);
  CHECK(names ==
        std::vector<std::string>{"SslCertHash", "AppId", "SslCertStoreName",
                                 "DefaultSslCertCheckMode",
                                 "DefaultSslRevocationFreshnessTime",
                                 "DefaultSslRevocationUrlRetrievalTimeout",
                                 "DefaultFlags", "HostnamePort"});
  CHECK(k.Find("AppId")->data ==
        std::vector<uint8_t>{0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
                             0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff});
  CHECK(k.Find("DefaultFlags")->data == std::vector<uint8_t>{0x14, 0, 0, 0});
  CHECK(k.Find("SslCertStoreName")->type == RegType::kSz);
  CHECK(k.Find("HostnamePort")->data ==
        std::vector<uint8_t>{'w', 'w', 'w', '.', 'c', 'o', 'n', 't', 'o', 's',
                             'o', '.', 'c', 'o', 'm', ':', '4', '4', '3'});
  const RegistryKey& ccs = keys[2];
  CHECK(ccs.Find("SslCertHash") == nullptr);
  CHECK(ccs.Find("SslCertStoreName") == nullptr);
}

TEST_CASE(
    "ReadAtOneRevision gives the revision and the bindings of one commit, "
    "whatever another writer commits between the two reads") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = OpenWritable(path);
  REQUIRE(store.Add(IpBinding("1.2.3.4:443")).ok());
  Store other = OpenWritable(path);
  uint64_t revision = 0;
  std::vector<std::string> listed;
  Status s = store.ReadAtOneRevision([&](uint64_t at) {
    revision = at;
    // Another handle (as another process would) commits in between.
    REQUIRE(other.Add(IpBinding("5.6.7.8:443")).ok());
    listed = Keys(store);
    CHECK(store.Revision().value() == at);
    return Status::Ok();
  });
  REQUIRE(s.ok());
  CHECK(revision == 1);
  CHECK(listed == std::vector<std::string>{"ipport=1.2.3.4:443"});
  // Outside it the new commit is seen.
  CHECK(store.Revision().value() == 2);
  CHECK(Keys(store).size() == 2);
}

TEST_CASE("ReadAtOneRevision returns the status of its body") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  Status s = store.ReadAtOneRevision(
      [](uint64_t) { return Status::NotFound("from the body"); });
  CHECK(s.code() == StatusCode::kNotFound);
  // The read transaction ended: writes go on.
  CHECK(store.Add(IpBinding("1.2.3.4:443")).ok());
}

TEST_CASE("add refuses a taken key with AlreadyExists (183)") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("1.2.3.4:443")).ok());
  Status s = store.Add(IpBinding("1.2.3.4:443", 7));
  CHECK(s.IsAlreadyExists());
  CHECK(s.win32() == 183);
  CHECK(store.Get(Key(BindingKind::kIpPort, "1.2.3.4:443"))->cert_hash[0] == 1);
}

TEST_CASE("update merges only the given parameters") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  Binding b = SniBinding("a.com:443");
  b.ctl_store_name = "CTL";
  REQUIRE(store.Add(b).ok());
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kCertHash, "ABCD").ok());
  REQUIRE(patch.SetText(Param::kDisableQuic, "enable").ok());
  REQUIRE(store.Update(b.key, patch).ok());
  Binding got = store.Get(b.key).value();
  CHECK(got.cert_hash == std::vector<uint8_t>{0xab, 0xcd});
  CHECK(got.flags == (kFlagDisableHttp2 | kFlagNoRawFilter | kFlagDisableQuic));
  CHECK(got.cert_store_name == "WebHosting");
  CHECK(got.ctl_store_name == "CTL");
}

TEST_CASE("update and delete of a missing key fail with NotFound (2)") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kReject, "enable").ok());
  Status u = store.Update(Key(BindingKind::kCcs, "443"), patch);
  CHECK(u.IsNotFound());
  CHECK(u.win32() == 2);
  CHECK(store.Delete(Key(BindingKind::kCcs, "443")).IsNotFound());
  CHECK(store.Get(Key(BindingKind::kCcs, "443")).status().IsNotFound());
}

TEST_CASE("an update that would make the binding invalid is refused") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(Binding(Key(BindingKind::kCcs, "443"))).ok());
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kCertHash, "01").ok());
  CHECK(store.Update(Key(BindingKind::kCcs, "443"), patch).IsInvalidArgument());
  CHECK(store.Get(Key(BindingKind::kCcs, "443"))->cert_hash.empty());
}

TEST_CASE("a failing batch applies nothing and names the failing operation") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  uint64_t counter = store.ChangeCounter().value();

  WriteBatch batch;
  batch.Add(IpBinding("2.2.2.2:443"));
  batch.Delete(Key(BindingKind::kIpPort, "1.1.1.1:443"));
  batch.Add(IpBinding("3.3.3.3:443"));
  batch.Add(IpBinding("2.2.2.2:443"));  // taken by op 0
  batch.Add(IpBinding("4.4.4.4:443"));
  size_t failed = 99;
  Status s = store.Write(batch, &failed);
  CHECK(s.IsAlreadyExists());
  CHECK(s.message().find("ipport=2.2.2.2:443") != std::string::npos);
  CHECK(failed == 3);
  CHECK(Keys(store) == std::vector<std::string>{"ipport=1.1.1.1:443"});
  CHECK(store.ChangeCounter().value() == counter);
}

// A source handing over `pieces` batches of `per_piece` ipport bindings
// 10.0.P.I:443, counting its calls.
struct PiecesSource {
  size_t pieces = 3;
  size_t per_piece = 5;
  size_t calls = 0;
  // Set: a status the source returns after handing every piece over.
  Status end = Status::Ok();
  // Seen by the source between pieces: what a reader of the store sees.
  std::function<void()> between{};

  WriteBatchSource Source() {
    return [this](const WriteBatchSink& write) {
      ++calls;
      for (size_t p = 0; p < pieces; ++p) {
        WriteBatch piece;
        for (size_t i = 0; i < per_piece; ++i) {
          piece.Add(IpBinding("10.0." + std::to_string(p) + "." +
                              std::to_string(i) + ":443"));
        }
        Status s = write(piece);
        if (!s.ok()) return s;
        if (between) between();
      }
      return end;
    };
  }
};

TEST_CASE(
    "a write in pieces is one revision with one journal record, and nothing "
    "of it is visible before it commits") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = OpenWritable(path);
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  const uint64_t before = store.Revision().value();
  Store reader = Store::Open(path).value();
  PiecesSource source;
  size_t seen_during = 99;
  source.between = [&] { seen_during = reader.List().value().size(); };
  std::vector<size_t> progress;
  WriteOptions options;
  options.progress = [&](size_t done, size_t total) {
    CHECK(total == 0);  // a source does not know its total
    progress.push_back(done);
  };
  REQUIRE(store.Write(source.Source(), options).ok());
  CHECK(seen_during == 1);
  CHECK(source.calls == 1);
  CHECK(store.List().value().size() == 16);
  CHECK(store.Revision().value() == before + 1);
  CHECK(progress.back() == 15);
  Result<std::vector<RevisionRecord>> history =
      ReadHistory(store, {.limit = 1});
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().revision == before + 1);
  CHECK(history->front().changes.size() == 15);
}

TEST_CASE(
    "a write in pieces whose operation fails applies nothing, names the "
    "operation by its index over every piece, and tells the later pieces") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("10.0.1.2:443")).ok());  // piece 1, op 2
  const uint64_t before = store.Revision().value();
  std::vector<Status> told;
  WriteBatchSource source = [&](const WriteBatchSink& write) {
    for (size_t p = 0; p < 3; ++p) {
      WriteBatch piece;
      for (size_t i = 0; i < 4; ++i) {
        piece.Add(IpBinding("10.0." + std::to_string(p) + "." +
                            std::to_string(i) + ":443"));
      }
      told.push_back(write(piece));  // goes on after a failure
    }
    return Status::Ok();
  };
  size_t failed = 99;
  Status s = store.Write(source, {}, &failed);
  CHECK(s.IsAlreadyExists());
  CHECK(failed == 6);
  REQUIRE(told.size() == 3);
  CHECK(told[0].ok());
  CHECK(told[1].IsAlreadyExists());
  CHECK(told[2].IsAlreadyExists());  // the same status, nothing applied
  CHECK(Keys(store) == std::vector<std::string>{"ipport=10.0.1.2:443"});
  CHECK(store.Revision().value() == before);
  // A dry run of the same source says the same.
  failed = 99;
  told.clear();
  s = store.Check(source, {}, &failed);
  CHECK(s.IsAlreadyExists());
  CHECK(failed == 6);
}

TEST_CASE(
    "a source that fails, or throws, after its pieces rolls the write back") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  const uint64_t before = store.Revision().value();
  PiecesSource source;
  source.end = Status::InvalidArgument("the file is malformed at the end");
  size_t failed = 99;
  Status s = store.Write(source.Source(), {}, &failed);
  CHECK(s.IsInvalidArgument());
  CHECK(s.message() == "the file is malformed at the end");
  CHECK(failed == 99);  // no operation failed
  CHECK(store.List().value().empty());
  CHECK(store.Revision().value() == before);
  s = store.Write(
      [](const WriteBatchSink& write) -> Status {
        WriteBatch piece;
        piece.Add(IpBinding("2.2.2.2:443"));
        Status applied = write(piece);
        if (applied.ok()) throw std::bad_alloc();
        return applied;
      },
      {});
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message() == "out of memory");
  CHECK(store.List().value().empty());
  CHECK(store.Revision().value() == before);
  // The handle writes on.
  REQUIRE(store.Write(PiecesSource{}.Source(), {}).ok());
  CHECK(store.List().value().size() == 15);
}

TEST_CASE("a dry run of a write in pieces changes nothing") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  const uint64_t before = store.Revision().value();
  PiecesSource source;
  REQUIRE(store.Check(source.Source(), {}).ok());
  CHECK(store.List().value().empty());
  CHECK(store.Revision().value() == before);
}

TEST_CASE(
    "a visitor that throws makes the read return Internal, and the store "
    "reads on") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = OpenWritable(path);
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  Status s = store.ForEach([](const Binding&) -> Status {
    throw std::bad_alloc();
  });
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message() == "out of memory");
  s = store.ForEachSorted([](const Binding&) -> Status {
    throw std::runtime_error("visitor gave up");
  });
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message() == "unexpected exception: visitor gave up");
  CHECK(Keys(store) == std::vector<std::string>{"ipport=1.1.1.1:443"});
  CHECK(store.Add(IpBinding("2.2.2.2:443")).ok());  // no read left open
}

TEST_CASE(
    "a progress callback that throws fails the write with Internal: nothing "
    "lands, no key file stays, no lock is held") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = OpenWritable(path);
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  const uint64_t revision = store.Revision().value();

  WriteBatch batch;
  batch.Add(IpBinding("2.2.2.2:443"));
  batch.Delete(Key(BindingKind::kIpPort, "1.1.1.1:443"));
  batch.EnableCcs("/srv/ccs", "secret");  // writes a password file
  size_t seen = 0;
  const WriteOptions options{.progress = [&](size_t done, size_t total) {
    seen = done;
    // Every operation is applied, the password file written: only the
    // commit is left.
    if (done == total) throw std::runtime_error("stop here");
  }};
  size_t failed = 99;
  Status s = store.Write(batch, options, &failed);
  CHECK(seen == 3);
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message() == "unexpected exception: stop here");
  CHECK(failed == 99);  // no operation failed
  CHECK(Keys(store) == std::vector<std::string>{"ipport=1.1.1.1:443"});
  CHECK(store.Revision().value() == revision);
  std::error_code ec;
  CHECK((!std::filesystem::exists(store.KeyFolderPath()) ||
         std::filesystem::is_empty(store.KeyFolderPath(), ec)));
  // Another writer gets the lock at once, and this handle writes again.
  Store other =
      Store::Open(path, {.writable = true, .busy_timeout_ms = 0}).value();
  CHECK(other.Add(IpBinding("3.3.3.3:443")).ok());
  CHECK(store.Write(batch).ok());
  CHECK(Keys(store) ==
        std::vector<std::string>{"ipport=2.2.2.2:443", "ipport=3.3.3.3:443"});
}

TEST_CASE("a dry run whose progress callback throws returns Internal") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch batch;
  batch.Add(IpBinding("2.2.2.2:443"));
  const WriteOptions options{.progress = [](size_t, size_t) {
    throw std::runtime_error("stop here");
  }};
  Status s = store.Check(batch, options);
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message() == "unexpected exception: stop here");
}

TEST_CASE("operations in a batch see the ones before them") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch batch;
  batch.Add(IpBinding("1.1.1.1:443"));
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kReject, "enable").ok());
  batch.Update(Key(BindingKind::kIpPort, "1.1.1.1:443"), patch);
  batch.Put(SniBinding("a.com:443"));
  batch.Put(SniBinding("a.com:443"));
  batch.Erase(Key(BindingKind::kCcs, "443"));  // missing: fine
  REQUIRE(store.Write(batch).ok());
  CHECK(store.Get(Key(BindingKind::kIpPort, "1.1.1.1:443"))->flags ==
        kFlagReject);
  CHECK(Keys(store).size() == 2);
}

TEST_CASE("an invalid binding in a batch is refused before anything lands") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch batch;
  batch.Add(IpBinding("1.1.1.1:443"));
  batch.Add(Binding(Key(BindingKind::kIpPort, "2.2.2.2:443")));  // no hash
  size_t failed = 0;
  CHECK(store.Write(batch, &failed).IsInvalidArgument());
  CHECK(failed == 1);
  CHECK(Keys(store).empty());
}

TEST_CASE("the change counter moves on every committed write only") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  Store reader = Store::Open(dir.File("s.db")).value();
  uint64_t c0 = reader.ChangeCounter().value();
  REQUIRE(store.Add(IpBinding("1.1.1.1:443")).ok());
  uint64_t c1 = reader.ChangeCounter().value();
  CHECK(c1 != c0);
  CHECK(store.Add(IpBinding("1.1.1.1:443")).IsAlreadyExists());
  CHECK(reader.ChangeCounter().value() == c1);
}

TEST_CASE("opening a missing store to read fails and creates nothing") {
  TempDir dir;
  const std::string path = dir.File("sub/s.db");
  Result<Store> store = Store::Open(path);
  CHECK(store.status().IsNotFound());
  CHECK(!std::filesystem::exists(dir.path() / "sub"));
  CHECK(Store::Open(path, {.writable = true}).status().IsNotFound());
  CHECK(!std::filesystem::exists(dir.path() / "sub"));
}

TEST_CASE("a writable open creates the store and its folders") {
  TempDir dir;
  const std::string path = dir.File("a/b/s.db");
  OpenWritable(path);
  CHECK(std::filesystem::exists(path));
}

TEST_CASE(
    "a writable open refuses a key folder others may write, creating "
    "nothing") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  std::filesystem::create_directory(path + ".keys");
  std::filesystem::permissions(path + ".keys", std::filesystem::perms::all);
  Result<Store> store = Store::Open(path, kWrite);
  CHECK(store.status().IsAccessDenied());
  CHECK(store.status().message().find("group or others may write it") !=
        std::string::npos);
  CHECK(!std::filesystem::exists(path));
}

TEST_CASE("a writable open refuses a store folder others may write") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "open");
  std::filesystem::permissions(dir.path() / "open",
                               std::filesystem::perms::all);
  const std::string path = dir.File("open/s.db");
  CHECK(Store::Open(path, kWrite).status().IsAccessDenied());
  CHECK(!std::filesystem::exists(path));
}

TEST_CASE(
    "a store reached through a symbolic link has the key folder of the "
    "file it leads to") {
  TempDir dir;
  std::filesystem::create_symlink("real.db", dir.path() / "link.db");
  Store through_link = OpenWritable(dir.File("link.db"));
  CHECK(std::filesystem::exists(dir.path() / "real.db"));
  Store by_name = OpenWritable(dir.File("real.db"));
  CHECK(through_link.KeyFolderPath() == by_name.KeyFolderPath());
  CHECK(std::filesystem::path(by_name.KeyFolderPath()).filename() ==
        "real.db.keys");
  CHECK(through_link.path() == dir.File("link.db"));
}

TEST_CASE(
    "at rest the store is one file: the last writer removes -wal and "
    "-shm") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    Store writer = OpenWritable(path);
    REQUIRE(writer.Add(IpBinding("1.1.1.1:443")).ok());
    CHECK(std::filesystem::exists(path + "-wal"));
  }
  CHECK(!std::filesystem::exists(path + "-wal"));
  CHECK(!std::filesystem::exists(path + "-shm"));
}

TEST_CASE(
    "a store left in WAL mode without its -wal file is read without "
    "creating anything") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  { REQUIRE(OpenWritable(path).Add(IpBinding("1.1.1.1:443")).ok()); }
  RawSql(path, "PRAGMA journal_mode = WAL;");  // closes last: no -wal left
  REQUIRE(!std::filesystem::exists(path + "-wal"));
  std::string before = ReadFile(path);
  {
    Store reader = Store::Open(path).value();
    CHECK(Keys(reader) == std::vector<std::string>{"ipport=1.1.1.1:443"});
    CHECK(reader.ChangeCounter().value() > 0);
  }
  CHECK(!std::filesystem::exists(path + "-wal"));
  CHECK(!std::filesystem::exists(path + "-shm"));
  CHECK(ReadFile(path) == before);
}

TEST_CASE(
    "a reader of a WAL-mode store without its -wal file reads the "
    "usual way once a writer started") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  { REQUIRE(OpenWritable(path).Add(IpBinding("1.1.1.1:443")).ok()); }
  RawSql(path, "PRAGMA journal_mode = WAL;");
  Store reader = Store::Open(path).value();
  Store writer = OpenWritable(path);  // creates the -wal file
  REQUIRE(writer.Add(IpBinding("2.2.2.2:443")).ok());
  CHECK(Keys(reader) ==
        std::vector<std::string>{"ipport=1.1.1.1:443", "ipport=2.2.2.2:443"});
}

TEST_CASE("reading never modifies the file") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  { OpenWritable(path).Add(IpBinding("1.1.1.1:443")).ok(); }
  std::string before = ReadFile(path);
  {
    Store reader = Store::Open(path).value();
    CHECK(reader.List()->size() == 1);
    CHECK(reader.Add(IpBinding("2.2.2.2:443")).IsAccessDenied());
  }
  CHECK(ReadFile(path) == before);
}

TEST_CASE("an empty file reads as an empty store") {
  TempDir dir;
  const std::string path = dir.File("empty.db");
  std::ofstream(path).close();
  Store reader = Store::Open(path).value();
  CHECK(reader.List()->empty());
  CHECK(reader.ChangeCounter().value() == 0);
  CHECK(std::filesystem::file_size(path) == 0);
}

TEST_CASE("a file that is not an sslbind store is refused") {
  TempDir dir;
  const std::string text = dir.File("notes.txt");
  std::ofstream(text) << "this is not a database, just some text that is long "
                         "enough to look like a header of a file\n";
  Result<Store> s1 = Store::Open(text);
  CHECK(s1.status().code() == StatusCode::kIncompatibleStore);
  CHECK(s1.status().message().find("not an sslbind store") !=
        std::string::npos);
  CHECK(Store::Open(text, kWrite).status().code() ==
        StatusCode::kIncompatibleStore);

  const std::string other = dir.File("other.db");
  RawSql(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  std::string before = ReadFile(other);
  CHECK(Store::Open(other, kWrite).status().code() ==
        StatusCode::kIncompatibleStore);
  CHECK(ReadFile(other) == before);
}

TEST_CASE("a store with a newer schema is refused with a clear message") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  { OpenWritable(path); }
  RawSql(path, "PRAGMA user_version = 999;");
  Result<Store> s = Store::Open(path);
  CHECK(s.status().code() == StatusCode::kIncompatibleStore);
  CHECK(s.status().message().find("schema version 999") != std::string::npos);
  CHECK(Store::Open(path, kWrite).status().code() ==
        StatusCode::kIncompatibleStore);
}

TEST_CASE("an older store is read as it is and upgraded by a writer") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  // A store as schema 001 left it, with one binding and its ancestors
  // copied from a store of schema 003 (registry_key had the same layout).
  std::ifstream sql_file(std::string(SSLBIND_SCHEMA_DIR) + "/001_registry.sql");
  std::stringstream sql;
  sql << sql_file.rdbuf();
  RawSql(dir.File("old.db"), testing::Schema3StoreSql());
  RawSql(path,
         "PRAGMA journal_mode = WAL;" + sql.str() +
             "PRAGMA user_version = 1;"
             "ATTACH '" +
             dir.File("old.db") +
             "' AS old;"
             "INSERT INTO registry_key SELECT * FROM old.registry_key "
             "WHERE path_folded NOT LIKE '%bindinginfo\\%' "
             "OR path_folded LIKE '%\\10.0.0.1:443';");

  Store reader = Store::Open(path).value();
  CHECK(Keys(reader) == std::vector<std::string>{"ipport=10.0.0.1:443"});
  CHECK(reader.ChangeCounter().value() == 0);

  Store writer = OpenWritable(path);
  REQUIRE(writer.Add(IpBinding("2.2.2.2:443")).ok());
  CHECK(Keys(writer) == std::vector<std::string>{"ipport=2.2.2.2:443",
                                                 "ipport=10.0.0.1:443"});
  CHECK(writer.ChangeCounter().value() == 1);
  CHECK(Store::SchemaVersion() == 7);
}

TEST_CASE("a reader of a store of schema 3 reads on after a writer upgrades it") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  RawSql(path, testing::Schema3StoreSql() + "PRAGMA journal_mode = WAL;");
  Store reader = Store::Open(path).value();
  REQUIRE(Keys(reader).size() == 29);
  {
    Store writer = OpenWritable(path);  // upgrades it to schema 7
    REQUIRE(writer.Add(IpBinding("2.2.2.2:443")).ok());
    CHECK(writer.Revision().value() == 4);
  }
  CHECK(Keys(reader).size() == 30);
  CHECK(reader.Get(Key(BindingKind::kIpPort, "2.2.2.2:443")).ok());
  CHECK(reader.Revision().value() == 4);
}

// Keys copied in a store of schema 3 under names `show` order and text
// order disagree on, names that are not canonical (as an older tool or a
// replica of one could leave them: IPv4-mapped, "*:port", upper case, a
// trailing dot, a Unicode name, a ccs key named with an address) and, with
// `bad`, one that is no key of its kind.
std::string OddKeysSql(bool bad) {
  struct Odd {
    const char* kind;  // as spelled
    const char* leaf;
    const char* like;  // the key whose values it gets
  };
  std::vector<Odd> odd = {
      {"SslBindingInfo", "[::FFFF:1.2.3.5]:443", "10.0.0.1:443"},
      {"SslBindingInfo", "*:8443", "10.0.0.1:443"},
      {"SslBindingInfo", "[FE80::1]:443", "10.0.0.1:443"},
      {"SslBindingInfo", "255.255.255.255:65535", "10.0.0.1:443"},
      {"SslBindingInfo", "2.0.0.1:443", "10.0.0.1:443"},
      {"SslCcsBindingInfo", "1.2.3.4:444", "0.0.0.0:443"},
      {"SslCcsBindingInfo", "0.0.0.0:8443", "0.0.0.0:443"},
      {"SslSniBindingInfo", "WWW.Example.COM:443", "a.com:443"},
      {"SslSniBindingInfo", "www.example.com.:444", "a.com:443"},
      {"SslSniBindingInfo", "b\xC3\xBC" "cher.example:443", "a.com:443"},
      {"SslSniBindingInfo", "a.com0:443", "a.com:443"},
      {"SslScopedCcsBindingInfo", "A.Example.com:443", "a.com:443"},
  };
  if (bad) odd.push_back({"SslSniBindingInfo", "not a key!", "a.com:443"});
  std::string sql;
  for (const Odd& o : odd) {
    const std::string path = std::string(kHttpParametersPath) + "\\" +
                             o.kind + "\\" + o.leaf;
    sql += "INSERT INTO registry_key SELECT '" + FoldCase(path) + "', '" +
           path + "', vals FROM registry_key WHERE path_folded = '" +
           FoldCase(std::string(kHttpParametersPath) + "\\" + o.kind + "\\" +
                    o.like) +
           "';";
  }
  return sql;
}

// The number of registry_node rows whose name is a BLOB (schema 007).
int64_t BlobNames(const std::string& path) {
  return testing::RawCount(path,
                           "SELECT count(*) FROM registry_node WHERE "
                           "typeof(name_folded) = 'blob'");
}

std::vector<Binding> Sorted(const Store& store, Status* status = nullptr) {
  std::vector<Binding> out;
  Status s = store.ForEachSorted([&](const Binding& b) {
    out.push_back(b);
    return Status::Ok();
  });
  if (status) {
    *status = s;
  } else {
    REQUIRE_MESSAGE(s.ok(), s.ToString());
  }
  return out;
}

std::vector<RegistryKey> RegistryInOrder(const Store& store) {
  std::vector<RegistryKey> out;
  REQUIRE(store
              .ForEachRegistryKey(kHttpParametersPath,
                                  [&](const RegistryKey& key) {
                                    out.push_back(key);
                                    return Status::Ok();
                                  })
              .ok());
  return out;
}

TEST_CASE(
    "schema 007 keeps every key's name and lists as before, also for a "
    "reader that opened the store before a writer upgraded it") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  RawSql(path, testing::Schema3StoreSql() + OddKeysSql(false) +
                   "PRAGMA journal_mode = WAL;");
  Store reader = Store::Open(path).value();
  const std::vector<Binding> listed = reader.List().value();
  REQUIRE(listed.size() == 29 + 12);
  CHECK(Sorted(reader) == listed);
  const std::vector<RegistryKey> registry = RegistryInOrder(reader);
  const std::vector<RegistryKey> read = reader.ReadRegistry().value();
  const bool mapped_found =
      reader.Get(Key(BindingKind::kIpPort, "1.2.3.5:443")).ok();
  {
    Store writer = OpenWritable(path);  // upgrades it to schema 7
    CHECK(Sorted(writer) == listed);
    CHECK(writer.List().value() == listed);
    CHECK(RegistryInOrder(writer) == registry);
  }
  // Every binding is named by a BLOB now (none of the other keys is).
  CHECK(BlobNames(path) == 29 + 12);
  CHECK(Sorted(reader) == listed);
  CHECK(reader.List().value() == listed);
  CHECK(RegistryInOrder(reader) == registry);
  // The same keys, spelled as they were (ReadRegistry's order is the
  // table's: the bindings now come in `show` order).
  std::vector<RegistryKey> now = reader.ReadRegistry().value();
  auto by_path = [](const RegistryKey& a, const RegistryKey& b) {
    return a.path < b.path;
  };
  std::vector<RegistryKey> before = read;
  std::sort(before.begin(), before.end(), by_path);
  std::sort(now.begin(), now.end(), by_path);
  CHECK(now == before);
  // Looked up by name as before: a canonical name, upper case, and a name
  // that is not canonical (found by its own spelling only).
  CHECK(reader.Get(Key(BindingKind::kIpPort, "9.0.0.1:443")).ok());
  CHECK(reader.Get(Key(BindingKind::kHostnamePort, "www.example.com:443"))
            .ok());
  CHECK(reader.Get(Key(BindingKind::kIpPort, "1.2.3.5:443")).ok() ==
        mapped_found);
  CHECK(reader.Get(Key(BindingKind::kIpPort, "9.0.0.2:443")).status().code() ==
        StatusCode::kNotFound);
  // Written and deleted as before.
  Store writer = OpenWritable(path);
  REQUIRE(writer.Add(IpBinding("9.0.0.2:443")).ok());
  REQUIRE(writer.Add(SniBinding("a.com.:8443")).ok());
  std::vector<Binding> grown = Sorted(reader);
  CHECK(grown == reader.List().value());
  CHECK(grown.size() == listed.size() + 2);
  REQUIRE(writer.Delete(Key(BindingKind::kIpPort, "9.0.0.2:443")).ok());
  REQUIRE(writer.Delete(Key(BindingKind::kHostnamePort, "a.com:8443")).ok());
  CHECK(Sorted(reader) == listed);
  CHECK(RegistryInOrder(reader) == registry);
}

TEST_CASE(
    "a key below a binding kind whose name does not parse is reported "
    "after every binding, before and after the upgrade to schema 007") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  RawSql(path, testing::Schema3StoreSql() + OddKeysSql(true) +
                   "PRAGMA journal_mode = WAL;");
  Store reader = Store::Open(path).value();
  Status before;
  const std::vector<Binding> visited_before = Sorted(reader, &before);
  CHECK(before.code() == StatusCode::kIncompatibleStore);
  CHECK(before.message().find("not a key!") != std::string::npos);
  CHECK(visited_before.size() == 29 + 12);
  { Store writer = OpenWritable(path); }
  CHECK(BlobNames(path) == 29 + 12);
  Status after;
  CHECK(Sorted(reader, &after) == visited_before);
  CHECK(after.message() == before.message());
}

TEST_CASE("key names compare case-insensitively like the registry") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(SniBinding("www.contoso.com:443")).ok());
  std::vector<RegistryKey> keys =
      store
          .ReadRegistry(
              "system\\currentcontrolset\\services\\http\\parameters\\SSLSNIBIN"
              "DINGINFO")
          .value();
  REQUIRE(keys.size() == 2);
  CHECK(keys[1].path == std::string(kHttpParametersPath) +
                            "\\SslSniBindingInfo\\www.contoso.com:443");
}

TEST_CASE("ForEach visits every binding of every kind once") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  Binding ip = IpBinding("10.0.0.1:443");
  Binding sni = SniBinding("www.contoso.com:443");
  Binding ccs(Key(BindingKind::kCcs, "443"));
  Binding scoped(Key(BindingKind::kScopedCcs, "a.contoso.com:443"));
  WriteBatch batch;
  for (const Binding* b : {&ip, &sni, &ccs, &scoped}) batch.Add(*b);
  REQUIRE(store.Write(batch).ok());

  std::vector<Binding> seen;
  REQUIRE(store
              .ForEach([&](const Binding& b) {
                seen.push_back(b);
                return Status::Ok();
              })
              .ok());
  std::sort(seen.begin(), seen.end(),
            [](const Binding& a, const Binding& b) { return a.key < b.key; });
  CHECK(seen == store.List().value());
  CHECK(seen.size() == 4);
}

TEST_CASE("ForEach stops at the first error of its visitor and returns it") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  REQUIRE(store.Add(IpBinding("10.0.0.1:443")).ok());
  REQUIRE(store.Add(IpBinding("10.0.0.2:443")).ok());
  int calls = 0;
  Status s = store.ForEach([&](const Binding&) {
    ++calls;
    return Status::Internal("stop");
  });
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message() == "stop");
  CHECK(calls == 1);
}

TEST_CASE("ForEach skips keys under Parameters that are not bindings") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    Store store = OpenWritable(path);
    REQUIRE(store.Add(IpBinding("10.0.0.1:443")).ok());
  }
  // A key of another HTTP.sys feature, and one beside the binding kinds
  // whose name only starts like one.
  // (Folders 1000 and 1001 below Parameters.)
  const std::string params =
      "(SELECT id FROM registry_node WHERE name_folded = 'parameters')";
  RawSql(path,
         "INSERT INTO registry_node (parent, name_folded, id, vals) VALUES (" +
             params + ", 'urlaclinfo', 1000, x''), (" + params +
             ", 'sslbindinginfo2', 1001, x'');"
             "INSERT INTO registry_node (parent, name_folded, vals) VALUES "
             "(1000, 'http://+:80/', x''), (1001, '1.2.3.4:443', x'');");
  Store store = Store::Open(path).value();
  std::vector<std::string> keys;
  REQUIRE(store
              .ForEach([&](const Binding& b) {
                keys.push_back(b.key.ToParam());
                return Status::Ok();
              })
              .ok());
  CHECK(keys == std::vector<std::string>{"ipport=10.0.0.1:443"});
}

TEST_CASE(
    "a subtree read holds the key and its descendants, not its siblings") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    Store store = OpenWritable(path);
    REQUIRE(store.Add(IpBinding("10.0.0.1:443")).ok());
  }
  // "...\SslBindingInfo0" and "...\SslBindingInfo.x" sort between
  // "...\SslBindingInfo" and its descendants.
  RawSql(path,
         "INSERT INTO registry_node (parent, name_folded, vals) SELECT id, "
         "'sslbindinginfo0', x'' FROM registry_node WHERE name_folded = "
         "'parameters'; INSERT INTO registry_node (parent, name_folded, vals) "
         "SELECT id, 'sslbindinginfo.x', x'' FROM registry_node WHERE "
         "name_folded = 'parameters';");
  Store store = Store::Open(path).value();
  std::vector<RegistryKey> keys =
      store.ReadRegistry(std::string(kHttpParametersPath) + "\\SslBindingInfo")
          .value();
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].path == std::string(kHttpParametersPath) + "\\SslBindingInfo");
  CHECK(keys[1].path.ends_with("\\10.0.0.1:443"));
}

// A ccs binding, the simplest valid one.
Binding CcsBinding(std::string_view port) {
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kAppId, "{00112233-4455-6677-8899-aabbccddeeff}")
              .ok());
  Result<Binding> b = MakeBinding(Key(BindingKind::kCcs, port), patch);
  REQUIRE(b.ok());
  return *b;
}

TEST_CASE("a dry run (Check) reports what Write would, and writes nothing") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch setup;
  setup.Add(CcsBinding("443"));
  REQUIRE(store.Write(setup).ok());
  uint64_t counter = store.ChangeCounter().value();

  WriteBatch batch;
  batch.Add(CcsBinding("444"));
  batch.Delete(Key(BindingKind::kCcs, "443"));
  batch.Add(CcsBinding("443"));  // fine: deleted just before
  CHECK(store.Check(batch).ok());

  batch.Add(CcsBinding("444"));  // taken by the first operation
  size_t failed = 99;
  Status s = store.Check(batch, &failed);
  CHECK(s.IsAlreadyExists());
  CHECK(failed == 3);
  CHECK(s.message() == "ccs=444 already exists");

  size_t write_failed = 99;
  Status w = store.Write(batch, &write_failed);
  CHECK(w.code() == s.code());
  CHECK(write_failed == failed);

  // Neither the checks nor the failed write changed anything.
  CHECK(store.ChangeCounter().value() == counter);
  CHECK(store.List().value() == std::vector<Binding>{CcsBinding("443")});
}

TEST_CASE("a dry run sees updates and deletes of keys the base holds") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch setup;
  setup.Add(CcsBinding("443"));
  REQUIRE(store.Write(setup).ok());

  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kReject, "enable").ok());
  WriteBatch batch;
  batch.Update(Key(BindingKind::kCcs, "443"), patch);
  batch.Delete(Key(BindingKind::kCcs, "443"));
  batch.Update(Key(BindingKind::kCcs, "443"), patch);
  size_t failed = 99;
  CHECK(store.Check(batch, &failed).IsNotFound());
  CHECK(failed == 2);
}

TEST_CASE("a read-only handle can Check but not Write") {
  TempDir dir;
  { OpenWritable(dir.File("s.db")); }
  Result<Store> ro = Store::Open(dir.File("s.db"));
  REQUIRE(ro.ok());
  WriteBatch batch;
  batch.Add(CcsBinding("443"));
  CHECK(ro->Check(batch).ok());
  CHECK(ro->Write(batch).IsAccessDenied());
}

TEST_CASE("a missing store opens as empty when asked, and is not created") {
  TempDir dir;
  std::string path = dir.File("none/s.db");
  CHECK(Store::Open(path).status().IsNotFound());
  Result<Store> store = Store::Open(path, {.missing_is_empty = true});
  REQUIRE(store.ok());
  CHECK(store->List().value().empty());
  CHECK(store->ReadRegistry().value().empty());
  WriteBatch batch;
  batch.Add(CcsBinding("443"));
  batch.Delete(Key(BindingKind::kCcs, "8443"));
  size_t failed = 99;
  CHECK(store->Check(batch, &failed).IsNotFound());
  CHECK(failed == 1);
  CHECK(!std::filesystem::exists(dir.path() / "none"));
}

TEST_CASE(
    "Write and Check report progress every 1024 operations and at the end") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch batch;
  for (int port = 1; port <= 2500; ++port) {
    batch.Add(CcsBinding(std::to_string(port)));
  }
  std::vector<std::pair<size_t, size_t>> calls;
  auto progress = [&](size_t done, size_t total) {
    calls.emplace_back(done, total);
  };
  REQUIRE(store.Check(batch, {.progress = progress}).ok());
  std::vector<std::pair<size_t, size_t>> expected = {
      {1024, 2500}, {2048, 2500}, {2500, 2500}};
  CHECK(calls == expected);
  calls.clear();
  REQUIRE(store.Write(batch, {.progress = progress}).ok());
  CHECK(calls == expected);
  CHECK(store.List().value().size() == 2500);
}


// Bindings whose keys sort differently as text (the store's order) and in
// `show` order: addresses of different lengths, IPv6, ports of different
// widths, names that begin other names, every kind.
std::vector<Binding> MixedBindings(int n) {
  std::vector<Binding> bindings;
  for (int i = 0; i < n; ++i) {
    const std::string port = std::to_string(i % 3 == 0 ? 80 : 443 + i % 9000);
    const std::string name = "a" + std::to_string(i % 50) + ".com";
    switch (i % 6) {
      case 0:
        bindings.push_back(IpBinding(std::to_string(1 + i % 250) + "." +
                                     std::to_string(i / 250 % 256) + ".0.1:" +
                                     port));
        break;
      case 1:
        bindings.push_back(IpBinding("[2001:db8:" + std::to_string(1 + i / 1000) +
                                     "::" + std::to_string(i % 1000) + "]:" +
                                     port));
        break;
      case 2: bindings.push_back(SniBinding(name + ":" + std::to_string(i)));
        break;
      case 3:
        bindings.push_back(
            SniBinding(name + ".b" + std::to_string(i) + ":" + port));
        break;
      case 4:
        bindings.push_back(
            SniBinding(name + "-x" + std::to_string(i) + ":" + port));
        break;
      default:
        bindings.push_back(Binding(
            Key(BindingKind::kScopedCcs, name + ":" + std::to_string(i))));
    }
  }
  bindings.push_back(Binding(Key(BindingKind::kCcs, "443")));
  bindings.push_back(Binding(Key(BindingKind::kCcs, "80")));
  return bindings;
}

TEST_CASE(
    "ForEachSorted visits what List() returns in the same order, also when "
    "the sort spills to temporary files") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  std::vector<Binding> none;
  REQUIRE(store.ForEachSorted([&](const Binding& b) {
    none.push_back(b);
    return Status::Ok();
  }).ok());
  CHECK(none.empty());
  WriteBatch batch;
  // 20,000 bindings are several MB: more than SQLite sorts in memory.
  for (Binding& b : MixedBindings(20000)) batch.Put(std::move(b));
  REQUIRE(store.Write(batch).ok());
  std::vector<Binding> visited;
  REQUIRE(store.ForEachSorted([&](const Binding& b) {
    visited.push_back(b);
    return Status::Ok();
  }).ok());
  CHECK(visited == store.List().value());
  // A visitor's error stops the walk and comes back.
  size_t calls = 0;
  Status stopped = store.ForEachSorted([&](const Binding&) {
    ++calls;
    return Status::Internal("stop");
  });
  CHECK(stopped.code() == StatusCode::kInternal);
  CHECK(calls == 1);
}

TEST_CASE(
    "ForEachRegistryKey visits the keys of ReadRegistry depth first, "
    "siblings by case-insensitive name") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch batch;
  for (Binding& b : MixedBindings(300)) batch.Put(std::move(b));
  REQUIRE(store.Write(batch).ok());
  std::vector<RegistryKey> visited;
  REQUIRE(store.ForEachRegistryKey(kHttpParametersPath,
                                   [&](const RegistryKey& key) {
                                     visited.push_back(key);
                                     return Status::Ok();
                                   })
              .ok());
  std::vector<RegistryKey> expected = store.ReadRegistry().value();
  auto parts = [](const std::string& path) {
    std::vector<std::string> out;
    std::string folded = FoldCase(path);
    size_t start = 0;
    for (size_t slash; (slash = folded.find('\\', start)) != std::string::npos;
         start = slash + 1) {
      out.push_back(folded.substr(start, slash - start));
    }
    out.push_back(folded.substr(start));
    return out;
  };
  std::stable_sort(expected.begin(), expected.end(),
                   [&](const RegistryKey& a, const RegistryKey& b) {
                     return parts(a.path) < parts(b.path);
                   });
  REQUIRE(visited.size() == expected.size());
  for (size_t i = 0; i < visited.size(); ++i) {
    CHECK(visited[i].path == expected[i].path);
    CHECK(visited[i].values == expected[i].values);
  }
}

TEST_CASE("a large write leaves a small -wal file behind") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = OpenWritable(path);
  WriteBatch batch;
  for (Binding& b : MixedBindings(30000)) batch.Put(std::move(b));
  REQUIRE(store.Write(batch).ok());
  // The batch wrote well over 4 MB of pages; the WAL was copied back into
  // the store and truncated after the commit.
  CHECK(std::filesystem::file_size(path + "-wal") <= (4u << 20));
  CHECK(store.List().value().size() == 30002);
}

TEST_CASE("a scan inside ForEach's visitor does not end the walk early") {
  TempDir dir;
  Store store = OpenWritable(dir.File("s.db"));
  WriteBatch batch;
  for (Binding& b : MixedBindings(50)) batch.Put(std::move(b));
  REQUIRE(store.Write(batch).ok());
  size_t visited = 0;
  REQUIRE(store.ForEach([&](const Binding& b) {
    ++visited;
    // What `check` does for each batch of bindings: read certificates.
    Result<std::vector<RegistryKey>> keys =
        store.ReadRegistry(std::string(kHttpParametersPath) + "\\" + b.key.ToParam());
    return keys.status();
  }).ok());
  CHECK(visited == 52);
}
}  // namespace
}  // namespace sslbind
