// Internal: how much key derivation opening a PKCS#12 file costs, judged
// before any of it is done.
#ifndef SSLBIND_SRC_CERTS_PKCS12_WORK_H_
#define SSLBIND_SRC_CERTS_PKCS12_WORK_H_

#include <openssl/crypto.h>
#include <openssl/pkcs12.h>

#include <cstdint>

#include "sslbind/status.h"

namespace sslbind::internal {

// The most iterations one key derivation of a PKCS#12 file may ask for (the
// MAC key, or the key of one encrypted part). Windows writes 2,000, OpenSSL
// 2,048 (10,000 and 100,000 are also met); 1,000,000 is far above every tool's
// choice and takes about 0.5 s here (PBKDF2-HMAC-SHA256 with ASan off).
inline constexpr int64_t kMaxPkcs12Iterations = 1'000'000;
// The most iterations of all the derivations of one file together: the MAC,
// the certificates and the key each at the limit above, not one more, so
// that a file of many small encrypted parts cannot add up to minutes.
inline constexpr int64_t kMaxPkcs12TotalIterations = 3 * kMaxPkcs12Iterations;

// Ok if opening `p12` with `password` (null: none) derives keys within the
// limits above; InvalidArgument saying which count is too high otherwise.
// Reads the MAC's and every encrypted part's parameters (PKCS#12 PBE,
// PBES2/PBKDF2 and scrypt, whose cost counts as N * r * p) with OpenSSL's
// ASN.1 types; to see the key bags inside an encrypted part it decrypts that
// part, once its own count has been found acceptable (with `legacy`, a
// context with the legacy provider, when the default one cannot).
Status CheckPkcs12Work(PKCS12* p12, const char* password, OSSL_LIB_CTX* legacy);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_PKCS12_WORK_H_
