#include "cert_warnings.h"

#include <ctime>
#include <ostream>

#include "sslbind/certificates.h"

namespace sslbind::cli {

void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              const BindingKey& key) {
  Result<Binding> binding = store.Get(key);
  if (!binding.ok()) {
    *ctx.err << "sslbind: warning: cannot read " << key.ToParam()
             << " back to check its certificate: " << binding.status().message()
             << '\n';
    return;
  }
  CertificateCheckOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  Result<std::vector<CertificateFinding>> findings =
      CheckCertificates(store, std::span<const Binding>(&*binding, 1), options);
  if (!findings.ok()) {
    *ctx.err << "sslbind: warning: cannot check the certificate of "
             << key.ToParam() << ": " << findings.status().message() << '\n';
    return;
  }
  for (const CertificateFinding& f : *findings) {
    if (f.problem == CertificateProblem::kMissing ||
        f.problem == CertificateProblem::kNoPrivateKey) {
      continue;
    }
    *ctx.err << "sslbind: warning: " << key.ToParam() << ": " << f.message
             << '\n';
  }
}

}  // namespace sslbind::cli
