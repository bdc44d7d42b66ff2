// The write that write_failure_test.cc and write_failure_postgres_test.cc
// fail at each of its allocations, and the state it starts from: between
// them, every kind of thing a write holds -- rows, key files or sealed
// secrets, a file it replaces, the certificate check.
#ifndef SSLBIND_TESTS_WRITE_FAILURE_BATCH_H_
#define SSLBIND_TESTS_WRITE_FAILURE_BATCH_H_

#include "cert_test_util.h"
#include "sslbind/write_batch.h"
#include "test_util.h"

namespace sslbind::testing {

inline CertificateBundle BundleOf(const TestCert& cert) {
  return CertificateBundle::Parse(Bytes(cert.cert_pem + cert.key_pem), "")
      .value();
}

// An ipport binding at `key` using the certificate.
inline Binding UsingCert(std::string_view key, const TestCert& cert) {
  Binding b = IpBinding(key);
  b.cert_hash = cert.Sha1();
  return b;
}

// Before: the certificate with its key, and 10.0.0.1:443 using it.
inline WriteBatch StartingState(const TestCert& cert) {
  WriteBatch batch;
  batch.PutCertificate("MY", BundleOf(cert));
  batch.Add(UsingCert("10.0.0.1:443", cert));
  return batch;
}

// The write: the certificate again with its key (a new key, the old one
// removed after the commit), 10.0.0.2:443 added (checked against the
// certificate under verify_certificates), 10.0.0.1:443 deleted, the CCS
// turned on with a password (one more secret).
inline WriteBatch FailingWrite(const TestCert& cert) {
  WriteBatch batch;
  batch.PutCertificate("MY", BundleOf(cert));
  batch.Add(UsingCert("10.0.0.2:443", cert));
  batch.Delete(Key(BindingKind::kIpPort, "10.0.0.1:443"));
  batch.EnableCcs("/srv/ccs", "secret");
  return batch;
}

}  // namespace sslbind::testing

#endif  // SSLBIND_TESTS_WRITE_FAILURE_BATCH_H_
