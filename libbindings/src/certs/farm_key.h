// Internal: the farm key, which encrypts the private keys and the CCS
// password kept in a shared database (a store in PostgreSQL).
//
// The key file holds 64 hex digits (32 random bytes, an AES-256 key) and a
// newline, mode 0600. A secret is sealed with AES-256-GCM: a fresh 12-byte
// nonce, the secret's name (which holds the certificate's thumbprint, or
// the password's id) as additional authenticated data, so a sealed key
// cannot be passed off as another certificate's:
//   u8 format (1) | nonce (12) | ciphertext | tag (16)
#ifndef SSLBIND_SRC_CERTS_FARM_KEY_H_
#define SSLBIND_SRC_CERTS_FARM_KEY_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sslbind/status.h"

namespace sslbind::internal {

class FarmKey {
 public:
  ~FarmKey();
  FarmKey(const FarmKey& other) = default;

  // Reads a key file: NotFound if there is none; AccessDenied if it is not
  // a regular file, or group or others may read or write it (it names the
  // mode: chmod 600 it); InvalidArgument if it does not hold 64 hex digits.
  static Result<FarmKey> Read(const std::string& path);
  // Writes a new key file, mode 0600; AlreadyExists if `path` exists
  // (never overwritten: the secrets sealed with the old key would be lost).
  static Status WriteNew(const std::string& path);

  std::string Seal(std::string_view secret, std::string_view name) const;
  // AccessDenied if `sealed` was not sealed with this key under `name`.
  Result<std::string> Open(std::string_view sealed,
                           std::string_view name) const;

 private:
  FarmKey() = default;
  std::array<uint8_t, 32> key_{};
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_FARM_KEY_H_
