// sslbind/sslbind.h: the whole public API in one include.
#ifndef SSLBIND_SSLBIND_H_
#define SSLBIND_SSLBIND_H_

#include "sslbind/apply_plan.h"
#include "sslbind/binding.h"
#include "sslbind/binding_key.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"
#include "sslbind/diagnostics.h"
#include "sslbind/exchange.h"
#include "sslbind/parameters.h"
#include "sslbind/registry.h"
#include "sslbind/resolver.h"
#include "sslbind/snapshot.h"
#include "sslbind/status.h"
#include "sslbind/store.h"
#include "sslbind/text.h"
#include "sslbind/version.h"
#include "sslbind/write_batch.h"

// sslbind/openssl.h (certificates for servers) is not included here: it
// brings in OpenSSL's headers.

#endif  // SSLBIND_SSLBIND_H_
