// How a command fails: it throws a CommandError, and main() prints it in
// netsh's words (or as JSON) and exits with the matching status.
#ifndef SSLBIND_CLI_COMMAND_ERROR_H_
#define SSLBIND_CLI_COMMAND_ERROR_H_

#include <cstddef>
#include <stdexcept>
#include <string>

#include "sslbind/status.h"

namespace sslbind::cli {

// What a failed_op index holds while no operation of the batch has failed
// (a Write that fails as a whole -- busy, access denied -- leaves it so).
inline constexpr size_t kNoFailedOp = static_cast<size_t>(-1);

class CommandError : public std::runtime_error {
 public:
  enum class Kind {
    kSyntax,   // unknown or repeated parameter, two keys: usage follows
    kMissing,  // an essential parameter is missing: usage follows
    kFailed,   // the operation failed: "SSL Certificate <verb> failed"
    kInput,    // an input file is malformed: only the "sslbind:" line
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
  static CommandError Input(Status status) {
    return {Kind::kInput, std::move(status)};
  }

  // A copy with a last line for the user, printed after the "sslbind:" line
  // as "sslbind: <note>", e.g. "nothing was changed".
  CommandError WithNote(std::string note) const {
    CommandError e = *this;
    e.note_ = std::move(note);
    return e;
  }

  // A copy whose netsh lines begin with `place` (e.g. "line 3": a script
  // line) and whose usage is dropped (it is noise in a script).
  CommandError AtPlace(std::string place) const {
    CommandError e(kind_, status_);
    e.place_ = std::move(place);
    e.note_ = note_;
    e.subject_ = subject_;
    e.verb_ = verb_;
    return e;
  }

  // A copy raised by the operation `verb` ("add", "deletion": the line of a
  // script or the step of a plan that failed), for netsh's "SSL
  // Certificate add failed" line, whatever the command was.
  CommandError WithVerb(std::string verb) const {
    CommandError e = *this;
    e.verb_ = std::move(verb);
    return e;
  }

  // A copy that names `subject` and `verb` unless it names them already:
  // main() gives every error the running command's (Context::subject and
  // Context::verb) when it catches it.
  CommandError RaisedIn(const std::string& subject,
                        const std::string& verb) const {
    CommandError e = *this;
    if (e.subject_.empty()) e.subject_ = subject;
    if (e.verb_.empty()) e.verb_ = verb;
    return e;
  }

  Kind kind() const { return kind_; }
  const Status& status() const { return status_; }
  const std::string& usage() const { return usage_; }
  const std::string& place() const { return place_; }
  const std::string& note() const { return note_; }
  // What failed, for "<subject> <verb> failed": "SSL Certificate" and
  // "add"; empty until WithVerb or RaisedIn names them.
  const std::string& subject() const { return subject_; }
  const std::string& verb() const { return verb_; }

 private:
  Kind kind_;
  Status status_;
  std::string usage_;
  std::string place_;
  std::string note_;
  std::string subject_;
  std::string verb_;
};

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_COMMAND_ERROR_H_
