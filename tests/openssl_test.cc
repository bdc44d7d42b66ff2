// Tests for sslbind/openssl.h: certificates and keys for servers, loaded on
// first use, cached, served in a real TLS handshake, and safe to share
// between threads.
#include "sslbind/openssl.h"

#include <doctest/doctest.h>
#include <openssl/err.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "cert_test_util.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"
#include "sslbind/snapshot.h"
#include "sslbind/store.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::Bytes;
using testing::Key;
using testing::MakeCert;
using testing::TempDir;
using testing::TestCert;
namespace fs = std::filesystem;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

struct Fixture {
  TempDir dir;
  std::string path = dir.File("bindings.db");
  Store store = Open();

  Store Open() {
    Result<Store> s = Store::Open(path, kWrite);
    REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    return std::move(*s);
  }
  void Import(const std::string& pem, const std::string& store_name = "MY") {
    Result<CertificateBundle> b = CertificateBundle::Parse(Bytes(pem));
    REQUIRE(b.ok());
    WriteBatch batch;
    batch.PutCertificate(store_name, std::move(*b));
    REQUIRE(store.Write(batch).ok());
  }
  std::unique_ptr<CertificateLoader> Loader() {
    Result<std::unique_ptr<CertificateLoader>> loader =
        CertificateLoader::Open(path);
    REQUIRE_MESSAGE(loader.ok(), loader.status().ToString());
    return std::move(*loader);
  }
};

Binding IpBinding(const std::vector<uint8_t>& hash,
                  const std::string& ipport = "0.0.0.0:443") {
  Binding b(Key(BindingKind::kIpPort, ipport));
  b.cert_hash = hash;
  b.app_id.bytes[0] = 1;
  return b;
}

std::vector<uint8_t> DerOf(X509* cert) {
  unsigned char* buf = nullptr;
  int n = i2d_X509(cert, &buf);
  std::vector<uint8_t> der(buf, buf + n);
  OPENSSL_free(buf);
  return der;
}

using CertPtr = std::shared_ptr<const ServerCertificate>;

CertPtr Loaded(Result<CertPtr> r) {
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return *r;
}

// Runs a TLS handshake in memory between a server set up with `cert` and
// a client sending `sni`; returns the DER certificate the client received.
std::vector<uint8_t> Handshake(const ServerCertificate& cert,
                               const std::string& sni) {
  SSL_CTX* server_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
  SSL* server = SSL_new(server_ctx);
  SSL* client = SSL_new(client_ctx);
  REQUIRE(cert.UseIn(server).ok());
  SSL_set_tlsext_host_name(client, sni.c_str());
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
  SSL_set_bio(server, server_bio, server_bio);
  SSL_set_bio(client, client_bio, client_bio);
  SSL_set_accept_state(server);
  SSL_set_connect_state(client);
  bool server_done = false, client_done = false;
  for (int round = 0; round < 20 && !(server_done && client_done); ++round) {
    if (!client_done) client_done = SSL_do_handshake(client) == 1;
    if (!server_done) server_done = SSL_do_handshake(server) == 1;
  }
  std::vector<uint8_t> der;
  CHECK(server_done);
  CHECK(client_done);
  if (X509* peer = SSL_get1_peer_certificate(client)) {
    der = DerOf(peer);
    X509_free(peer);
  }
  SSL_free(server);
  SSL_free(client);
  SSL_CTX_free(server_ctx);
  SSL_CTX_free(client_ctx);
  ERR_clear_error();
  return der;
}

// ---------------------------------------------------------------------------
// Certificates from a certificate store.

TEST_CASE("a binding's certificate loads with its key and serves a handshake") {
  Fixture f;
  TestCert t = MakeCert();
  f.Import(t.cert_pem + t.key_pem);
  auto loader = f.Loader();
  CertPtr cert = Loaded(loader->Load(IpBinding(t.Sha1())));
  CHECK(DerOf(cert->certificate()) == t.der);
  CHECK(EVP_PKEY_eq(cert->private_key(), t.key.get()) == 1);
  CHECK(cert->chain().empty());
  CHECK(cert->thumbprint() == t.Sha1());
  CHECK(cert->source() == "the certificate store MY");
  CHECK(Handshake(*cert, "www.contoso.com") == t.der);
}

TEST_CASE("an SSL keeps its certificate after the loader and object are gone") {
  Fixture f;
  TestCert t = MakeCert();
  f.Import(t.cert_pem + t.key_pem);
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL* ssl = SSL_new(ctx);
  {
    auto loader = f.Loader();
    CertPtr cert = Loaded(loader->LoadFromStore("MY", t.Sha1()));
    REQUIRE(cert->UseIn(ssl).ok());
  }
  REQUIRE(SSL_get_certificate(ssl) != nullptr);
  CHECK(DerOf(SSL_get_certificate(ssl)) == t.der);
  CHECK(SSL_check_private_key(ssl) == 1);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
}

TEST_CASE("nothing is loaded until asked for, then each once") {
  Fixture f;
  TestCert a = MakeCert();
  TestCert b = MakeCert();
  f.Import(a.cert_pem + a.key_pem);
  f.Import(b.cert_pem + b.key_pem);
  auto loader = f.Loader();
  CHECK(loader->cached_count() == 0);
  CertPtr first = Loaded(loader->Load(IpBinding(a.Sha1())));
  CHECK(loader->cached_count() == 1);
  CertPtr again = Loaded(loader->Load(IpBinding(a.Sha1(), "1.2.3.4:443")));
  CHECK(first.get() == again.get());
  CHECK(loader->cached_count() == 1);
  CertPtr other = Loaded(loader->Load(IpBinding(b.Sha1())));
  CHECK(other.get() != first.get());
  CHECK(loader->cached_count() == 2);
}

TEST_CASE("a missing certificate or key is 1312, and is not cached") {
  Fixture f;
  TestCert t = MakeCert();
  auto loader = f.Loader();
  Status missing = loader->LoadFromStore("MY", t.Sha1()).status();
  CHECK(missing.win32() == 1312);
  CHECK(missing.message().find("is not in the certificate store MY") !=
        std::string::npos);
  f.Import(t.cert_pem);
  Status nokey = loader->LoadFromStore("MY", t.Sha1()).status();
  CHECK(nokey.win32() == 1312);
  CHECK(nokey.message().find("has no private key") != std::string::npos);
  CHECK(loader->cached_count() == 0);
  f.Import(t.cert_pem + t.key_pem);
  CHECK(loader->LoadFromStore("MY", t.Sha1()).ok());
}

TEST_CASE(
    "a certificate whose key file is gone is 1312 naming the file, as "
    "the write path says it") {
  Fixture f;
  TestCert t = MakeCert();
  f.Import(t.cert_pem + t.key_pem);
  std::string key_file;
  for (const auto& entry : fs::directory_iterator(f.store.KeyFolderPath())) {
    key_file = entry.path().string();
  }
  REQUIRE(key_file.ends_with(".key"));
  fs::remove(key_file);
  Status s = f.Loader()->LoadFromStore("MY", t.Sha1()).status();
  CHECK(s.win32() == 1312);
  CHECK(s.message() == "the certificate " + HexLower(t.Sha1()) +
                           " in the certificate store MY has no usable "
                           "private key: its key file '" +
                           key_file + "' is missing");
  WriteBatch batch;
  batch.Add(IpBinding(t.Sha1()));
  Status write = f.store.Write(batch, {.verify_certificates = true});
  CHECK(write.message() == "ipport=0.0.0.0:443: " + s.message());
}

TEST_CASE("the store name of the binding is used, case-insensitively") {
  Fixture f;
  TestCert t = MakeCert();
  f.Import(t.cert_pem + t.key_pem, "WebHosting");
  auto loader = f.Loader();
  Binding b = IpBinding(t.Sha1());
  CHECK(loader->Load(b).status().win32() == 1312);  // MY
  b.cert_store_name = "webhosting";
  CHECK(Loaded(loader->Load(b))->source() ==
        "the certificate store webhosting");
  CHECK(loader->LoadFromStore("a/b", t.Sha1()).status().win32() == 1312);
}

TEST_CASE("after Invalidate a deleted certificate is no longer served") {
  Fixture f;
  TestCert t = MakeCert();
  f.Import(t.cert_pem + t.key_pem);
  auto loader = f.Loader();
  CertPtr held = Loaded(loader->LoadFromStore("MY", t.Sha1()));
  WriteBatch del;
  del.DeleteCertificate("MY", t.Sha1());
  REQUIRE(f.store.Write(del).ok());
  CHECK(loader->LoadFromStore("MY", t.Sha1()).ok());  // cached
  loader->Invalidate();
  CHECK(loader->cached_count() == 0);
  CHECK(loader->LoadFromStore("MY", t.Sha1()).status().win32() == 1312);
  // What was handed out stays valid.
  CHECK(DerOf(held->certificate()) == t.der);
}

TEST_CASE("a loader needs an existing store") {
  TempDir dir;
  CHECK(CertificateLoader::Open(dir.File("none.db")).status().IsNotFound());
}

TEST_CASE("threads asking for certificates at once share one load each") {
  Fixture f;
  std::vector<TestCert> certs;
  for (int i = 0; i < 4; ++i) {
    certs.push_back(MakeCert());
    f.Import(certs.back().cert_pem + certs.back().key_pem);
  }
  auto loader = f.Loader();
  constexpr int kThreads = 8;
  std::vector<std::vector<const ServerCertificate*>> seen(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        const TestCert& c = certs[(t + round) % certs.size()];
        Result<CertPtr> r = loader->LoadFromStore("MY", c.Sha1());
        if (!r.ok() || (*r)->thumbprint() != c.Sha1()) {
          ++failures;
          continue;
        }
        if (round < static_cast<int>(certs.size())) seen[t].push_back(r->get());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(loader->cached_count() == certs.size());
  // Every thread got the same object for each certificate.
  for (const TestCert& c : certs) {
    const ServerCertificate* one =
        Loaded(loader->LoadFromStore("MY", c.Sha1())).get();
    for (const auto& per_thread : seen) {
      for (const ServerCertificate* p : per_thread) {
        if (p->thumbprint() == c.Sha1()) CHECK(p == one);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Certificates from the Central Certificate Store.

struct CcsFixture : Fixture {
  fs::path ccs = dir.path() / "ccs";
  TestCert www = MakeCert({.dns_names = {"www.contoso.com"}});
  TestCert wildcard = MakeCert(
      {.common_name = "*.contoso.com", .dns_names = {"*.contoso.com"}});
  TestCert intermediate = MakeCert({.common_name = "CA", .dns_names = {}});

  CcsFixture() {
    fs::create_directory(ccs);
    testing::WriteFile((ccs / "www.contoso.com.pfx").string(),
                       www.Pfx("pw", {&intermediate}));
    testing::WriteFile((ccs / "_.contoso.com.pfx").string(),
                       wildcard.Pfx("pw"));
    WriteBatch batch;
    batch.EnableCcs(ccs.string(), std::string("pw"));
    REQUIRE(store.Write(batch).ok());
  }
};

TEST_CASE(
    "a CCS name loads its file, with its chain, opened with the password") {
  CcsFixture f;
  auto loader = f.Loader();
  CertPtr cert = Loaded(loader->LoadFromCcs("www.contoso.com"));
  CHECK(cert->thumbprint() == f.www.Sha1());
  CHECK(cert->source() == (f.ccs / "www.contoso.com.pfx").string());
  REQUIRE(cert->chain().size() == 1);
  CHECK(DerOf(cert->chain()[0]) == f.intermediate.der);
  CHECK(Handshake(*cert, "www.contoso.com") == f.www.der);
}

TEST_CASE("a CCS name without its own file loads the wildcard file") {
  CcsFixture f;
  auto loader = f.Loader();
  CertPtr cert = Loaded(loader->LoadFromCcs("shop.contoso.com"));
  CHECK(cert->thumbprint() == f.wildcard.Sha1());
  CHECK(loader->LoadFromCcs("www.fabrikam.com").status().win32() == 1312);
  CHECK(loader->LoadFromCcs("../secret").status().IsInvalidArgument());
}

TEST_CASE("ccs bindings load the SNI name's file, scopedccs their own name's") {
  CcsFixture f;
  auto loader = f.Loader();
  Binding ccs(Key(BindingKind::kCcs, "443"));
  CHECK(Loaded(loader->Load(ccs, "www.contoso.com"))->thumbprint() ==
        f.www.Sha1());
  CHECK(loader->Load(ccs).status().IsInvalidArgument());  // no SNI
  Binding scoped(Key(BindingKind::kScopedCcs, "api.contoso.com:443"));
  CHECK(Loaded(loader->Load(scoped, "ignored.example"))->thumbprint() ==
        f.wildcard.Sha1());
}

TEST_CASE("a CCS file is read again when it changes, and cached until then") {
  CcsFixture f;
  auto loader = f.Loader();
  CertPtr before = Loaded(loader->LoadFromCcs("www.contoso.com"));
  CHECK(Loaded(loader->LoadFromCcs("www.contoso.com")).get() == before.get());
  TestCert renewed = MakeCert({.dns_names = {"www.contoso.com"}});
  // Written beside and renamed over, as deployment tools do: a new inode.
  const fs::path file = f.ccs / "www.contoso.com.pfx";
  testing::WriteFile(file.string() + ".new", renewed.Pfx("pw"));
  fs::rename(file.string() + ".new", file);
  CertPtr after = Loaded(loader->LoadFromCcs("www.contoso.com"));
  CHECK(after->thumbprint() == renewed.Sha1());
  CHECK(before->thumbprint() == f.www.Sha1());  // still valid
  // Rewritten in place (same inode): the modification time moves, even if
  // the size happens to be the same.
  const auto mtime = fs::last_write_time(file);
  testing::WriteFile(file.string(), f.www.Pfx("pw"));
  fs::last_write_time(file, mtime + std::chrono::seconds(10));
  CHECK(Loaded(loader->LoadFromCcs("www.contoso.com"))->thumbprint() ==
        f.www.Sha1());
}

TEST_CASE("a resolution's certificate loads, whichever step found it") {
  CcsFixture f;
  TestCert def = MakeCert({.dns_names = {"default.contoso.com"}});
  TestCert sni = MakeCert({.dns_names = {"shop.fabrikam.com"}});
  f.Import(def.cert_pem + def.key_pem);
  f.Import(sni.cert_pem + sni.key_pem, "WebHosting");
  WriteBatch batch;
  batch.Add(IpBinding(def.Sha1()));
  Binding named(Key(BindingKind::kHostnamePort, "shop.fabrikam.com:443"));
  named.cert_hash = sni.Sha1();
  named.cert_store_name = "WebHosting";
  batch.Add(named);
  batch.Add(Binding(Key(BindingKind::kCcs, "443")));
  REQUIRE(f.store.Write(batch, {.verify_certificates = true}).ok());
  auto folder = ListStoreCcsFolder(f.store);
  REQUIRE(folder.ok());
  auto snapshot = Snapshot::Load(f.store, {.ccs_folder = *folder});
  REQUIRE(snapshot.ok());
  auto loader = f.Loader();
  const IpAddress local = IpAddress::Parse("10.0.0.1").value();

  auto thumbprint_for = [&](std::string_view name) {
    Resolution r = (*snapshot)->Resolve(local, 443, name);
    return Loaded(loader->Load(r))->thumbprint();
  };
  CHECK(thumbprint_for("shop.fabrikam.com") == sni.Sha1());  // SNI binding
  CHECK(thumbprint_for("www.contoso.com") == f.www.Sha1());  // CCS file
  CHECK(thumbprint_for("a.contoso.com") == f.wildcard.Sha1());
  CHECK(thumbprint_for("www.example.org") == def.Sha1());  // the default
  CHECK(thumbprint_for("") == def.Sha1());                 // no SNI
  CHECK(loader->Load(Resolution()).status().IsInvalidArgument());
}

TEST_CASE("a wrong CCS password or a disabled CCS is 1312") {
  CcsFixture f;
  WriteBatch wrong;
  wrong.EnableCcs(f.ccs.string(), std::string("not-it"));
  REQUIRE(f.store.Write(wrong).ok());
  auto loader = f.Loader();
  Status s = loader->LoadFromCcs("www.contoso.com").status();
  CHECK(s.win32() == 1312);
  CHECK(s.message().find("password") != std::string::npos);

  WriteBatch off;
  off.DisableCcs();
  REQUIRE(f.store.Write(off).ok());
  loader->Invalidate();
  Status disabled = loader->LoadFromCcs("www.contoso.com").status();
  CHECK(disabled.win32() == 1312);
  CHECK(disabled.message() == "the Central Certificate Store is not enabled");
}

TEST_CASE("a CCS file without a private key is 1312") {
  CcsFixture f;
  testing::WriteFile((f.ccs / "nokey.contoso.com.pfx").string(),
                     f.www.Pfx("pw", {}, /*with_key=*/false));
  auto loader = f.Loader();
  Status s = loader->LoadFromCcs("nokey.contoso.com").status();
  CHECK(s.win32() == 1312);
  CHECK(s.message().find("has no private key") != std::string::npos);
}

}  // namespace
}  // namespace sslbind
