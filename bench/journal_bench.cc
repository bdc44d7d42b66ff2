// Revisions and the journal at scale (docs/performance.md, "The journal"):
//
// - BM_RefreshOverlay/K: Resolver::Refresh after K bindings of a
//   1M-binding store changed (one batch), from its start to the new
//   snapshot's publication: the journal's changes laid over the last whole
//   load. Every iteration changes the same K keys again (new certificate
//   hashes), so the overlay stays K keys. Counters: overlay_bytes
//   (Snapshot::OverlayMemoryUsage) and heap_delta (what malloc holds more
//   after the first overlay's publication than with the base alone: the
//   overlay and the changes kept for the next one).
// - BM_FullReload: what Refresh did before the journal, and still does when
//   the journal does not reach back: Snapshot::Load of the same store.
// - BM_HistoryFirstPage: ReadHistory's newest 20 revisions of a store with
//   100k revisions (one binding each), and of one key's history there.
//
// The stores are written once per run into a temporary folder (TMPDIR; on
// /dev/shm the 100k single-binding commits take seconds instead of a
// minute of fsyncs). Run:
//   TMPDIR=/dev/shm build/release/bench/journal_bench
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "sslbind/journal.h"
#include "sslbind/resolver.h"
#include "sslbind/snapshot.h"
#include "sslbind/store.h"

namespace sslbind {
namespace {

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

class TempFolder {
 public:
  TempFolder() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sslbind-journal-XXXXXX")
            .string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

TempFolder& Folder() {
  static TempFolder folder;
  return folder;
}

Binding Site(uint32_t i, uint32_t generation) {
  Binding b(BindingKey::HostnamePort(
      "www" + std::to_string(i) + ".example" + std::to_string(i % 64) + ".com",
      443));
  b.cert_hash.resize(20);
  for (size_t j = 0; j < 20; ++j) {
    b.cert_hash[j] =
        static_cast<uint8_t>(((i + generation) * 2654435761u) >> (j % 4 * 8));
  }
  b.cert_store_name = "MY";
  return b;
}

void Check(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  std::abort();
}

// A writable store of 1M bindings (one batch), opened once.
Store& MillionStore() {
  static std::unique_ptr<Store> store = [] {
    auto s = std::make_unique<Store>(
        Store::Open(Folder().File("million.db"), kWrite).value());
    WriteBatch batch;
    for (uint32_t i = 0; i < 1'000'000; ++i) batch.Put(Site(i, 0));
    Check(s->Write(batch), "cannot write the 1M store");
    return s;
  }();
  return *store;
}

size_t HeapInUse() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

void BM_RefreshOverlay(benchmark::State& state) {
  const auto changes = static_cast<uint32_t>(state.range(0));
  Store& store = MillionStore();
  Resolver resolver;
  Check(resolver.Refresh(store).status(), "first load");
  uint32_t generation = 0;
  size_t heap_delta = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++generation;
    WriteBatch batch;
    for (uint32_t i = 0; i < changes; ++i) batch.Put(Site(i, generation));
    Check(store.Write(batch), "cannot change the store");
    const size_t before = HeapInUse();
    state.ResumeTiming();
    Result<bool> published = resolver.Refresh(store);
    state.PauseTiming();
    if (!published.ok() || !*published || !resolver.Current()->is_overlay()) {
      state.SkipWithError("Refresh did not publish an overlay");
      break;
    }
    if (generation == 1) heap_delta = HeapInUse() - before;
    state.ResumeTiming();
  }
  state.counters["overlay_bytes"] =
      static_cast<double>(resolver.Current()->OverlayMemoryUsage());
  state.counters["heap_delta"] = static_cast<double>(heap_delta);
  state.counters["full_loads"] = static_cast<double>(resolver.full_refreshes());
}

void BM_FullReload(benchmark::State& state) {
  Store& store = MillionStore();
  std::shared_ptr<const Snapshot> snapshot;
  for (auto _ : state) {
    snapshot.reset();
    snapshot = Snapshot::Load(store).value();
  }
  state.counters["bytes"] = static_cast<double>(snapshot->MemoryUsage());
}

// A store with 100k revisions, one binding added by each.
const Store& HistoryStore() {
  static std::unique_ptr<Store> store = [] {
    auto s = std::make_unique<Store>(
        Store::Open(Folder().File("history.db"), kWrite).value());
    for (uint32_t i = 0; i < 100'000; ++i) {
      WriteBatch batch;
      batch.Put(Site(i % 5'000, i));  // each key changed 20 times
      Check(s->Write(batch,
                     WriteOptions{.reason = "renewal " + std::to_string(i)}),
            "cannot write the history store");
    }
    return s;
  }();
  return *store;
}

void BM_HistoryFirstPage(benchmark::State& state) {
  const Store& store = HistoryStore();
  HistoryQuery query;
  query.limit = 20;
  if (state.range(0) == 1) query.key = Site(4'321, 0).key;
  size_t revisions = 0;
  for (auto _ : state) {
    Result<std::vector<RevisionRecord>> page = ReadHistory(store, query);
    revisions = page->size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["revisions"] = static_cast<double>(revisions);
  state.SetLabel(state.range(0) == 1 ? "one key" : "whole store");
}

BENCHMARK(BM_RefreshOverlay)
    ->Arg(1)
    ->Arg(1'000)
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FullReload)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HistoryFirstPage)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sslbind

BENCHMARK_MAIN();
