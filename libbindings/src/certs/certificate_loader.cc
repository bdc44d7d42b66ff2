// CertificateLoader: certificates and keys for servers, loaded on first use
// and cached. One mutex guards the cache (never held while reading or
// parsing), another the store's reader (a reader is not thread-safe).
// Concurrent first requests for one certificate share one load through a
// shared_future.

#include <cstdint>
#include <future>
#include <map>
#include <mutex>
#include <optional>

#include "certs/ccs_files.h"
#include "certs/cert_registry.h"
#include "certs/key_folder.h"
#include "certs/openssl_util.h"
#include "certs/store_reads.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"
#include "sslbind/openssl.h"

namespace sslbind {
namespace {

using CertResult = Result<std::shared_ptr<const ServerCertificate>>;

// A CCS file larger than this is not a certificate.
constexpr size_t kMaxCcsFile = 4 << 20;

// What identifies one version of a CCS file.
struct FileIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;

  static FileIdentity Of(const struct stat& st) {
    return {st.st_dev, st.st_ino, st.st_size,
            int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
  }
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// The CCS settings with the password itself; wiped when dropped.
struct CcsSecrets {
  CcsConfig config;
  std::string password;
  CcsSecrets() = default;
  CcsSecrets(const CcsSecrets&) = delete;
  CcsSecrets& operator=(const CcsSecrets&) = delete;
  ~CcsSecrets() { internal::Wipe(password); }
};

// A reader shared by the loads of every thread, one read at a time.
class SerialReader final : public internal::RegistryReader {
 public:
  explicit SerialReader(std::shared_ptr<internal::RegistryReader> inner)
      : inner_(std::move(inner)) {}

  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_->GetKey(path);
  }
  Status ScanSubtree(std::string_view path,
                     const internal::KeyVisitor& visit) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_->ScanSubtree(path, visit);
  }

 private:
  std::mutex mu_;
  std::shared_ptr<internal::RegistryReader> inner_;  // guarded by mu_
};

}  // namespace

ServerCertificate::~ServerCertificate() {
  X509_free(certificate_);
  EVP_PKEY_free(private_key_);
  for (X509* x : chain_) X509_free(x);
}

Status ServerCertificate::UseIn(SSL* ssl) const {
  if (SSL_use_certificate(ssl, certificate_) != 1 ||
      SSL_use_PrivateKey(ssl, private_key_) != 1 ||
      SSL_clear_chain_certs(ssl) != 1) {
    return Status::CertificateUnusable("OpenSSL refused the certificate of " +
                                       source_ + ": " +
                                       internal::TakeOpenSslError());
  }
  for (X509* x : chain_) {
    if (SSL_add1_chain_cert(ssl, x) != 1) {
      return Status::CertificateUnusable(
          "OpenSSL refused a chain certificate of " + source_ + ": " +
          internal::TakeOpenSslError());
    }
  }
  if (SSL_check_private_key(ssl) != 1) {
    return Status::CertificateUnusable(
        "the private key of " + source_ +
        " does not match its certificate: " + internal::TakeOpenSslError());
  }
  return Status::Ok();
}

struct CertificateLoader::Impl {
  struct Entry {
    uint64_t id = 0;  // which load filled it
    std::shared_future<CertResult> result;
    std::optional<FileIdentity> file;  // CCS entries
  };

  Impl(std::shared_ptr<internal::RegistryReader> reader,
       internal::KeyFolder key_folder)
      : keys(std::move(key_folder)), registry(std::move(reader)) {}

  // Returns the cached result for `key` (if `file` matches), or runs `load`
  // once for everyone asking meanwhile. Failures are not cached.
  template <typename LoadFn>
  CertResult GetOrLoad(const std::string& key, std::optional<FileIdentity> file,
                       LoadFn load);

  CertResult LoadStoreCertificate(std::string_view store_name,
                                  const std::vector<uint8_t>& thumbprint);
  CertResult LoadCcsFile(const internal::CcsFile& file,
                         const std::string& password);
  Result<std::shared_ptr<const CcsSecrets>> Ccs();

  const internal::KeyFolder keys;
  SerialReader registry;

  mutable std::mutex mu;
  std::map<std::string, Entry> cache;     // guarded by mu
  std::shared_ptr<const CcsSecrets> ccs;  // guarded by mu
  uint64_t next_id = 1;                   // guarded by mu
};

template <typename LoadFn>
CertResult CertificateLoader::Impl::GetOrLoad(const std::string& key,
                                              std::optional<FileIdentity> file,
                                              LoadFn load) {
  std::promise<CertResult> promise;
  std::unique_lock<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it != cache.end() && it->second.file == file) {
    std::shared_future<CertResult> pending = it->second.result;
    lock.unlock();  // wait, if it is still loading, outside the lock
    return pending.get();
  }
  const uint64_t my_id = next_id++;
  cache[key] = Entry{my_id, promise.get_future().share(), file};
  lock.unlock();
  CertResult result = load();
  promise.set_value(result);
  if (!result.ok()) {
    lock.lock();
    auto mine = cache.find(key);
    if (mine != cache.end() && mine->second.id == my_id) cache.erase(mine);
  }
  return result;
}

CertResult CertificateLoader::Impl::LoadStoreCertificate(
    std::string_view store_name, const std::vector<uint8_t>& thumbprint) {
  Result<internal::CertificateInStore> found =
      internal::FindUsableCertificate(registry, keys, store_name, thumbprint);
  if (!found.ok()) return found.status();
  std::shared_ptr<ServerCertificate> loaded(new ServerCertificate());
  loaded->certificate_ = found->certificate.release();
  loaded->private_key_ = found->private_key.release();
  loaded->thumbprint_ = std::move(found->stored.info.thumbprint);
  loaded->source_ = "the certificate store " + std::string(store_name);
  return std::shared_ptr<const ServerCertificate>(std::move(loaded));
}

CertResult CertificateLoader::Impl::LoadCcsFile(const internal::CcsFile& file,
                                                const std::string& password) {
  Result<std::string> data = file.ReadAll(kMaxCcsFile);
  if (!data.ok()) return data.status();
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(data->data()),
                                 data->size());
  Result<internal::Pkcs12Contents> p12 = internal::ParsePkcs12(bytes, password);
  if (!p12.ok()) {
    return Status::CertificateUnusable(
        "the CCS file '" + file.path() +
        "' cannot be used: " + p12.status().message());
  }
  if (!p12->key) {
    return Status::CertificateUnusable("the CCS file '" + file.path() +
                                       "' has no private key");
  }
  std::shared_ptr<ServerCertificate> loaded(new ServerCertificate());
  loaded->thumbprint_ =
      internal::Sha1Thumbprint(internal::ToDer(p12->certificate.get()));
  loaded->certificate_ = p12->certificate.release();
  loaded->private_key_ = p12->key.release();
  for (internal::X509Ptr& x : p12->others) {
    loaded->chain_.push_back(x.release());
  }
  loaded->source_ = file.path();
  return std::shared_ptr<const ServerCertificate>(std::move(loaded));
}

Result<std::shared_ptr<const CcsSecrets>> CertificateLoader::Impl::Ccs() {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (ccs) return ccs;
  }
  auto secrets = std::make_shared<CcsSecrets>();
  std::string password_id;
  Result<internal::CcsSettings> settings = internal::ReadCcsSettings(registry);
  if (!settings.ok()) return settings.status();
  secrets->config = std::move(settings->config);
  password_id = std::move(settings->password_id);
  if (!password_id.empty()) {
    Result<std::optional<std::string>> password =
        keys.ReadPassword(password_id);
    if (!password.ok()) return password.status();
    if (!*password) {
      return Status::CertificateUnusable("the CCS password file '" +
                                         keys.PasswordPath(password_id) +
                                         "' is missing");
    }
    secrets->password = std::move(**password);
  }
  std::lock_guard<std::mutex> lock(mu);
  if (!ccs) ccs = std::move(secrets);
  return ccs;
}

CertificateLoader::CertificateLoader(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CertificateLoader::~CertificateLoader() = default;

namespace internal {
std::unique_ptr<CertificateLoader> CertificateLoaderAccess::Make(
    std::shared_ptr<RegistryReader> reader, KeyFolder keys) {
  return std::unique_ptr<CertificateLoader>(
      new CertificateLoader(std::make_unique<CertificateLoader::Impl>(
          std::move(reader), std::move(keys))));
}
}  // namespace internal

CertResult CertificateLoader::Load(const Binding& binding,
                                   std::string_view sni_name) {
  switch (binding.key.kind()) {
    case BindingKind::kIpPort:
    case BindingKind::kHostnamePort:
      return LoadFromStore(EffectiveCertStoreName(binding), binding.cert_hash);
    case BindingKind::kScopedCcs: return LoadFromCcs(binding.key.hostname());
    case BindingKind::kCcs:
      if (sni_name.empty()) {
        return Status::InvalidArgument(binding.key.ToParam() +
                                       ": a ccs binding serves only clients "
                                       "that send an SNI name");
      }
      return LoadFromCcs(sni_name);
  }
  return Status::Internal("unknown binding kind");
}

CertResult CertificateLoader::Load(const Resolution& resolution) {
  if (!resolution.found()) {
    return Status::InvalidArgument(
        "no binding serves the connection: there is no certificate to load");
  }
  const BindingRef& binding = resolution.binding();
  switch (binding.kind()) {
    case BindingKind::kIpPort:
    case BindingKind::kHostnamePort: {
      std::optional<std::string_view> store = binding.cert_store_name();
      return LoadFromStore(
          store && !store->empty() ? *store : kDefaultCertStoreName,
          binding.cert_hash());
    }
    case BindingKind::kScopedCcs:
    case BindingKind::kCcs: return LoadFromCcs(resolution.sni());
  }
  return Status::Internal("unknown binding kind");
}

CertResult CertificateLoader::LoadFromStore(
    std::string_view store_name, std::span<const uint8_t> thumbprint_bytes) {
  const std::vector<uint8_t> thumbprint(thumbprint_bytes.begin(),
                                        thumbprint_bytes.end());
  Status s = ValidateCertStoreName(store_name);
  if (!s.ok()) {
    return Status::CertificateUnusable(
        "the certificate " + HexLower(thumbprint) +
        " cannot be in a store named '" + std::string(store_name) + "'");
  }
  const std::string key =
      "store\n" + FoldCase(store_name) + "\n" + HexLower(thumbprint);
  const std::string name(store_name);
  return impl_->GetOrLoad(key, std::nullopt, [&] {
    return impl_->LoadStoreCertificate(name, thumbprint);
  });
}

CertResult CertificateLoader::LoadFromCcs(std::string_view hostname) {
  Result<std::shared_ptr<const CcsSecrets>> ccs = impl_->Ccs();
  if (!ccs.ok()) return ccs.status();
  const CcsSecrets& secrets = **ccs;
  if (!secrets.config.active()) {
    return Status::CertificateUnusable(
        "the Central Certificate Store is not enabled");
  }
  Result<internal::CcsFile> file =
      internal::OpenCcsFile(secrets.config.location, hostname);
  if (!file.ok()) {
    if (file.status().IsNotFound()) {
      return Status::CertificateUnusable(file.status().message());
    }
    return file.status();
  }
  return impl_->GetOrLoad(
      "ccs\n" + file->path(), FileIdentity::Of(file->stat()),
      [&] { return impl_->LoadCcsFile(*file, secrets.password); });
}

void CertificateLoader::Invalidate() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->cache.clear();
  impl_->ccs.reset();
}

size_t CertificateLoader::cached_count() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  size_t n = 0;
  for (const auto& [key, entry] : impl_->cache) {
    // Count finished, successful loads only.
    if (entry.result.wait_for(std::chrono::seconds(0)) ==
            std::future_status::ready &&
        entry.result.get().ok()) {
      ++n;
    }
  }
  return n;
}

}  // namespace sslbind
