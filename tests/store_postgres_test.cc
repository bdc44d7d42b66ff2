// Store::Open of a PostgreSQL URI and the farm key (sslbind/store.h), where
// no server is needed; tests/pg/*_test.sh run a real cluster.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "sslbind/store.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("WriteNewFarmKey writes 64 hex digits, mode 0600") {
  TempDir dir;
  const std::string path = dir.File("farm.key");
  REQUIRE(WriteNewFarmKey(path).ok());
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  const std::string text = ReadAll(path);
  REQUIRE(text.size() == 65);
  CHECK(text.find_first_not_of("0123456789abcdef") == 64);
  CHECK(text.back() == '\n');
}

TEST_CASE("WriteNewFarmKey never overwrites a file") {
  TempDir dir;
  const std::string path = dir.File("farm.key");
  REQUIRE(WriteNewFarmKey(path).ok());
  const std::string first = ReadAll(path);
  Status again = WriteNewFarmKey(path);
  CHECK(again.code() == StatusCode::kAlreadyExists);
  CHECK(ReadAll(path) == first);
}

TEST_CASE("two farm keys differ") {
  TempDir dir;
  REQUIRE(WriteNewFarmKey(dir.File("a")).ok());
  REQUIRE(WriteNewFarmKey(dir.File("b")).ok());
  CHECK(ReadAll(dir.File("a")) != ReadAll(dir.File("b")));
}

TEST_CASE(
    "a PostgreSQL URI libpq cannot parse is InvalidArgument, without "
    "its password") {
  Result<Store> store =
      Store::Open("postgresql://u:hidden@/db?nosuchoption=1", {});
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kInvalidArgument);
  CHECK(store.status().message().find("not a valid PostgreSQL URI") !=
        std::string::npos);
  CHECK(store.status().message().find("hidden") == std::string::npos);
}

TEST_CASE("a PostgreSQL server that cannot be reached is IoError") {
  TempDir dir;
  Result<Store> store =
      Store::Open("postgres://u:hidden@/db?host=" + dir.path().string() +
                      "&connect_timeout=2",
                  {});
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kIoError);
  CHECK(store.status().message().find("cannot open the store") !=
        std::string::npos);
  CHECK(store.status().message().find("hidden") == std::string::npos);
}

TEST_CASE("a farm key group or others may read is refused before connecting") {
  TempDir dir;
  const std::string key = dir.File("farm.key");
  REQUIRE(WriteNewFarmKey(key).ok());
  REQUIRE(chmod(key.c_str(), 0640) == 0);
  Result<Store> store = Store::Open(
      "postgresql:///db?host=" + dir.path().string(), {.key_file = key});
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kAccessDenied);
  CHECK(store.status().message().find("mode 0640") != std::string::npos);
}

TEST_CASE("a farm key that is not 64 hex digits is InvalidArgument") {
  TempDir dir;
  const std::string key = dir.File("farm.key");
  std::ofstream(key) << "not a key\n";
  REQUIRE(chmod(key.c_str(), 0600) == 0);
  Result<Store> store = Store::Open(
      "postgresql:///db?host=" + dir.path().string(), {.key_file = key});
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sslbind
