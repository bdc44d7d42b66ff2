// The exit statuses of `sslbind`: one table, stable across releases
// (README.md, "Exit status"). Each class of failure has its own status and
// its own Win32 number.
#ifndef SSLBIND_CLI_EXIT_CODES_H_
#define SSLBIND_CLI_EXIT_CODES_H_

#include "sslbind/status.h"

namespace sslbind::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,      // a bug (Win32 1359)
  kExitBadInput = 2,      // bad syntax, parameter or value (87)
  kExitNotFound = 3,      // no such binding (2)
  kExitExists = 4,        // the key is taken (183)
  kExitCertificate = 5,   // certificate missing or unusable (1312)
  kExitAccessDenied = 6,  // may not write the store (5)
  kExitBusy = 7,          // another writer held the store too long (170)
  kExitStoreError = 8,    // store unreadable, foreign or newer (1117, 1392)
  kExitInUse = 9,         // still in use, e.g. a certificate by a binding (32)
  // Not a failure: `check` found something to report, or `apply --check`
  // found changes to make.
  kExitFindings = 10,
  // The store moved past --expect-revision (1306).
  kExitRevisionMismatch = 11,
};

ExitCode ExitCodeFor(const Status& status);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_EXIT_CODES_H_
