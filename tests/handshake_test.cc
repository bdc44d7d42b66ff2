// Tests for the handshake hook of sslbind/openssl.h: real TLS handshakes in
// memory between an OpenSSL client and a server whose ClientHello callback
// is a HandshakeHook over a store.
#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <thread>

#include "cert_test_util.h"
#include "sslbind/certificates.h"
#include "sslbind/openssl.h"
#include "sslbind/resolver.h"
#include "sslbind/store.h"
#include "test_util.h"
#include "tls_test_util.h"

namespace sslbind {
namespace {

using testing::Bytes;
using testing::Key;
using testing::MakeCert;
using testing::TempDir;
using testing::TestCert;

struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

// A store with two certificates, a resolver, a loader and a hook installed
// on a listening context.
struct Server {
  TempDir dir;
  std::string path = dir.File("bindings.db");
  TestCert www = MakeCert();
  TestCert other = MakeCert({.common_name = "other", .dns_names = {}});
  Store store = OpenStore();
  Resolver resolver;
  std::unique_ptr<CertificateLoader> loader = OpenLoader();
  HandshakeHook hook{resolver, *loader};
  CtxPtr listen_ctx{SSL_CTX_new(TLS_server_method())};
  CtxPtr client_ctx{SSL_CTX_new(TLS_client_method())};

  Server() { REQUIRE(hook.Install(listen_ctx.get()).ok()); }

  Store OpenStore() {
    Result<Store> s =
        Store::Open(path, {.writable = true, .create_if_missing = true});
    REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    WriteBatch batch;
    for (const TestCert* t : {&www, &other}) {
      Result<CertificateBundle> b =
          CertificateBundle::Parse(Bytes(t->cert_pem + t->key_pem));
      REQUIRE(b.ok());
      batch.PutCertificate("MY", std::move(*b));
    }
    REQUIRE(s->Write(batch).ok());
    return std::move(*s);
  }
  std::unique_ptr<CertificateLoader> OpenLoader() {
    auto l = CertificateLoader::Open(path);
    REQUIRE_MESSAGE(l.ok(), l.status().ToString());
    return std::move(*l);
  }

  // Writes the bindings (key text, certificate, flags) and refreshes.
  void Bind(BindingKind kind, const std::string& key, const TestCert& cert,
            uint32_t flags = 0) {
    Binding b(Key(kind, key));
    b.cert_hash = cert.Sha1();
    b.app_id.bytes[0] = 1;
    if (kind == BindingKind::kHostnamePort) b.cert_store_name = "MY";
    b.flags = flags;
    WriteBatch batch;
    batch.Put(std::move(b));
    REQUIRE(store.Write(batch).ok());
    Result<bool> refreshed = resolver.Refresh(store);
    REQUIRE(refreshed.ok());
    hook.Invalidate();
  }
};

// One handshake: the server side connected to 10.0.0.1:443 unless said
// otherwise; `client_ctx` may be set up by the test.
struct Connection {
  SslPtr client;
  SslPtr server;
  bool done = false;

  Connection(Server& s, const std::string& sni, const char* local = "10.0.0.1",
             SSL_SESSION* resume = nullptr)
      : client(SSL_new(s.client_ctx.get())),
        server(SSL_new(s.listen_ctx.get())) {
    if (!sni.empty()) SSL_set_tlsext_host_name(client.get(), sni.c_str());
    if (resume != nullptr) SSL_set_session(client.get(), resume);
    if (local != nullptr) {
      Result<IpAddress> address = IpAddress::Parse(local);
      REQUIRE(address.ok());
      REQUIRE(
          HandshakeHook::SetLocalEndpoint(server.get(), *address, 443).ok());
    }
    done = testing::RunHandshake(client.get(), server.get());
  }

  std::vector<uint8_t> PeerSha1() const {
    X509* peer = SSL_get0_peer_certificate(client.get());
    REQUIRE(peer != nullptr);
    unsigned char* der = nullptr;
    int n = i2d_X509(peer, &der);
    TestCert t;
    t.der.assign(der, der + n);
    OPENSSL_free(der);
    return t.Sha1();
  }
  const HandshakeRecord& Record() const {
    const HandshakeRecord* r = HandshakeHook::Record(server.get());
    REQUIRE(r != nullptr);
    return *r;
  }
};

TEST_CASE(
    "the hook serves the certificate of the binding that covers the "
    "connection") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "www.contoso.com:443", s.www);
  s.Bind(BindingKind::kIpPort, "0.0.0.0:443", s.other);

  Connection by_name(s, "WWW.contoso.com");
  REQUIRE(by_name.done);
  CHECK(by_name.PeerSha1() == s.www.Sha1());
  CHECK(by_name.Record().served);
  CHECK(by_name.Record().binding() == "hostnameport=www.contoso.com:443");
  CHECK(by_name.Record().step == ResolveStep::kExactSni);
  CHECK(by_name.Record().sni() == "www.contoso.com");
  CHECK(by_name.Record().certificate->thumbprint() == s.www.Sha1());

  Connection no_name(s, "");
  REQUIRE(no_name.done);
  CHECK(no_name.PeerSha1() == s.other.Sha1());
  CHECK(no_name.Record().binding() == "ipport=0.0.0.0:443");
  CHECK(no_name.Record().step == ResolveStep::kWildcardIpV4);
}

TEST_CASE("the record names an IPv6 binding as netsh does") {
  Server s;
  s.Bind(BindingKind::kIpPort, "[fe80::1]:443", s.www);
  s.Bind(BindingKind::kIpPort, "[::]:443", s.other);
  Connection exact(s, "", "fe80::1");
  REQUIRE(exact.done);
  CHECK(exact.Record().binding() == "ipport=[fe80::1]:443");
  CHECK(exact.Record().sni().empty());
  Connection any(s, "", "2001:db8::5");
  REQUIRE(any.done);
  CHECK(any.Record().binding() == "ipport=[::]:443");
  CHECK(any.Record().step == ResolveStep::kWildcardIpV6);
}

TEST_CASE("a connection no binding covers is refused") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "www.contoso.com:443", s.www);
  Connection c(s, "www.fabrikam.com");
  CHECK_FALSE(c.done);
  CHECK_FALSE(c.Record().served);
  CHECK(c.Record().binding().empty());
  CHECK(c.Record().status.IsNotFound());
  CHECK(c.Record().certificate == nullptr);

  CHECK(Connection(s, "www.contoso.com").done);  // the bound name is served
}

TEST_CASE("a binding with reject=enable refuses the handshake") {
  Server s;
  s.Bind(BindingKind::kIpPort, "0.0.0.0:443", s.www, kFlagReject);
  Connection c(s, "www.contoso.com");
  CHECK_FALSE(c.done);
  CHECK(c.Record().binding() == "ipport=0.0.0.0:443");
  CHECK(c.Record().status.IsAccessDenied());
}

TEST_CASE("a binding whose certificate is missing refuses the handshake") {
  Server s;
  Binding b(Key(BindingKind::kIpPort, "0.0.0.0:443"));
  b.cert_hash = std::vector<uint8_t>(20, 7);
  b.app_id.bytes[0] = 1;
  WriteBatch batch;
  batch.Put(std::move(b));
  REQUIRE(s.store.Write(batch).ok());
  REQUIRE(s.resolver.Refresh(s.store).ok());
  Connection c(s, "");
  CHECK_FALSE(c.done);
  CHECK(c.Record().status.IsCertificateUnusable());
}

TEST_CASE("a connection without a local address is refused") {
  Server s;
  s.Bind(BindingKind::kIpPort, "0.0.0.0:443", s.www);
  Connection c(s, "", /*local=*/nullptr);
  CHECK_FALSE(c.done);
  CHECK(c.Record().status.IsInvalidArgument());
  CHECK(HandshakeHook::SetLocalEndpoint(c.server.get(), IpAddress::AnyV4(), 0)
            .IsInvalidArgument());
}

TEST_CASE("disabletls13 and disabletls12 limit the protocol versions") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "no13.contoso.com:443", s.www,
         kFlagDisableTls13);
  s.Bind(BindingKind::kHostnamePort, "no12.contoso.com:443", s.www,
         kFlagDisableTls12);
  s.Bind(BindingKind::kHostnamePort, "all.contoso.com:443", s.www);

  Connection all(s, "all.contoso.com");
  REQUIRE(all.done);
  CHECK(SSL_version(all.server.get()) == TLS1_3_VERSION);
  Connection no13(s, "no13.contoso.com");
  REQUIRE(no13.done);
  CHECK(SSL_version(no13.server.get()) == TLS1_2_VERSION);
  Connection no12(s, "no12.contoso.com");
  REQUIRE(no12.done);
  CHECK(SSL_version(no12.server.get()) == TLS1_3_VERSION);

  SSL_CTX_set_max_proto_version(s.client_ctx.get(), TLS1_2_VERSION);
  CHECK_FALSE(Connection(s, "no12.contoso.com").done);
  CHECK(Connection(s, "no13.contoso.com").done);
  SSL_CTX_set_max_proto_version(s.client_ctx.get(), 0);
  SSL_CTX_set_min_proto_version(s.client_ctx.get(), TLS1_3_VERSION);
  CHECK_FALSE(Connection(s, "no13.contoso.com").done);
  CHECK(Connection(s, "no12.contoso.com").done);
}

std::atomic<int> certificate_requests{0};
int CountCertificateRequest(SSL*, X509**, EVP_PKEY**) {
  ++certificate_requests;
  return 0;  // no client certificate
}

TEST_CASE(
    "clientcertnegotiation sends a CertificateRequest and accepts any "
    "answer") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "ask.contoso.com:443", s.www,
         kFlagNegotiateClientCert);
  s.Bind(BindingKind::kHostnamePort, "plain.contoso.com:443", s.www);
  SSL_CTX_set_client_cert_cb(s.client_ctx.get(), CountCertificateRequest);
  for (int max : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    CAPTURE(max);
    SSL_CTX_set_max_proto_version(s.client_ctx.get(), max);
    certificate_requests = 0;
    CHECK(Connection(s, "plain.contoso.com").done);
    CHECK(certificate_requests == 0);
    CHECK(Connection(s, "ask.contoso.com").done);
    CHECK(certificate_requests == 1);
  }
}

// Whether a second connection resumes the first one's session.
bool Resumes(Server& s, const std::string& first, const std::string& second,
             bool* ticket = nullptr) {
  Connection a(s, first);
  REQUIRE(a.done);
  SSL_SESSION* session = SSL_get1_session(a.client.get());
  REQUIRE(session != nullptr);
  if (ticket) *ticket = SSL_SESSION_has_ticket(session) == 1;
  bool resumed = false;
  if (SSL_SESSION_is_resumable(session)) {
    Connection b(s, second, "10.0.0.1", session);
    REQUIRE(b.done);
    resumed = SSL_session_reused(b.client.get()) == 1;
  }
  SSL_SESSION_free(session);
  return resumed;
}

TEST_CASE("sessions resume as enablesessionticket and disablesessionid say") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "default.contoso.com:443", s.www);
  s.Bind(BindingKind::kHostnamePort, "ticket.contoso.com:443", s.www,
         kFlagEnableSessionTicket);
  s.Bind(BindingKind::kHostnamePort, "noid.contoso.com:443", s.www,
         kFlagDisableSessionId);
  s.Bind(BindingKind::kHostnamePort, "other.contoso.com:443", s.other);
  bool ticket = false;

  SUBCASE("TLS 1.2") {
    SSL_CTX_set_max_proto_version(s.client_ctx.get(), TLS1_2_VERSION);
    CHECK(Resumes(s, "default.contoso.com", "default.contoso.com", &ticket));
    CHECK_FALSE(ticket);  // by session id
    CHECK(Resumes(s, "ticket.contoso.com", "ticket.contoso.com", &ticket));
    CHECK(ticket);
    CHECK_FALSE(Resumes(s, "noid.contoso.com", "noid.contoso.com"));
  }
  SUBCASE("TLS 1.3") {
    CHECK(Resumes(s, "default.contoso.com", "default.contoso.com", &ticket));
    CHECK(Resumes(s, "ticket.contoso.com", "ticket.contoso.com", &ticket));
    CHECK_FALSE(Resumes(s, "noid.contoso.com", "noid.contoso.com"));
  }
  SUBCASE("never on a binding with another certificate or other options") {
    CHECK_FALSE(Resumes(s, "default.contoso.com", "other.contoso.com"));
    CHECK_FALSE(Resumes(s, "default.contoso.com", "ticket.contoso.com"));
  }
}

TEST_CASE("one context is built per certificate and option set") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "a.contoso.com:443", s.www);
  s.Bind(BindingKind::kHostnamePort, "b.contoso.com:443", s.www);
  s.Bind(BindingKind::kHostnamePort, "c.contoso.com:443", s.www,
         kFlagDisableTls13);
  s.Bind(BindingKind::kHostnamePort, "d.contoso.com:443", s.www,
         kFlagDisableHttp2);  // not a context option
  for (const char* name :
       {"a.contoso.com", "b.contoso.com", "d.contoso.com", "a.contoso.com"}) {
    CHECK(Connection(s, name).done);
  }
  CHECK(s.hook.context_count() == 1);
  CHECK(Connection(s, "c.contoso.com").done);
  CHECK(s.hook.context_count() == 2);
  Connection d(s, "d.contoso.com");
  CHECK(d.Record().flags == kFlagDisableHttp2);  // for the application
  s.hook.Invalidate();
  CHECK(s.hook.context_count() == 0);
  CHECK(s.loader->cached_count() == 0);
}

TEST_CASE(
    "an updated binding is served from the next handshake while an "
    "open connection keeps its certificate") {
  Server s;
  s.Bind(BindingKind::kIpPort, "0.0.0.0:443", s.www);
  Connection before(s, "");
  REQUIRE(before.done);
  s.Bind(BindingKind::kIpPort, "0.0.0.0:443", s.other);
  Connection after(s, "");
  REQUIRE(after.done);
  CHECK(after.PeerSha1() == s.other.Sha1());
  CHECK(before.PeerSha1() == s.www.Sha1());
  // The old connection still carries data.
  CHECK(SSL_write(before.client.get(), "ping", 4) == 4);
  char buf[4];
  CHECK(SSL_read(before.server.get(), buf, 4) == 4);
  CHECK(before.Record().certificate->thumbprint() == s.www.Sha1());
}

TEST_CASE("one hook serves handshakes on many threads at once") {
  Server s;
  s.Bind(BindingKind::kHostnamePort, "www.contoso.com:443", s.www);
  s.Bind(BindingKind::kIpPort, "0.0.0.0:443", s.other);
  std::atomic<int> served{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        Connection c(s, (t + i) % 2 ? "www.contoso.com" : "");
        if (c.done) ++served;
      }
    });
  }
  // Meanwhile the store changes and the hook drops its contexts.
  std::thread changer([&] {
    for (int i = 0; i < 5 && !stop; ++i) {
      s.Bind(BindingKind::kHostnamePort, "shop.contoso.com:443",
             i % 2 ? s.www : s.other);
    }
  });
  for (std::thread& t : threads) t.join();
  stop = true;
  changer.join();
  CHECK(served == 40);
}

}  // namespace
}  // namespace sslbind
