// Fuzz target for the IIS configuration readers (sslbind/iis.h): any bytes
// given to ParseIisConfig -- as applicationHost.config or MetaBase.xml --
// either parse or are refused with InvalidArgument; what parses goes through
// the checks and the sync plan against a small store.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "sslbind/iis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sslbind::Result<sslbind::IisConfig> config = sslbind::ParseIisConfig(text);
  if (!config.ok()) {
    if (!config.status().IsInvalidArgument()) std::abort();
    return 0;
  }
  std::vector<sslbind::Binding> store;
  store.emplace_back(sslbind::BindingKey::Ccs(443));
  store.emplace_back(
      sslbind::BindingKey::IpPort(sslbind::IpAddress::AnyV4(), 443));
  store.back().cert_hash.assign(20, 0xab);
  sslbind::CcsConfig ccs;
  for (const sslbind::IisBinding& b : config->bindings) {
    sslbind::IisNeed need = sslbind::NeededBinding(b);
    if ((need.flags & ~sslbind::kIisManagedFlags) != 0) std::abort();
    (void)sslbind::IisBindingName(b);
  }
  (void)sslbind::CheckIisConfig(*config, store, ccs);
  sslbind::IisSyncPlan sync =
      sslbind::PlanIisSync(*config, store, {}, /*now=*/1800000000);
  for (const sslbind::Binding& b : sync.desired) {
    if (!sslbind::ValidateBinding(b).ok()) std::abort();
  }
  return 0;
}
