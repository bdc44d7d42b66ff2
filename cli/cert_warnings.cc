#include "cert_warnings.h"

#include <ctime>
#include <ostream>
#include <vector>

#include "sslbind/certificates.h"

namespace sslbind::cli {

void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              std::span<const BindingKey> keys) {
  std::vector<Binding> bindings;
  for (const BindingKey& key : keys) {
    if (key.kind() != BindingKind::kIpPort &&
        key.kind() != BindingKind::kHostnamePort) {
      continue;  // no certificate of their own
    }
    Result<Binding> binding = store.Get(key);
    if (!binding.ok()) {
      *ctx.err << "sslbind: warning: cannot read " << key.ToParam()
               << " back to check its certificate: "
               << binding.status().message() << '\n';
      continue;
    }
    bindings.push_back(std::move(*binding));
  }
  if (bindings.empty()) return;
  CertificateCheckOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  Result<std::vector<CertificateFinding>> findings =
      CheckCertificates(store, bindings, options);
  if (!findings.ok()) {
    *ctx.err << "sslbind: warning: cannot check the certificates of the "
             << (bindings.size() == 1 ? bindings[0].key.ToParam()
                                      : "changed bindings")
             << ": " << findings.status().message() << '\n';
    return;
  }
  for (const CertificateFinding& f : *findings) {
    if (f.problem == CertificateProblem::kMissing ||
        f.problem == CertificateProblem::kNoPrivateKey) {
      continue;
    }
    *ctx.err << "sslbind: warning: " << f.binding.ToParam() << ": " << f.message
             << '\n';
  }
}

void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              const WriteBatch& batch) {
  std::vector<BindingKey> keys;
  for (const WriteBatch::Op& op : batch.ops()) {
    const bool sets = op.type == WriteBatch::OpType::kAdd ||
                      op.type == WriteBatch::OpType::kPut ||
                      op.type == WriteBatch::OpType::kUpdate;
    if (sets && op.key) keys.push_back(*op.key);
  }
  PrintCertificateWarnings(ctx, store, keys);
}

}  // namespace sslbind::cli
