// sslbind_make_bindings N [json|netsh] [redeploy]: writes a document of N
// distinct, valid bindings to standard output, for the import and apply
// benchmarks (bench/import_bench.sh). A mix of every kind, as a large farm
// has them: 60% SNI, 30% IP (IPv4 and IPv6), 10% scoped CCS, and one CCS
// binding. With `redeploy`, the same set as a later deployment would have
// it: every 100th binding with a renewed certificate, every 100th (offset
// by 50) gone. Deterministic: the same arguments give the same bytes.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "sslbind/sslbind.h"

namespace {

sslbind::Binding MustMake(sslbind::BindingKind kind, const std::string& key,
                          const sslbind::BindingPatch& patch) {
  sslbind::Result<sslbind::BindingKey> k =
      sslbind::BindingKey::Parse(kind, key);
  if (!k.ok()) {
    std::cerr << k.status().ToString() << '\n';
    std::exit(1);
  }
  sslbind::Result<sslbind::Binding> b = sslbind::MakeBinding(*k, patch);
  if (!b.ok()) {
    std::cerr << b.status().ToString() << '\n';
    std::exit(1);
  }
  return *b;
}

// A 20-byte hash that differs per binding.
std::string Hash(size_t i) {
  char buf[41];
  std::snprintf(buf, sizeof buf, "%08zx%032zx", i * 2654435761u % 0xffffffffu,
                i);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: sslbind_make_bindings N [json|netsh] [redeploy]\n";
    return 2;
  }
  const size_t n = std::strtoul(argv[1], nullptr, 10);
  const std::string format = argc > 2 ? argv[2] : "json";
  const bool redeploy = argc > 3 && std::string(argv[3]) == "redeploy";
  const std::string app_id = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

  std::vector<sslbind::Binding> bindings;
  bindings.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (redeploy && i % 100 == 50) continue;
    // A renewed certificate has another hash.
    const size_t hash_seed = redeploy && i % 100 == 1 ? i + n : i;
    sslbind::BindingPatch patch;
    (void)patch.SetText(sslbind::Param::kAppId, app_id);
    std::string port = std::to_string(443 + i / 60000);
    size_t slot = i % 10;
    if (i == 0) {
      bindings.push_back(MustMake(sslbind::BindingKind::kCcs, "443", patch));
    } else if (slot < 6) {
      (void)patch.SetText(sslbind::Param::kCertHash, Hash(hash_seed));
      (void)patch.SetText(sslbind::Param::kCertStoreName, "WebHosting");
      if (i % 7 == 0)
        (void)patch.SetText(sslbind::Param::kDisableHttp2, "enable");
      bindings.push_back(
          MustMake(sslbind::BindingKind::kHostnamePort,
                   "site" + std::to_string(i) + ".example.com:" + port, patch));
    } else if (slot < 9) {
      (void)patch.SetText(sslbind::Param::kCertHash, Hash(hash_seed));
      if (i % 5 == 0) {
        (void)patch.SetText(sslbind::Param::kClientCertNegotiation, "enable");
      }
      char ip[64];
      if (slot == 8) {
        std::snprintf(ip, sizeof ip, "[2001:db8::%zx:%zx]", i >> 16,
                      i & 0xffff);
      } else {
        std::snprintf(ip, sizeof ip, "10.%zu.%zu.%zu", i >> 16 & 255,
                      i >> 8 & 255, i & 255);
      }
      bindings.push_back(MustMake(sslbind::BindingKind::kIpPort,
                                  std::string(ip) + ":" + port, patch));
    } else {
      bindings.push_back(
          MustMake(sslbind::BindingKind::kScopedCcs,
                   "api" + std::to_string(i) + ".example.com:" + port, patch));
    }
  }
  std::string out = format == "netsh" ? sslbind::FormatNetshText(bindings)
                                      : sslbind::FormatJsonDocument(bindings);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
