// sslbind/status.h: the error model of the library.
//
// Every fallible operation returns a Status, or a Result<T> holding either a
// value or a non-OK Status. No exception crosses the public API: servers call
// this library from TLS handshake callbacks, where a throw is a crash.
//
// A Status carries the Win32 error number that `netsh http ... sslcert` would
// report for the same failure (87, 2, 183, 1312, 5, ...) and a message that
// names the bad part of the input. Status and Result are plain values:
// cheap to move, safe to copy, thread-compatible.
#ifndef SSLBIND_STATUS_H_
#define SSLBIND_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sslbind {

// The classes of failure. Each has exactly one Win32 number (see win32()).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,      // bad syntax or value                  -> 87
  kNotFound,             // no such binding / certificate        -> 2
  kAlreadyExists,        // the key is taken                     -> 183
  kCertificateUnusable,  // certificate missing or without key   -> 1312
  kInUse,                // still used, e.g. a certificate by a binding -> 32
  kAccessDenied,         // the caller may not write the store   -> 5
  kBusy,                 // another writer held the store too long -> 170
  kIoError,              // the store could not be read or written -> 1117
  kIncompatibleStore,    // not an sslbind store, or a newer schema -> 1392
  kInternal,             // a bug                                -> 1359
  kRevisionMismatch,     // the store moved past the expected revision -> 1306
};

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) {
    return Status(StatusCode::kNotFound, std::move(msg));
  }
  static Status AlreadyExists(std::string msg) {
    return Status(StatusCode::kAlreadyExists, std::move(msg));
  }
  static Status CertificateUnusable(std::string msg) {
    return Status(StatusCode::kCertificateUnusable, std::move(msg));
  }
  static Status InUse(std::string msg) {
    return Status(StatusCode::kInUse, std::move(msg));
  }
  static Status AccessDenied(std::string msg) {
    return Status(StatusCode::kAccessDenied, std::move(msg));
  }
  static Status Busy(std::string msg) {
    return Status(StatusCode::kBusy, std::move(msg));
  }
  static Status IoError(std::string msg) {
    return Status(StatusCode::kIoError, std::move(msg));
  }
  static Status IncompatibleStore(std::string msg) {
    return Status(StatusCode::kIncompatibleStore, std::move(msg));
  }
  static Status Internal(std::string msg) {
    return Status(StatusCode::kInternal, std::move(msg));
  }
  static Status RevisionMismatch(std::string msg) {
    return Status(StatusCode::kRevisionMismatch, std::move(msg));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  bool IsInvalidArgument() const {
    return code_ == StatusCode::kInvalidArgument;
  }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code_ == StatusCode::kAlreadyExists; }
  bool IsAccessDenied() const { return code_ == StatusCode::kAccessDenied; }
  bool IsCertificateUnusable() const {
    return code_ == StatusCode::kCertificateUnusable;
  }
  bool IsInUse() const { return code_ == StatusCode::kInUse; }

  StatusCode code() const { return code_; }
  // The Win32 error number netsh reports for this class of failure; 0 if OK.
  uint32_t win32() const;
  // What went wrong, naming the bad part of the input. Empty if OK.
  const std::string& message() const { return message_; }
  // "OK", or the code's name followed by the message, for logs and tests.
  std::string ToString() const;

  // Returns a copy whose message is `context + ": " + message()`.
  Status WithContext(std::string_view context) const;

 private:
  Status(StatusCode code, std::string msg)
      : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// The text Windows prints for a Win32 error number, e.g. 183 ->
// "Cannot create a file when that file already exists.". Never empty.
std::string_view Win32Message(uint32_t win32);

namespace internal {
// Reports the access to the value of a Result holding `status` and aborts.
[[noreturn]] void DieOnErrorAccess(const Status& status);
}  // namespace internal

// Either a value or a non-OK Status; never an OK status without a value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status::Internal("Result built from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Precondition: ok(); on an error the process aborts with the status on
  // standard error (a programming error, never undefined behaviour), in
  // release builds too. On a temporary Result the value is moved out, so
  // `for (auto& b : store.List().value())` is safe.
  const T& value() const& { return Checked(); }
  T& value() & { return Checked(); }
  T value() && { return std::move(Checked()); }
  const T& operator*() const& { return Checked(); }
  T& operator*() & { return Checked(); }
  const T* operator->() const { return &Checked(); }
  T* operator->() { return &Checked(); }

 private:
  const T& Checked() const {
    if (!value_.has_value()) internal::DieOnErrorAccess(status_);
    return *value_;
  }
  T& Checked() {
    if (!value_.has_value()) internal::DieOnErrorAccess(status_);
    return *value_;
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace sslbind

#endif  // SSLBIND_STATUS_H_
