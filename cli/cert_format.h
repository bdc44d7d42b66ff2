// How certificates and the CCS settings are printed: `show sslcert`'s layout
// (a title, fields in a 29-character label column) and JSON objects.
#ifndef SSLBIND_CLI_CERT_FORMAT_H_
#define SSLBIND_CLI_CERT_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "show_format.h"
#include "sslbind/ccs.h"
#include "sslbind/certificates.h"

namespace sslbind::cli {

// "2001-01-01 00:00:00 UTC"
std::string FormatUtc(int64_t seconds);
// "2001-01-01T00:00:00Z"
std::string FormatIso8601(int64_t seconds);
// "Present", "None", "Unusable (...)", "Unknown (...)".
std::string PrivateKeyText(const StoredCertificate& cert);
// "present", "none", "unusable", "unknown".
std::string PrivateKeyJson(PrivateKeyState state);

// "\nCertificates:\n-------------\n\n"
std::string CertificatesHeader();
// One certificate's entry, ending with its empty line; `now` marks expired
// and not yet valid dates.
std::string CertificateEntry(const StoredCertificate& cert,
                             const std::vector<BindingKey>& used_by,
                             int64_t now);
Json CertificateToJson(const StoredCertificate& cert,
                       const std::vector<BindingKey>& used_by);

std::string CcsEntry(const CcsConfig& config);
Json CcsToJson(const CcsConfig& config);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_CERT_FORMAT_H_
