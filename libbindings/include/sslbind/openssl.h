// sslbind/openssl.h: certificates and private keys for a TLS server, as
// OpenSSL objects.
//
// A server linked with sslbind resolves a connection (sslbind/resolver.h),
// then asks a CertificateLoader for the resolution's certificate and key,
// ready for SSL_use_certificate / SSL_use_PrivateKey (or
// ServerCertificate::UseIn).
// Certificates are loaded on first use and cached -- a server with 100k
// bindings does not load 100k certificates at start, as IIS 8 loads them on
// demand -- by thumbprint for the certificate stores, by file for the
// Central Certificate Store (a CCS file is read again when its size,
// modification time or inode changes).
//
// This is the one public header that includes OpenSSL: the objects it hands
// out are the point.
//
// Thread-safety: CertificateLoader is thread-safe; share one among all the
// handshake threads. Loading happens outside its locks, and concurrent
// requests for the same certificate wait for one load. A ServerCertificate
// is immutable and thread-safe.
#ifndef SSLBIND_OPENSSL_H_
#define SSLBIND_OPENSSL_H_

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/snapshot.h"
#include "sslbind/status.h"

namespace sslbind {

// One certificate with its private key and, for CCS files, its chain.
//
// Ownership: the object owns one reference to each X509 and EVP_PKEY; the
// pointers stay valid while it lives. SSL_use_certificate, SSL_use_PrivateKey,
// SSL_CTX_use_* and SSL_add1_chain_cert take references of their own, so an
// SSL may outlive the ServerCertificate it was set up from. Callers that keep
// a pointer themselves call X509_up_ref / EVP_PKEY_up_ref. Never free the
// pointers returned here.
class ServerCertificate {
 public:
  ServerCertificate(const ServerCertificate&) = delete;
  ServerCertificate& operator=(const ServerCertificate&) = delete;
  ~ServerCertificate();

  X509* certificate() const { return certificate_; }
  EVP_PKEY* private_key() const { return private_key_; }
  // Further certificates of a CCS .pfx file (intermediates), in file order;
  // empty for certificates from a certificate store.
  const std::vector<X509*>& chain() const { return chain_; }

  // SHA-1 of the DER certificate.
  const std::vector<uint8_t>& thumbprint() const { return thumbprint_; }
  // Where it came from: "the certificate store MY" or the CCS file's path.
  const std::string& source() const { return source_; }

  // Sets certificate, key and chain on `ssl` and checks that they match.
  // CertificateUnusable (1312) if OpenSSL refuses them; `ssl` may then be
  // partly set up.
  Status UseIn(SSL* ssl) const;

 private:
  friend class CertificateLoader;
  ServerCertificate() = default;

  X509* certificate_ = nullptr;
  EVP_PKEY* private_key_ = nullptr;
  std::vector<X509*> chain_;
  std::vector<uint8_t> thumbprint_;
  std::string source_;
};

class CertificateLoader {
 public:
  // Opens the store read-only (it must exist: NotFound otherwise). The key
  // folder is the one beside it; the process must be allowed to read it.
  static Result<std::unique_ptr<CertificateLoader>> Open(
      const std::string& store_path);

  CertificateLoader(const CertificateLoader&) = delete;
  CertificateLoader& operator=(const CertificateLoader&) = delete;
  ~CertificateLoader();

  // The certificate of a resolution (Snapshot::Resolve, ResolverReader):
  // the binding's certificate for the ipport and hostnameport steps, the CCS
  // file for the resolution's SNI name for the CCS steps. InvalidArgument if
  // no binding was found.
  Result<std::shared_ptr<const ServerCertificate>> Load(
      const Resolution& resolution);

  // The certificate a binding serves:
  // - ipport and hostnameport: the certificate its hash names in its store
  //   (LoadFromStore);
  // - ccs: the CCS file for `sni_name`; scopedccs: for the binding's own
  //   name (LoadFromCcs).
  // InvalidArgument for a ccs binding without an SNI name.
  Result<std::shared_ptr<const ServerCertificate>> Load(
      const Binding& binding, std::string_view sni_name = {});

  // The certificate with this thumbprint in that store, with its key.
  // CertificateUnusable (1312) if it is not in the store, or has no usable
  // private key (none, unreadable, or not the certificate's); AccessDenied
  // (5) if the key file may not be read by this process.
  Result<std::shared_ptr<const ServerCertificate>> LoadFromStore(
      std::string_view store_name, std::span<const uint8_t> thumbprint);

  // The CCS file for `hostname` (see FindCcsFile in sslbind/ccs.h), opened
  // with the CCS password. CertificateUnusable (1312) if the CCS is not
  // enabled, there is no file for the name, or the file cannot be opened
  // (wrong password, no key); InvalidArgument for a bad name.
  Result<std::shared_ptr<const ServerCertificate>> LoadFromCcs(
      std::string_view hostname);

  // Forgets every cached certificate and the CCS settings; the next Load
  // reads them again. Call it when Store::ChangeCounter moves (as when
  // rebuilding a resolver snapshot), so that a deleted or replaced
  // certificate or a changed CCS folder or password is noticed. Objects
  // already handed out stay valid.
  void Invalidate();

  // How many certificates are cached (for tests and monitoring).
  size_t cached_count() const;

 private:
  struct Impl;
  explicit CertificateLoader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sslbind

#endif  // SSLBIND_OPENSSL_H_
