// Progress of long imports and applies on standard error -- only when
// standard error is a terminal, so pipes and logs never see it.
#ifndef SSLBIND_CLI_PROGRESS_H_
#define SSLBIND_CLI_PROGRESS_H_

#include <chrono>
#include <functional>
#include <string>

#include "context.h"
#include "sslbind/store.h"

namespace sslbind::cli {

class Progress {
 public:
  // Shows progress when ctx.err is std::cerr and standard error is a
  // terminal; otherwise every call does nothing.
  explicit Progress(const Context& ctx);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Clears the progress line.
  ~Progress();

  bool enabled() const { return enabled_; }

  // Shows a step that has no count: "reading backup.json...".
  void Step(const std::string& what);
  // A callback for Store::Write and Check that shows "VERB: done/total",
  // or "VERB: done" when the total is not known (0).
  WriteProgress Counter(std::string verb);
  // A callback for a write whose total is not known (Store::Write from a
  // source), with how far it has got from 0 to 100 (`percent`, e.g. of the
  // file read): "VERB: done (P%)".
  WriteProgress Counter(std::string verb, std::function<size_t()> percent);
  // Erases the progress line; call it before printing results.
  void Clear();

 private:
  void Show(const std::string& line, bool force);

  bool enabled_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_PROGRESS_H_
