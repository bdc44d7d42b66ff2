#include "exit_codes.h"

namespace sslbind::cli {

ExitCode ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument: return kExitBadInput;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kAlreadyExists: return kExitExists;
    case StatusCode::kCertificateUnusable: return kExitCertificate;
    case StatusCode::kInUse: return kExitInUse;
    case StatusCode::kAccessDenied: return kExitAccessDenied;
    case StatusCode::kBusy: return kExitBusy;
    case StatusCode::kIoError:
    case StatusCode::kIncompatibleStore: return kExitStoreError;
    case StatusCode::kInternal: return kExitInternal;
    case StatusCode::kRevisionMismatch: return kExitRevisionMismatch;
  }
  return kExitInternal;
}

}  // namespace sslbind::cli
