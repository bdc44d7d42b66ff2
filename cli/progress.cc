#include "progress.h"

#include <unistd.h>

#include <iostream>

namespace sslbind::cli {
namespace {

constexpr auto kInterval = std::chrono::milliseconds(100);

}  // namespace

Progress::Progress(const Context& ctx)
    : enabled_(ctx.err == &std::cerr && isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { Clear(); }

void Progress::Show(const std::string& line, bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && shown_ && now - last_ < kInterval) return;
  last_ = now;
  shown_ = true;
  // Carriage return, the line, and "erase to the end of the line".
  std::cerr << '\r' << line << "\x1b[K" << std::flush;
}

void Progress::Clear() {
  if (!enabled_ || !shown_) return;
  std::cerr << "\r\x1b[K" << std::flush;
  shown_ = false;
}

void Progress::Step(const std::string& what) { Show(what + "...", true); }

WriteProgress Progress::Counter(std::string verb) {
  if (!enabled_) return nullptr;
  return [this, verb = std::move(verb)](size_t done, size_t total) {
    // A write from a WriteBatchSource may not know its total (0).
    std::string line = total == 0
                           ? verb + ": " + std::to_string(done)
                           : verb + ": " + std::to_string(done) + "/" +
                                 std::to_string(total) + " (" +
                                 std::to_string(done * 100 / total) + "%)";
    Show(line, done == total);
  };
}

WriteProgress Progress::Counter(std::string verb,
                                std::function<size_t()> percent) {
  if (!enabled_) return nullptr;
  return [this, verb = std::move(verb), percent = std::move(percent)](
             size_t done, size_t) {
    const size_t p = percent();
    Show(verb + ": " + std::to_string(done) + " (" + std::to_string(p) + "%)",
         p >= 100);
  };
}

}  // namespace sslbind::cli
