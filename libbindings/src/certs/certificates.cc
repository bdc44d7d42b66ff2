// The certificate stores: reading certificates from files and from the
// hive, name matching (RFC 6125), and the checks of `check`.
#include "sslbind/certificates.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <string_view>

#include "certs/cert_registry.h"
#include "certs/key_folder.h"
#include "certs/openssl_util.h"
#include "certs/store_reads.h"
#include "model/text_rules.h"
#include "sslbind/text.h"

namespace sslbind {

using internal::BioPtr;
using internal::EvpPkeyPtr;
using internal::X509Ptr;

namespace {

bool IsStoreNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ' ';
}

// One name pattern of a certificate against a host name (both lower case,
// no trailing dot).
bool PatternCovers(std::string_view pattern, std::string_view hostname) {
  if (!pattern.empty() && pattern.back() == '.') pattern.remove_suffix(1);
  if (pattern.empty() || hostname.empty()) return false;
  if (hostname.starts_with("*.")) return pattern == hostname;
  if (pattern.find('*') == std::string_view::npos) return pattern == hostname;
  if (!pattern.starts_with("*.")) return false;  // "w*.x.com", "a.*.com"
  std::string_view parent = pattern.substr(2);
  if (parent.find('*') != std::string_view::npos ||
      parent.find('.') == std::string_view::npos) {
    return false;  // "*.*.com", "*.com"
  }
  size_t dot = hostname.find('.');
  if (dot == 0 || dot == std::string_view::npos) return false;
  return hostname.substr(dot + 1) == parent;
}

std::string FormatTime(int64_t seconds) {
  time_t t = static_cast<time_t>(seconds);
  struct tm tm = {};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

Result<CertificateBundle> FromPem(std::span<const uint8_t> data,
                                  std::string_view password) {
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) return Status::Internal("out of memory");
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the end of the file reads as an error
  if (certs.empty()) {
    return Status::InvalidArgument("the PEM file holds no CERTIFICATE");
  }
  std::string_view text(reinterpret_cast<const char*>(data.data()),
                        data.size());
  EvpPkeyPtr key;
  if (text.find("PRIVATE KEY-----") != std::string_view::npos) {
    // Read keys from the text, one PEM block at a time, to refuse two.
    size_t count = 0;
    for (size_t pos = text.find("-----BEGIN "); pos != std::string_view::npos;
         pos = text.find("-----BEGIN ", pos + 1)) {
      size_t eol = text.find('\n', pos);
      std::string_view line = text.substr(pos, eol - pos);
      if (line.find("PRIVATE KEY-----") == std::string_view::npos) continue;
      if (++count > 1) {
        return Status::InvalidArgument(
            "the PEM file holds two private keys; keep only the "
            "certificate's");
      }
      Result<EvpPkeyPtr> parsed =
          internal::ParsePemPrivateKey(text.substr(pos), password);
      if (!parsed.ok()) return parsed.status();
      key = std::move(*parsed);
    }
  }
  size_t chosen = 0;
  if (key) {
    chosen = certs.size();
    for (size_t i = 0; i < certs.size(); ++i) {
      if (X509_check_private_key(certs[i].get(), key.get()) == 1) {
        chosen = i;
        break;
      }
    }
    ERR_clear_error();
    if (chosen == certs.size()) {
      return Status::InvalidArgument(
          "the private key belongs to none of the file's certificates");
    }
  }
  std::vector<uint8_t> der = internal::ToDer(certs[chosen].get());
  CertificateInfo info =
      internal::DescribeCertificate(certs[chosen].get(), der);
  std::string key_pem;
  if (key) {
    Result<std::string> pem = internal::ToPkcs8Pem(key.get());
    if (!pem.ok()) return pem.status();
    key_pem = std::move(*pem);
  }
  return CertificateBundleAccess::Make(std::move(der), std::move(info),
                                       std::move(key_pem), certs.size() - 1);
}

Result<CertificateBundle> FromPkcs12(std::span<const uint8_t> data,
                                     std::string_view password) {
  Result<internal::Pkcs12Contents> p12 = internal::ParsePkcs12(data, password);
  if (!p12.ok()) return p12.status();
  std::vector<uint8_t> der = internal::ToDer(p12->certificate.get());
  CertificateInfo info =
      internal::DescribeCertificate(p12->certificate.get(), der);
  std::string key_pem;
  if (p12->key) {
    Result<std::string> pem = internal::ToPkcs8Pem(p12->key.get());
    if (!pem.ok()) return pem.status();
    key_pem = std::move(*pem);
  }
  return CertificateBundleAccess::Make(std::move(der), std::move(info),
                                       std::move(key_pem), p12->others.size());
}

}  // namespace

Status ValidateCertStoreName(std::string_view name) {
  const size_t bad = FindInvalidUtf8(name);
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument(
        "certificate store name " + QuoteForMessage(name) +
        ": the byte at offset " + std::to_string(bad) + " is not valid UTF-8");
  }
  size_t characters = 0;
  bool allowed = true;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if ((c & 0xc0) != 0x80) ++characters;  // not a continuation byte
    // ASCII: the characters of IsStoreNameChar. Beyond ASCII: letters of
    // other scripts ("Zertifikate für Web"), C1 controls (C2 80..9F) aside.
    if (c < 0x80) {
      allowed = allowed && IsStoreNameChar(static_cast<char>(c));
    } else if (internal::IsC1ControlAt(name, i)) {
      allowed = false;
    }
  }
  if (characters == 0 || characters > 64) {
    return Status::InvalidArgument("certificate store name " +
                                   QuoteForMessage(name) +
                                   " must have 1 to 64 characters");
  }
  if (!allowed || name.front() == ' ' || name.back() == ' ') {
    return Status::InvalidArgument(
        "certificate store name " + QuoteForMessage(name) +
        " may hold only letters, digits, '_', '-' and inner spaces");
  }
  return Status::Ok();
}

std::string_view EffectiveCertStoreName(const Binding& binding) {
  if (binding.cert_store_name && !binding.cert_store_name->empty()) {
    return *binding.cert_store_name;
  }
  return kDefaultCertStoreName;
}

std::string CertificateKeyPath(std::string_view store_name,
                               const std::vector<uint8_t>& thumbprint) {
  return internal::CertificatesFolderPath(store_name) + "\\" +
         internal::ThumbprintName(thumbprint);
}

Result<CertificateInfo> CertificateInfo::FromDer(std::span<const uint8_t> der) {
  Result<X509Ptr> cert = internal::ParseDerCertificate(der);
  if (!cert.ok()) return cert.status();
  return internal::DescribeCertificate(cert->get(), der);
}

bool CertificateCoversName(const CertificateInfo& certificate,
                           std::string_view hostname) {
  std::string name = FoldCase(hostname);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (certificate.dns_names.empty()) {
    return PatternCovers(certificate.common_name, name);
  }
  return std::any_of(
      certificate.dns_names.begin(), certificate.dns_names.end(),
      [&](const std::string& pattern) { return PatternCovers(pattern, name); });
}

std::vector<BindingKey> BindingsUsingCertificate(
    std::span<const Binding> bindings, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint) {
  const std::string folded = FoldCase(store_name);
  std::vector<BindingKey> users;
  for (const Binding& b : bindings) {
    if (b.cert_hash == thumbprint &&
        FoldCase(EffectiveCertStoreName(b)) == folded) {
      users.push_back(b.key);
    }
  }
  return users;
}

Result<CertificateBundle> CertificateBundle::Parse(
    std::span<const uint8_t> data, std::string_view password) {
  if (data.empty()) return Status::InvalidArgument("the file is empty");
  std::string_view text(reinterpret_cast<const char*>(data.data()),
                        data.size());
  if (text.find("-----BEGIN ") != std::string_view::npos) {
    return FromPem(data, password);
  }
  if (Result<X509Ptr> cert = internal::ParseDerCertificate(data); cert.ok()) {
    std::vector<uint8_t> der(data.begin(), data.end());
    CertificateInfo info = internal::DescribeCertificate(cert->get(), der);
    return CertificateBundleAccess::Make(std::move(der), std::move(info), "",
                                         0);
  }
  ERR_clear_error();
  if (internal::LooksLikePkcs12(data)) return FromPkcs12(data, password);
  return Status::InvalidArgument(
      "not a certificate file: neither PEM, a DER certificate nor PKCS#12 "
      "(.pfx)");
}

CertificateBundle::CertificateBundle(CertificateBundle&& other) noexcept
    : der_(std::move(other.der_)),
      info_(std::move(other.info_)),
      key_pem_(std::move(other.key_pem_)),
      ignored_certificates_(other.ignored_certificates_) {
  internal::Wipe(other.key_pem_);
}

CertificateBundle& CertificateBundle::operator=(
    CertificateBundle&& other) noexcept {
  if (this != &other) {
    internal::Wipe(key_pem_);
    der_ = std::move(other.der_);
    info_ = std::move(other.info_);
    key_pem_ = std::move(other.key_pem_);
    ignored_certificates_ = other.ignored_certificates_;
    internal::Wipe(other.key_pem_);
  }
  return *this;
}

CertificateBundle::~CertificateBundle() { internal::Wipe(key_pem_); }

std::string_view CertificateProblemName(CertificateProblem problem) {
  switch (problem) {
    case CertificateProblem::kMissing: return "certificate-missing";
    case CertificateProblem::kNoPrivateKey: return "no-private-key";
    case CertificateProblem::kExpired: return "certificate-expired";
    case CertificateProblem::kNotYetValid: return "certificate-not-yet-valid";
    case CertificateProblem::kExpiresSoon: return "certificate-expiring";
    case CertificateProblem::kNameNotCovered: return "name-not-covered";
  }
  return "unknown";
}

namespace internal {

Result<std::vector<StoredCertificate>> ListCertificates(
    RegistryReader& reader, const KeyFolder& keys,
    std::string_view store_name) {
  std::string root(kSystemCertificatesPath);
  if (!store_name.empty()) {
    Status s = ValidateCertStoreName(store_name);
    if (!s.ok()) return s;
    root = CertificatesFolderPath(store_name);
  }
  // Decoded once the scan is over: reading a private key may read the
  // backend (a store in PostgreSQL keeps them), which cannot serve another
  // query while a scan streams.
  std::vector<RegistryKey> found;
  Status s = reader.ScanSubtree(root, [&](RegistryKey&& key) {
    if (ParseCertificatePath(key.path)) found.push_back(std::move(key));
    return Status::Ok();  // else a parent
  });
  if (!s.ok()) return s;
  std::vector<StoredCertificate> certs;
  for (const RegistryKey& key : found) {
    Result<CertificateInStore> cert = DecodeCertificate(key, keys);
    if (!cert.ok()) return cert.status();
    certs.push_back(std::move(cert->stored));
  }
  std::stable_sort(certs.begin(), certs.end(),
                   [](const StoredCertificate& a, const StoredCertificate& b) {
                     std::string fa = FoldCase(a.store_name);
                     std::string fb = FoldCase(b.store_name);
                     if (fa != fb) return fa < fb;
                     return a.info.thumbprint < b.info.thumbprint;
                   });
  return certs;
}

Result<StoredCertificate> GetCertificate(
    RegistryReader& reader, const KeyFolder& keys, std::string_view store_name,
    const std::vector<uint8_t>& thumbprint) {
  Status s = ValidateCertStoreName(store_name);
  if (!s.ok()) return s;
  Result<std::optional<CertificateInStore>> found =
      FindCertificate(reader, keys, store_name, thumbprint);
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("the certificate " + HexLower(thumbprint) +
                            " is not in the certificate store " +
                            std::string(store_name));
  }
  return std::move((*found)->stored);
}

Result<std::vector<CertificateFinding>> CheckCertificates(
    RegistryReader& reader, const KeyFolder& keys,
    std::span<const Binding> bindings, const CertificateCheckOptions& options) {
  // Each certificate once: folded store name + thumbprint -> what it is.
  std::map<std::pair<std::string, std::vector<uint8_t>>,
           std::optional<StoredCertificate>>
      seen;
  std::vector<CertificateFinding> findings;
  constexpr int64_t kDay = 24 * 60 * 60;
  for (const Binding& binding : bindings) {
    BindingKind kind = binding.key.kind();
    if ((kind != BindingKind::kIpPort && kind != BindingKind::kHostnamePort) ||
        binding.cert_hash.empty()) {
      continue;
    }
    const std::string store_name(EffectiveCertStoreName(binding));
    const std::string hex = HexLower(binding.cert_hash);
    auto report = [&](CertificateProblem problem, std::string message) {
      findings.push_back({binding.key, problem, binding.cert_hash,
                          "the certificate " + hex + " " + std::move(message)});
    };
    auto [it, fresh] =
        seen.try_emplace({FoldCase(store_name), binding.cert_hash});
    if (fresh) {
      Result<StoredCertificate> cert =
          GetCertificate(reader, keys, store_name, binding.cert_hash);
      if (cert.ok()) {
        it->second = std::move(*cert);
      } else if (!cert.status().IsNotFound() &&
                 !cert.status().IsInvalidArgument()) {
        return cert.status();
      }
    }
    const std::optional<StoredCertificate>& cert = it->second;
    if (!cert) {
      report(CertificateProblem::kMissing,
             "is not in the certificate store " + store_name);
      continue;
    }
    if (cert->private_key == PrivateKeyState::kMissing) {
      report(CertificateProblem::kNoPrivateKey,
             "in the certificate store " + store_name + " has no private key");
      continue;
    }
    if (cert->private_key == PrivateKeyState::kUnusable) {
      report(CertificateProblem::kNoPrivateKey,
             "in the certificate store " + store_name +
                 " has no usable private key: " + cert->private_key_problem);
      continue;
    }
    const CertificateInfo& info = cert->info;
    if (options.now > info.not_after) {
      report(CertificateProblem::kExpired,
             "(" + info.subject + ") expired on " + FormatTime(info.not_after));
    } else if (options.now < info.not_before) {
      report(CertificateProblem::kNotYetValid, "(" + info.subject +
                                                   ") is not valid before " +
                                                   FormatTime(info.not_before));
    } else if (options.expiring_days >= 0 &&
               info.not_after - options.now <= options.expiring_days * kDay) {
      // Whole days left, counting a part of a day as one.
      int64_t days = (info.not_after - options.now + kDay - 1) / kDay;
      report(CertificateProblem::kExpiresSoon,
             "(" + info.subject + ") expires on " + FormatTime(info.not_after) +
                 ", in " + std::to_string(days) +
                 (days == 1 ? " day" : " days"));
    }
    if (kind == BindingKind::kHostnamePort &&
        !CertificateCoversName(info, binding.key.hostname())) {
      std::string names;
      for (const std::string& n : info.dns_names) {
        names += names.empty() ? n : ", " + n;
      }
      report(CertificateProblem::kNameNotCovered,
             "does not cover " + binding.key.hostname() +
                 (names.empty()
                      ? " (it has no DNS names; subject " + info.subject + ")"
                      : " (its DNS names: " + names + ")"));
    }
  }
  return findings;
}

}  // namespace internal

}  // namespace sslbind
