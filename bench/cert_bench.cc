// Certificates: what a server pays to get a binding's certificate from a
// CertificateLoader (cached and first use, certificate store and CCS), what
// opening a loader over a large store costs (nothing is loaded at start),
// and what the 1312 check adds to a batch of adds.
//
//   build/bench/cert_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>

#include "cert_test_util.h"
#include "sslbind/openssl.h"
#include "sslbind/sslbind.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::Bytes;
using testing::MakeCert;
using testing::TempDir;
using testing::TestCert;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

Store MustOpen(const std::string& path) {
  Result<Store> s = Store::Open(path, kWrite);
  if (!s.ok()) throw std::runtime_error(s.status().ToString());
  return std::move(*s);
}

void MustWrite(Store& store, const WriteBatch& batch,
               const WriteOptions& options = {}) {
  Status s = store.Write(batch, options);
  if (!s.ok()) throw std::runtime_error(s.ToString());
}

// A store with one certificate and key in MY, and a CCS folder holding the
// same certificate as www.contoso.com.pfx (password "pw").
struct Setup {
  TempDir dir;
  std::string path = dir.File("bindings.db");
  TestCert cert = MakeCert();
  Setup() {
    Store store = MustOpen(path);
    WriteBatch batch;
    batch.PutCertificate(
        "MY",
        CertificateBundle::Parse(Bytes(cert.cert_pem + cert.key_pem)).value());
    std::filesystem::create_directory(dir.path() / "ccs");
    testing::WriteFile(dir.File("ccs/www.contoso.com.pfx"), cert.Pfx("pw"));
    batch.EnableCcs(dir.File("ccs"), std::string("pw"));
    MustWrite(store, batch);
  }
  std::unique_ptr<CertificateLoader> Loader() const {
    return std::move(CertificateLoader::Open(path).value());
  }
};

void BM_LoadFromStoreCached(benchmark::State& state) {
  static Setup* setup = new Setup;
  static std::unique_ptr<CertificateLoader> loader = setup->Loader();
  const std::vector<uint8_t> thumbprint = setup->cert.Sha1();
  for (auto _ : state) {
    auto cert = loader->LoadFromStore("MY", thumbprint);
    benchmark::DoNotOptimize(cert);
  }
}
BENCHMARK(BM_LoadFromStoreCached)->Threads(1)->Threads(2);

void BM_LoadFromStoreFirstUse(benchmark::State& state) {
  Setup setup;
  auto loader = setup.Loader();
  const std::vector<uint8_t> thumbprint = setup.cert.Sha1();
  for (auto _ : state) {
    loader->Invalidate();
    auto cert = loader->LoadFromStore("MY", thumbprint);
    if (!cert.ok()) state.SkipWithError("load failed");
  }
}
BENCHMARK(BM_LoadFromStoreFirstUse);

void BM_LoadFromCcsCached(benchmark::State& state) {
  Setup setup;
  auto loader = setup.Loader();
  for (auto _ : state) {
    auto cert = loader->LoadFromCcs("www.contoso.com");
    benchmark::DoNotOptimize(cert);
  }
}
BENCHMARK(BM_LoadFromCcsCached);

void BM_LoadFromCcsFirstUse(benchmark::State& state) {
  Setup setup;
  auto loader = setup.Loader();
  for (auto _ : state) {
    loader->Invalidate();
    auto cert = loader->LoadFromCcs("www.contoso.com");
    if (!cert.ok()) state.SkipWithError("load failed");
  }
}
BENCHMARK(BM_LoadFromCcsFirstUse);

// A store of N bindings sharing 100 certificates, written once per N.
const std::string& LargeStore(int64_t n) {
  static TempDir* dir = new TempDir;
  static std::map<int64_t, std::string> made;
  auto it = made.find(n);
  if (it != made.end()) return it->second;
  const std::string path = dir->File("large-" + std::to_string(n) + ".db");
  Store store = MustOpen(path);
  std::vector<TestCert> certs;
  WriteBatch batch;
  for (int i = 0; i < 100; ++i) {
    certs.push_back(MakeCert());
    batch.PutCertificate(
        "MY", CertificateBundle::Parse(
                  Bytes(certs.back().cert_pem + certs.back().key_pem))
                  .value());
  }
  for (int64_t i = 0; i < n; ++i) {
    Binding b(BindingKey::IpPort(
        IpAddress::Parse("10." + std::to_string(i >> 16) + "." +
                         std::to_string((i >> 8) & 255) + "." +
                         std::to_string(i & 255))
            .value(),
        443));
    b.cert_hash = certs[static_cast<size_t>(i) % certs.size()].Sha1();
    b.app_id.bytes[0] = 1;
    batch.Add(b);
  }
  MustWrite(store, batch);
  return made.emplace(n, path).first->second;
}

// Opening a loader over a large store reads no certificate: it costs what
// opening the store read-only costs (the baseline below).
void BM_OpenLoaderOverLargeStore(benchmark::State& state) {
  const std::string& path = LargeStore(state.range(0));
  for (auto _ : state) {
    auto loader = CertificateLoader::Open(path);
    if (!loader.ok() || (*loader)->cached_count() != 0) {
      state.SkipWithError("open failed");
    }
  }
}
BENCHMARK(BM_OpenLoaderOverLargeStore)
    ->Arg(100000)
    ->Unit(benchmark::kMicrosecond);

void BM_OpenStoreOverLargeStore(benchmark::State& state) {
  const std::string& path = LargeStore(state.range(0));
  for (auto _ : state) {
    auto store = Store::Open(path);
    if (!store.ok()) state.SkipWithError("open failed");
  }
}
BENCHMARK(BM_OpenStoreOverLargeStore)
    ->Arg(100000)
    ->Unit(benchmark::kMicrosecond);

// A batch of N adds naming one certificate, with and without the 1312
// check (the check reads the certificate and its key once per batch).
void BM_AddBatch(benchmark::State& state) {
  const bool verify = state.range(1) != 0;
  Setup setup;
  Store store = MustOpen(setup.path);
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    WriteBatch batch;
    for (int64_t i = 0; i < state.range(0); ++i) {
      Binding b(BindingKey::IpPort(
          IpAddress::Parse("10." + std::to_string(round & 255) + "." +
                           std::to_string(i >> 8) + "." +
                           std::to_string(i & 255))
              .value(),
          443));
      b.cert_hash = setup.cert.Sha1();
      b.app_id.bytes[0] = 1;
      batch.Put(b);
    }
    ++round;
    state.ResumeTiming();
    MustWrite(store, batch, {.verify_certificates = verify});
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AddBatch)
    ->Args({1000, 0})
    ->Args({1000, 1})
    ->ArgNames({"adds", "verify"})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sslbind

BENCHMARK_MAIN();
