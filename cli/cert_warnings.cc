#include "cert_warnings.h"

#include <ctime>
#include <ostream>
#include <vector>

#include "sslbind/certificates.h"

namespace sslbind::cli {

std::vector<std::string> CertificateWarnings(const Store& store,
                                             std::span<const BindingKey> keys) {
  std::vector<std::string> out;
  std::vector<Binding> bindings;
  for (const BindingKey& key : keys) {
    if (key.kind() != BindingKind::kIpPort &&
        key.kind() != BindingKind::kHostnamePort) {
      continue;  // no certificate of their own
    }
    Result<Binding> binding = store.Get(key);
    if (!binding.ok()) {
      out.push_back(
          "cannot read " + key.ToParam() +
          " back to check its certificate: " + binding.status().message());
      continue;
    }
    bindings.push_back(std::move(*binding));
  }
  if (bindings.empty()) return out;
  CertificateCheckOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  Result<std::vector<CertificateFinding>> findings =
      CheckCertificates(store, bindings, options);
  if (!findings.ok()) {
    out.push_back("cannot check the certificates of the " +
                  (bindings.size() == 1 ? bindings[0].key.ToParam()
                                        : std::string("changed bindings")) +
                  ": " + findings.status().message());
    return out;
  }
  for (const CertificateFinding& f : *findings) {
    if (f.problem == CertificateProblem::kMissing ||
        f.problem == CertificateProblem::kNoPrivateKey) {
      continue;
    }
    out.push_back(f.binding.ToParam() + ": " + f.message);
  }
  return out;
}

std::vector<std::string> CertificateWarnings(const Store& store,
                                             const WriteBatch& batch) {
  // The keys of the bindings the batch sets (adds, puts or updates).
  struct SetKeys : WriteBatch::Handler {
    Status Add(const Binding& binding) override { return Set(binding.key); }
    Status Put(const Binding& binding) override { return Set(binding.key); }
    Status Update(const BindingKey& key, const BindingPatch&) override {
      return Set(key);
    }
    Status Set(const BindingKey& key) {
      keys.push_back(key);
      return Status::Ok();
    }
    std::vector<BindingKey> keys;
  } set;
  (void)batch.Iterate(&set);  // the handler never fails
  return CertificateWarnings(store, set.keys);
}

void PrintWarnings(const Context& ctx,
                   const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    *ctx.err << "sslbind: warning: " << w << '\n';
  }
}

void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              std::span<const BindingKey> keys) {
  PrintWarnings(ctx, CertificateWarnings(store, keys));
}

void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              const WriteBatch& batch) {
  PrintWarnings(ctx, CertificateWarnings(store, batch));
}

}  // namespace sslbind::cli
