// HandshakeHook: resolution and certificate selection inside OpenSSL's
// ClientHello callback. The hot path -- a store certificate whose context
// is built -- takes one shared lock (the context cache), not the loader's,
// and allocates only the connection's HandshakeRecord.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/tls1.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <thread>
#include <unordered_map>

#include "certs/openssl_util.h"
#include "sslbind/certificates.h"
#include "sslbind/openssl.h"
#include "sslbind/resolver.h"

namespace sslbind {
namespace {

// The Flags bits that change what the context does.
constexpr uint32_t kContextFlags =
    kFlagNegotiateClientCert | kFlagDisableTls13 | kFlagDisableTls12 |
    kFlagDisableLegacyTls | kFlagEnableSessionTicket | kFlagDisableSessionId;

// The SSL options a context decides; copied to the SSL after the switch.
constexpr uint64_t kManagedOptions = SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                                     SSL_OP_NO_TLSv1_2 | SSL_OP_NO_TLSv1_3 |
                                     SSL_OP_NO_TICKET;

constexpr char kListenSessionIdContext[] = "sslbind";

// The per-connection state kept on the SSL (ex_data), freed with it.
struct ConnectionState {
  bool has_endpoint = false;
  IpAddress address;
  uint16_t port = 0;
  bool has_record = false;
  HandshakeRecord record;
};

void FreeConnectionState(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/,
                         int /*idx*/, long /*argl*/, void* /*argp*/) {
  delete static_cast<ConnectionState*>(ptr);
}

int StateIndex() {
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeConnectionState);
  return index;
}

ConnectionState* StateOf(const SSL* ssl) {
  return static_cast<ConnectionState*>(SSL_get_ex_data(ssl, StateIndex()));
}

ConnectionState* MutableStateOf(SSL* ssl) {
  ConnectionState* state = StateOf(ssl);
  if (state != nullptr) return state;
  state = new ConnectionState();
  if (SSL_set_ex_data(ssl, StateIndex(), state) != 1) {
    delete state;
    return nullptr;
  }
  return state;
}

// The host name of the server_name extension (RFC 6066), or empty.
std::string_view SniOf(SSL* ssl) {
  const unsigned char* p = nullptr;
  size_t len = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) != 1 ||
      len < 2) {
    return {};
  }
  size_t list_len = (size_t{p[0]} << 8) | p[1];
  if (list_len + 2 != len || list_len < 3) return {};
  p += 2;
  if (p[0] != TLSEXT_NAMETYPE_host_name) return {};
  size_t name_len = (size_t{p[1]} << 8) | p[2];
  if (name_len + 3 > list_len) return {};
  return {reinterpret_cast<const char*>(p + 3), name_len};
}

// The local address of the connection's socket.
bool SocketEndpoint(SSL* ssl, IpAddress* address, uint16_t* port) {
  int fd = SSL_get_fd(ssl);
  if (fd < 0) return false;
  sockaddr_storage ss{};
  socklen_t ss_len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &ss_len) != 0) {
    return false;
  }
  if (ss.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    *address = IpAddress::AnyV4();
    std::memcpy(address->bytes.data(), &in->sin_addr, 4);
    *port = ntohs(in->sin_port);
    return true;
  }
  if (ss.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    *address = IpAddress::AnyV6();
    std::memcpy(address->bytes.data(), &in6->sin6_addr, 16);
    *port = ntohs(in6->sin6_port);
    return true;
  }
  return false;
}

// Writes the binding's key as BindingKey::ToParam does, without allocating
// (and without printf, which costs more than the rest of the hook); returns
// its length. `out` holds kMaxHostnameLength + 20 bytes.
size_t FormatKey(const BindingRef& binding, char* out) {
  char* p = out;
  auto put = [&p](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  put(KindParamName(binding.kind()));
  *p++ = '=';
  switch (binding.kind()) {
    case BindingKind::kIpPort: {
      const IpAddress a = binding.address();
      if (a.is_v6()) *p++ = '[';
      inet_ntop(a.is_v6() ? AF_INET6 : AF_INET, a.bytes.data(), p,
                INET6_ADDRSTRLEN);
      p += std::strlen(p);
      if (a.is_v6()) *p++ = ']';
      *p++ = ':';
      break;
    }
    case BindingKind::kHostnamePort:
    case BindingKind::kScopedCcs:
      put(binding.hostname());
      *p++ = ':';
      break;
    case BindingKind::kCcs: break;
  }
  p = std::to_chars(p, p + 5, binding.port()).ptr;
  return static_cast<size_t>(p - out);
}

// Client certificates are asked for, not judged: the application decides,
// as HTTP.sys hands the certificate and its verification status to it.
int AcceptAnyClientCertificate(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) {
  return 1;
}

int NotResumable(SSL* /*ssl*/, int /*is_forward_secure*/) { return 1; }

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

// One prebuilt context: a certificate and an option set.
struct Context {
  std::shared_ptr<const ServerCertificate> certificate;
  uint32_t flags = 0;  // the kContextFlags bits
  SslCtxPtr ctx;
};

struct ContextKey {
  const ServerCertificate* certificate;
  uint32_t flags;
  friend bool operator==(const ContextKey&, const ContextKey&) = default;
};

struct ContextKeyHash {
  size_t operator()(const ContextKey& k) const {
    return std::hash<const void*>()(k.certificate) * 31 + k.flags;
  }
};

// The context of a store certificate (ipport, hostnameport), found without
// the loader: by a digest of the store name, the certificate hash and the
// flags, checked against the entry (a digest collision just misses).
struct StoreContext {
  std::string store_name;
  std::vector<uint8_t> cert_hash;
  uint32_t flags = 0;
  std::shared_ptr<const Context> context;

  bool Is(std::string_view name, std::span<const uint8_t> hash,
          uint32_t f) const {
    return flags == f && store_name == name &&
           std::equal(cert_hash.begin(), cert_hash.end(), hash.begin(),
                      hash.end());
  }
};

uint64_t StoreContextDigest(std::string_view name,
                            std::span<const uint8_t> hash, uint32_t flags) {
  uint64_t h = 14695981039346656037u;  // FNV-1a
  auto add = [&h](uint8_t byte) { h = (h ^ byte) * 1099511628211u; };
  for (char c : name) add(static_cast<uint8_t>(c));
  add(0);
  for (uint8_t b : hash) add(b);
  for (int shift = 0; shift < 32; shift += 8) {
    add(static_cast<uint8_t>(flags >> shift));
  }
  return h;
}

// Where a thread finds its ResolverReader without a lock: the hook it was
// made for (by id, never reused) and the reader.
struct ThreadReader {
  uint64_t hook_id = 0;
  ResolverReader* reader = nullptr;
};
thread_local ThreadReader thread_reader;

std::atomic<uint64_t> next_hook_id{1};

}  // namespace

struct HandshakeHook::Impl {
  Impl(const Resolver& r, CertificateLoader& l, HandshakeHookOptions o)
      : resolver(r), loader(l), options(std::move(o)) {}

  ResolverReader& Reader();
  Result<std::shared_ptr<const Context>> ContextFor(
      std::shared_ptr<const ServerCertificate> certificate, uint32_t flags);
  // The context for a resolved binding: for a store certificate already
  // served, from store_contexts (no loader, no allocation); else through
  // the loader and ContextFor.
  Result<std::shared_ptr<const Context>> ContextFor(
      const Resolution& resolution, uint32_t flags);
  Result<SslCtxPtr> Build(const ServerCertificate& certificate, uint32_t flags);

  const uint64_t id = next_hook_id.fetch_add(1);
  const Resolver& resolver;
  CertificateLoader& loader;
  const HandshakeHookOptions options;

  std::mutex readers_mu;
  std::map<std::thread::id, std::unique_ptr<ResolverReader>>
      readers;  // guarded by readers_mu

  mutable std::shared_mutex contexts_mu;
  std::unordered_map<ContextKey, std::shared_ptr<const Context>,
                     ContextKeyHash>
      contexts;  // guarded by contexts_mu
  std::unordered_map<uint64_t, StoreContext>
      store_contexts;  // guarded by contexts_mu
};

ResolverReader& HandshakeHook::Impl::Reader() {
  if (thread_reader.hook_id == id) return *thread_reader.reader;
  std::lock_guard<std::mutex> lock(readers_mu);
  // A thread id may be reused after its thread ended: the reader is then
  // this thread's, as the old one no longer runs.
  std::unique_ptr<ResolverReader>& reader = readers[std::this_thread::get_id()];
  if (!reader) reader = std::make_unique<ResolverReader>(resolver);
  thread_reader = {id, reader.get()};
  return *reader;
}

Result<SslCtxPtr> HandshakeHook::Impl::Build(
    const ServerCertificate& certificate, uint32_t flags) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  auto refused = [&](const std::string& what) {
    return Status::CertificateUnusable("OpenSSL refused " + what + " of " +
                                       certificate.source() + ": " +
                                       internal::TakeOpenSslError());
  };
  if (!ctx) return refused("a context");
  if (SSL_CTX_use_certificate(ctx.get(), certificate.certificate()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), certificate.private_key()) != 1) {
    return refused("the certificate");
  }
  for (X509* x : certificate.chain()) {
    if (SSL_CTX_add1_chain_cert(ctx.get(), x) != 1) {
      return refused("a chain certificate");
    }
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    return refused("the private key");
  }
  if (options.configure_context) {
    Status s = options.configure_context(ctx.get());
    if (!s.ok()) return s;
  }
  uint64_t ssl_options = 0;
  // OpenSSL 3 serves TLS 1.0 and 1.1 only at security level 0. Above it,
  // leaving them on would make a client that offers TLS 1.2 on a binding
  // with disabletls12 get TLS 1.1 chosen and then an internal_error alert;
  // off, it gets a protocol_version alert.
  if ((flags & kFlagDisableLegacyTls) ||
      SSL_CTX_get_security_level(ctx.get()) > 0) {
    ssl_options |= SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
  }
  if (flags & kFlagDisableTls12) ssl_options |= SSL_OP_NO_TLSv1_2;
  if (flags & kFlagDisableTls13) ssl_options |= SSL_OP_NO_TLSv1_3;
  if (!(flags & kFlagEnableSessionTicket)) ssl_options |= SSL_OP_NO_TICKET;
  SSL_CTX_clear_options(ctx.get(), kManagedOptions);
  SSL_CTX_set_options(ctx.get(), ssl_options);
  // TLS 1.3 resumes through tickets only: with neither stateless tickets
  // nor the session cache, it issues none.
  if (!(flags & kFlagEnableSessionTicket) && (flags & kFlagDisableSessionId)) {
    SSL_CTX_set_num_tickets(ctx.get(), 0);
  }
  if (flags & kFlagNegotiateClientCert) {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, AcceptAnyClientCertificate);
  }
  // Sessions resume only on a context with the same certificate and
  // options: the session id context is a digest of both.
  std::vector<uint8_t> seed = certificate.thumbprint();
  seed.insert(seed.end(), certificate.source().begin(),
              certificate.source().end());
  for (int shift = 0; shift < 32; shift += 8) {
    seed.push_back(static_cast<uint8_t>(flags >> shift));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(seed.data(), seed.size(), digest, &digest_len, EVP_sha256(),
                 nullptr) != 1 ||
      SSL_CTX_set_session_id_context(
          ctx.get(), digest,
          std::min<unsigned int>(digest_len, SSL_MAX_SID_CTX_LENGTH)) != 1) {
    return refused("the session id context");
  }
  return ctx;
}

Result<std::shared_ptr<const Context>> HandshakeHook::Impl::ContextFor(
    std::shared_ptr<const ServerCertificate> certificate, uint32_t flags) {
  const ContextKey key{certificate.get(), flags};
  {
    std::shared_lock<std::shared_mutex> lock(contexts_mu);
    auto it = contexts.find(key);
    if (it != contexts.end()) return it->second;
  }
  // Built outside the lock; if two threads race, the first one kept wins.
  Result<SslCtxPtr> ctx = Build(*certificate, flags);
  if (!ctx.ok()) return ctx.status();
  auto built = std::make_shared<Context>();
  built->certificate = std::move(certificate);
  built->flags = flags;
  built->ctx = std::move(*ctx);
  std::unique_lock<std::shared_mutex> lock(contexts_mu);
  auto [it, inserted] = contexts.emplace(key, std::move(built));
  return it->second;
}

Result<std::shared_ptr<const Context>> HandshakeHook::Impl::ContextFor(
    const Resolution& resolution, uint32_t flags) {
  const BindingRef& binding = resolution.binding();
  const bool from_store = binding.kind() == BindingKind::kIpPort ||
                          binding.kind() == BindingKind::kHostnamePort;
  std::string_view store_name = kDefaultCertStoreName;
  if (std::optional<std::string_view> name = binding.cert_store_name();
      name && !name->empty()) {
    store_name = *name;
  }
  const std::span<const uint8_t> hash = binding.cert_hash();
  const uint64_t digest = StoreContextDigest(store_name, hash, flags);
  if (from_store) {
    std::shared_lock<std::shared_mutex> lock(contexts_mu);
    auto it = store_contexts.find(digest);
    if (it != store_contexts.end() && it->second.Is(store_name, hash, flags)) {
      return it->second.context;
    }
  }
  Result<std::shared_ptr<const ServerCertificate>> certificate =
      loader.Load(resolution);
  if (!certificate.ok()) return certificate.status();
  Result<std::shared_ptr<const Context>> context =
      ContextFor(std::move(*certificate), flags);
  if (context.ok() && from_store) {
    std::unique_lock<std::shared_mutex> lock(contexts_mu);
    store_contexts.insert_or_assign(
        digest, StoreContext{std::string(store_name),
                             std::vector<uint8_t>(hash.begin(), hash.end()),
                             flags, *context});
  }
  return context;
}

HandshakeHook::HandshakeHook(const Resolver& resolver,
                             CertificateLoader& loader,
                             HandshakeHookOptions options)
    : impl_(std::make_unique<Impl>(resolver, loader, std::move(options))) {}

HandshakeHook::~HandshakeHook() = default;

Status HandshakeHook::Install(SSL_CTX* listen_ctx) {
  SSL_CTX_set_client_hello_cb(listen_ctx, &HandshakeHook::ClientHelloCallback,
                              this);
  if (SSL_CTX_set_session_id_context(
          listen_ctx,
          reinterpret_cast<const unsigned char*>(kListenSessionIdContext),
          sizeof(kListenSessionIdContext) - 1) != 1) {
    return Status::CertificateUnusable(
        "OpenSSL refused the session id context: " +
        internal::TakeOpenSslError());
  }
  return Status::Ok();
}

int HandshakeHook::ClientHelloCallback(SSL* ssl, int* alert, void* arg) {
  return static_cast<HandshakeHook*>(arg)->OnClientHello(ssl, alert);
}

int HandshakeHook::OnClientHello(SSL* ssl, int* alert) {
  ConnectionState* state = MutableStateOf(ssl);
  if (state == nullptr) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  HandshakeRecord& record = state->record;
  state->has_record = true;
  record = HandshakeRecord();
  auto refuse = [&](Status status, int why) {
    record.status = std::move(status);
    *alert = why;
    return SSL_CLIENT_HELLO_ERROR;
  };

  IpAddress address;
  uint16_t port = 0;
  if (state->has_endpoint) {
    address = state->address;
    port = state->port;
  } else if (!SocketEndpoint(ssl, &address, &port)) {
    return refuse(Status::InvalidArgument(
                      "the connection has no local address: no socket, and "
                      "no SetLocalEndpoint"),
                  SSL_AD_INTERNAL_ERROR);
  }
  const std::string_view sni = SniOf(ssl);
  Resolution resolution = impl_->Reader().Resolve(address, port, sni);
  const std::string_view canonical_sni = resolution.sni();
  record.sni_length_ = std::min(canonical_sni.size(), sizeof(record.sni_));
  std::memcpy(record.sni_, canonical_sni.data(), record.sni_length_);
  if (!resolution) {
    return refuse(
        Status::NotFound(
            "no binding covers " + address.ToString() + " port " +
            std::to_string(port) +
            (sni.empty() ? std::string(" without SNI") : " for that SNI name")),
        sni.empty() ? SSL_AD_HANDSHAKE_FAILURE : SSL_AD_UNRECOGNIZED_NAME);
  }
  const BindingRef& binding = resolution.binding();
  record.binding_length_ = FormatKey(binding, record.binding_);
  record.step = resolution.step();
  record.flags = binding.flags();
  if (record.flags & kFlagReject) {
    return refuse(Status::AccessDenied(std::string(record.binding()) +
                                       " rejects connections"),
                  SSL_AD_HANDSHAKE_FAILURE);
  }
  Result<std::shared_ptr<const Context>> context =
      impl_->ContextFor(resolution, record.flags & kContextFlags);
  if (!context.ok()) {
    return refuse(context.status().WithContext(record.binding()),
                  SSL_AD_INTERNAL_ERROR);
  }
  SSL_CTX* ctx = (*context)->ctx.get();
  if (SSL_set_SSL_CTX(ssl, ctx) != ctx) {
    return refuse(Status::Internal("OpenSSL refused to switch the context: " +
                                   internal::TakeOpenSslError()),
                  SSL_AD_INTERNAL_ERROR);
  }
  // SSL_set_SSL_CTX switches certificate and session id context only.
  SSL_clear_options(ssl, kManagedOptions);
  SSL_set_options(ssl, SSL_CTX_get_options(ctx) & kManagedOptions);
  SSL_set_verify(ssl, SSL_CTX_get_verify_mode(ctx),
                 SSL_CTX_get_verify_callback(ctx));
  SSL_set_num_tickets(ssl, SSL_CTX_get_num_tickets(ctx));
  if (record.flags & kFlagDisableSessionId) {
    SSL_set_not_resumable_session_callback(ssl, NotResumable);
  }
  record.certificate = (*context)->certificate;
  record.served = true;
  return SSL_CLIENT_HELLO_SUCCESS;
}

Status HandshakeHook::SetLocalEndpoint(SSL* ssl, const IpAddress& address,
                                       uint16_t port) {
  if (port == 0) {
    return Status::InvalidArgument("the local port must not be 0");
  }
  ConnectionState* state = MutableStateOf(ssl);
  if (state == nullptr) return Status::Internal("SSL_set_ex_data failed");
  state->has_endpoint = true;
  state->address = address;
  state->port = port;
  return Status::Ok();
}

const HandshakeRecord* HandshakeHook::Record(const SSL* ssl) {
  const ConnectionState* state = StateOf(ssl);
  return state != nullptr && state->has_record ? &state->record : nullptr;
}

void HandshakeHook::Invalidate() {
  {
    std::unique_lock<std::shared_mutex> lock(impl_->contexts_mu);
    impl_->contexts.clear();
    impl_->store_contexts.clear();
  }
  impl_->loader.Invalidate();
}

size_t HandshakeHook::context_count() const {
  std::shared_lock<std::shared_mutex> lock(impl_->contexts_mu);
  return impl_->contexts.size();
}

}  // namespace sslbind
