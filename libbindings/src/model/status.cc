// Status: Win32 numbers and texts.
#include "sslbind/status.h"

#include <cstdio>
#include <cstdlib>

namespace sslbind {

uint32_t Status::win32() const {
  switch (code_) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument: return 87;
    case StatusCode::kNotFound: return 2;
    case StatusCode::kAlreadyExists: return 183;
    case StatusCode::kCertificateUnusable: return 1312;
    case StatusCode::kInUse: return 32;
    case StatusCode::kAccessDenied: return 5;
    case StatusCode::kBusy: return 170;
    case StatusCode::kIoError: return 1117;
    case StatusCode::kIncompatibleStore: return 1392;
    case StatusCode::kInternal: return 1359;
    case StatusCode::kRevisionMismatch: return 1306;
  }
  return 1359;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  static constexpr const char* kNames[] = {"OK",
                                           "InvalidArgument",
                                           "NotFound",
                                           "AlreadyExists",
                                           "CertificateUnusable",
                                           "InUse",
                                           "AccessDenied",
                                           "Busy",
                                           "IoError",
                                           "IncompatibleStore",
                                           "Internal",
                                           "RevisionMismatch"};
  return std::string(kNames[static_cast<int>(code_)]) + ": " + message_;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

std::string_view Win32Message(uint32_t win32) {
  switch (win32) {
    case 0: return "The operation completed successfully.";
    case 2: return "The system cannot find the file specified.";
    case 5: return "Access is denied.";
    case 32:
      return "The process cannot access the file because it is being used by "
             "another process.";
    case 87: return "The parameter is incorrect.";
    case 170: return "The requested resource is in use.";
    case 183: return "Cannot create a file when that file already exists.";
    case 1117:
      return "The request could not be performed because of an I/O device "
             "error.";
    case 1306: return "Indicates two revision levels are incompatible.";
    case 1312:
      return "A specified logon session does not exist. It may already have "
             "been terminated.";
    case 1359: return "An internal error occurred.";
    case 1392: return "The file or directory is corrupted and unreadable.";
  }
  return "An internal error occurred.";
}

namespace internal {

void DieOnErrorAccess(const Status& status) {
  // A programming error in the caller: say what the error was, then stop.
  std::fprintf(stderr, "sslbind: Result::value() on an error: %s\n",
               status.ToString().c_str());
  std::abort();
}

}  // namespace internal
}  // namespace sslbind
