// write_failure_test.cc for a store in PostgreSQL: a write failing at each
// of its allocations in turn returns a status and changes nothing -- no
// key, no sealed secret, the same revision -- and leaves the writers' lock
// free. Run by tests/pg/write_failure.sh, which starts a throwaway cluster
// and passes a fresh database in SSLBIND_TEST_PG_URI (without it, the test
// fails).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "failing_allocator.h"
#include "sslbind/store.h"
#include "test_util.h"
#include "write_failure_batch.h"

namespace sslbind {
namespace {

using testing::Key;
using testing::TempDir;
using testing::WithAllocationFailing;

std::string Uri() {
  const char* uri = std::getenv("SSLBIND_TEST_PG_URI");
  REQUIRE_MESSAGE(uri != nullptr,
                  "SSLBIND_TEST_PG_URI is not set: run tests/pg/"
                  "write_failure.sh");
  return uri;
}

// A connection of the test's own, opened once, that reads past the library.
PGconn* Raw(const std::string& uri) {
  static PGconn* conn = PQconnectdb(uri.c_str());
  return conn;
}

// The names in the table of sealed secrets.
std::vector<std::string> SecretNames(const std::string& uri) {
  std::vector<std::string> names;
  PGresult* r = PQexec(Raw(uri), "SELECT name FROM secret ORDER BY name");
  REQUIRE_MESSAGE(PQresultStatus(r) == PGRES_TUPLES_OK,
                  PQerrorMessage(Raw(uri)));
  for (int i = 0; i < PQntuples(r); ++i) names.push_back(PQgetvalue(r, i, 0));
  PQclear(r);
  return names;
}

// True if the writers' lock -- the change counter's row, which a writer
// holds FOR UPDATE -- can be taken at once.
bool Unlocked(const std::string& uri) {
  PGresult* r = PQexec(Raw(uri),
                       "BEGIN; SELECT value FROM store_meta WHERE name = "
                       "'change_counter' FOR UPDATE NOWAIT");
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  PQclear(r);
  PQclear(PQexec(Raw(uri), "ROLLBACK"));
  return ok;
}

struct Snapshot {
  std::vector<RegistryKey> keys;
  uint64_t revision = 0;
  std::vector<std::string> secrets;

  bool operator==(const Snapshot&) const = default;
};

Snapshot Take(const Store& store, const std::string& uri) {
  return {store.ReadRegistry("").value(), store.Revision().value(),
          SecretNames(uri)};
}

TEST_CASE(
    "a write to PostgreSQL that runs out of memory at any allocation returns "
    "a status and changes nothing: no key, no secret, no lock") {
  const std::string uri = Uri();
  TempDir dir;
  const std::string key_file = dir.File("farm.key");
  REQUIRE(WriteNewFarmKey(key_file).ok());
  const StoreOptions options{.writable = true,
                             .create_if_missing = true,
                             .busy_timeout_ms = 5000,
                             .key_file = key_file};
  Store store = Store::Open(uri, options).value();
  const testing::TestCert cert = testing::MakeCert();
  REQUIRE(store.Write(testing::StartingState(cert)).ok());
  const WriteBatch batch = testing::FailingWrite(cert);
  const WriteOptions write{.verify_certificates = true};
  REQUIRE(Unlocked(uri));
  const Snapshot before = Take(store, uri);
  size_t failures = 0;
  Status s;
  for (size_t n = 0;; ++n) {
    if (!WithAllocationFailing(n, [&] { s = store.Write(batch, write); })) {
      break;
    }
    ++failures;
    INFO("allocation ", n, ": ", s.ToString());
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInternal);
    CHECK(s.message() == "out of memory");
    REQUIRE(Take(store, uri) == before);
    REQUIRE(Unlocked(uri));
  }
  CHECK(failures > 100);
  REQUIRE(s.ok());
  CHECK(store.Get(Key(BindingKind::kIpPort, "10.0.0.2:443")).ok());
  CHECK(Take(store, uri).revision == before.revision + 1);
}

}  // namespace
}  // namespace sslbind
