// Replica (sslbind/replica.h) where no server is needed: what Open refuses,
// the mark it leaves and what the mark refuses; tests/pg/replica_test.sh and
// tests/pg/farm_test.sh replicate from a real cluster.
#include "sslbind/replica.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sslbind/journal.h"
#include "sslbind/store.h"
#include "storage/replica_marker.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::IpBinding;
using testing::TempDir;

// A server that is not there: a socket folder that does not exist.
const char kSource[] =
    "postgresql://reader:s3cr?t#pw@/farm?host=/nonexistent/sslbind-test";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Store OpenForWriting(const std::string& path) {
  StoreOptions options;
  options.writable = true;
  options.create_if_missing = true;
  Result<Store> store = Store::Open(path, options);
  REQUIRE(store.ok());
  return std::move(*store);
}

TEST_CASE("a replica's source must be a store in PostgreSQL") {
  TempDir dir;
  Result<Replica> replica =
      Replica::Open(dir.File("other.db"), dir.File("r.db"), {});
  REQUIRE_FALSE(replica.ok());
  CHECK(replica.status().code() == StatusCode::kInvalidArgument);
  CHECK(replica.status().message().find("is not a PostgreSQL store") !=
        std::string::npos);
}

TEST_CASE("a replica must be a store file, not a store in PostgreSQL") {
  Result<Replica> replica = Replica::Open(kSource, kSource, {});
  REQUIRE_FALSE(replica.ok());
  CHECK(replica.status().code() == StatusCode::kInvalidArgument);
  CHECK(replica.status().message().find("s3cr") == std::string::npos);
}

TEST_CASE("Open names the source without its password, creating nothing") {
  TempDir dir;
  Result<Replica> replica = Replica::Open(kSource, dir.File("r.db"), {});
  REQUIRE(replica.ok());
  CHECK(replica->source() ==
        "postgresql://reader:***@/farm?host=/nonexistent/sslbind-test");
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a marked store refuses every other writer, naming its source") {
  TempDir dir;
  Store store = OpenForWriting(dir.File("r.db"));
  REQUIRE(internal::WriteReplicaMarker(dir.File("r.db"),
                                       "postgresql://reader:***@/farm")
              .ok());
  Status s = store.Add(IpBinding("10.0.0.1:443"));
  CHECK(s.code() == StatusCode::kAccessDenied);
  CHECK(s.message().find("is a replica of 'postgresql://reader:***@/farm'") !=
        std::string::npos);
  CHECK(CompactJournal(store, 0).code() == StatusCode::kAccessDenied);
  CHECK(*store.Revision() == 0);
  CHECK(ReadAll(dir.File("r.db.replica")) ==
        "postgresql://reader:***@/farm\n");
}

TEST_CASE("a store with changes of its own is no replica") {
  TempDir dir;
  {
    Store store = OpenForWriting(dir.File("own.db"));
    REQUIRE(store.Add(IpBinding("10.0.0.1:443")).ok());
  }
  Result<Replica> replica = Replica::Open(kSource, dir.File("own.db"), {});
  REQUIRE_FALSE(replica.ok());
  CHECK(replica.status().code() == StatusCode::kInvalidArgument);
  CHECK(replica.status().message().find("has changes of its own") !=
        std::string::npos);
}

TEST_CASE("a replica of one source refuses another, and takes its own again") {
  TempDir dir;
  { Store store = OpenForWriting(dir.File("r.db")); }
  REQUIRE(internal::WriteReplicaMarker(
              dir.File("r.db"),
              "postgresql://reader:***@/farm?host=/nonexistent/sslbind-test")
              .ok());
  Result<Replica> other = Replica::Open(
      "postgresql://reader@/other?host=/nonexistent", dir.File("r.db"), {});
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == StatusCode::kInvalidArgument);
  CHECK(Replica::Open(kSource, dir.File("r.db"), {}).ok());
}

TEST_CASE("an unreachable source is IoError, and marked as the source's") {
  TempDir dir;
  Result<Replica> replica = Replica::Open(kSource, dir.File("r.db"), {});
  REQUIRE(replica.ok());
  Status s = replica->Connect();
  CHECK(s.code() == StatusCode::kIoError);
  CHECK(s.message().find("s3cr") == std::string::npos);
  Result<uint64_t> caught_up = replica->CatchUp(nullptr);
  REQUIRE_FALSE(caught_up.ok());
  CHECK(caught_up.status().code() == StatusCode::kIoError);
  CHECK(replica->source_failed());
  CHECK(std::filesystem::is_empty(dir.path()));  // no store, no mark
}

}  // namespace
}  // namespace sslbind
