// Tests for the one read interface of the storage layer
// (libbindings/src/storage/registry_reader.h): a backend, its write
// transaction and a dry run's OverlayTxn read registry keys the same way,
// and a transaction's reads see its own earlier writes.
#include "storage/registry_reader.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/overlay_txn.h"
#include "storage/registry_backend.h"
#include "test_util.h"

namespace sslbind::internal {
namespace {

using testing::TempDir;

std::unique_ptr<RegistryBackend> OpenBackend(const TempDir& dir) {
  const std::string path = dir.File("bindings.db");
  Result<std::unique_ptr<RegistryBackend>> backend = OpenSqliteBackend(
      path, path, BackendOptions{.writable = true, .create_if_missing = true});
  REQUIRE_MESSAGE(backend.ok(), backend.status().ToString());
  return std::move(*backend);
}

RegistryKey Key(std::string path, uint32_t value) {
  return RegistryKey{std::move(path), {RegistryValue::Dword("V", value)}};
}

// The paths ScanSubtree visits, in the order visited.
std::vector<std::string> Scan(RegistryReader& reader, std::string_view path) {
  std::vector<std::string> paths;
  Status s = reader.ScanSubtree(path, [&](RegistryKey&& key) {
    paths.push_back(key.path);
    return Status::Ok();
  });
  REQUIRE_MESSAGE(s.ok(), s.ToString());
  return paths;
}

std::optional<RegistryKey> Get(RegistryReader& reader, std::string_view path) {
  Result<std::optional<RegistryKey>> key = reader.GetKey(path);
  REQUIRE_MESSAGE(key.ok(), key.status().ToString());
  return *key;
}

Status Write(RegistryBackend& backend, const std::vector<RegistryKey>& keys) {
  return backend.WriteTransaction([&](RegistryTxn& txn) {
    for (const RegistryKey& key : keys) {
      Status s = txn.PutKey(key);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
}

// A fresh SQLite backend in a temporary folder, holding `keys`.
struct Fixture {
  explicit Fixture(const std::vector<RegistryKey>& keys = {}) {
    if (!keys.empty()) REQUIRE(Write(*backend, keys).ok());
  }
  TempDir dir;
  std::unique_ptr<RegistryBackend> backend = OpenBackend(dir);
};

// The keys every reader below holds: a key, two keys below it given out of
// order, a sibling whose name starts with its name, and a key elsewhere.
const std::vector<RegistryKey>& SampleKeys() {
  static const std::vector<RegistryKey> keys = {
      Key("Root\\A\\Zed", 1), Key("Root\\A", 2), Key("Root\\A\\b", 3),
      Key("Root\\AB", 4), Key("Other", 5)};
  return keys;
}

// What every reader holding SampleKeys (and their ancestors) must answer.
void ExpectSampleReads(RegistryReader& reader) {
  std::optional<RegistryKey> a = Get(reader, "ROOT\\a");
  REQUIRE(a.has_value());
  CHECK(a->path == "Root\\A");  // as written
  CHECK(*a->Find("V") == RegistryValue::Dword("V", 2));
  CHECK_FALSE(Get(reader, "Root\\A\\missing").has_value());
  CHECK_FALSE(Get(reader, "Nowhere\\At\\All").has_value());
  CHECK(Scan(reader, "root\\a") ==
        std::vector<std::string>{"Root\\A", "Root\\A\\b", "Root\\A\\Zed"});
  CHECK(Scan(reader, "Root") ==
        std::vector<std::string>{"Root", "Root\\A", "Root\\A\\b",
                                 "Root\\A\\Zed", "Root\\AB"});
  CHECK(Scan(reader, "Root\\A\\missing").empty());
}

TEST_CASE(
    "a backend reads a key by its path, in any case, and nullopt for "
    "a missing one") {
  Fixture f;
  CHECK_FALSE(Get(*f.backend, "Root\\A").has_value());  // never written
  REQUIRE(Write(*f.backend, SampleKeys()).ok());
  ExpectSampleReads(*f.backend);
}

TEST_CASE(
    "a write transaction reads the committed keys as the backend "
    "does") {
  Fixture f(SampleKeys());
  RegistryBackend* backend = f.backend.get();
  Status s = backend->WriteTransaction([](RegistryTxn& txn) {
    ExpectSampleReads(txn);
    return Status::Ok();
  });
  CHECK(s.ok());
}

TEST_CASE("a write transaction's reads see its own earlier writes") {
  Fixture f({Key("Root\\A\\b", 1)});
  RegistryBackend* backend = f.backend.get();
  Status s = backend->WriteTransaction([](RegistryTxn& txn) {
    REQUIRE(txn.PutKey(Key("Root\\A\\b", 7)).ok());
    REQUIRE(txn.PutKey(Key("Root\\A\\c", 8)).ok());
    std::optional<RegistryKey> b = Get(txn, "Root\\A\\B");
    REQUIRE(b.has_value());
    CHECK(*b->Find("V") == RegistryValue::Dword("V", 7));
    CHECK(Scan(txn, "Root\\A") ==
          std::vector<std::string>{"Root\\A", "Root\\A\\b", "Root\\A\\c"});
    REQUIRE(txn.DeleteKey("Root\\A").value());
    CHECK_FALSE(Get(txn, "Root\\A\\c").has_value());
    CHECK(Scan(txn, "Root").size() == 1);  // Root alone
    return Status::Internal("roll back");
  });
  CHECK(s.code() == StatusCode::kInternal);
  // Rolled back: the backend reads what was committed.
  CHECK(*Get(*backend, "Root\\A\\b")->Find("V") ==
        RegistryValue::Dword("V", 1));
  CHECK_FALSE(Get(*backend, "Root\\A\\c").has_value());
}

TEST_CASE(
    "a write transaction's reads follow the folders it reads, makes, "
    "removes and makes again, each spelled as stored") {
  // A write transaction remembers each folder it has seen (its id and its
  // stored spelling); a key below one is then one probe.
  Fixture f({Key("Root\\A\\b", 1)});
  Status s = f.backend->WriteTransaction([](RegistryTxn& txn) {
    REQUIRE(Get(txn, "ROOT\\A\\B")->path == "Root\\A\\b");  // seen
    CHECK_FALSE(txn.KeyExists("Root\\A\\b\\under").value());
    // A key below a key that had none: b becomes a folder.
    REQUIRE(txn.PutKey(Key("root\\a\\B\\Under", 2)).ok());
    REQUIRE(Get(txn, "ROOT\\A\\B\\UNDER")->path == "Root\\A\\b\\Under");
    CHECK(txn.KeyExists("Root\\A\\b\\under").value());
    // Removed with its folder, then made again in another spelling.
    REQUIRE(txn.DeleteKey("Root\\A").value());
    CHECK_FALSE(Get(txn, "Root\\A\\b").has_value());
    CHECK_FALSE(txn.KeyExists("Root\\A\\b\\Under").value());
    REQUIRE(txn.PutKey(Key("root\\NEW\\x", 3)).ok());
    REQUIRE(txn.PutKey(Key("ROOT\\new\\Y", 4)).ok());
    CHECK(Get(txn, "Root\\New\\X")->path == "Root\\NEW\\x");
    CHECK(Get(txn, "root\\new\\y")->path == "Root\\NEW\\Y");
    REQUIRE(txn.PutKey(Key("Root\\a\\z", 5)).ok());
    CHECK(Get(txn, "ROOT\\A\\Z")->path == "Root\\a\\z");
    CHECK(*Get(txn, "Root\\A\\Z")->Find("V") == RegistryValue::Dword("V", 5));
    return Status::Ok();
  });
  REQUIRE(s.ok());
  CHECK(Get(*f.backend, "root\\a\\z")->path == "Root\\a\\z");
  CHECK(Get(*f.backend, "root\\new\\y")->path == "Root\\NEW\\Y");
}

TEST_CASE(
    "an overlay reads its writes merged with the base's keys in path "
    "order, and leaves the base unchanged") {
  // Half the sample keys in the base, half written in the overlay.
  Fixture f({SampleKeys()[0], SampleKeys()[3]});
  RegistryBackend* backend = f.backend.get();
  OverlayTxn overlay(*backend);
  REQUIRE(overlay.PutKey(SampleKeys()[1]).ok());
  REQUIRE(overlay.PutKey(SampleKeys()[2]).ok());
  REQUIRE(overlay.PutKey(SampleKeys()[4]).ok());
  ExpectSampleReads(overlay);
  CHECK_FALSE(Get(*backend, "Root\\A\\b").has_value());
  CHECK(Scan(*backend, "Root") == std::vector<std::string>{"Root", "Root\\A",
                                                           "Root\\A\\Zed",
                                                           "Root\\AB"});
}

TEST_CASE(
    "an overlay's writes replace and hide the base's keys at their "
    "place") {
  Fixture f(SampleKeys());
  RegistryBackend* backend = f.backend.get();
  OverlayTxn overlay(*backend);
  REQUIRE(overlay.PutKey(Key("root\\a\\B", 9)).ok());  // replaces Root\A\b
  CHECK(Scan(overlay, "Root\\A") ==
        std::vector<std::string>{"Root\\A", "root\\a\\B", "Root\\A\\Zed"});
  CHECK(*Get(overlay, "Root\\A\\b")->Find("V") == RegistryValue::Dword("V", 9));
  REQUIRE(overlay.DeleteKey("Root\\A").value());
  CHECK_FALSE(Get(overlay, "Root\\A\\Zed").has_value());
  CHECK(Scan(overlay, "Root") == std::vector<std::string>{"Root", "Root\\AB"});
  CHECK_FALSE(overlay.DeleteKey("Root\\A").value());  // already gone
  ExpectSampleReads(*backend);
}

TEST_CASE(
    "a scan stops at the first status a visitor returns, also in an "
    "overlay") {
  Fixture f({SampleKeys()[0]});
  RegistryBackend* backend = f.backend.get();
  OverlayTxn overlay(*backend);
  REQUIRE(overlay.PutKey(SampleKeys()[2]).ok());  // Root\A\b, before Zed
  for (RegistryReader* reader :
       std::vector<RegistryReader*>{backend, &overlay}) {
    int visited = 0;
    Status s = reader->ScanSubtree("Root", [&](RegistryKey&&) {
      return ++visited == 3 ? Status::NotFound("stop") : Status::Ok();
    });
    CHECK(s.IsNotFound());
    CHECK(visited == 3);  // the overlay's: Root\A\b written there
  }
}

}  // namespace
}  // namespace sslbind::internal
