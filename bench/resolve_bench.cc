// Resolution at scale (docs/performance.md, "Resolving a connection"):
//
// - BM_Resolve: Snapshot::Resolve on 1k, 100k and 1M bindings with a
//   realistic mix of lookups, on 1 and 2 threads; BM_ResolveReader: the same
//   through a ResolverReader (what a server does); BM_ResolveByKind: the
//   1M mix's lookups of one kind at a time (exact names, names under a
//   wildcard, addresses with their own binding, unknown names).
// - Baselines on the same keys: BM_MapBaseline, one lookup in a bare
//   std::unordered_map<std::string, int> of the binding names (the floor);
//   BM_SqliteBaseline, the steps of docs/reference.md, "Resolution order" asked
//   of the store one Store::Get at a time (what a naive tool does).
// - BM_IndexLinesPerLookup: the lines of the cells an exact-name hit reads
//   (the proxy for perf's cache misses, which this VM does not count);
//   BM_CacheSimulation: the lookups a cache simulator counts
//   (bench/cache_misses.sh);
//   BM_OneLineFloor: the same loop reading one index line per lookup and
//   doing nothing else (the floor for one line).
// - BM_SnapshotLoad: a snapshot built from a store of 100k and 1M bindings
//   (the store is bulk-loaded once per run, through one WriteBatch, into a
//   temporary folder); BM_SnapshotBuild: the same from a vector.
//   Counters: bytes_per_binding (Snapshot::MemoryUsage) and
//   heap_per_binding (what malloc holds for the snapshot, by mallinfo2).
//
// Run: build/bench/resolve_bench (a minute or two; add
// --benchmark_filter=... to run a part).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "resolve/snapshot_rep.h"
#include "sslbind/resolver.h"
#include "sslbind/snapshot.h"
#include "sslbind/store.h"

namespace sslbind {
namespace {

constexpr uint16_t kPort = 443;
// Lookups cycle through this many prepared queries (more than any cache).
constexpr size_t kQueries = size_t{1} << 20;

// The kinds of lookup in the mix, in BM_ResolveByKind's order.
enum QueryKind : int { kExactName, kUnderWildcard, kOwnAddress, kUnknownName };

struct Query {
  IpAddress local;
  std::string sni;
  QueryKind kind = kExactName;
};

// A binding set shaped like a large shared host: mostly exact names, some
// wildcards (one per hundred names), a few addresses with their own
// certificate (one per thousand), defaults for both address families.
struct Dataset {
  std::vector<Binding> bindings;
  std::vector<Query> queries;
  std::vector<std::string> names;  // the names of the hostnameport bindings
  std::shared_ptr<const Snapshot> snapshot;
  std::unordered_map<std::string, int> map;  // names -> index, the floor
};

Guid MakeGuid(uint8_t seed) {
  Guid g;
  for (size_t i = 0; i < g.bytes.size(); ++i) {
    g.bytes[i] = static_cast<uint8_t>(seed * 31 + i);
  }
  return g;
}

Binding MakeBinding(BindingKey key, uint32_t i) {
  Binding b(std::move(key));
  b.cert_hash.resize(20);
  for (size_t j = 0; j < 20; ++j) {
    b.cert_hash[j] = static_cast<uint8_t>((i * 2654435761u) >> (j % 4 * 8));
  }
  b.app_id = MakeGuid(static_cast<uint8_t>(i % 3));  // three applications
  if (b.key.kind() == BindingKind::kHostnamePort) {
    b.cert_store_name = i % 4 == 0 ? "WebHosting" : "MY";
  }
  return b;
}

IpAddress V4(uint32_t n) {
  IpAddress a = IpAddress::AnyV4();
  a.bytes = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
             static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  return a;
}

IpAddress V6(uint32_t n) {
  IpAddress a = IpAddress::AnyV6();
  a.bytes[0] = 0x20;
  a.bytes[1] = 0x01;
  a.bytes[2] = 0x0d;
  a.bytes[3] = 0xb8;
  for (int i = 0; i < 4; ++i)
    a.bytes[12 + i] = static_cast<uint8_t>(n >> (24 - 8 * i));
  return a;
}

std::string SiteName(uint32_t i) {
  return "www" + std::to_string(i) + ".example" + std::to_string(i % 64) +
         ".com";
}

std::string TenantParent(uint32_t i) {
  return "tenant" + std::to_string(i) + ".example.net";
}

std::unique_ptr<Dataset> MakeDataset(size_t n) {
  auto d = std::make_unique<Dataset>();
  const auto wildcards = static_cast<uint32_t>(std::max<size_t>(1, n / 100));
  const auto addresses = static_cast<uint32_t>(std::max<size_t>(1, n / 1000));
  const auto sites = static_cast<uint32_t>(n - wildcards - addresses - 2);
  d->bindings.reserve(n);
  uint32_t i = 0;
  d->bindings.push_back(
      MakeBinding(BindingKey::IpPort(IpAddress::AnyV4(), kPort), i++));
  d->bindings.push_back(
      MakeBinding(BindingKey::IpPort(IpAddress::AnyV6(), kPort), i++));
  for (uint32_t a = 0; a < addresses; ++a) {
    d->bindings.push_back(
        MakeBinding(BindingKey::IpPort(V4(0x0a000000 + a), kPort), i++));
  }
  for (uint32_t w = 0; w < wildcards; ++w) {
    d->bindings.push_back(MakeBinding(
        BindingKey::HostnamePort("*." + TenantParent(w), kPort), i++));
  }
  for (uint32_t s = 0; s < sites; ++s) {
    d->bindings.push_back(
        MakeBinding(BindingKey::HostnamePort(SiteName(s), kPort), i++));
  }
  for (const Binding& b : d->bindings) {
    if (b.key.kind() == BindingKind::kHostnamePort) {
      d->names.push_back(b.key.hostname());
    }
  }
  for (size_t k = 0; k < d->names.size(); ++k) {
    d->map.emplace(d->names[k], static_cast<int>(k));
  }

  // 85% exact names, 7% names under a wildcard, 4% connections to an
  // address with its own binding, 4% unknown names (the default serves);
  // one connection in five over IPv6.
  std::mt19937 rng(42);
  d->queries.reserve(kQueries);
  for (size_t q = 0; q < kQueries; ++q) {
    const uint32_t r = rng() % 100;
    const uint32_t x = rng();
    Query query{rng() % 5 == 0 ? V6(x) : V4(0x0b000000 + x % 0xffffff), ""};
    if (r < 85) {
      query.sni = SiteName(x % sites);
    } else if (r < 92) {
      query.sni =
          "shop" + std::to_string(x % 1000) + "." + TenantParent(x % wildcards);
      query.kind = kUnderWildcard;
    } else if (r < 96) {
      query.local = V4(0x0a000000 + x % addresses);
      query.sni = SiteName(x % sites);
      query.kind = kOwnAddress;
    } else {
      query.sni = "unknown" + std::to_string(x) + ".example.org";
      query.kind = kUnknownName;
    }
    d->queries.push_back(std::move(query));
  }
  d->snapshot = Snapshot::Build(d->bindings).value();
  return d;
}

const Dataset& GetDataset(size_t n) {
  static std::mutex mu;
  static std::map<size_t, std::unique_ptr<Dataset>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<Dataset>& d = cache[n];
  if (!d) d = MakeDataset(n);
  return *d;
}

// A temporary folder for the stores, removed at exit.
class TempFolder {
 public:
  TempFolder() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sslbind-bench-XXXXXX")
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

// The store holding the dataset of n bindings, written once, then opened
// read-only; one handle per thread index.
const Store& GetStore(size_t n) {
  static TempFolder folder;
  static std::mutex mu;
  static std::map<size_t, std::unique_ptr<Store>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<Store>& store = cache[n];
  if (store) return *store;
  const std::string path = folder.File("bindings-" + std::to_string(n) + ".db");
  {
    Store writer =
        Store::Open(path, {.writable = true, .create_if_missing = true})
            .value();
    WriteBatch batch;
    for (const Binding& b : GetDataset(n).bindings) batch.Put(b);
    Status s = writer.Write(batch);
    if (!s.ok()) {
      std::fprintf(stderr, "cannot load the store: %s\n", s.ToString().c_str());
      std::abort();
    }
  }
  store = std::make_unique<Store>(Store::Open(path).value());
  // The first read after a bulk write indexes the write-ahead log; pay for
  // it here, not in a measurement.
  (void)store->ChangeCounter();
  return *store;
}

// Spec §6 asked of the store, one Store::Get per step.
std::optional<Binding> NaiveResolve(const Store& store, const IpAddress& local,
                                    uint16_t port, std::string_view sni) {
  auto get = [&](const BindingKey& key) -> std::optional<Binding> {
    Result<Binding> b = store.Get(key);
    if (b.ok()) return std::move(*b);
    return std::nullopt;
  };
  if (!local.IsWildcard()) {
    if (auto b = get(BindingKey::IpPort(local, port))) return b;
  }
  if (!sni.empty()) {
    Result<std::string> name = CanonicalHostname(sni, false);
    if (name.ok()) {
      if (auto b = get(BindingKey::HostnamePort(*name, port))) return b;
      size_t dot = name->find('.');
      if (dot != std::string::npos) {
        if (auto b =
                get(BindingKey::HostnamePort("*" + name->substr(dot), port))) {
          return b;
        }
      }
      if (auto b = get(BindingKey::ScopedCcs(*name, port))) return b;
      if (auto b = get(BindingKey::Ccs(port))) return b;
    }
  }
  if (local.is_v6()) {
    if (auto b = get(BindingKey::IpPort(IpAddress::AnyV6(), port))) return b;
  }
  return get(BindingKey::IpPort(IpAddress::AnyV4(), port));
}

size_t QueryStart(const benchmark::State& state) {
  return static_cast<size_t>(state.thread_index()) * (kQueries / 2) % kQueries;
}

void BM_Resolve(benchmark::State& state) {
  const Dataset& d = GetDataset(static_cast<size_t>(state.range(0)));
  const Snapshot& s = *d.snapshot;
  size_t q = QueryStart(state);
  for (auto _ : state) {
    const Query& query = d.queries[q];
    Resolution r = s.Resolve(query.local, kPort, query.sni);
    benchmark::DoNotOptimize(r);
    q = (q + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

// BM_Resolve's lookups of one kind only (the argument, a QueryKind), in
// the same order, copied together (as BM_Resolve's lie: reading a query
// costs what it costs there): where the mix's time goes.
void BM_ResolveByKind(benchmark::State& state) {
  const Dataset& d = GetDataset(1'000'000);
  const Snapshot& s = *d.snapshot;
  std::vector<Query> queries;
  for (const Query& query : d.queries) {
    if (query.kind == state.range(0)) queries.push_back(query);
  }
  size_t q = 0;
  for (auto _ : state) {
    Resolution r = s.Resolve(queries[q].local, kPort, queries[q].sni);
    benchmark::DoNotOptimize(r);
    if (++q == queries.size()) q = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Where a lookup's time goes, without hardware counters (this machine's VM
// exposes none to perf): the 64-byte lines of the cells an exact-name hit
// reads, following the lookup's own probe (SnapshotRep::ProbeCells). The
// control bytes it reads first are 1.7 MB at 1M names and stay in the
// cache; the cells are 107 MB, and each one read is a miss. The old layouts
// read two (a table slot, then the record), then 1.75 (cells without
// control bytes: linear probing compared every cell from the home one on).
// Counters: cell_lines_per_exact_hit (mean), one_line_hits (the share read
// in one line), groups_per_exact_hit (8-byte control groups read).
void BM_IndexLinesPerLookup(benchmark::State& state) {
  const Dataset& d = GetDataset(static_cast<size_t>(state.range(0)));
  const internal::SnapshotRep& rep =
      internal::SnapshotBuilder::RepOf(*d.snapshot);
  size_t hits = 0, lines = 0, one_line = 0, groups = 0;
  for (auto _ : state) {
    hits = lines = one_line = groups = 0;
    for (const std::string& name : d.names) {
      if (name.starts_with("*.")) continue;
      const uint64_t hash = internal::HashKey(name.data(), name.size(), kPort);
      size_t n = 0;
      bool found = false;
      for (size_t first = internal::HomeCell(hash, rep.cells); !found;
           first = (first + internal::kGroupWidth) % rep.cells) {
        ++groups;
        const internal::ControlGroup group(rep.control, first);
        for (uint64_t m = group.Matches(internal::ControlByte(hash));
             m != 0 && !found; m &= m - 1) {
          const size_t cell =
              (first + internal::ControlGroup::Lowest(m)) % rep.cells;
          ++n;
          const uint32_t record = rep.CellRecord(cell, hash);
          if (record == internal::KeyTable::kNone) continue;
          if (record >= rep.RecordsStart()) ++n;  // the record after the cells
          found = rep.Matches(record, name, kPort);
        }
      }
      ++hits;
      lines += n;
      one_line += n == 1 ? 1 : 0;
    }
  }
  state.counters["cell_lines_per_exact_hit"] =
      static_cast<double>(lines) / static_cast<double>(hits);
  state.counters["one_line_hits"] =
      static_cast<double>(one_line) / static_cast<double>(hits);
  state.counters["groups_per_exact_hit"] =
      static_cast<double>(groups) / static_cast<double>(hits);
}

// What a cache simulator counts per lookup (bench/cache_misses.sh runs
// this under callgrind, which counts only inside the functions named
// *Counted<1>*): kCountedLookups lookups of the 1M mix (argument 0) or of
// its exact names alone (1), by Snapshot::Resolve and by the bare map, and
// the loop around them alone (reading each query's address and name), to
// be taken off both. Each is run first on as many other lookups uncounted
// (<0>), so that the caches are in their steady state (not on the same
// ones: their lines would still be cached). noipa keeps each function
// whole and apart (no inlining into the caller, no identical-code
// folding). Natively it is a few milliseconds and measures nothing.
constexpr size_t kCountedLookups = size_t{1} << 18;

// The lookups [kCounted * kCountedLookups, (kCounted + 1) * kCountedLookups).
template <int kCounted>
constexpr size_t kFirstCounted = kCounted* kCountedLookups;
template <int kCounted>
constexpr size_t kEndCounted = (kCounted + 1) * kCountedLookups;

template <int kCounted>
[[gnu::noipa]] size_t LoopCounted(const std::vector<Query>& queries) {
  size_t sum = 0;
  for (size_t q = kFirstCounted<kCounted>; q < kEndCounted<kCounted>; ++q) {
    sum += queries[q].local.bytes[3];
    for (char c : queries[q].sni) sum += static_cast<unsigned char>(c);
  }
  return sum;
}

template <int kCounted>
[[gnu::noipa]] size_t ResolveCounted(const Snapshot& s,
                                     const std::vector<Query>& queries) {
  size_t found = 0;
  for (size_t q = kFirstCounted<kCounted>; q < kEndCounted<kCounted>; ++q) {
    Resolution r = s.Resolve(queries[q].local, kPort, queries[q].sni);
    found += r.found() ? 1 : 0;
  }
  return found;
}

template <int kCounted>
[[gnu::noipa]] size_t MapCounted(
    const std::unordered_map<std::string, int>& map,
    const std::vector<Query>& queries) {
  size_t found = 0;
  for (size_t q = kFirstCounted<kCounted>; q < kEndCounted<kCounted>; ++q) {
    found += map.find(queries[q].sni) != map.end() ? 1 : 0;
  }
  return found;
}

void BM_CacheSimulation(benchmark::State& state) {
  const Dataset& d = GetDataset(1'000'000);
  std::vector<Query> exact;
  if (state.range(0) == 1) {
    for (size_t q = 0; exact.size() < 2 * kCountedLookups; ++q) {
      if (d.queries[q % kQueries].kind == kExactName)
        exact.push_back(d.queries[q % kQueries]);
    }
  }
  const std::vector<Query>& queries = state.range(0) == 1 ? exact : d.queries;
  for (auto _ : state) {
    benchmark::DoNotOptimize(LoopCounted<0>(queries));
    benchmark::DoNotOptimize(LoopCounted<1>(queries));
    benchmark::DoNotOptimize(ResolveCounted<0>(*d.snapshot, queries));
    benchmark::DoNotOptimize(ResolveCounted<1>(*d.snapshot, queries));
    benchmark::DoNotOptimize(MapCounted<0>(d.map, queries));
    benchmark::DoNotOptimize(MapCounted<1>(d.map, queries));
  }
  state.counters["lookups_counted_each"] = static_cast<double>(kCountedLookups);
}

// The floor of a lookup that reads one line of the index: the query's name
// hashed, its home cell's first word read, nothing checked -- the same
// loop as BM_Resolve around the least a lookup can do. Consecutive
// lookups overlap their cache misses here; Resolve's own work between two
// misses decides how much of that overlap it keeps.
void BM_OneLineFloor(benchmark::State& state) {
  const Dataset& d = GetDataset(static_cast<size_t>(state.range(0)));
  const internal::SnapshotRep& rep =
      internal::SnapshotBuilder::RepOf(*d.snapshot);
  size_t q = QueryStart(state);
  uint64_t sum = 0;
  for (auto _ : state) {
    const uint64_t hash = internal::HashFoldedName(d.queries[q].sni, kPort);
    uint64_t word;
    std::memcpy(
        &word,
        rep.arena + internal::HomeCell(hash, rep.cells) * internal::kCellSize,
        sizeof word);
    sum += word;  // (the word itself could be passed as its memory)
    benchmark::DoNotOptimize(sum);
    q = (q + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ResolveReader(benchmark::State& state) {
  const Dataset& d = GetDataset(static_cast<size_t>(state.range(0)));
  static Resolver resolver;
  if (state.thread_index() == 0) resolver.Publish(d.snapshot);
  ResolverReader reader(resolver);
  size_t q = QueryStart(state);
  for (auto _ : state) {
    const Query& query = d.queries[q];
    Resolution r = reader.Resolve(query.local, kPort, query.sni);
    benchmark::DoNotOptimize(r);
    q = (q + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_MapBaseline(benchmark::State& state) {
  const Dataset& d = GetDataset(static_cast<size_t>(state.range(0)));
  size_t q = QueryStart(state);
  for (auto _ : state) {
    auto it = d.map.find(d.queries[q].sni);
    benchmark::DoNotOptimize(it);
    q = (q + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SqliteBaseline(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Dataset& d = GetDataset(n);
  const Store& store = GetStore(n);
  // The two resolvers agree (a check of both, not a measurement).
  for (size_t q = 0; q < 2000; ++q) {
    const Query& query = d.queries[q];
    Resolution r = d.snapshot->Resolve(query.local, kPort, query.sni);
    std::optional<Binding> naive =
        NaiveResolve(store, query.local, kPort, query.sni);
    if (r.found() != naive.has_value() ||
        (naive && !(r.binding().key() == naive->key))) {
      state.SkipWithError("the snapshot and the store disagree");
      return;
    }
  }
  size_t q = 0;
  for (auto _ : state) {
    const Query& query = d.queries[q];
    benchmark::DoNotOptimize(
        NaiveResolve(store, query.local, kPort, query.sni));
    q = (q + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

// Bytes malloc has handed out and not taken back: small blocks in the
// arenas, and large blocks mapped on their own.
size_t HeapInUse() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

void ReportMemory(benchmark::State& state, const Snapshot& s, size_t heap) {
  state.counters["bytes_per_binding"] =
      static_cast<double>(s.MemoryUsage()) / static_cast<double>(s.size());
  state.counters["heap_per_binding"] =
      static_cast<double>(heap) / static_cast<double>(s.size());
}

void BM_SnapshotLoad(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Store& store = GetStore(n);
  size_t heap = 0;
  std::shared_ptr<const Snapshot> s;
  for (auto _ : state) {
    s.reset();
    const size_t before = HeapInUse();
    s = Snapshot::Load(store).value();
    heap = HeapInUse() - before;
  }
  ReportMemory(state, *s, heap);
}

void BM_SnapshotBuild(benchmark::State& state) {
  const Dataset& d = GetDataset(static_cast<size_t>(state.range(0)));
  size_t heap = 0;
  std::shared_ptr<const Snapshot> s;
  for (auto _ : state) {
    s.reset();
    const size_t before = HeapInUse();
    s = Snapshot::Build(d.bindings).value();
    heap = HeapInUse() - before;
  }
  ReportMemory(state, *s, heap);
}

constexpr int64_t kSizes[] = {1'000, 100'000, 1'000'000};

// The fastest of the repetitions (--benchmark_repetitions=N): on a shared
// machine the one least disturbed by the others.
double Min(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : kSizes) b->Arg(n);
}

BENCHMARK(BM_Resolve)
    ->Apply(Sizes)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->ComputeStatistics("min", Min);
BENCHMARK(BM_ResolveByKind)
    ->DenseRange(kExactName, kUnknownName)
    ->UseRealTime();
BENCHMARK(BM_IndexLinesPerLookup)->Arg(1'000'000)->Iterations(1);
BENCHMARK(BM_CacheSimulation)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OneLineFloor)->Arg(1'000'000)->Threads(1)->UseRealTime();
BENCHMARK(BM_ResolveReader)
    ->Arg(1'000'000)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
BENCHMARK(BM_MapBaseline)
    ->Apply(Sizes)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->ComputeStatistics("min", Min);
BENCHMARK(BM_SqliteBaseline)->Apply(Sizes)->MinTime(1.0);
BENCHMARK(BM_SnapshotBuild)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SnapshotLoad)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sslbind

BENCHMARK_MAIN();
