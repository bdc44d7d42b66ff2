// Replica (sslbind/replica.h) where no server is needed: what Open refuses,
// the mark it leaves and what the mark refuses; tests/pg/replica_test.sh and
// tests/pg/farm_test.sh replicate from a real cluster.
#include "sslbind/replica.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "sslbind/journal.h"
#include "sslbind/store.h"
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

TEST_CASE("Open marks the store with its source, the password as ***") {
  TempDir dir;
  Result<Replica> replica = Replica::Open(kSource, dir.File("r.db"), {});
  REQUIRE(replica.ok());
  const std::string redacted =
      "postgresql://reader:***@/farm?host=/nonexistent/sslbind-test";
  CHECK(replica->source() == redacted);
  CHECK(ReadAll(dir.File("r.db.replica")) == redacted + "\n");
}

TEST_CASE("a replica refuses every other writer, naming its source") {
  TempDir dir;
  REQUIRE(Replica::Open(kSource, dir.File("r.db"), {}).ok());
  Store store = OpenForWriting(dir.File("r.db"));
  Status s = store.Add(IpBinding("10.0.0.1:443"));
  CHECK(s.code() == StatusCode::kAccessDenied);
  CHECK(s.message().find("is a replica of 'postgresql://reader:***@") !=
        std::string::npos);
  CHECK(s.message().find("s3cr") == std::string::npos);
  CHECK(CompactJournal(store, 0).code() == StatusCode::kAccessDenied);
  CHECK(*store.Revision() == 0);
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
  REQUIRE(Replica::Open(kSource, dir.File("r.db"), {}).ok());
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
}

}  // namespace
}  // namespace sslbind
