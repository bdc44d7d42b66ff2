// Helpers shared by the unit tests.
#ifndef SSLBIND_TESTS_TEST_UTIL_H_
#define SSLBIND_TESTS_TEST_UTIL_H_

#include <filesystem>
#include <string>

#include "sslbind/binding.h"
#include "sslbind/binding_key.h"
#include "sslbind/status.h"

namespace sslbind::testing {

// A fresh folder under the system temporary folder, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sslbind-test-XXXXXX")
            .string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

// Parses a key that the test knows to be valid.
inline BindingKey Key(BindingKind kind, std::string_view text) {
  Result<BindingKey> key = BindingKey::Parse(kind, text);
  if (!key.ok()) throw std::runtime_error(key.status().ToString());
  return *key;
}

// An ipport binding at `key` (a valid IP:port) with a short hash whose first
// byte is `hash_byte`, and a fixed application id.
inline Binding IpBinding(std::string_view key, uint8_t hash_byte = 1) {
  Binding b(Key(BindingKind::kIpPort, key));
  b.cert_hash = {hash_byte, 2, 3, 4};
  b.app_id = Guid::Parse("{00112233-4455-6677-8899-aabbccddeeff}").value();
  return b;
}

}  // namespace sslbind::testing

#endif  // SSLBIND_TESTS_TEST_UTIL_H_
