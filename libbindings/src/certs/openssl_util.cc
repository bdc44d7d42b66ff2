// OpenSSL helpers: parsing certificates, keys and PKCS#12 files without
// ever prompting on a terminal or leaving errors on OpenSSL's queue.
#include "certs/openssl_util.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <climits>
#include <ctime>
#include <memory>

#include "certs/pkcs12_work.h"
#include "sslbind/text.h"

namespace sslbind::internal {
namespace {

// As Windows shows names: most specific part first, ", " between parts,
// UTF-8 kept as it is.
std::string NameToString(const X509_NAME* name) {
  constexpr unsigned long kFlags =
      (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | XN_FLAG_SEP_CPLUS_SPC |
      XN_FLAG_DN_REV | XN_FLAG_FN_SN | XN_FLAG_DUMP_UNKNOWN_FIELDS;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, kFlags) < 0) return "";
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

int64_t ToUnixTime(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string AsciiString(const ASN1_STRING* s) {
  const unsigned char* data = ASN1_STRING_get0_data(s);
  int n = ASN1_STRING_length(s);
  if (data == nullptr || n <= 0) return "";
  std::string out(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
  // An embedded NUL is the classic name-confusion attack: such a name
  // matches nothing.
  if (out.find('\0') != std::string::npos) return "";
  return FoldCase(out);
}

std::vector<std::string> DnsNames(X509* cert) {
  std::vector<std::string> names;
  // Owned, so that it is freed also when a push_back throws.
  std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> sans(
      static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)),
      &GENERAL_NAMES_free);
  if (sans == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
    if (gn->type != GEN_DNS) continue;
    std::string name = AsciiString(gn->d.dNSName);
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

std::string CommonName(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  int last = -1;
  for (int i = -1;;) {
    i = X509_NAME_get_index_by_NID(subject, NID_commonName, i);
    if (i < 0) break;
    last = i;
  }
  if (last < 0) return "";
  const ASN1_STRING* value =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, last));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, value);
  if (n < 0) return "";
  std::string cn(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  if (cn.find('\0') != std::string::npos) return "";
  return FoldCase(cn);
}

std::string SerialNumber(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (bn == nullptr) return "";
  char* hex = BN_bn2hex(bn);
  BN_free(bn);
  if (hex == nullptr) return "";
  std::string out = FoldCase(hex);
  OPENSSL_free(hex);
  return out;
}

// The PEM password callback: hands over the password, never prompts.
struct PasswordSource {
  std::string_view password;
  bool asked = false;
};

int PasswordCallback(char* buf, int size, int /*rwflag*/, void* user) {
  auto* source = static_cast<PasswordSource*>(user);
  source->asked = true;
  if (source->password.empty() ||
      source->password.size() > static_cast<size_t>(size)) {
    return -1;
  }
  source->password.copy(buf, source->password.size());
  return static_cast<int>(source->password.size());
}

// A library context with OpenSSL's default and legacy providers, for PKCS#12
// files encrypted with RC2 or DES (Windows Server 2016 and older export
// certificates with RC2-40). Created once; never the process's default
// context. Null if the legacy provider is not installed.
OSSL_LIB_CTX* LegacyContext() {
  static OSSL_LIB_CTX* const context = [] {
    OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
    if (ctx == nullptr) return ctx;
    if (OSSL_PROVIDER_load(ctx, "default") == nullptr ||
        OSSL_PROVIDER_load(ctx, "legacy") == nullptr) {
      OSSL_LIB_CTX_free(ctx);
      ERR_clear_error();
      return static_cast<OSSL_LIB_CTX*>(nullptr);
    }
    return ctx;
  }();
  return context;
}

bool IsUnsupportedAlgorithm(unsigned long err, const std::string& why) {
  return ERR_GET_REASON(err) == ERR_R_UNSUPPORTED ||
         why.find("unsupported") != std::string::npos;
}

// PKCS12_parse into `contents`; with `legacy`, with the legacy context as
// this thread's default for the call only.
int ParseWith(PKCS12* p12, const char* pass, bool legacy,
              Pkcs12Contents* contents) {
  OSSL_LIB_CTX* previous = nullptr;
  if (legacy) previous = OSSL_LIB_CTX_set0_default(LegacyContext());
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  int ok = PKCS12_parse(p12, pass, &key, &cert, &ca);
  if (legacy) OSSL_LIB_CTX_set0_default(previous);
  contents->key.reset(key);
  contents->certificate.reset(cert);
  for (int i = 0; ca != nullptr && i < sk_X509_num(ca); ++i) {
    contents->others.emplace_back(sk_X509_value(ca, i));
  }
  sk_X509_free(ca);  // the certificates are owned by `others` now
  return ok;
}

// Objects made in the legacy context are re-read in the default one, so
// that nothing handed out depends on the legacy provider.
Status MoveToDefaultContext(Pkcs12Contents* contents) {
  auto move_cert = [](X509Ptr& cert) -> Status {
    if (!cert) return Status::Ok();
    std::vector<uint8_t> der = ToDer(cert.get());
    Result<X509Ptr> again = ParseDerCertificate(der);
    if (!again.ok()) return again.status();
    cert = std::move(*again);
    return Status::Ok();
  };
  Status s = move_cert(contents->certificate);
  for (X509Ptr& other : contents->others) {
    if (s.ok()) s = move_cert(other);
  }
  if (s.ok() && contents->key) {
    Result<std::string> pem = ToPkcs8Pem(contents->key.get());
    if (!pem.ok()) return pem.status();
    Result<EvpPkeyPtr> key = ParsePemPrivateKey(*pem, "");
    Wipe(*pem);
    if (!key.ok()) return key.status();
    contents->key = std::move(*key);
  }
  return s;
}

}  // namespace

std::string TakeOpenSslError() {
  unsigned long last = 0;
  for (unsigned long e; (e = ERR_get_error()) != 0;) last = e;
  if (last == 0) return "";
  const char* reason = ERR_reason_error_string(last);
  return reason ? reason : "error " + std::to_string(last);
}

Result<X509Ptr> ParseDerCertificate(std::span<const uint8_t> der) {
  if (der.empty() || der.size() > static_cast<size_t>(LONG_MAX)) {
    return Status::InvalidArgument("not a DER certificate (empty)");
  }
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    return Status::InvalidArgument("not a DER certificate: " +
                                   TakeOpenSslError());
  }
  if (p != der.data() + der.size()) {
    return Status::InvalidArgument(
        "not a DER certificate: bytes follow the certificate");
  }
  return cert;
}

std::vector<uint8_t> ToDer(X509* cert) {
  unsigned char* buf = nullptr;
  int n = i2d_X509(cert, &buf);
  if (n <= 0) return {};
  std::vector<uint8_t> der(buf, buf + n);
  OPENSSL_free(buf);
  return der;
}

std::vector<uint8_t> Sha1Thumbprint(std::span<const uint8_t> der) {
  std::vector<uint8_t> digest(SHA_DIGEST_LENGTH);
  SHA1(der.data(), der.size(), digest.data());
  return digest;
}

CertificateInfo DescribeCertificate(X509* cert, std::span<const uint8_t> der) {
  CertificateInfo info;
  info.thumbprint = Sha1Thumbprint(der);
  info.subject = NameToString(X509_get_subject_name(cert));
  info.issuer = NameToString(X509_get_issuer_name(cert));
  info.dns_names = DnsNames(cert);
  info.common_name = CommonName(cert);
  info.serial_number = SerialNumber(cert);
  info.not_before = ToUnixTime(X509_get0_notBefore(cert));
  info.not_after = ToUnixTime(X509_get0_notAfter(cert));
  ERR_clear_error();
  return info;
}

Result<EvpPkeyPtr> ParsePemPrivateKey(std::string_view pem,
                                      std::string_view password) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Status::Internal("out of memory");
  PasswordSource source{password};
  EvpPkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, PasswordCallback, &source));
  if (!key) {
    std::string why = TakeOpenSslError();
    if (source.asked && password.empty()) {
      return Status::InvalidArgument(
          "the private key is encrypted: give its password with password=");
    }
    if (source.asked) {
      return Status::InvalidArgument(
          "the private key cannot be decrypted: the password is wrong");
    }
    return Status::InvalidArgument("the private key cannot be read: " + why);
  }
  return key;
}

Result<std::string> ToPkcs8Pem(EVP_PKEY* key) {
  // A secure-memory BIO is wiped when freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                       nullptr, nullptr) != 1) {
    return Status::Internal("cannot encode the private key: " +
                            TakeOpenSslError());
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  if (n <= 0) return Status::Internal("cannot encode the private key");
  return std::string(data, static_cast<size_t>(n));
}

bool LooksLikePkcs12(std::span<const uint8_t> data) {
  if (data.empty() || data.size() > static_cast<size_t>(LONG_MAX)) {
    return false;
  }
  const unsigned char* p = data.data();
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(data.size())));
  ERR_clear_error();
  return p12 != nullptr;
}

Result<Pkcs12Contents> ParsePkcs12(std::span<const uint8_t> data,
                                   std::string_view password) {
  if (data.empty() || data.size() > static_cast<size_t>(LONG_MAX)) {
    return Status::InvalidArgument("not a PKCS#12 file");
  }
  const unsigned char* p = data.data();
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(data.size())));
  if (!p12) {
    return Status::InvalidArgument("not a PKCS#12 file: " + TakeOpenSslError());
  }
  std::string pass(password);
  const char* pass_arg = pass.empty() ? nullptr : pass.c_str();
  // Before any key is derived: a small file can ask for minutes of work.
  if (Status s = CheckPkcs12Work(p12.get(), pass_arg, LegacyContext());
      !s.ok()) {
    Wipe(pass);
    return s;
  }
  Pkcs12Contents contents;
  int ok = ParseWith(p12.get(), pass_arg, false, &contents);
  unsigned long err = ok == 1 ? 0 : ERR_peek_last_error();
  std::string why = ok == 1 ? "" : TakeOpenSslError();
  bool legacy = false;
  if (ok != 1 && IsUnsupportedAlgorithm(err, why) &&
      LegacyContext() != nullptr) {
    contents = Pkcs12Contents();
    ok = ParseWith(p12.get(), pass_arg, true, &contents);
    err = ok == 1 ? 0 : ERR_peek_last_error();
    why = ok == 1 ? "" : TakeOpenSslError();
    legacy = true;
  }
  Wipe(pass);
  if (ok != 1) {
    if (ERR_GET_LIB(err) == ERR_LIB_PKCS12 &&
        ERR_GET_REASON(err) == PKCS12_R_MAC_VERIFY_FAILURE) {
      return Status::InvalidArgument(
          password.empty()
              ? "the PKCS#12 file needs a password: give it with password="
              : "the password of the PKCS#12 file is wrong");
    }
    if (IsUnsupportedAlgorithm(err, why)) {
      return Status::InvalidArgument(
          "the PKCS#12 file uses an encryption this OpenSSL cannot read "
          "(RC2 or DES need OpenSSL's legacy provider, which is not "
          "installed): export it again with AES-256 (Windows: AES256-SHA256)");
    }
    return Status::InvalidArgument("the PKCS#12 file cannot be opened: " + why);
  }
  if (legacy) {
    Status s = MoveToDefaultContext(&contents);
    if (!s.ok()) return s;
  }
  if (!contents.certificate && !contents.others.empty()) {
    // No key: PKCS12_parse puts every certificate in the CA list.
    contents.certificate = std::move(contents.others.front());
    contents.others.erase(contents.others.begin());
  }
  if (!contents.certificate) {
    return Status::InvalidArgument("the PKCS#12 file holds no certificate");
  }
  if (contents.key && X509_check_private_key(contents.certificate.get(),
                                             contents.key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument(
        "the private key in the PKCS#12 file belongs to none of its "
        "certificates");
  }
  return contents;
}

}  // namespace sslbind::internal
