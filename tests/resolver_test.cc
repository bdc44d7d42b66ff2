// Tests for sslbind/resolver.h: refreshing from a store, publishing, freeing
// old snapshots, and lookups racing with changes.
#include "sslbind/resolver.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <vector>

#include "sslbind/journal.h"
#include "sslbind/store.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;
using testing::TempDir;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

Binding Ip(std::string_view key, uint32_t generation) {
  Binding b(Key(BindingKind::kIpPort, key));
  b.cert_hash = {0xab, static_cast<uint8_t>(generation >> 24),
                 static_cast<uint8_t>(generation >> 16),
                 static_cast<uint8_t>(generation >> 8),
                 static_cast<uint8_t>(generation)};
  return b;
}

Binding Sni(std::string_view key, uint32_t generation) {
  Binding b = Ip("0.0.0.0:1", generation);
  Binding s(Key(BindingKind::kHostnamePort, key));
  s.cert_hash = b.cert_hash;
  s.cert_store_name = "MY";
  return s;
}

// The generation a binding's hash was written with (see Ip()).
uint32_t GenerationOf(const BindingRef& b) {
  std::span<const uint8_t> h = b.cert_hash();
  if (h.size() != 5 || h[0] != 0xab) return 0;
  return uint32_t{h[1]} << 24 | uint32_t{h[2]} << 16 | uint32_t{h[3]} << 8 |
         h[4];
}

IpAddress Addr(std::string_view text) { return IpAddress::Parse(text).value(); }

TEST_CASE("a resolver starts empty and serves what is published") {
  Resolver resolver;
  CHECK(resolver.generation() == 0);
  ResolverReader reader(resolver);
  CHECK_FALSE(reader.Resolve(Addr("10.0.0.1"), 443, "").found());

  std::vector<Binding> bindings = {Ip("0.0.0.0:443", 7)};
  resolver.Publish(Snapshot::Build(bindings).value());
  CHECK(resolver.generation() == 1);
  Resolution r = reader.Resolve(Addr("10.0.0.1"), 443, "");
  REQUIRE(r.found());
  CHECK(GenerationOf(r.binding()) == 7);
  CHECK(resolver.Current()->size() == 1);
}

TEST_CASE("Refresh loads a snapshot only when the change counter moved") {
  TempDir dir;
  Store store = Store::Open(dir.File("s.db"), kWrite).value();
  REQUIRE(store.Add(Ip("0.0.0.0:443", 1)).ok());

  Resolver resolver;
  CHECK(resolver.Refresh(store).value() == true);
  CHECK(resolver.generation() == 1);
  CHECK(resolver.Refresh(store).value() == false);
  CHECK(resolver.generation() == 1);

  REQUIRE(store.Add(Sni("a.com:443", 2)).ok());
  CHECK(resolver.Refresh(store).value() == true);
  CHECK(resolver.generation() == 2);
  ResolverReader reader(resolver);
  CHECK(reader.Resolve(Addr("10.0.0.1"), 443, "a.com").step() ==
        ResolveStep::kExactSni);

  // A published snapshot is not the store's: the next Refresh loads again.
  resolver.Publish(Snapshot::Empty());
  CHECK(resolver.Refresh(store).value() == true);
  CHECK(resolver.Current()->size() == 2);
}

TEST_CASE("a failed Refresh keeps the snapshot in use") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store store = Store::Open(path, kWrite).value();
  REQUIRE(store.Add(Ip("1.2.3.4:443", 1)).ok());
  Resolver resolver;
  REQUIRE(resolver.Refresh(store).value());

  // A second registry key naming the same binding, written behind the
  // store's back (by its folded name, not the BLOB sslbind would name it
  // by: see storage/binding_order.h): the store can no longer be indexed.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const std::string sql =
      "INSERT INTO registry_node (parent, name_folded, vals) SELECT parent, "
      "'[::ffff:1.2.3.4]:443', vals FROM registry_node "
      "WHERE typeof(name_folded) = 'blob';"
      "UPDATE store_meta SET value = value + 1;";
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);

  Result<bool> refreshed = resolver.Refresh(store);
  REQUIRE_FALSE(refreshed.ok());
  CHECK(refreshed.status().code() == StatusCode::kIncompatibleStore);
  CHECK(refreshed.status().message().find(
            "ipport=1.2.3.4:443 is given twice") != std::string::npos);
  CHECK(resolver.generation() == 1);
  CHECK(resolver.Current()->size() == 1);
}

TEST_CASE("a reader keeps its snapshot until it asks again") {
  Resolver resolver;
  std::vector<Binding> first = {Ip("0.0.0.0:443", 1)};
  std::vector<Binding> second = {Ip("0.0.0.0:443", 2)};
  resolver.Publish(Snapshot::Build(first).value());
  ResolverReader reader(resolver);
  const Snapshot& old = reader.Get();
  resolver.Publish(Snapshot::Build(second).value());
  // Still readable: the reader holds it.
  CHECK(GenerationOf(old.Resolve(Addr("10.0.0.1"), 443, "").binding()) == 1);
  CHECK(GenerationOf(reader.Resolve(Addr("10.0.0.1"), 443, "").binding()) == 2);
}

TEST_CASE("old snapshots are freed by the resolver once no reader holds them") {
  Resolver resolver;
  std::vector<Binding> bindings = {Ip("0.0.0.0:443", 1)};
  std::shared_ptr<const Snapshot> first = Snapshot::Build(bindings).value();
  std::weak_ptr<const Snapshot> watch = first;
  resolver.Publish(std::move(first));
  ResolverReader reader(resolver);
  reader.Get();

  resolver.Publish(Snapshot::Empty());
  CHECK(resolver.retired_count() == 1);  // the reader still holds it
  CHECK_FALSE(watch.expired());

  reader.Get();  // moves to the new snapshot, frees nothing
  CHECK_FALSE(watch.expired());
  CHECK(resolver.retired_count() == 1);

  resolver.Publish(Snapshot::Empty());  // frees what nobody holds
  CHECK(watch.expired());
  CHECK(resolver.retired_count() == 1);  // the empty snapshot, held by reader
}

TEST_CASE("Refresh lays the journal's changes over the last whole load") {
  TempDir dir;
  Store store = Store::Open(dir.File("s.db"), kWrite).value();
  WriteBatch batch;
  for (int i = 1; i <= 50; ++i) {
    batch.Add(Ip("10.0.0." + std::to_string(i) + ":443", 1));
  }
  REQUIRE(store.Write(batch).ok());
  Resolver resolver;
  REQUIRE(resolver.Refresh(store).value());
  CHECK(resolver.full_refreshes() == 1);
  const size_t base_memory = resolver.Current()->MemoryUsage();

  // One update, one delete, one add: an overlay sharing the base.
  REQUIRE(store.Add(Ip("10.0.1.1:443", 2)).ok());
  REQUIRE(store.Delete(Key(BindingKind::kIpPort, "10.0.0.2:443")).ok());
  REQUIRE(store
              .Write([] {
                WriteBatch b;
                b.Put(Ip("10.0.0.1:443", 3));
                return b;
              }())
              .ok());
  REQUIRE(resolver.Refresh(store).value());
  CHECK(resolver.overlay_refreshes() == 1);
  std::shared_ptr<const Snapshot> s = resolver.Current();
  CHECK(s->is_overlay());
  CHECK(s->size() == 50);
  CHECK(s->OverlayMemoryUsage() < 4096);
  CHECK(s->MemoryUsage() == base_memory + s->OverlayMemoryUsage());
  ResolverReader reader(resolver);
  CHECK(GenerationOf(reader.Resolve(Addr("10.0.0.1"), 443, "").binding()) == 3);
  CHECK_FALSE(reader.Resolve(Addr("10.0.0.2"), 443, "").found());
  CHECK(GenerationOf(reader.Resolve(Addr("10.0.1.1"), 443, "").binding()) == 2);
  CHECK(GenerationOf(reader.Resolve(Addr("10.0.0.3"), 443, "").binding()) == 1);

  // The next overlay holds every change since the base; deleting what was
  // added leaves a tombstone the base never needed.
  REQUIRE(store.Delete(Key(BindingKind::kIpPort, "10.0.1.1:443")).ok());
  REQUIRE(resolver.Refresh(store).value());
  CHECK(resolver.overlay_refreshes() == 2);
  CHECK(resolver.Current()->size() == 49);
  CHECK_FALSE(reader.Resolve(Addr("10.0.1.1"), 443, "").found());
  CHECK(GenerationOf(reader.Resolve(Addr("10.0.0.1"), 443, "").binding()) == 3);

  // More changes than an overlay may hold: folded into a new whole load.
  resolver.set_max_overlay_changes(10);
  WriteBatch many;
  for (int i = 1; i <= 20; ++i) {
    many.Put(Ip("10.0.0." + std::to_string(i) + ":443", 4));
  }
  REQUIRE(store.Write(many).ok());
  REQUIRE(resolver.Refresh(store).value());
  CHECK(resolver.full_refreshes() == 2);
  CHECK_FALSE(resolver.Current()->is_overlay());
  CHECK(resolver.Current()->size() == 50);
  CHECK(GenerationOf(reader.Resolve(Addr("10.0.0.2"), 443, "").binding()) == 4);

  // A journal compacted past the snapshot: a whole load again.
  REQUIRE(store.Add(Ip("10.0.2.1:443", 5)).ok());
  REQUIRE(resolver.Refresh(store).value());
  CHECK(resolver.overlay_refreshes() == 3);
  REQUIRE(store.Add(Ip("10.0.2.2:443", 5)).ok());
  REQUIRE(store.Add(Ip("10.0.2.3:443", 5)).ok());
  const uint64_t now = store.Revision().value();
  REQUIRE(CompactJournal(store, now).ok());  // keeps only the last revision
  REQUIRE(resolver.Refresh(store).value());
  CHECK(resolver.full_refreshes() == 3);
  CHECK(resolver.Current()->size() == 53);
}

// Several threads resolve while another changes the store and refreshes.
// Every write changes a group of bindings together, all carrying the write's
// generation in their hash, and renames one binding after it: an answer
// mixing generations, or a snapshot missing the binding named after its own
// generation, would be a torn or half-built snapshot.
TEST_CASE("lookups racing with writes and refreshes see whole snapshots") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  Store writer = Store::Open(path, kWrite).value();
  constexpr uint32_t kGenerations = 150;
  auto write_generation = [&](uint32_t g) {
    WriteBatch batch;
    batch.Put(Ip("10.0.0.1:443", g));
    batch.Put(Ip("0.0.0.0:443", g));
    batch.Put(Ip("[::]:443", g));
    batch.Put(Sni("a.test:443", g));
    batch.Put(Sni("*.test:443", g));
    batch.Put(Sni("g" + std::to_string(g) + ".test:443", g));
    if (g > 1)
      batch.Erase(Key(BindingKind::kHostnamePort,
                      "g" + std::to_string(g - 1) + ".test:443"));
    return writer.Write(batch);
  };
  REQUIRE(write_generation(1).ok());
  Resolver resolver;
  REQUIRE(resolver.Refresh(writer).value());

  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, went_back{0}, missing{0};
  std::atomic<uint64_t> lookups{0}, changes_seen{0};
  auto read = [&] {
    ResolverReader reader(resolver);
    const IpAddress exact = Addr("10.0.0.1"), other = Addr("10.0.0.2"),
                    v6 = Addr("fe80::1");
    uint32_t last = 0;
    uint64_t n = 0, changes = 0;
    while (!done.load(std::memory_order_relaxed)) {
      const Snapshot& s = reader.Get();
      const uint32_t g[] = {
          GenerationOf(s.Resolve(exact, 443, "a.test").binding()),  // ipport
          GenerationOf(s.Resolve(other, 443, "a.test").binding()),  // SNI
          GenerationOf(s.Resolve(other, 443, "x.test").binding()),  // *.test
          GenerationOf(s.Resolve(other, 443, "").binding()),        // 0.0.0.0
          GenerationOf(s.Resolve(v6, 443, "").binding()),           // [::]
      };
      for (uint32_t x : g) {
        if (x == 0 || x != g[0]) ++torn;
      }
      if (g[0] < last) ++went_back;
      if (g[0] != last) ++changes;
      last = g[0];
      // The binding named after this generation is there, the one named
      // after the previous generation is not.
      Resolution own =
          s.Resolve(other, 443, "g" + std::to_string(g[0]) + ".test");
      if (!own.found() || own.step() != ResolveStep::kExactSni) ++missing;
      Resolution previous =
          s.Resolve(other, 443, "g" + std::to_string(g[0] - 1) + ".test");
      if (previous.found() && previous.step() == ResolveStep::kExactSni) {
        ++missing;
      }
      n += 7;
    }
    lookups += n;
    changes_seen += changes;
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(read);

  Status status;
  for (uint32_t g = 2; g <= kGenerations && status.ok(); ++g) {
    status = write_generation(g);
    if (status.ok()) status = resolver.Refresh(writer).status();
  }
  done = true;
  for (std::thread& t : readers) t.join();

  REQUIRE_MESSAGE(status.ok(), status.ToString());
  // Every refresh after the first load was an overlay from the journal.
  CHECK(resolver.overlay_refreshes() == kGenerations - 1);
  CHECK(resolver.full_refreshes() == 1);
  CHECK(resolver.Current()->is_overlay());
  CHECK(torn.load() == 0);
  CHECK(went_back.load() == 0);
  CHECK(missing.load() == 0);
  CHECK(lookups.load() > 0);
  // Each reader saw its first snapshot, and some saw later ones.
  CHECK(changes_seen.load() > 3);
  CHECK(resolver.generation() == kGenerations);
  // With the readers gone, every replaced snapshot is freed.
  CHECK(resolver.Refresh(writer).value() == false);
  CHECK(resolver.retired_count() == 0);
  ResolverReader late(resolver);
  CHECK(GenerationOf(late.Resolve(Addr("10.0.0.2"), 443, "").binding()) ==
        kGenerations);
}

}  // namespace
}  // namespace sslbind
