// What the store should hold to match IIS (PlanIisSync, sslbind/iis.h); the
// change itself is planned by PlanApply and written by Store::Write.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sslbind/certificates.h"
#include "sslbind/iis.h"
#include "sslbind/registry.h"

namespace sslbind {
namespace {

// The certificate for a new binding with host name `host`, or why there is
// none.
Result<const StoredCertificate*> PickCertificate(
    std::span<const StoredCertificate> certificates, std::string_view host,
    int64_t now) {
  if (host.empty()) {
    return Status::NotFound(
        "the binding has no host name to choose a certificate by");
  }
  std::vector<const StoredCertificate*> best;
  for (const StoredCertificate& c : certificates) {
    if (!c.has_private_key() || c.info.not_before > now ||
        c.info.not_after < now || !CertificateCoversName(c.info, host)) {
      continue;
    }
    // The same certificate in two stores counts once (the first store).
    const bool seen = std::any_of(best.begin(), best.end(), [&](auto* b) {
      return b->info.thumbprint == c.info.thumbprint;
    });
    if (seen) continue;
    if (!best.empty() && c.info.not_before > best[0]->info.not_before) {
      best.clear();
    }
    if (best.empty() || c.info.not_before == best[0]->info.not_before) {
      best.push_back(&c);
    }
  }
  if (best.empty()) {
    return Status::NotFound("no valid certificate with a private key covers " +
                            std::string(host));
  }
  if (best.size() > 1) {
    std::string list;
    for (const StoredCertificate* c : best) {
      list += (list.empty() ? "" : ", ") + c->store_name + "\\" +
              HexLower(c->info.thumbprint);
    }
    return Status::NotFound(std::to_string(best.size()) +
                            " certificates equally new cover " +
                            std::string(host) + " (" + list +
                            "): choose one with `sslbind add sslcert`");
  }
  return best[0];
}

}  // namespace

IisSyncPlan PlanIisSync(const IisConfig& config,
                        std::span<const Binding> store_bindings,
                        std::span<const StoredCertificate> certificates,
                        int64_t now) {
  std::map<BindingKey, const Binding*> stored;
  for (const Binding& b : store_bindings) stored.emplace(b.key, &b);
  const Guid iis_app_id = Guid::Parse(kIisAppId).value();

  IisSyncPlan plan;
  // The first IIS binding of each needed key.
  std::map<BindingKey, size_t> first_user;
  for (size_t i = 0; i < config.bindings.size(); ++i) {
    IisNeed need = NeededBinding(config.bindings[i]);
    if (!need.key) {
      plan.skipped.push_back(
          {i, std::nullopt,
           "the SNI flag without a host name names no SNI binding"});
      continue;
    }
    first_user.try_emplace(*need.key, i);
  }

  for (const auto& [key, index] : first_user) {
    const IisBinding& b = config.bindings[index];
    const uint32_t flags = IisFlagsToHttpFlags(b.ssl_flags);
    const bool metabase_certificate = !b.cert_hash.empty();
    auto it = stored.find(key);
    if (it != stored.end()) {
      Binding binding = *it->second;
      binding.flags = (binding.flags & ~kIisManagedFlags) | flags;
      if (metabase_certificate) {
        binding.cert_hash = b.cert_hash;
        // No SSLStoreName means MY, as check compares them.
        if (b.cert_store_name) {
          binding.cert_store_name = b.cert_store_name;
        } else if (!NamesEqual(EffectiveCertStoreName(binding),
                               kDefaultCertStoreName)) {
          binding.cert_store_name.reset();
        }
        if (b.ctl_store_name) binding.ctl_store_name = b.ctl_store_name;
      }
      plan.desired.push_back(std::move(binding));
      continue;
    }
    Binding binding(key);
    binding.app_id = iis_app_id;
    binding.flags = flags;
    if (key.kind() == BindingKind::kCcs) {
      plan.desired.push_back(std::move(binding));
      continue;
    }
    if (metabase_certificate) {
      binding.cert_hash = b.cert_hash;
      binding.cert_store_name = b.cert_store_name;
      binding.ctl_store_name = b.ctl_store_name;
    } else if (config.format == IisFormat::kMetabase) {
      plan.skipped.push_back(
          {index, key, "the site has no SSLCertHash and the store no binding"});
      continue;
    } else {
      Result<const StoredCertificate*> picked =
          PickCertificate(certificates, b.host, now);
      if (!picked.ok()) {
        plan.skipped.push_back({index, key, picked.status().message()});
        continue;
      }
      binding.cert_hash = (*picked)->info.thumbprint;
      binding.cert_store_name = (*picked)->store_name;
    }
    plan.desired.push_back(std::move(binding));
  }
  std::sort(plan.skipped.begin(), plan.skipped.end(),
            [](const IisSkipped& a, const IisSkipped& b) {
              return a.iis_binding < b.iis_binding;
            });
  return plan;
}

}  // namespace sslbind
