// Internal: clearing secrets from memory. The one place that knows how; it
// needs no OpenSSL, so the write path (WriteBatch, Store) compiles without
// it.
#ifndef SSLBIND_SRC_MODEL_WIPE_H_
#define SSLBIND_SRC_MODEL_WIPE_H_

#include <string.h>  // explicit_bzero (glibc)

#include <string>

namespace sslbind::internal {

// Overwrites a string's bytes with zeros and empties it. The compiler may
// not drop the overwrite as a dead store (explicit_bzero, as OpenSSL's
// OPENSSL_cleanse).
inline void Wipe(std::string& secret) noexcept {
  if (!secret.empty()) explicit_bzero(secret.data(), secret.size());
  secret.clear();
}

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_MODEL_WIPE_H_
