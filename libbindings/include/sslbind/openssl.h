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
// A HandshakeHook does all of that inside OpenSSL's ClientHello callback:
// it resolves the connection, and switches the SSL to a prebuilt SSL_CTX
// holding the binding's certificate and the options OpenSSL can enforce.
// docs/servers.md shows a whole server.
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
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/snapshot.h"
#include "sslbind/status.h"

namespace sslbind {

class Resolver;

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

namespace internal {
struct CertificateLoaderAccess;
}  // namespace internal

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
  friend struct internal::CertificateLoaderAccess;
  struct Impl;
  explicit CertificateLoader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What a HandshakeHook did for one connection; kept on its SSL
// (HandshakeHook::Record), in one block allocated per connection: the
// texts are in fixed buffers.
class HandshakeRecord {
 public:
  // True when a binding's certificate and options were installed; false
  // when the handshake was refused (see `status`).
  bool served = false;
  ResolveStep step = ResolveStep::kExactIpPort;  // meaningful with a binding
  uint32_t flags = 0;                            // the binding's Flags
  // The certificate served (null when refused).
  std::shared_ptr<const ServerCertificate> certificate;
  // Why the handshake was refused: NotFound (no binding covers the
  // connection), AccessDenied (the binding has reject=enable),
  // CertificateUnusable or another status of CertificateLoader::Load (its
  // certificate cannot be served), InvalidArgument (no local address).
  Status status;

  // The binding that covers the connection, as a netsh key
  // ("hostnameport=www.contoso.com:443"); empty when none does.
  std::string_view binding() const { return {binding_, binding_length_}; }
  // The SNI name the client sent (canonical); empty if none, or not a
  // valid host name.
  std::string_view sni() const { return {sni_, sni_length_}; }

 private:
  friend class HandshakeHook;
  // "scopedccs=" + a host name + ":65535".
  char binding_[kMaxHostnameLength + 20];
  size_t binding_length_ = 0;
  char sni_[kMaxHostnameLength];
  size_t sni_length_ = 0;
};

struct HandshakeHookOptions {
  // Called once for every SSL_CTX the hook builds, after the certificate
  // is set and before the binding's options are: the place for what the
  // server sets on every context (ALPN select callback, cipher lists,
  // groups...). The switched-to context replaces the listening one for the
  // rest of the handshake, so callbacks OpenSSL reads from the current
  // context (ALPN, OCSP status) must be set here. It must not change the
  // certificate, the key, the verify mode or the options the hook manages
  // (protocol versions, NO_TICKET). A failing status refuses the handshake
  // (internal_error alert). Called from handshake threads, possibly at
  // once: it must be thread-safe.
  std::function<Status(SSL_CTX*)> configure_context;
};

// The handshake hook: what a TLS server calls from OpenSSL's ClientHello
// callback so that every connection gets the certificate and the options
// HTTP.sys would give it.
//
//   HandshakeHook hook(resolver, *loader);
//   hook.Install(listen_ctx);   // sets the ClientHello callback
//   ... SSL_new(listen_ctx), SSL_accept ...
//
// For each ClientHello the hook
//   1. takes the local address and port of the connection (getsockname on
//      SSL_get_fd, or SetLocalEndpoint) and the SNI name;
//   2. resolves them through the resolver (a ResolverReader per thread,
//      kept by the hook: lock-free, no allocation);
//   3. refuses the handshake with an alert when no binding covers the
//      connection (unrecognized_name when the client sent a name,
//      handshake_failure otherwise) or the binding has reject=enable
//      (handshake_failure), as HTTP.sys refuses it;
//   4. gets the certificate: for an ipport or hostnameport binding whose
//      certificate it already served, straight from its own cache of
//      contexts (no loader); otherwise from the CertificateLoader (cached
//      after the first load: no PEM, DER or PFX is parsed on this path once
//      loaded; a CCS file is looked at, not read, on each handshake);
//   5. switches the SSL to the SSL_CTX built for that certificate and the
//      binding's enforceable options (SSL_set_SSL_CTX; one context per
//      certificate and option set, built on first use and cached), and
//      copies that context's protocol versions, options, verify mode and
//      ticket count to the SSL (SSL_set_SSL_CTX does not).
//
// Options OpenSSL enforces (the Flags bits of sslbind/binding.h):
//   disabletls12, disabletls13      no TLS 1.2 / no TLS 1.3
//   disablelegacytls                no TLS 1.0 or 1.1; they are off anyway
//                                   unless configure_context sets security
//                                   level 0, the only one at which OpenSSL 3
//                                   serves them (Debian's default is 2)
//   reject                          the handshake is refused
//   clientcertnegotiation           a CertificateRequest is sent; any
//                                   certificate, or none, is accepted: the
//                                   application judges it (SSL_get0_peer...)
//   enablesessionticket             stateless session tickets (TLS 1.2 and
//                                   1.3); without it none (SSL_OP_NO_TICKET)
//   disablesessionid                no resumption from the server's session
//                                   cache: TLS 1.2 sessions are not
//                                   resumable, and TLS 1.3 without
//                                   enablesessionticket issues no tickets
// A session is resumed only on a binding with the same certificate and
// options (each context has its own session id context).
// Options without an OpenSSL equivalent are not enforced; they are in
// HandshakeRecord::flags for the application: disablehttp2 (the server's
// ALPN callback may read it), disablequic, disableocspstapling (OpenSSL
// staples only what the server's status callback provides),
// enabletokenbinding, logextendedevents, dsmapperusage, the client
// certificate revocation settings (CheckMode, freshness time, URL timeout)
// and the CTL identifier and store.
//
// The listening SSL_CTX keeps what OpenSSL reads from the session context:
// the session cache and the session ticket keys.
//
// Thread-safety: thread-safe; one hook serves every handshake thread. It
// keeps one ResolverReader for each thread that ran a handshake, until it is
// destroyed. The hook must outlive the handshakes it runs; SSL objects it
// served may outlive it. The Resolver and the CertificateLoader must
// outlive the hook.
class HandshakeHook {
 public:
  HandshakeHook(const Resolver& resolver, CertificateLoader& loader,
                HandshakeHookOptions options = {});
  HandshakeHook(const HandshakeHook&) = delete;
  HandshakeHook& operator=(const HandshakeHook&) = delete;
  ~HandshakeHook();

  // Sets the ClientHello callback of `listen_ctx` (the context the server
  // creates its SSL objects from) to this hook, and gives it a session id
  // context. CertificateUnusable if OpenSSL refuses.
  Status Install(SSL_CTX* listen_ctx);

  // The body of the ClientHello callback, for a server that has a callback
  // of its own: returns SSL_CLIENT_HELLO_SUCCESS, or SSL_CLIENT_HELLO_ERROR
  // with *alert set. Records what it did (Record).
  int OnClientHello(SSL* ssl, int* alert);

  // The callback itself: `arg` is the hook.
  static int ClientHelloCallback(SSL* ssl, int* alert, void* arg);

  // The local address and port a connection was made to, for SSL objects
  // whose BIO is not a socket (memory BIOs, a proxy), or to spare the hook
  // a system call when the server knows them (a listener on one address).
  // Without it the hook asks the socket (getsockname). Call it before the
  // handshake. InvalidArgument for port 0.
  static Status SetLocalEndpoint(SSL* ssl, const IpAddress& address,
                                 uint16_t port);

  // What the hook did for `ssl`; null before its ClientHello callback ran.
  // Valid while `ssl` lives.
  static const HandshakeRecord* Record(const SSL* ssl);

  // Drops the cached contexts and the loader's certificates
  // (CertificateLoader::Invalidate): call it when the store changed, after
  // Resolver::Refresh published a new snapshot. Handshakes under way and
  // open connections keep the context they have.
  void Invalidate();

  // How many SSL_CTX are cached.
  size_t context_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sslbind

#endif  // SSLBIND_OPENSSL_H_
