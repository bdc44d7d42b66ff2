// `sslbind iis check` at scale (docs/performance.md, "IIS configuration"):
// an applicationHost.config of 10,000 sites against a store of 10,000
// bindings, the store a real SQLite file in a temporary folder.
//
// - BM_IisCheck: what the command does after reading the file -- parse it,
//   read every binding and the CCS settings from the store, compute the
//   findings.
// - Its parts, in the same run: BM_IisParse (ParseIisConfig alone),
//   BM_StoreList (Store::List alone, the baseline every store command pays)
//   and BM_IisFindings (CheckIisConfig over values already in memory).
//
// The sites: 70% SNI (sslFlags 1, a few with option bits), 20% CCS with SNI
// (sslFlags 3), 10% IP-based (sslFlags 0, one address each). The store holds
// the bindings of 9,500 of them (some with other option bits), plus 500
// orphans, so that every kind of comparison runs.
//
// Run: build/dev/bench/iis_bench (a few seconds).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sslbind/ccs.h"
#include "sslbind/iis.h"
#include "sslbind/store.h"

namespace sslbind {
namespace {

constexpr int kSites = 10000;

std::string SiteHost(int i) { return "site" + std::to_string(i) + ".example"; }

struct Fixture {
  std::string config;
  std::filesystem::path dir;
  std::string store_path;
  size_t store_bindings = 0;

  Fixture() {
    config =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n"
        "<system.applicationHost>\n<sites>\n";
    WriteBatch batch;
    const Guid app = Guid::Parse(kIisAppId).value();
    for (int i = 0; i < kSites; ++i) {
      std::string info;
      uint32_t flags = 0;
      std::optional<BindingKey> key;
      if (i % 10 == 0) {  // IP-based
        IpAddress address;
        address.bytes = {10, static_cast<uint8_t>(i >> 16),
                         static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
        info = address.ToString() + ":443:";
        key = BindingKey::IpPort(address, 443);
      } else if (i % 10 < 3) {  // CCS with SNI: one ccs binding per port
        const uint16_t port = static_cast<uint16_t>(1000 + i % 50);
        info = "*:" + std::to_string(port) + ":" + SiteHost(i);
        flags = kIisSslSni | kIisSslCcs;
        key = BindingKey::Ccs(port);
      } else {
        info = "*:443:" + SiteHost(i);
        flags = kIisSslSni | (i % 7 == 0 ? kIisSslDisableHttp2 : 0);
        key = BindingKey::HostnamePort(SiteHost(i), 443);
      }
      config += "<site name=\"Site " + std::to_string(i) + "\" id=\"" +
                std::to_string(i + 1) +
                "\">\n<application path=\"/\"><virtualDirectory path=\"/\" "
                "physicalPath=\"C:\\sites\\" +
                std::to_string(i) +
                "\" /></application>\n<bindings>\n"
                "<binding protocol=\"http\" bindingInformation=\"*:80:" +
                SiteHost(i) +
                "\" />\n<binding protocol=\"https\" bindingInformation=\"" +
                info + "\" sslFlags=\"" + std::to_string(flags) +
                "\" />\n</bindings>\n</site>\n";
      if (i % 20 == 19 || (key->kind() == BindingKind::kCcs && i >= 50)) {
        continue;  // missing (and each ccs binding once)
      }
      Binding b(*key);
      b.app_id = app;
      if (key->kind() != BindingKind::kCcs) {
        b.cert_hash.assign(20, static_cast<uint8_t>(i));
        b.cert_store_name = "MY";
      }
      if (i % 11 == 0) b.flags = kFlagDisableQuic;
      batch.Put(std::move(b));
    }
    config += "</sites>\n</system.applicationHost>\n</configuration>\n";
    const int orphans = kSites - static_cast<int>(batch.size());
    for (int i = 0; i < orphans; ++i) {
      Binding orphan(BindingKey::HostnamePort(
          "old" + std::to_string(i) + ".example", 443));
      orphan.app_id = app;
      orphan.cert_hash.assign(20, 1);
      orphan.cert_store_name = "MY";
      batch.Put(std::move(orphan));
    }
    store_bindings = batch.size();
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sslbind-iis-bench-XXXXXX")
            .string();
    dir = mkdtemp(tmpl.data());
    store_path = (dir / "bindings.db").string();
    Result<Store> store = Store::Open(
        store_path, StoreOptions{.writable = true, .create_if_missing = true});
    if (!store.ok() || !store->Write(batch).ok()) std::abort();
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

Fixture& Data() {
  static Fixture fixture;
  return fixture;
}

void BM_IisCheck(benchmark::State& state) {
  Fixture& data = Data();
  size_t findings = 0;
  for (auto _ : state) {
    Result<IisConfig> config = ParseIisConfig(data.config);
    Result<Store> store = Store::Open(data.store_path);
    Result<std::vector<Binding>> bindings = store->List();
    Result<CcsConfig> ccs = ReadCcsConfig(*store);
    findings = CheckIisConfig(*config, *bindings, *ccs).size();
    benchmark::DoNotOptimize(findings);
  }
  state.counters["sites"] = kSites;
  state.counters["store_bindings"] = static_cast<double>(data.store_bindings);
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["config_bytes"] = static_cast<double>(data.config.size());
}
BENCHMARK(BM_IisCheck)->Unit(benchmark::kMillisecond);

void BM_IisParse(benchmark::State& state) {
  Fixture& data = Data();
  for (auto _ : state) {
    Result<IisConfig> config = ParseIisConfig(data.config);
    benchmark::DoNotOptimize(config.ok());
  }
}
BENCHMARK(BM_IisParse)->Unit(benchmark::kMillisecond);

void BM_StoreList(benchmark::State& state) {
  Fixture& data = Data();
  for (auto _ : state) {
    Result<Store> store = Store::Open(data.store_path);
    Result<std::vector<Binding>> bindings = store->List();
    benchmark::DoNotOptimize(bindings->size());
  }
}
BENCHMARK(BM_StoreList)->Unit(benchmark::kMillisecond);

void BM_IisFindings(benchmark::State& state) {
  Fixture& data = Data();
  const IisConfig config = ParseIisConfig(data.config).value();
  Result<Store> store = Store::Open(data.store_path);
  const std::vector<Binding> bindings = store->List().value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(CheckIisConfig(config, bindings, {}).size());
  }
}
BENCHMARK(BM_IisFindings)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sslbind

BENCHMARK_MAIN();
