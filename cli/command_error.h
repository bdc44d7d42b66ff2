// How a command fails: it throws a CommandError, and main() prints it in
// netsh's words (or as JSON) and exits with the matching status.
#ifndef SSLBIND_CLI_COMMAND_ERROR_H_
#define SSLBIND_CLI_COMMAND_ERROR_H_

#include <stdexcept>
#include <string>

#include "sslbind/status.h"

namespace sslbind::cli {

class CommandError : public std::runtime_error {
 public:
  enum class Kind {
    kSyntax,   // unknown or repeated parameter, two keys: usage follows
    kMissing,  // an essential parameter is missing: usage follows
    kFailed,   // the operation failed: "SSL Certificate <verb> failed"
  };

  CommandError(Kind kind, Status status, std::string usage = {})
      : std::runtime_error(status.message()),
        kind_(kind),
        status_(std::move(status)),
        usage_(std::move(usage)) {}

  static CommandError Syntax(std::string detail, std::string usage) {
    return {Kind::kSyntax, Status::InvalidArgument(std::move(detail)),
            std::move(usage)};
  }
  static CommandError Missing(std::string detail, std::string usage) {
    return {Kind::kMissing, Status::InvalidArgument(std::move(detail)),
            std::move(usage)};
  }
  static CommandError Failed(Status status) {
    return {Kind::kFailed, std::move(status)};
  }

  Kind kind() const { return kind_; }
  const Status& status() const { return status_; }
  const std::string& usage() const { return usage_; }

 private:
  Kind kind_;
  Status status_;
  std::string usage_;
};

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_COMMAND_ERROR_H_
