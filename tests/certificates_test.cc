// Tests for sslbind/certificates.h: reading certificate files, the
// certificate stores in the hive with their key files, name matching, the
// certificate check of Store::Write (WriteOptions) and CheckCertificates.
#include "sslbind/certificates.h"

#include <doctest/doctest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/provider.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cert_test_util.h"
#include "certs/cert_registry.h"
#include "certs/key_folder.h"
#include "sslbind/parameters.h"
#include "sslbind/store.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::Bytes;
using testing::CertSpec;
using testing::Key;
using testing::MakeCert;
using testing::TempDir;
using testing::TestCert;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};
const WriteOptions kVerify{.verify_certificates = true};

CertificateBundle Parse(const std::vector<uint8_t>& data,
                        std::string_view password = {}) {
  Result<CertificateBundle> b = CertificateBundle::Parse(data, password);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  return std::move(*b);
}

Status ParseError(const std::vector<uint8_t>& data,
                  std::string_view password = {}) {
  Result<CertificateBundle> b = CertificateBundle::Parse(data, password);
  REQUIRE(!b.ok());
  return b.status();
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

Store OpenStore(const TempDir& dir) {
  Result<Store> store = Store::Open(dir.File("bindings.db"), kWrite);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(*store);
}

Status Import(Store& store, const std::string& data_or_pem,
              std::string store_name = "MY") {
  WriteBatch batch;
  batch.PutCertificate(std::move(store_name), Parse(Bytes(data_or_pem)));
  return store.Write(batch);
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Binding IpBinding(const std::string& ipport, const std::vector<uint8_t>& hash,
                  std::optional<std::string> store_name = std::nullopt) {
  Binding b(Key(BindingKind::kIpPort, ipport));
  b.cert_hash = hash;
  b.app_id.bytes[0] = 1;
  b.cert_store_name = std::move(store_name);
  return b;
}

Binding SniBinding(const std::string& name_port,
                   const std::vector<uint8_t>& hash) {
  Binding b(Key(BindingKind::kHostnamePort, name_port));
  b.cert_hash = hash;
  b.app_id.bytes[0] = 1;
  b.cert_store_name = "MY";
  return b;
}

// ---------------------------------------------------------------------------
// Reading certificate files.

TEST_CASE("a PEM file with a certificate and its key yields both") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(Bytes(t.cert_pem + t.key_pem));
  CHECK(b.has_private_key());
  CHECK(b.der() == t.der);
  CHECK(b.info().thumbprint == t.Sha1());
  CHECK(b.ignored_certificates() == 0);
}

TEST_CASE("the key may come before the certificate in a PEM file") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(Bytes(t.key_pem + t.cert_pem));
  CHECK(b.has_private_key());
  CHECK(b.der() == t.der);
}

TEST_CASE("a PEM certificate alone yields no key") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(Bytes(t.cert_pem));
  CHECK_FALSE(b.has_private_key());
  CHECK(b.info().thumbprint == t.Sha1());
}

TEST_CASE("a DER certificate, as Windows exports a .cer, is read") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(t.der);
  CHECK_FALSE(b.has_private_key());
  CHECK(b.der() == t.der);
}

TEST_CASE("a PFX with a password opens only with that password") {
  TestCert t = MakeCert();
  std::vector<uint8_t> pfx = t.Pfx("s3cret");
  Status missing = ParseError(pfx);
  CHECK(missing.IsInvalidArgument());
  CHECK(Contains(missing.message(), "needs a password"));
  Status wrong = ParseError(pfx, "guess");
  CHECK(wrong.IsInvalidArgument());
  CHECK(Contains(wrong.message(), "password of the PKCS#12 file is wrong"));
  CertificateBundle b = Parse(pfx, "s3cret");
  CHECK(b.has_private_key());
  CHECK(b.der() == t.der);
}

TEST_CASE("a PFX with the empty password opens without a password") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(t.Pfx(""));
  CHECK(b.has_private_key());
  CHECK(b.info().thumbprint == t.Sha1());
}

TEST_CASE("a PFX with no encryption and no MAC opens") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(t.Pfx(nullptr));
  CHECK(b.has_private_key());
  CHECK(b.der() == t.der);
}

TEST_CASE("a PFX encrypted with RC2, as older Windows exports, is read") {
  // Made in a context of its own: the test process's default context has
  // no legacy provider, as a server's would not.
  TestCert t = MakeCert();
  OSSL_LIB_CTX* legacy = OSSL_LIB_CTX_new();
  OSSL_PROVIDER* legacy_provider = OSSL_PROVIDER_load(legacy, "legacy");
  OSSL_PROVIDER* default_provider = OSSL_PROVIDER_load(legacy, "default");
  REQUIRE(legacy_provider != nullptr);
  REQUIRE(default_provider != nullptr);
  PKCS12* p12 = PKCS12_create_ex(
      "pw", "test", t.key.get(), t.x509.get(), nullptr,
      NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And40BitRC2_CBC,
      0, 0, 0, legacy, nullptr);
  REQUIRE(p12 != nullptr);
  unsigned char* buf = nullptr;
  int len = i2d_PKCS12(p12, &buf);
  std::vector<uint8_t> pfx(buf, buf + len);
  OPENSSL_free(buf);
  PKCS12_free(p12);
  OSSL_PROVIDER_unload(legacy_provider);
  OSSL_PROVIDER_unload(default_provider);
  OSSL_LIB_CTX_free(legacy);

  CertificateBundle b = Parse(pfx, "pw");
  CHECK(b.has_private_key());
  CHECK(b.der() == t.der);
  CHECK(OSSL_PROVIDER_available(nullptr, "legacy") == 0);
}

TEST_CASE(
    "a PFX asking for 20,000,000 MAC iterations is refused before deriving "
    "a key") {
  // Made with 2 iterations, then the count is raised in the structure: the
  // MAC no longer matches, but sslbind must refuse before checking it.
  TestCert t = MakeCert();
  std::vector<uint8_t> small = t.Pfx("pw");
  const unsigned char* p = small.data();
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(small.size()));
  REQUIRE(p12 != nullptr);
  const ASN1_INTEGER* iterations = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &iterations, p12);
  REQUIRE(iterations != nullptr);
  REQUIRE(ASN1_INTEGER_set_int64(const_cast<ASN1_INTEGER*>(iterations),
                                 20'000'000) == 1);
  unsigned char* buf = nullptr;
  int len = i2d_PKCS12(p12, &buf);
  std::vector<uint8_t> pfx(buf, buf + len);
  OPENSSL_free(buf);
  PKCS12_free(p12);

  Status s = ParseError(pfx, "pw");
  CHECK(s.IsInvalidArgument());
  CHECK(s.message() ==
        "the PKCS#12 file asks for 20000000 key derivation iterations for "
        "its integrity check (MAC); sslbind opens files of at most 1000000 "
        "(Windows writes 2000, OpenSSL 2048): export it again with the "
        "usual settings");
}

TEST_CASE("a PFX of certificates only yields the first without a key") {
  TestCert t = MakeCert();
  CertificateBundle b = Parse(t.Pfx("", {}, /*with_key=*/false));
  CHECK_FALSE(b.has_private_key());
  CHECK(b.der() == t.der);
}

TEST_CASE("a chain in a PFX is left out and counted") {
  TestCert leaf = MakeCert();
  TestCert ca1 = MakeCert({.common_name = "Contoso CA", .dns_names = {}});
  TestCert ca2 = MakeCert({.common_name = "Contoso Root", .dns_names = {}});
  CertificateBundle b = Parse(leaf.Pfx("pw", {&ca1, &ca2}), "pw");
  CHECK(b.der() == leaf.der);
  CHECK(b.has_private_key());
  CHECK(b.ignored_certificates() == 2);
}

TEST_CASE("in a PEM chain the certificate the key belongs to is chosen") {
  TestCert leaf = MakeCert();
  TestCert ca = MakeCert({.common_name = "Contoso CA", .dns_names = {}});
  CertificateBundle b =
      Parse(Bytes(ca.cert_pem + leaf.cert_pem + leaf.key_pem));
  CHECK(b.der() == leaf.der);
  CHECK(b.ignored_certificates() == 1);
  // Without a key, the first certificate is the one.
  CHECK(Parse(Bytes(ca.cert_pem + leaf.cert_pem)).der() == ca.der);
}

TEST_CASE("an encrypted PEM key opens with its password") {
  TestCert t = MakeCert();
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(bio, t.key.get(), EVP_aes_256_cbc(), nullptr, 0,
                                nullptr, const_cast<char*>("pw"));
  std::string encrypted = testing::BioText(bio);
  REQUIRE(Contains(encrypted, "ENCRYPTED PRIVATE KEY"));
  std::vector<uint8_t> file = Bytes(t.cert_pem + encrypted);
  CHECK(Contains(ParseError(file).message(), "encrypted"));
  CHECK(Contains(ParseError(file, "nope").message(), "password is wrong"));
  CHECK(Parse(file, "pw").has_private_key());
}

TEST_CASE("a key that belongs to none of the certificates is refused") {
  TestCert a = MakeCert();
  TestCert b = MakeCert();
  Status s = ParseError(Bytes(a.cert_pem + b.key_pem));
  CHECK(s.IsInvalidArgument());
  CHECK(Contains(s.message(), "belongs to none"));
}

TEST_CASE("a PEM file with two private keys is refused") {
  TestCert a = MakeCert();
  TestCert b = MakeCert();
  Status s = ParseError(Bytes(a.cert_pem + a.key_pem + b.key_pem));
  CHECK(Contains(s.message(), "two private keys"));
}

TEST_CASE("a file that is no certificate is refused saying so") {
  CHECK(Contains(ParseError(Bytes("hello, world\n")).message(),
                 "not a certificate file"));
  CHECK(Contains(ParseError(Bytes("-----BEGIN NOTHING-----\n")).message(),
                 "no CERTIFICATE"));
  CHECK(ParseError({}).IsInvalidArgument());
}

TEST_CASE("a certificate's names, serial number and dates are read") {
  TestCert t = MakeCert({.common_name = "WWW.Contoso.com",
                         .dns_names = {"WWW.contoso.com", "*.contoso.com"},
                         .not_before = -10,
                         .not_after = 1000});
  Result<CertificateInfo> info = CertificateInfo::FromDer(t.der);
  REQUIRE(info.ok());
  CHECK(info->subject == "CN=WWW.Contoso.com, O=Contoso");
  CHECK(info->issuer == info->subject);
  CHECK(info->dns_names ==
        std::vector<std::string>{"www.contoso.com", "*.contoso.com"});
  CHECK(info->common_name == "www.contoso.com");
  CHECK(info->serial_number == "01");
  const int64_t now = std::time(nullptr);
  CHECK(info->not_before <= now - 10);
  CHECK(info->not_before >= now - 20);
  CHECK(info->not_after >= now + 990);
  CHECK(info->not_after <= now + 1000);
  CHECK(info->thumbprint == t.Sha1());
  CHECK(CertificateInfo::FromDer(Bytes("junk")).status().IsInvalidArgument());
}

// ---------------------------------------------------------------------------
// Name matching.

bool Covers(std::vector<std::string> dns, std::string_view name,
            std::string cn = "") {
  CertificateInfo info;
  info.dns_names = std::move(dns);
  info.common_name = std::move(cn);
  return CertificateCoversName(info, name);
}

TEST_CASE("a DNS name covers exactly that name, in any case") {
  CHECK(Covers({"www.contoso.com"}, "www.contoso.com"));
  CHECK(Covers({"www.contoso.com"}, "WWW.Contoso.COM"));
  CHECK(Covers({"www.contoso.com"}, "www.contoso.com."));
  CHECK_FALSE(Covers({"www.contoso.com"}, "contoso.com"));
  CHECK_FALSE(Covers({"www.contoso.com"}, "a.www.contoso.com"));
  CHECK(Covers({"a.com", "b.com"}, "b.com"));
}

TEST_CASE("a wildcard DNS name covers exactly one extra label") {
  CHECK(Covers({"*.contoso.com"}, "a.contoso.com"));
  CHECK(Covers({"*.contoso.com"}, "www.contoso.com"));
  CHECK_FALSE(Covers({"*.contoso.com"}, "contoso.com"));
  CHECK_FALSE(Covers({"*.contoso.com"}, "a.b.contoso.com"));
  CHECK_FALSE(Covers({"*.contoso.com"}, ".contoso.com"));
}

TEST_CASE("wildcards elsewhere than a whole left-most label match nothing") {
  CHECK_FALSE(Covers({"w*.contoso.com"}, "www.contoso.com"));
  CHECK_FALSE(Covers({"www.*.com"}, "www.contoso.com"));
  CHECK_FALSE(Covers({"*.*.com"}, "a.contoso.com"));
  CHECK_FALSE(Covers({"*.com"}, "contoso.com"));
  CHECK_FALSE(Covers({"*"}, "localhost"));
}

TEST_CASE("a wildcard SNI binding is covered only by the same wildcard") {
  CHECK(Covers({"*.contoso.com"}, "*.contoso.com"));
  CHECK_FALSE(Covers({"www.contoso.com"}, "*.contoso.com"));
  CHECK_FALSE(Covers({"*.a.contoso.com"}, "*.contoso.com"));
}

TEST_CASE("the common name counts only when there are no DNS names") {
  CHECK(Covers({}, "www.contoso.com", "www.contoso.com"));
  CHECK(Covers({}, "a.contoso.com", "*.contoso.com"));
  CHECK_FALSE(Covers({"other.com"}, "www.contoso.com", "www.contoso.com"));
  CHECK_FALSE(Covers({}, "www.contoso.com", ""));
}

// ---------------------------------------------------------------------------
// Store names and paths.

TEST_CASE("certificate store names are letters, digits, '_', '-' and spaces") {
  for (const char* ok : {"MY", "My", "WebHosting", "Remote Desktop", "a_b-c"}) {
    CAPTURE(ok);
    CHECK(ValidateCertStoreName(ok).ok());
  }
  for (const char* bad :
       {"", " MY", "MY ", "a\\b", "a/b", "..", "a.b", "MY\\Certificates"}) {
    CAPTURE(bad);
    CHECK(ValidateCertStoreName(bad).IsInvalidArgument());
  }
  CHECK(ValidateCertStoreName(std::string(65, 'a')).IsInvalidArgument());
}

TEST_CASE("a certificate's key is named by its thumbprint in upper case") {
  CHECK(CertificateKeyPath("MY", {0x0a, 0xbc}) ==
        "SOFTWARE\\Microsoft\\SystemCertificates\\MY\\Certificates\\0ABC");
}

TEST_CASE("a binding without a store name uses MY") {
  Binding b = IpBinding("1.1.1.1:443", {1});
  CHECK(EffectiveCertStoreName(b) == "MY");
  b.cert_store_name = "WebHosting";
  CHECK(EffectiveCertStoreName(b) == "WebHosting");
}

// ---------------------------------------------------------------------------
// The certificate stores in the hive, and the key folder.

TEST_CASE("an imported certificate is its DER in the Blob of its key") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  const std::string path = CertificateKeyPath("MY", t.Sha1());
  Result<std::vector<RegistryKey>> keys = store.ReadRegistry(path);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  CHECK((*keys)[0].path == path);
  const RegistryValue* blob = (*keys)[0].Find("Blob");
  REQUIRE(blob != nullptr);
  CHECK(blob->type == RegType::kBinary);
  CHECK(blob->data == t.der);
}

TEST_CASE("the private key is never in the database") {
  TempDir dir;
  TestCert t = MakeCert();
  {
    Store store = OpenStore(dir);
    REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  }
  BIGNUM* priv = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(t.key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &priv));
  std::vector<uint8_t> scalar(BN_num_bytes(priv));
  BN_bn2bin(priv, scalar.data());
  BN_free(priv);
  std::vector<uint8_t> bytes;  // the database and its WAL
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(dir.File("bindings.db") + suffix, std::ios::binary);
    bytes.insert(bytes.end(), std::istreambuf_iterator<char>(in),
                 std::istreambuf_iterator<char>());
  }
  // The certificate is found where it was stored, the key is not.
  CHECK(std::search(bytes.begin(), bytes.end(), t.der.begin(), t.der.end()) !=
        bytes.end());
  CHECK(std::search(bytes.begin(), bytes.end(), scalar.begin(), scalar.end()) ==
        bytes.end());
}

TEST_CASE("the private key is a 0600 file in a 0700 folder beside the store") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  const std::string folder = store.KeyFolderPath();
  CHECK(folder == dir.File("bindings.db.keys"));
  struct stat st;
  REQUIRE(stat(folder.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  std::vector<std::string> files = FilesIn(folder);
  REQUIRE(files.size() == 1);
  std::string hex = HexLower(t.Sha1());
  std::transform(hex.begin(), hex.end(), hex.begin(), ::toupper);
  CHECK(files[0].starts_with(hex + "."));
  CHECK(files[0].ends_with(".key"));
  REQUIRE(stat((folder + "/" + files[0]).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(folder + "/" + files[0]);
  std::string pem((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  CHECK(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}

TEST_CASE("a stored certificate reads back with its key state") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert with = MakeCert();
  TestCert without = MakeCert();
  REQUIRE(Import(store, with.cert_pem + with.key_pem).ok());
  REQUIRE(Import(store, without.cert_pem).ok());
  Result<StoredCertificate> a = GetCertificate(store, "MY", with.Sha1());
  REQUIRE(a.ok());
  CHECK(a->has_private_key());
  CHECK(a->der == with.der);
  CHECK(a->store_name == "MY");
  Result<StoredCertificate> b = GetCertificate(store, "MY", without.Sha1());
  REQUIRE(b.ok());
  CHECK(b->private_key == PrivateKeyState::kMissing);
  CHECK(GetCertificate(store, "MY", {1, 2, 3}).status().IsNotFound());
  CHECK(GetCertificate(store, "WebHosting", with.Sha1()).status().IsNotFound());
}

TEST_CASE("certificate store names compare case-insensitively") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem, "My").ok());
  Result<StoredCertificate> c = GetCertificate(store, "MY", t.Sha1());
  REQUIRE(c.ok());
  CHECK(c->store_name == "My");
  // Importing again through another spelling keeps the first.
  REQUIRE(Import(store, t.cert_pem, "MY").ok());
  Result<std::vector<StoredCertificate>> all = ListCertificates(store, "my");
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK((*all)[0].store_name == "My");
}

TEST_CASE("a certificate imported alone keeps the key stored before") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  REQUIRE(Import(store, t.cert_pem).ok());
  Result<StoredCertificate> c = GetCertificate(store, "MY", t.Sha1());
  REQUIRE(c.ok());
  CHECK(c->has_private_key());
  CHECK(FilesIn(store.KeyFolderPath()).size() == 1);
}

TEST_CASE("importing a key again writes a new file and removes the old") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  std::vector<std::string> before = FilesIn(store.KeyFolderPath());
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  std::vector<std::string> after = FilesIn(store.KeyFolderPath());
  REQUIRE(before.size() == 1);
  REQUIRE(after.size() == 1);
  CHECK(before != after);
  CHECK(GetCertificate(store, "MY", t.Sha1())->has_private_key());
}

TEST_CASE("a batch that fails leaves neither the certificate nor its key") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(store.Add(IpBinding("1.1.1.1:443", {1})).ok());
  WriteBatch batch;
  batch.PutCertificate("MY", Parse(Bytes(t.cert_pem + t.key_pem)));
  batch.Add(IpBinding("1.1.1.1:443", {2}));  // taken
  size_t failed = 99;
  CHECK(store.Write(batch, &failed).IsAlreadyExists());
  CHECK(failed == 1);
  CHECK(GetCertificate(store, "MY", t.Sha1()).status().IsNotFound());
  CHECK(FilesIn(store.KeyFolderPath()).empty());
}

TEST_CASE("a key file nothing references is never taken for a key") {
  // What a crash between writing a key file and committing leaves behind.
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  WriteBatch del;
  del.DeleteCertificate("MY", t.Sha1());
  std::vector<std::string> files = FilesIn(store.KeyFolderPath());
  REQUIRE(files.size() == 1);
  const std::string stray = store.KeyFolderPath() + "/" + files[0];
  std::filesystem::copy_file(stray, stray + ".copy");
  REQUIRE(store.Write(del).ok());
  std::filesystem::rename(stray + ".copy", stray);  // as if not removed
  REQUIRE(Import(store, t.cert_pem).ok());
  Result<StoredCertificate> c = GetCertificate(store, "MY", t.Sha1());
  REQUIRE(c.ok());
  CHECK(c->private_key == PrivateKeyState::kMissing);
}

TEST_CASE("a missing or foreign key file makes the key unusable") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  TestCert other = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  const std::string file =
      store.KeyFolderPath() + "/" + FilesIn(store.KeyFolderPath())[0];
  testing::WriteFile(file, Bytes(other.key_pem));
  Result<StoredCertificate> c = GetCertificate(store, "MY", t.Sha1());
  REQUIRE(c.ok());
  CHECK(c->private_key == PrivateKeyState::kUnusable);
  CHECK(Contains(c->private_key_problem, "another certificate"));
  std::filesystem::remove(file);
  c = GetCertificate(store, "MY", t.Sha1());
  CHECK(c->private_key == PrivateKeyState::kUnusable);
  CHECK(Contains(c->private_key_problem, "missing"));
}

// A vault whose every read fails as a database gone away does.
class UnreachableVault final : public internal::SecretVault {
 public:
  Status Put(const std::string&, std::string_view) const override {
    return Unreachable();
  }
  Result<std::optional<std::string>> Get(const std::string&) const override {
    return Unreachable();
  }
  Result<std::vector<std::string>> List() const override {
    return Unreachable();
  }
  Status Remove(const std::string&) const override { return Unreachable(); }

 private:
  static Status Unreachable() {
    return Status::IoError("server closed the connection unexpectedly");
  }
};

TEST_CASE(
    "a vault that cannot be read fails the read, never makes the key "
    "unusable") {
  // A writer's certificate check met a farm database that had just crashed
  // and said 1312 (no usable key) instead of 1117 (the store failed).
  TestCert t = MakeCert();
  const internal::KeyFolder keys =
      internal::KeyFolder::InVault(std::make_shared<UnreachableVault>(), false);
  Result<internal::CertificateInStore> found = internal::DecodeCertificate(
      internal::EncodeCertificate("MY", t.der, "0123456789abcdef"), keys);
  REQUIRE(!found.ok());
  CHECK(found.status().code() == StatusCode::kIoError);
  CHECK(Contains(found.status().message(), "closed the connection"));
}

TEST_CASE("deleting a certificate removes it and its key file") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  WriteBatch batch;
  batch.DeleteCertificate("my", t.Sha1());
  REQUIRE(store.Write(batch).ok());
  CHECK(GetCertificate(store, "MY", t.Sha1()).status().IsNotFound());
  CHECK(FilesIn(store.KeyFolderPath()).empty());
  Status again = store.Write(batch);
  CHECK(again.IsNotFound());
  CHECK(again.win32() == 2);
}

TEST_CASE("a certificate a binding uses is deleted only when forced") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  REQUIRE(store.Add(IpBinding("1.1.1.1:443", t.Sha1(), "my")).ok());
  REQUIRE(store.Add(SniBinding("www.contoso.com:443", t.Sha1())).ok());
  WriteBatch batch;
  batch.DeleteCertificate("MY", t.Sha1());
  Status s = store.Write(batch);
  CHECK(s.IsInUse());
  CHECK(s.win32() == 32);
  CHECK(Contains(s.message(),
                 "used by ipport=1.1.1.1:443, "
                 "hostnameport=www.contoso.com:443"));
  CHECK(GetCertificate(store, "MY", t.Sha1()).ok());

  WriteBatch forced;
  forced.DeleteCertificate("MY", t.Sha1(), /*force=*/true);
  REQUIRE(store.Write(forced).ok());
  CHECK(GetCertificate(store, "MY", t.Sha1()).status().IsNotFound());
}

TEST_CASE(
    "a binding naming the certificate in another store does not hold it") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  REQUIRE(store.Add(IpBinding("1.1.1.1:443", t.Sha1(), "WebHosting")).ok());
  WriteBatch batch;
  batch.DeleteCertificate("MY", t.Sha1());
  CHECK(store.Write(batch).ok());
}

TEST_CASE("certificates list by store, then thumbprint") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert a = MakeCert();
  TestCert b = MakeCert();
  REQUIRE(Import(store, a.cert_pem, "WebHosting").ok());
  REQUIRE(Import(store, b.cert_pem, "MY").ok());
  REQUIRE(Import(store, a.cert_pem, "MY").ok());
  Result<std::vector<StoredCertificate>> all = ListCertificates(store);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].store_name == "MY");
  CHECK((*all)[1].store_name == "MY");
  CHECK((*all)[0].info.thumbprint < (*all)[1].info.thumbprint);
  CHECK((*all)[2].store_name == "WebHosting");
  Result<std::vector<StoredCertificate>> web =
      ListCertificates(store, "webhosting");
  REQUIRE(web.ok());
  REQUIRE(web->size() == 1);
  CHECK((*web)[0].info.thumbprint == a.Sha1());
  CHECK(ListCertificates(store, "no/such").status().IsInvalidArgument());
}

TEST_CASE("the bindings using a certificate match its hash and store") {
  std::vector<uint8_t> h = {1, 2, 3};
  std::vector<Binding> bindings = {
      IpBinding("1.1.1.1:443", h),                // MY by default
      IpBinding("2.2.2.2:443", h, "my"),          // MY
      IpBinding("3.3.3.3:443", h, "WebHosting"),  // another store
      IpBinding("4.4.4.4:443", {9}),              // another hash
      Binding(Key(BindingKind::kCcs, "443")),     // no hash
  };
  std::vector<BindingKey> users = BindingsUsingCertificate(bindings, "MY", h);
  REQUIRE(users.size() == 2);
  CHECK(users[0] == bindings[0].key);
  CHECK(users[1] == bindings[1].key);
}

// ---------------------------------------------------------------------------
// The certificate check of Store::Write (store.h, WriteOptions): error 1312.

TEST_CASE("unchecked writes are the default") {
  TempDir dir;
  Store store = OpenStore(dir);
  CHECK(store.Add(IpBinding("1.1.1.1:443", {1, 2})).ok());
}

TEST_CASE("a checked add fails with 1312 when the certificate is not there") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  Status s = store.Add(IpBinding("1.1.1.1:443", t.Sha1()), kVerify);
  CHECK(s.IsCertificateUnusable());
  CHECK(s.win32() == 1312);
  CHECK(Contains(s.message(), "ipport=1.1.1.1:443: the certificate " +
                                  HexLower(t.Sha1()) +
                                  " is not in the certificate store MY"));
  CHECK(store.List()->empty());
}

TEST_CASE("a checked add fails with 1312 when the certificate has no key") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem).ok());
  Status s = store.Add(IpBinding("1.1.1.1:443", t.Sha1()), kVerify);
  CHECK(s.win32() == 1312);
  CHECK(
      Contains(s.message(), "in the certificate store MY has no private key"));
  CHECK(store.List()->empty());
}

TEST_CASE("a checked add passes with the certificate and key in its store") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem, "WebHosting").ok());
  CHECK(store.Add(IpBinding("1.1.1.1:443", t.Sha1()), kVerify)
            .IsCertificateUnusable());  // MY does not hold it
  CHECK(store.Add(IpBinding("1.1.1.1:443", t.Sha1(), "webhosting"), kVerify)
            .ok());
}

TEST_CASE("a checked add sees a certificate imported earlier in its batch") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  WriteBatch batch;
  batch.PutCertificate("MY", Parse(Bytes(t.cert_pem + t.key_pem)));
  batch.Add(IpBinding("1.1.1.1:443", t.Sha1()));
  batch.Add(IpBinding("2.2.2.2:443", t.Sha1()));
  CHECK(store.Write(batch, kVerify).ok());
  CHECK(store.List()->size() == 2);
}

TEST_CASE("a dry run of certificate operations writes no key file") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  TestCert other = MakeCert();
  WriteBatch batch;
  batch.PutCertificate("MY", Parse(Bytes(t.cert_pem + t.key_pem)));
  batch.Add(IpBinding("1.1.1.1:443", t.Sha1()));
  // The key "written" by the first operation is what the check reads.
  CHECK(store.Check(batch, kVerify).ok());
  CHECK(store.List()->empty());
  CHECK(FilesIn(store.KeyFolderPath()).empty());

  batch.Add(IpBinding("2.2.2.2:443", other.Sha1()));
  size_t failed = 99;
  CHECK(store.Check(batch, kVerify, &failed).win32() == 1312);
  CHECK(failed == 2);
  CHECK(FilesIn(store.KeyFolderPath()).empty());

  // Deleting a certificate in use is refused in a dry run too: the check
  // scans the bindings as the batch leaves them.
  REQUIRE(store.Write(batch, WriteOptions{}).ok());
  const std::vector<std::string> files = FilesIn(store.KeyFolderPath());
  REQUIRE(files.size() == 1);
  WriteBatch del;
  del.DeleteCertificate("MY", t.Sha1());
  CHECK(store.Check(del).IsInUse());
  WriteBatch unbind_then_delete;
  unbind_then_delete.Delete(Key(BindingKind::kIpPort, "1.1.1.1:443"));
  unbind_then_delete.DeleteCertificate("MY", t.Sha1());
  CHECK(store.Check(unbind_then_delete).ok());
  WriteBatch bind_then_delete;
  bind_then_delete.Add(IpBinding("3.3.3.3:443", other.Sha1()));
  bind_then_delete.DeleteCertificate("MY", other.Sha1());
  REQUIRE(Import(store, other.cert_pem).ok());
  CHECK(store.Check(bind_then_delete).IsInUse());
  CHECK(FilesIn(store.KeyFolderPath()) == files);
  CHECK(store.List()->size() == 2);
}

TEST_CASE("a checked batch is refused whole when one binding fails the check") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert good = MakeCert();
  TestCert missing = MakeCert();
  REQUIRE(Import(store, good.cert_pem + good.key_pem).ok());
  WriteBatch batch;
  batch.Add(IpBinding("1.1.1.1:443", good.Sha1()));
  batch.Add(IpBinding("2.2.2.2:443", missing.Sha1()));
  size_t failed = 99;
  CHECK(store.Write(batch, kVerify, &failed).win32() == 1312);
  CHECK(failed == 1);
  CHECK(store.List()->empty());
}

TEST_CASE("a checked update checks the binding it leaves") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(store.Add(IpBinding("1.1.1.1:443", t.Sha1())).ok());  // unchecked
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kReject, "enable").ok());
  const BindingKey key = Key(BindingKind::kIpPort, "1.1.1.1:443");
  CHECK(store.Update(key, patch, kVerify).win32() == 1312);
  CHECK(store.Update(key, patch).ok());
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  CHECK(store.Update(key, patch, kVerify).ok());
}

TEST_CASE("ccs bindings name no certificate and are not checked") {
  TempDir dir;
  Store store = OpenStore(dir);
  CHECK(store.Add(Binding(Key(BindingKind::kCcs, "443")), kVerify).ok());
}

TEST_CASE("a binding naming an impossible store fails the check") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t = MakeCert();
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  Status s = store.Add(
      IpBinding("1.1.1.1:443", t.Sha1(), "MY\\Certificates\\X"), kVerify);
  CHECK(s.win32() == 1312);
  CHECK(Contains(s.message(), "not a valid certificate store name"));
}

// ---------------------------------------------------------------------------
// CheckCertificates.

std::vector<CertificateProblem> Problems(const Store& store,
                                         const std::vector<Binding>& bindings,
                                         int expiring_days = -1) {
  CertificateCheckOptions options;
  options.now = std::time(nullptr);
  options.expiring_days = expiring_days;
  Result<std::vector<CertificateFinding>> findings =
      CheckCertificates(store, bindings, options);
  REQUIRE_MESSAGE(findings.ok(), findings.status().ToString());
  std::vector<CertificateProblem> problems;
  for (const CertificateFinding& f : *findings) problems.push_back(f.problem);
  return problems;
}

TEST_CASE("the check reports missing certificates and missing keys only") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert nokey = MakeCert({.not_after = -10});  // expired too
  REQUIRE(Import(store, nokey.cert_pem).ok());
  using P = CertificateProblem;
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", {7})}) ==
        std::vector<P>{P::kMissing});
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", nokey.Sha1())}) ==
        std::vector<P>{P::kNoPrivateKey});
}

TEST_CASE(
    "the check reports expired, not yet valid and expiring certificates") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert expired =
      MakeCert({.not_before = -100 * 86400, .not_after = -86400});
  TestCert future = MakeCert({.not_before = 86400, .not_after = 100 * 86400});
  TestCert soon = MakeCert({.not_after = 5 * 86400});
  for (const TestCert* t : {&expired, &future, &soon}) {
    REQUIRE(Import(store, t->cert_pem + t->key_pem).ok());
  }
  using P = CertificateProblem;
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", expired.Sha1())}) ==
        std::vector<P>{P::kExpired});
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", future.Sha1())}) ==
        std::vector<P>{P::kNotYetValid});
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", soon.Sha1())}).empty());
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", soon.Sha1())}, 4).empty());
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", soon.Sha1())}, 5) ==
        std::vector<P>{P::kExpiresSoon});
}

TEST_CASE("the check reports SNI names the certificate does not cover") {
  TempDir dir;
  Store store = OpenStore(dir);
  TestCert t =
      MakeCert({.dns_names = {"www.contoso.com", "*.shop.contoso.com"}});
  REQUIRE(Import(store, t.cert_pem + t.key_pem).ok());
  using P = CertificateProblem;
  CHECK(Problems(store, {SniBinding("www.contoso.com:443", t.Sha1()),
                         SniBinding("a.shop.contoso.com:443", t.Sha1())})
            .empty());
  CHECK(Problems(store, {SniBinding("contoso.com:443", t.Sha1())}) ==
        std::vector<P>{P::kNameNotCovered});
  // IP bindings serve any name: nothing to cover.
  CHECK(Problems(store, {IpBinding("1.1.1.1:443", t.Sha1())}).empty());

  CertificateCheckOptions options;
  options.now = std::time(nullptr);
  std::vector<Binding> one = {SniBinding("a.b.shop.contoso.com:443", t.Sha1())};
  Result<std::vector<CertificateFinding>> f =
      CheckCertificates(store, one, options);
  REQUIRE(f.ok());
  REQUIRE(f->size() == 1);
  CHECK((*f)[0].binding == one[0].key);
  CHECK((*f)[0].thumbprint == t.Sha1());
  CHECK((*f)[0].message ==
        "the certificate " + HexLower(t.Sha1()) +
            " does not cover a.b.shop.contoso.com (its DNS names: "
            "www.contoso.com, *.shop.contoso.com)");
}

TEST_CASE("problem codes are stable words") {
  CHECK(CertificateProblemName(CertificateProblem::kMissing) ==
        "certificate-missing");
  CHECK(CertificateProblemName(CertificateProblem::kNoPrivateKey) ==
        "no-private-key");
  CHECK(CertificateProblemName(CertificateProblem::kExpired) ==
        "certificate-expired");
  CHECK(CertificateProblemName(CertificateProblem::kNotYetValid) ==
        "certificate-not-yet-valid");
  CHECK(CertificateProblemName(CertificateProblem::kExpiresSoon) ==
        "certificate-expiring");
  CHECK(CertificateProblemName(CertificateProblem::kNameNotCovered) ==
        "name-not-covered");
}

}  // namespace
}  // namespace sslbind
