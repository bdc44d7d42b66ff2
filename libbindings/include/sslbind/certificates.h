// sslbind/certificates.h: the certificate stores kept in the same hive.
//
// As Windows keeps LocalMachine certificates, a certificate lives in a named
// certificate store (MY, WebHosting, ...) under
//   SOFTWARE\Microsoft\SystemCertificates\<STORE>\Certificates\<THUMBPRINT>
// with the DER certificate as its Blob value (REG_BINARY). Store names are
// case-insensitive (MY is My). The thumbprint is the SHA-1 of the DER
// certificate: upper-case hex in the key name, as Windows writes it, and
// lower-case hex wherever sslbind prints it.
//
// Private keys are not kept in the database. Each is a file in the key folder
// beside the store file, <store file>.keys/<THUMBPRINT>.<id>.key (PEM
// PKCS#8; folder 0700, files 0600), named by an id that the certificate's
// key holds in its SslbindKeyId value. A key file is never changed: a new
// key is a new file, written before the transaction that references it
// commits; the file it replaces is removed after. The library never hands
// key material out except to a server, through sslbind/openssl.h.
//
// Certificates change through WriteBatch::PutCertificate and
// DeleteCertificate, in the same transaction as bindings; Store::Write can
// also check added and updated bindings against these stores (error 1312,
// see WriteOptions in store.h).
//
// Everything here is a plain value or a function of its arguments, and
// thread-compatible. Nothing here exposes OpenSSL types.
#ifndef SSLBIND_CERTIFICATES_H_
#define SSLBIND_CERTIFICATES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/status.h"

namespace sslbind {

class Store;

inline constexpr std::string_view kSystemCertificatesPath =
    "SOFTWARE\\Microsoft\\SystemCertificates";
// The store HTTP.sys uses when a binding names none.
inline constexpr std::string_view kDefaultCertStoreName = "MY";

// Checks a certificate store name: valid UTF-8, 1 to 64 characters: letters
// (of any script), digits, '_', '-' and inner spaces ("Remote Desktop",
// "Zertifikate für Web"); no dot, slash, backslash or control character.
// InvalidArgument names it (quoted with QuoteForMessage) and, for bytes that
// are not UTF-8, the offset of the first. The one rule for every store name:
// certstorename and sslctlstorename of a binding, from any input, and the
// store= of the cert commands. (The name becomes part of a registry path, so
// this is a boundary.)
Status ValidateCertStoreName(std::string_view name);

// The store a binding's certificate is looked up in: its certstorename, or
// MY when it has none.
std::string_view EffectiveCertStoreName(const Binding& binding);

// The registry key of a certificate, e.g.
// "SOFTWARE\\Microsoft\\SystemCertificates\\MY\\Certificates\\0A1B...".
std::string CertificateKeyPath(std::string_view store_name,
                               const std::vector<uint8_t>& thumbprint);

// What a certificate says, read from its DER form.
struct CertificateInfo {
  // SHA-1 of the DER certificate (20 bytes).
  std::vector<uint8_t> thumbprint;
  // Distinguished names, most specific part first, as Windows shows them:
  // "CN=www.contoso.com, O=Contoso, C=US".
  std::string subject;
  std::string issuer;
  // The subjectAltName dNSName entries, in certificate order, lower case.
  std::vector<std::string> dns_names;
  // The subject's most specific commonName, lower case; empty if none.
  std::string common_name;
  // Lower-case hex, without leading zero bytes.
  std::string serial_number;
  // Validity, in seconds since 1970-01-01 00:00:00 UTC.
  int64_t not_before = 0;
  int64_t not_after = 0;

  // Parses a DER certificate; InvalidArgument if it is not one.
  static Result<CertificateInfo> FromDer(std::span<const uint8_t> der);
};

// Whether a TLS client asking for `hostname` accepts this certificate, by
// the rules of RFC 6125 section 6.4: the name is compared, case-insensitively,
// with each DNS name of the certificate (with the subject's commonName only
// when the certificate has no DNS name at all). A DNS name "*.contoso.com"
// covers exactly one extra left-most label: "a.contoso.com", not
// "contoso.com" nor "a.b.contoso.com"; a '*' anywhere else, or a wildcard
// whose parent has fewer than two labels ("*.com"), matches nothing.
// A wildcard `hostname` (an SNI binding "*.contoso.com") is covered only by
// the same wildcard DNS name.
bool CertificateCoversName(const CertificateInfo& certificate,
                           std::string_view hostname);

// What the key folder holds for a certificate.
enum class PrivateKeyState : uint8_t {
  kPresent,     // a key file that parses and belongs to the certificate
  kMissing,     // no key file
  kUnusable,    // a key file that does not parse or belongs to another key
  kUnreadable,  // this process may not read the key folder
};

// A certificate in one of the certificate stores.
struct StoredCertificate {
  // The store name as its registry key spells it ("MY", "WebHosting").
  std::string store_name;
  CertificateInfo info;
  // The DER certificate (the Blob value).
  std::vector<uint8_t> der;
  PrivateKeyState private_key = PrivateKeyState::kMissing;
  // For kUnusable and kUnreadable: why, in plain words.
  std::string private_key_problem;

  bool has_private_key() const {
    return private_key == PrivateKeyState::kPresent;
  }
};

// The certificates of the store named `store_name`, or of every store when
// it is empty; ordered by store name (case-insensitively), then thumbprint.
// InvalidArgument for a bad store name; IncompatibleStore names a
// certificate key that is not a certificate.
Result<std::vector<StoredCertificate>> ListCertificates(
    const Store& store, std::string_view store_name = {});

// One certificate; NotFound (2) if the store does not hold it.
Result<StoredCertificate> GetCertificate(
    const Store& store, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint);

// The keys of the bindings that name this certificate: same hash, and same
// store name (case-insensitively; a binding without one names MY). Keeps the
// order of `bindings`.
std::vector<BindingKey> BindingsUsingCertificate(
    std::span<const Binding> bindings, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint);

// A certificate and, optionally, its private key, read from a file to be
// imported with WriteBatch::PutCertificate. Holds the key in memory and wipes
// it when destroyed; it never gives the key back. Movable, not copyable.
class CertificateBundle {
 public:
  // Reads, whatever the file's name says:
  // - PEM: a CERTIFICATE, with or without a private key (PRIVATE KEY,
  //   RSA/EC PRIVATE KEY, or ENCRYPTED PRIVATE KEY opened with `password`);
  // - DER: a certificate alone (a Windows .cer);
  // - PKCS#12 (.pfx/.p12), with `password`, or none (an empty password).
  // With a key, the certificate is the one the key belongs to; without, the
  // first. The file's other certificates (a chain) are not imported; see
  // ignored_certificates(). InvalidArgument says what is wrong: not a
  // certificate, a wrong or missing password, a key that belongs to none of
  // the certificates, two private keys.
  static Result<CertificateBundle> Parse(std::span<const uint8_t> data,
                                         std::string_view password = {});

  CertificateBundle(CertificateBundle&&) noexcept;
  CertificateBundle& operator=(CertificateBundle&&) noexcept;
  CertificateBundle(const CertificateBundle&) = delete;
  CertificateBundle& operator=(const CertificateBundle&) = delete;
  ~CertificateBundle();

  const std::vector<uint8_t>& der() const { return der_; }
  const CertificateInfo& info() const { return info_; }
  bool has_private_key() const { return !key_pem_.empty(); }
  // How many other certificates the file held (they were left out).
  size_t ignored_certificates() const { return ignored_certificates_; }

 private:
  friend struct CertificateBundleAccess;  // the store's write path
  CertificateBundle() = default;

  std::vector<uint8_t> der_;
  CertificateInfo info_;
  std::string key_pem_;  // PKCS#8 PEM, or empty
  size_t ignored_certificates_ = 0;
};

// What CheckCertificates can report about a binding's certificate.
enum class CertificateProblem : uint8_t {
  kMissing,         // not in the binding's store (HTTP.sys: error 1312)
  kNoPrivateKey,    // in the store, without a usable private key (1312)
  kExpired,         // not_after is in the past
  kNotYetValid,     // not_before is in the future
  kExpiresSoon,     // expires within CertificateCheckOptions::expiring_days
  kNameNotCovered,  // an SNI name the certificate does not cover
};

// A stable code for scripts (`sslbind check` prints it): "certificate-missing",
// "no-private-key", "certificate-expired", "certificate-not-yet-valid",
// "certificate-expiring", "name-not-covered".
std::string_view CertificateProblemName(CertificateProblem problem);

struct CertificateFinding {
  BindingKey binding;
  CertificateProblem problem;
  // The certificate concerned (the binding's hash).
  std::vector<uint8_t> thumbprint;
  // One plain sentence naming the certificate, its store and what is wrong,
  // e.g. "the certificate 0a1b... is not in the certificate store MY".
  std::string message;
};

struct CertificateCheckOptions {
  // The time to check validity against, in seconds since the Unix epoch.
  int64_t now = 0;
  // Report certificates that expire within this many days; negative: never.
  int expiring_days = -1;
};

// Checks the certificates of ipport and hostnameport bindings (ccs and
// scopedccs bindings take theirs from the CCS folder: see sslbind/ccs.h):
// missing or without a private key (then nothing else is said about that
// binding), expired, not yet valid, expiring soon, and for hostnameport the
// name not covered. A key folder this process may not read is not a
// finding: the key is then not checked. Findings come in binding order, then
// problem order. Each certificate is read once however many bindings name
// it.
Result<std::vector<CertificateFinding>> CheckCertificates(
    const Store& store, std::span<const Binding> bindings,
    const CertificateCheckOptions& options);

}  // namespace sslbind

#endif  // SSLBIND_CERTIFICATES_H_
