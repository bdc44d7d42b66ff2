#include "cert_format.h"

#include <ctime>

namespace sslbind::cli {
namespace {

std::string Strftime(int64_t seconds, const char* format) {
  time_t t = static_cast<time_t>(seconds);
  struct tm tm = {};
  gmtime_r(&t, &tm);
  char buf[40];
  strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& item : items) s += s.empty() ? item : ", " + item;
  return s.empty() ? "(none)" : s;
}

// A field whose value takes several lines, aligned under the first.
std::string MultiLineField(std::string_view label,
                           const std::vector<std::string>& lines) {
  if (lines.empty()) return ShowField(label, "(none)");
  std::string out = ShowField(label, lines[0]);
  const std::string indent(4 + 29 + 2, ' ');
  for (size_t i = 1; i < lines.size(); ++i) out += indent + lines[i] + '\n';
  return out;
}

}  // namespace

std::string FormatUtc(int64_t seconds) {
  return Strftime(seconds, "%Y-%m-%d %H:%M:%S UTC");
}

std::string FormatIso8601(int64_t seconds) {
  return Strftime(seconds, "%Y-%m-%dT%H:%M:%SZ");
}

std::string PrivateKeyText(const StoredCertificate& cert) {
  switch (cert.private_key) {
    case PrivateKeyState::kPresent: return "Present";
    case PrivateKeyState::kMissing: return "None";
    case PrivateKeyState::kUnusable:
      return "Unusable (" + cert.private_key_problem + ")";
    case PrivateKeyState::kUnreadable:
      return "Unknown (this user may not read the key folder)";
  }
  return "Unknown";
}

std::string PrivateKeyJson(PrivateKeyState state) {
  switch (state) {
    case PrivateKeyState::kPresent: return "present";
    case PrivateKeyState::kMissing: return "none";
    case PrivateKeyState::kUnusable: return "unusable";
    case PrivateKeyState::kUnreadable: return "unknown";
  }
  return "unknown";
}

std::string CertificatesHeader() {
  return "\nCertificates:\n-------------\n\n";
}

std::string CertificateEntry(const StoredCertificate& cert,
                             const std::vector<BindingKey>& used_by,
                             int64_t now) {
  const CertificateInfo& info = cert.info;
  std::string e = ShowField("Certificate Store", cert.store_name);
  e += ShowField("Thumbprint", HexLower(info.thumbprint));
  e += ShowField("Subject", info.subject);
  e += ShowField("Issuer", info.issuer);
  e += ShowField("DNS Names", Joined(info.dns_names));
  e += ShowField("Serial Number", info.serial_number);
  e += ShowField("Not Before",
                 FormatUtc(info.not_before) +
                     (now < info.not_before ? " (not yet valid)" : ""));
  e += ShowField("Not After", FormatUtc(info.not_after) +
                                  (now > info.not_after ? " (expired)" : ""));
  e += ShowField("Private Key", PrivateKeyText(cert));
  std::vector<std::string> users;
  for (const BindingKey& key : used_by) users.push_back(key.ToParam());
  e += MultiLineField("Used By", users);
  e += '\n';
  return e;
}

Json CertificateToJson(const StoredCertificate& cert,
                       const std::vector<BindingKey>& used_by) {
  const CertificateInfo& info = cert.info;
  Json users = Json::array();
  for (const BindingKey& key : used_by) users.push_back(KeyToJson(key));
  return Json{{"store", cert.store_name},
              {"thumbprint", HexLower(info.thumbprint)},
              {"subject", info.subject},
              {"issuer", info.issuer},
              {"dns_names", info.dns_names},
              {"serial_number", info.serial_number},
              {"not_before", FormatIso8601(info.not_before)},
              {"not_after", FormatIso8601(info.not_after)},
              {"private_key", PrivateKeyJson(cert.private_key)},
              {"bindings", std::move(users)}};
}

std::string CcsEntry(const CcsConfig& config) {
  std::string e =
      "\nCentral Certificate Store:\n--------------------------\n\n";
  e += ShowField("Enabled", config.enabled ? "Yes" : "No");
  e += ShowField("Certificate Store Location",
                 config.location.empty() ? "(null)" : config.location);
  e += ShowField("Private Key Password",
                 config.has_password ? "Set" : "Not Set");
  e += '\n';
  return e;
}

Json CcsToJson(const CcsConfig& config) {
  return Json{{"enabled", config.enabled},
              {"location",
               config.location.empty() ? Json(nullptr) : Json(config.location)},
              {"password", config.has_password}};
}

}  // namespace sslbind::cli
