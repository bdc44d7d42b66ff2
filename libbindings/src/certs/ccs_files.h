// Internal: opening the CCS file for a host name without ever leaving the
// CCS folder, and the settings' registry values.
#ifndef SSLBIND_SRC_CERTS_CCS_FILES_H_
#define SSLBIND_SRC_CERTS_CCS_FILES_H_

#include <sys/stat.h>

#include <string>
#include <string_view>

#include "sslbind/ccs.h"
#include "sslbind/registry.h"
#include "sslbind/status.h"
#include "storage/registry_reader.h"

namespace sslbind::internal {

inline constexpr std::string_view kCcsEnabledValue = "Enabled";
inline constexpr std::string_view kCcsLocationValue = "CertStoreLocation";
inline constexpr std::string_view kCcsPasswordIdValue = "SslbindPasswordId";

// The settings as the key holds them, and the password file id (empty when
// there is no password). IncompatibleStore for a value of the wrong type.
struct CcsSettings {
  CcsConfig config;
  std::string password_id;
};
Result<CcsSettings> DecodeCcsSettings(const RegistryKey& key);
RegistryKey EncodeCcsSettings(bool enabled, std::string_view location,
                              std::string_view password_id);
// The settings `reader` sees; empty ones (the CCS off) when there are none.
Result<CcsSettings> ReadCcsSettings(RegistryReader& reader);

// An open CCS file: closed on destruction. Movable.
class CcsFile {
 public:
  CcsFile(int fd, std::string path, const struct stat& st)
      : fd_(fd), path_(std::move(path)), stat_(st) {}
  CcsFile(CcsFile&& other) noexcept;
  CcsFile& operator=(CcsFile&&) = delete;
  CcsFile(const CcsFile&) = delete;
  ~CcsFile();

  int fd() const { return fd_; }
  // The folder joined with the candidate's name.
  const std::string& path() const { return path_; }
  const struct stat& stat() const { return stat_; }

  // Reads the whole file (at most `max_bytes`).
  Result<std::string> ReadAll(size_t max_bytes) const;

 private:
  int fd_;
  std::string path_;
  struct stat stat_;
};

// Opens the first usable candidate for `hostname` in `folder`; see
// FindCcsFile in sslbind/ccs.h for the rules and statuses.
Result<CcsFile> OpenCcsFile(std::string_view folder, std::string_view hostname);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_CERTS_CCS_FILES_H_
