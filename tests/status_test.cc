// Tests for sslbind/status.h: Win32 numbers and the Result contract.
#include "sslbind/status.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

using sslbind::Result;
using sslbind::Status;

TEST_CASE("each status class carries netsh's Win32 number") {
  CHECK(Status::InvalidArgument("x").win32() == 87);
  CHECK(Status::NotFound("x").win32() == 2);
  CHECK(Status::AlreadyExists("x").win32() == 183);
  CHECK(Status::AccessDenied("x").win32() == 5);
  CHECK(Status().win32() == 0);
}

TEST_CASE("a Result never holds an OK status without a value") {
  Result<int> r{Status()};
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == sslbind::StatusCode::kInternal);
}

TEST_CASE("reading the value of a failed Result aborts the process") {
  // In a child process: the parent sees it die of SIGABRT, in every build.
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(STDERR_FILENO);  // keep the test's output clean
    Result<std::string> r{Status::NotFound("no such binding")};
    const std::string& v = r.value();
    _exit(v.empty() ? 0 : 1);  // not reached
  }
  int wstatus = 0;
  REQUIRE(waitpid(pid, &wstatus, 0) == pid);
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer reports the abort of a forked child of a threaded
  // process and exits with its own status instead: a failure all the same.
  CHECK((WIFSIGNALED(wstatus) ||
         (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)));
#else
  CHECK(WIFSIGNALED(wstatus));
  if (WIFSIGNALED(wstatus)) CHECK(WTERMSIG(wstatus) == SIGABRT);
#endif
}
