// tests/support/serve_process.h: `provarc serve` run as a child process for the tests: started on
// a free 127.0.0.1 port over an archive, its address read from what it prints, stopped by a
// signal (and killed, should a test end before it stops).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace provarc::testing {

class ServeProcess {
 public:
  // Starts `provarc serve --listen 127.0.0.1:0 --db <db_path> <extra_args...>` and waits (up to
  // 30 s) for the line that names its address. On failure, url() is "" and output() says why.
  explicit ServeProcess(const std::string& db_path,
                        const std::vector<std::string>& extra_args = {});
  ~ServeProcess();  // kills the process if it still runs
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // "http://127.0.0.1:<port>/", "" when it did not start.
  const std::string& url() const { return url_; }
  int port() const { return port_; }

  // Sends `signal` and waits up to `timeout_ms` for the process to end. Returns its exit status,
  // or -1 when it did not end in time (it is then killed) or ended by a signal.
  int stop(int signal, int timeout_ms = 10000);

  // What it printed so far, stdout then stderr.
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string url_;
  int port_ = 0;
};

}  // namespace provarc::testing
