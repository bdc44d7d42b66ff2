// Full TLS 1.3 handshakes (no resumption) in one process over memory BIOs,
// one thread (docs/performance.md, "TLS handshakes"):
//
// - BM_Handshake<kFixed>: the server's SSL comes from one SSL_CTX holding
//   the certificate (the baseline: what a server without sslbind does);
// - BM_Handshake<kHook>: the server's SSL comes from a listening SSL_CTX
//   whose ClientHello callback is a HandshakeHook over 1M hostnameport
//   bindings (certificates and contexts cached), each handshake for another
//   of the names;
// - BM_Handshake<kFirstLoad>: as kHook, but the hook's caches are dropped
//   before each handshake: the first handshake for a certificate not loaded
//   yet (reading the store, parsing the key, building the SSL_CTX).
// Arg 0: ECDSA P-256 certificate, 1: RSA 2048.
// - BM_HookParts: the resolution and the loader's cached lookup alone, in a
//   loop; BM_SslCtxNew: what building one context costs OpenSSL.
// Counters: server_us, the CPU time of the server's SSL_do_handshake calls
// per handshake (CLOCK_THREAD_CPUTIME_ID); hook_us, the median wall time of
// one HandshakeHook::OnClientHello call (inside server_us; a median, so that
// the rare preemption of a shared machine does not count).
//
// The 1M bindings are a Snapshot built in memory and published to the
// Resolver (a snapshot loaded from a store is the same structure: see
// resolve_bench for the load); the certificates come from a store.
//
//   build/bench/handshake_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one line)
#include <benchmark/benchmark.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cert_test_util.h"
#include "sslbind/openssl.h"
#include "sslbind/sslbind.h"
#include "test_util.h"
#include "tls_test_util.h"

namespace sslbind {
namespace {

using Clock = std::chrono::steady_clock;
using testing::Bytes;
using testing::MakeCert;
using testing::TempDir;
using testing::TestCert;

constexpr size_t kBindings = 1000000;
constexpr size_t kNames = 4096;  // names each benchmark cycles through

enum Server { kFixed, kHook, kFirstLoad };

// The duration of each hook call, in seconds: wall time, and CPU time less
// what reading the CPU clock twice costs (a system call).
std::vector<double> hook_calls;
std::vector<double> hook_cpu;
double cpu_clock_pair = 0;

int TimedHook(SSL* ssl, int* alert, void* arg) {
  const double cpu_start = testing::ThreadCpuSeconds();
  Clock::time_point start = Clock::now();
  int r = static_cast<HandshakeHook*>(arg)->OnClientHello(ssl, alert);
  hook_calls.push_back(
      std::chrono::duration<double>(Clock::now() - start).count());
  hook_cpu.push_back(testing::ThreadCpuSeconds() - cpu_start - cpu_clock_pair);
  return r;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// The median cost of two CPU clock readings, subtracted from hook_cpu.
double CpuClockPair() {
  std::vector<double> pairs;
  for (int i = 0; i < 10001; ++i) {
    const double a = testing::ThreadCpuSeconds();
    pairs.push_back(testing::ThreadCpuSeconds() - a);
  }
  return Median(pairs);
}

// Built once: a store with the two certificates, 1M bindings naming them
// (site<i>.contoso.com: even i ECDSA, odd i RSA), the hook, the contexts.
struct World {
  TempDir dir;
  std::string path = dir.File("bindings.db");
  TestCert certs[2] = {MakeCert({.common_name = "ecdsa"}),
                       MakeCert({.common_name = "rsa", .rsa = true})};
  Resolver resolver;
  std::unique_ptr<CertificateLoader> loader;
  std::unique_ptr<HandshakeHook> hook;
  SSL_CTX* listen_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX* fixed_ctx[2] = {SSL_CTX_new(TLS_server_method()),
                           SSL_CTX_new(TLS_server_method())};
  SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
  std::vector<std::string> names[2];  // per certificate

  World() {
    Result<Store> store =
        Store::Open(path, {.writable = true, .create_if_missing = true});
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    WriteBatch batch;
    for (const TestCert& t : certs) {
      Result<CertificateBundle> b =
          CertificateBundle::Parse(Bytes(t.cert_pem + t.key_pem));
      if (!b.ok()) throw std::runtime_error(b.status().ToString());
      batch.PutCertificate("MY", std::move(*b));
      // The baseline: one context holding the certificate.
      SSL_CTX* ctx = fixed_ctx[&t - certs];
      SSL_CTX_use_certificate(ctx, t.x509.get());
      SSL_CTX_use_PrivateKey(ctx, t.key.get());
    }
    if (Status s = store->Write(batch); !s.ok()) {
      throw std::runtime_error(s.ToString());
    }
    std::vector<Binding> bindings;
    bindings.reserve(kBindings);
    const std::vector<uint8_t> hashes[2] = {certs[0].Sha1(), certs[1].Sha1()};
    for (size_t i = 0; i < kBindings; ++i) {
      Binding b(BindingKey::HostnamePort(
          "site" + std::to_string(i) + ".contoso.com", 443));
      b.cert_hash = hashes[i % 2];
      b.cert_store_name = "MY";
      b.app_id.bytes[0] = 1;
      bindings.push_back(std::move(b));
    }
    Result<std::shared_ptr<const Snapshot>> snapshot =
        Snapshot::Build(bindings);
    if (!snapshot.ok()) throw std::runtime_error(snapshot.status().ToString());
    resolver.Publish(*snapshot);
    std::mt19937 random(42);
    for (size_t k = 0; k < kNames; ++k) {
      size_t i = random() % (kBindings / 2) * 2;
      names[0].push_back("site" + std::to_string(i) + ".contoso.com");
      names[1].push_back("site" + std::to_string(i + 1) + ".contoso.com");
    }
    auto l = CertificateLoader::Open(path);
    if (!l.ok()) throw std::runtime_error(l.status().ToString());
    loader = std::move(*l);
    hook = std::make_unique<HandshakeHook>(resolver, *loader);
    if (!hook->Install(listen_ctx).ok()) throw std::runtime_error("Install");
    SSL_CTX_set_client_hello_cb(listen_ctx, TimedHook, hook.get());
    // TLS 1.3 only, no resumption: every handshake is a full one.
    SSL_CTX_set_min_proto_version(client_ctx, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(client_ctx, SSL_SESS_CACHE_OFF);
  }
};

World& TheWorld() {
  static World* world = new World();  // never freed: lives for the run
  return *world;
}

template <Server kind>
void BM_Handshake(benchmark::State& state) {
  World& w = TheWorld();
  const int cert = static_cast<int>(state.range(0));
  const IpAddress local = *IpAddress::Parse("10.0.0.1");
  double server_seconds = 0;
  hook_calls.clear();
  hook_cpu.clear();
  cpu_clock_pair = CpuClockPair();
  size_t next = 0;
  for (auto _ : state) {
    if (kind == kFirstLoad) {
      state.PauseTiming();
      w.hook->Invalidate();
      state.ResumeTiming();
    }
    SSL* client = SSL_new(w.client_ctx);
    SSL* server = SSL_new(kind == kFixed ? w.fixed_ctx[cert] : w.listen_ctx);
    SSL_set_tlsext_host_name(client, w.names[cert][next++ % kNames].c_str());
    if (kind != kFixed) {
      if (!HandshakeHook::SetLocalEndpoint(server, local, 443).ok()) {
        state.SkipWithError("SetLocalEndpoint");
      }
    }
    if (!testing::RunHandshake(client, server, &server_seconds)) {
      state.SkipWithError("the handshake failed");
      SSL_free(client);
      SSL_free(server);
      break;
    }
    SSL_free(client);
    SSL_free(server);
  }
  ERR_clear_error();
  const double n = static_cast<double>(state.iterations());
  state.counters["server_us"] = server_seconds / n * 1e6;
  if (kind != kFixed) {
    state.counters["hook_us"] = Median(hook_calls) * 1e6;
    state.counters["hook_cpu_us"] = Median(hook_cpu) * 1e6;
  }
  state.SetLabel(cert == 0 ? "ECDSA P-256" : "RSA 2048");
}

// A part of a hook call on its own, in a loop (warm caches): resolving a
// name among the 1M bindings (ResolverReader), then with `load` also
// getting its certificate from the loader's cache (which the hook skips for
// a store certificate it already served).
void BM_HookParts(benchmark::State& state, bool load) {
  World& w = TheWorld();
  ResolverReader reader(w.resolver);
  const IpAddress local = *IpAddress::Parse("10.0.0.1");
  size_t next = 0;
  for (auto _ : state) {
    Resolution r = reader.Resolve(local, 443, w.names[0][next++ % kNames]);
    benchmark::DoNotOptimize(r);
    if (load) {
      auto cert = w.loader->Load(r);
      benchmark::DoNotOptimize(cert);
    }
  }
}
BENCHMARK_CAPTURE(BM_HookParts, resolve, false);
BENCHMARK_CAPTURE(BM_HookParts, resolve_and_load, true);

// What building a context costs OpenSSL 3.0 (part of a first load).
void BM_SslCtxNew(benchmark::State& state) {
  for (auto _ : state) SSL_CTX_free(SSL_CTX_new(TLS_server_method()));
}
BENCHMARK(BM_SslCtxNew)->Unit(benchmark::kMicrosecond);

// Interleaved, so that a change in the machine's load hits both.
BENCHMARK(BM_Handshake<kFixed>)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Handshake<kHook>)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Handshake<kFixed>)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Handshake<kHook>)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Handshake<kFirstLoad>)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sslbind

BENCHMARK_MAIN();
