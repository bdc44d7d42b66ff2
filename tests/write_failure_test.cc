// Proves that no exception crosses Store::Open, Write and Check, and that a
// write that fails anywhere changes nothing: this binary replaces the global
// operator new with one that throws std::bad_alloc at a chosen allocation
// (failing_allocator.h), and runs a write -- certificate with its key file,
// bindings, the CCS password file -- failing at each of its allocations in
// turn. After each, the store and its key folder must be as before, with no
// lock held and a status returned. (A binary of its own, so that the
// replacement does not touch the other tests; the same for a store in
// PostgreSQL: write_failure_postgres_test.cc.)
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "failing_allocator.h"
#include "sslbind/store.h"
#include "test_util.h"
#include "write_failure_batch.h"

namespace sslbind {
namespace {

using testing::IpBinding;
using testing::Key;
using testing::TempDir;
using testing::WithAllocationFailing;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

std::set<std::string> FilesIn(const std::string& folder) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// Everything a write may change: the whole hive, the revision, the files
// of the key folder.
struct Snapshot {
  std::vector<RegistryKey> keys;
  uint64_t revision = 0;
  std::set<std::string> key_files;

  bool operator==(const Snapshot&) const = default;
};

Snapshot Take(const Store& store) {
  Snapshot s;
  s.keys = store.ReadRegistry("").value();
  s.revision = store.Revision().value();
  s.key_files = FilesIn(store.KeyFolderPath());
  return s;
}

// True if another connection can take the write lock at once.
bool Unlocked(const std::string& path) {
  sqlite3* db = nullptr;
  bool ok =
      sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
      sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) ==
          SQLITE_OK &&
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

TEST_CASE(
    "a write that runs out of memory at any allocation returns a status and "
    "changes nothing: no row, no key file, no lock") {
  TempDir dir;
  const std::string path = dir.File("store.db");
  const testing::TestCert cert = testing::MakeCert();
  Store store = Store::Open(path, kWrite).value();
  REQUIRE(store.Write(testing::StartingState(cert)).ok());
  const WriteBatch batch = testing::FailingWrite(cert);
  const Binding added = testing::UsingCert("10.0.0.2:443", cert);
  const WriteOptions options{.verify_certificates = true};

  const Snapshot before = Take(store);
  size_t failures = 0;
  Status s;
  for (size_t n = 0;; ++n) {
    if (!WithAllocationFailing(n, [&] { s = store.Write(batch, options); })) {
      break;  // the write ran without a failure
    }
    ++failures;
    INFO("allocation ", n, ": ", s.ToString());
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInternal);
    CHECK(s.message() == "out of memory");
    REQUIRE(Take(store) == before);
    REQUIRE(Unlocked(path));
  }
  CHECK(failures > 100);  // the sweep went through the whole write
  REQUIRE(s.ok());
  CHECK(store.Get(added.key).ok());
  CHECK(store.Get(Key(BindingKind::kIpPort, "10.0.0.1:443")).status().code() ==
        StatusCode::kNotFound);
  // One key file (the new one) and the password file.
  CHECK(FilesIn(store.KeyFolderPath()).size() == 2);
  CHECK(Unlocked(path));
}

TEST_CASE(
    "a dry run that runs out of memory at any allocation returns a status") {
  TempDir dir;
  const std::string path = dir.File("store.db");
  Store store = Store::Open(path, kWrite).value();
  REQUIRE(store.Add(IpBinding("10.0.0.1:443")).ok());
  WriteBatch batch;
  batch.Put(IpBinding("10.0.0.2:443"));
  batch.Delete(Key(BindingKind::kIpPort, "10.0.0.1:443"));
  const Snapshot before = Take(store);
  size_t failures = 0;
  Status s;
  for (size_t n = 0;; ++n) {
    if (!WithAllocationFailing(n, [&] { s = store.Check(batch); })) break;
    ++failures;
    INFO("allocation ", n);
    CHECK(s.code() == StatusCode::kInternal);
  }
  CHECK(failures > 10);
  CHECK(s.ok());
  CHECK(Take(store) == before);
}

// user_version and the number of schema objects of a store file.
std::pair<int, int> SchemaOf(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  std::pair<int, int> out{-1, -1};
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK &&
      sqlite3_prepare_v2(
          db,
          "SELECT (SELECT user_version FROM pragma_user_version),"
          " (SELECT count(*) FROM sqlite_master)",
          -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = {sqlite3_column_int(stmt, 0), sqlite3_column_int(stmt, 1)};
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST_CASE(
    "creating a store that runs out of memory at any allocation returns a "
    "status and leaves no half-made schema and no lock") {
  TempDir dir;
  size_t failures = 0;
  for (size_t n = 0;; ++n) {
    const std::string path = dir.File("store" + std::to_string(n) + ".db");
    Result<Store> store = Status::Internal("not opened");
    if (!WithAllocationFailing(n, [&] { store = Store::Open(path, kWrite); })) {
      REQUIRE(store.ok());
      break;
    }
    ++failures;
    INFO("allocation ", n, ": ", store.status().ToString());
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kInternal);
    if (!std::filesystem::exists(path)) continue;
    // The schema is all there or not at all, and a second writer gets in.
    auto [version, objects] = SchemaOf(path);
    CHECK((version == Store::SchemaVersion() || objects == 0));
    CHECK(Unlocked(path));
    Result<Store> again = Store::Open(path, kWrite);
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    CHECK(SchemaOf(path).first == Store::SchemaVersion());
  }
  CHECK(failures > 10);
}

}  // namespace
}  // namespace sslbind
