// The certificate warnings of `add` and `update`: what does not stop a
// binding from being stored but will hurt its clients.
#ifndef SSLBIND_CLI_CERT_WARNINGS_H_
#define SSLBIND_CLI_CERT_WARNINGS_H_

#include "context.h"
#include "sslbind/binding_key.h"
#include "sslbind/store.h"

namespace sslbind::cli {

// Prints "sslbind: warning: ..." on stderr for the binding's certificate:
// an SNI name it does not cover (RFC 6125), expired, not yet valid. Says
// nothing about a certificate that is missing or has no key (add and update
// refuse those unless --no-verify asked not to check). A failure to read
// is a warning too: the change is already made.
void PrintCertificateWarnings(const Context& ctx, const Store& store,
                              const BindingKey& key);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_CERT_WARNINGS_H_
