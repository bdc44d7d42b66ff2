// Tests for sslbind/store.h: dry runs (Check), write progress, and opening
// a missing store as empty.
#include "sslbind/store.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <vector>

#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;
using testing::TempDir;

Binding Ccs(std::string_view port) {
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kAppId,
                        "{00112233-4455-6677-8899-aabbccddeeff}").ok());
  Result<Binding> b = MakeBinding(Key(BindingKind::kCcs, port), patch);
  REQUIRE(b.ok());
  return *b;
}

Store OpenWritable(const TempDir& dir) {
  Result<Store> store = Store::Open(
      dir.File("s.db"), {.writable = true, .create_if_missing = true});
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(*store);
}

TEST_CASE("Check reports what Write would, and writes nothing") {
  TempDir dir;
  Store store = OpenWritable(dir);
  WriteBatch setup;
  setup.Add(Ccs("443"));
  REQUIRE(store.Write(setup).ok());
  uint64_t counter = store.ChangeCounter().value();

  WriteBatch batch;
  batch.Add(Ccs("444"));
  batch.Delete(Key(BindingKind::kCcs, "443"));
  batch.Add(Ccs("443"));  // fine: deleted just before
  CHECK(store.Check(batch).ok());

  batch.Add(Ccs("444"));  // taken by the first operation
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
  CHECK(store.List().value() == std::vector<Binding>{Ccs("443")});
}

TEST_CASE("Check sees updates and deletes of keys the base holds") {
  TempDir dir;
  Store store = OpenWritable(dir);
  WriteBatch setup;
  setup.Add(Ccs("443"));
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

TEST_CASE("A read-only handle can Check but not Write") {
  TempDir dir;
  { OpenWritable(dir); }
  Result<Store> ro = Store::Open(dir.File("s.db"));
  REQUIRE(ro.ok());
  WriteBatch batch;
  batch.Add(Ccs("443"));
  CHECK(ro->Check(batch).ok());
  CHECK(ro->Write(batch).IsAccessDenied());
}

TEST_CASE("A missing store opens as empty when asked, and is not created") {
  TempDir dir;
  std::string path = dir.File("none/s.db");
  CHECK(Store::Open(path).status().IsNotFound());
  Result<Store> store = Store::Open(path, {.missing_is_empty = true});
  REQUIRE(store.ok());
  CHECK(store->List().value().empty());
  CHECK(store->ReadRegistry().value().empty());
  WriteBatch batch;
  batch.Add(Ccs("443"));
  batch.Delete(Key(BindingKind::kCcs, "8443"));
  size_t failed = 99;
  CHECK(store->Check(batch, &failed).IsNotFound());
  CHECK(failed == 1);
  CHECK(!std::filesystem::exists(dir.path() / "none"));
}

TEST_CASE("Write reports progress every 1024 operations and at the end") {
  TempDir dir;
  Store store = OpenWritable(dir);
  WriteBatch batch;
  for (int port = 1; port <= 2500; ++port) {
    batch.Add(Ccs(std::to_string(port)));
  }
  std::vector<std::pair<size_t, size_t>> calls;
  auto progress = [&](size_t done, size_t total) {
    calls.emplace_back(done, total);
  };
  REQUIRE(store.Check(batch, nullptr, progress).ok());
  std::vector<std::pair<size_t, size_t>> expected = {
      {1024, 2500}, {2048, 2500}, {2500, 2500}};
  CHECK(calls == expected);
  calls.clear();
  REQUIRE(store.Write(batch, nullptr, progress).ok());
  CHECK(calls == expected);
  CHECK(store.List().value().size() == 2500);
}

}  // namespace
}  // namespace sslbind
