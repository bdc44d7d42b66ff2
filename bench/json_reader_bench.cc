// The JSON reader under `import` and `apply` (json_reader.h, over
// simdjson's On-Demand API) against nlohmann::json's SAX parser and
// simdjson's DOM parser, on the same document, with handlers that do
// nothing: the cost of reading JSON alone. docs/performance.md has the
// figures.
//
//   build/bench/json_reader_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "formats/json_reader.h"
#include "sslbind/sslbind.h"

namespace {

// `n` bindings as FormatJsonDocument writes them (about 920 bytes each).
std::string Document(size_t n) {
  std::vector<sslbind::Binding> bindings;
  bindings.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    sslbind::BindingPatch patch;
    (void)patch.SetText(sslbind::Param::kAppId,
                        "{4dc3e181-e14b-4a21-b022-59fc669b0914}");
    (void)patch.SetText(sslbind::Param::kCertHash,
                        "0102030405060708090a0b0c0d0e0f1011121314");
    (void)patch.SetText(sslbind::Param::kCertStoreName, "WebHosting");
    auto key = sslbind::BindingKey::Parse(
        sslbind::BindingKind::kHostnamePort,
        "site" + std::to_string(i) + ".example.com:443");
    bindings.push_back(*sslbind::MakeBinding(*key, patch));
  }
  return sslbind::FormatJsonDocument(bindings);
}

class NoopHandler final : public sslbind::internal::JsonHandler {
 public:
  bool Null() override { return true; }
  bool Bool(bool) override { return true; }
  bool Number(sslbind::internal::JsonNumber, uint64_t) override { return true; }
  bool String(std::string_view v) override {
    benchmark::DoNotOptimize(v.data());
    return true;
  }
  bool StartObject() override { return true; }
  bool Key(std::string_view k) override {
    benchmark::DoNotOptimize(k.data());
    return true;
  }
  bool EndObject() override { return true; }
  bool StartArray() override { return true; }
  bool EndArray() override { return true; }
};

class NoopSax final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t& v) override {
    benchmark::DoNotOptimize(v.data());
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t& k) override {
    benchmark::DoNotOptimize(k.data());
    return true;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }
};

void BM_SslbindJsonReader(benchmark::State& state) {
  const std::string doc = Document(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    NoopHandler handler;
    auto result = sslbind::internal::ReadJson(doc, handler);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * doc.size()));
}

void BM_NlohmannSax(benchmark::State& state) {
  const std::string doc = Document(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    NoopSax sax;
    bool ok = nlohmann::json::sax_parse(doc, &sax);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * doc.size()));
}

// simdjson's DOM parser (a tape of the whole document), without visiting
// the tape: a bound for what any simdjson-based reader can do.
void BM_SimdjsonDomParse(benchmark::State& state) {
  const std::string doc = Document(static_cast<size_t>(state.range(0)));
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::padded_string padded(doc);
    simdjson::dom::element root;
    auto error = parser.parse(padded).get(root);
    benchmark::DoNotOptimize(error);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * doc.size()));
}

// The whole read of exchange.h: JSON to validated bindings.
void BM_ParseBindings(benchmark::State& state) {
  const std::string doc = Document(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    auto parsed = sslbind::ParseBindings(doc, "bench.json");
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * doc.size()));
}

BENCHMARK(BM_SslbindJsonReader)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NlohmannSax)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimdjsonDomParse)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseBindings)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
