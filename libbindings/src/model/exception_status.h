// Internal: the exception barrier of the public API. No exception crosses
// it (status.h): an entry point that can throw -- std::bad_alloc from any
// allocation, whatever a caller's callback throws -- is a function-try-block
//   Status Store::Write(...) try { ... } catch (...) {
//     return internal::StatusOfCurrentException();
//   }
// which returns the exception as a status once the RAII guards below it
// (transactions, statements, file changes) have undone its work.
#ifndef SSLBIND_SRC_MODEL_EXCEPTION_STATUS_H_
#define SSLBIND_SRC_MODEL_EXCEPTION_STATUS_H_

#include <exception>
#include <new>
#include <string>

#include "sslbind/status.h"

namespace sslbind::internal {

// The status of the exception being handled (call only from a catch
// block): Internal "out of memory" for std::bad_alloc, and whenever a
// message cannot be built (that one needs no allocation), else Internal
// naming the exception.
inline Status StatusOfCurrentException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory");
  } catch (const std::exception& e) {
    try {
      return Status::Internal(std::string("unexpected exception: ") + e.what());
    } catch (...) {
      return Status::Internal("out of memory");
    }
  } catch (...) {
    try {
      return Status::Internal("unexpected exception");
    } catch (...) {
      return Status::Internal("out of memory");
    }
  }
}

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_MODEL_EXCEPTION_STATUS_H_
