// Fuzzes the certificate bundle reader (`cert import`, CCS files): PEM with
// or without a private key, DER, PKCS#12. The first byte picks the password
// ("" or "secret", the password of the seed files); the rest is the file. A
// bundle that reads must hold a DER certificate that reads back alone with
// the same description, and the name matching must not misbehave on its
// names.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "round_trip.h"
#include "sslbind/certificates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* password = (data[0] & 1) ? "secret" : "";
  std::span<const uint8_t> file(data + 1, size - 1);
  auto bundle = sslbind::CertificateBundle::Parse(file, password);
  if (!bundle.ok()) {
    if (bundle.status().message().size() > 2000) {
      sslbind::fuzz::Fail("message too long", bundle.status().message());
    }
    return 0;
  }
  auto info = sslbind::CertificateInfo::FromDer(bundle->der());
  if (!info.ok())
    sslbind::fuzz::Fail("DER does not read back", info.status().message());
  if (info->thumbprint != bundle->info().thumbprint ||
      info->subject != bundle->info().subject ||
      info->dns_names != bundle->info().dns_names) {
    sslbind::fuzz::Fail("DER reads back differently", info->subject);
  }
  auto alone = sslbind::CertificateBundle::Parse(bundle->der());
  if (!alone.ok() || alone->der() != bundle->der() ||
      alone->has_private_key()) {
    sslbind::fuzz::Fail("DER alone does not read back", bundle->info().subject);
  }
  for (const std::string& name : info->dns_names) {
    (void)sslbind::CertificateCoversName(*info, name);
  }
  (void)sslbind::CertificateCoversName(*info, "www.contoso.com");
  return 0;
}
