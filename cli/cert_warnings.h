// The certificate warnings of `add`, `update`, scripts and `apply`: what
// does not stop a binding from being stored but will hurt its clients.
#ifndef SSLBIND_CLI_CERT_WARNINGS_H_
#define SSLBIND_CLI_CERT_WARNINGS_H_

#include <span>
#include <string>
#include <vector>

#include "context.h"
#include "sslbind/binding_key.h"
#include "sslbind/store.h"
#include "sslbind/write_batch.h"

namespace sslbind::cli {

// Prints "sslbind: warning: KEY: ..." on stderr for the certificates of the
// bindings with these keys, as the store now holds them: an SNI name the
// certificate does not cover (RFC 6125), expired, not yet valid. Says
// nothing about a certificate that is missing or has no key (the commands
// refuse those unless --no-verify asked not to check), nor about ccs and
// scopedccs bindings. A failure to read is a warning too: the change is
// already made. Each certificate is read once.
void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              std::span<const BindingKey> keys);

// The same for the bindings a written batch added or changed. Callers skip
// it under --no-verify: that asks for no certificate checks at all.
void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              const WriteBatch& batch);

// The warnings themselves ("KEY: ..."), for a JSON object's "warnings".
std::vector<std::string> CertificateWarnings(const Store& store,
                                             std::span<const BindingKey> keys);
std::vector<std::string> CertificateWarnings(const Store& store,
                                             const WriteBatch& batch);

// Prints each as "sslbind: warning: <text>" on standard error.
void PrintWarnings(const Context& ctx,
                   const std::vector<std::string>& warnings);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_CERT_WARNINGS_H_
