// list_bindings STORE: adds a default SSL site for port 443 if the store has
// none, then prints every binding as "key certhash". Uses only the public
// headers, as any program linking sslbind::bindings would.
#include <cstdio>

#include "sslbind/sslbind.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s STORE\n", argv[0]);
    return 2;
  }
  sslbind::Result<sslbind::Store> store = sslbind::Store::Open(
      argv[1], {.writable = true, .create_if_missing = true});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }

  sslbind::Result<sslbind::BindingKey> key =
      sslbind::BindingKey::ParseParam("ipport", "0.0.0.0:443");
  sslbind::BindingPatch patch;
  sslbind::Status s = patch.SetText(sslbind::Param::kCertHash,
                                    "0102030405060708090a0b0c0d0e0f1011121314");
  if (s.ok())
    s = patch.SetText(sslbind::Param::kAppId,
                      "{00112233-4455-6677-8899-aabbccddeeff}");
  sslbind::Result<sslbind::Binding> binding = sslbind::MakeBinding(*key, patch);
  if (!s.ok() || !binding.ok()) return 1;

  sslbind::WriteBatch batch;
  batch.Put(*binding);  // adds, or replaces: running twice is harmless
  s = store->Write(batch);
  if (!s.ok()) {
    std::fprintf(stderr, "write failed (Win32 %u): %s\n", s.win32(),
                 s.message().c_str());
    return 1;
  }

  sslbind::Result<std::vector<sslbind::Binding>> all = store->List();
  if (!all.ok()) return 1;
  for (const sslbind::Binding& b : *all) {
    std::printf("%s %s\n", b.key.ToParam().c_str(),
                sslbind::HexLower(b.cert_hash).c_str());
  }
  std::printf("sslbind %s\n", sslbind::Version());
  return 0;
}
