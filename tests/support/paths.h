// tests/support/paths.h: where tests find the source tree, fixtures and the provarc binary.
#pragma once

#include <string>
#include <vector>

namespace provarc::testing {

std::string source_dir();                     // the repository root
std::string fixture_path(const std::string& relative);  // tests/fixtures/<relative>
std::string provarc_binary();                 // the built `provarc`
std::string read_file(const std::string& path);  // whole file; aborts the test on failure

// Runs `argv` (no shell), feeding `stdin_data`, and returns its exit code, stdout and stderr.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult run_command(const std::vector<std::string>& argv, const std::string& stdin_data = "");

// Starts `argv` (no shell) with stdout and stderr to the file `log_path` and returns at once with
// its pid, or -1 when it cannot start. The caller reaps it (waitpid), after killing it if need be.
int spawn_logged(const std::vector<std::string>& argv, const std::string& log_path);

// A fresh empty directory under the test temp dir, removed at process exit.
std::string temp_dir();

// `argv` as run by an unprivileged user: when the tests run as root (for whom file permissions
// do not apply), prefixed with setpriv(1) to run it as nobody (uid and gid 65534); unchanged
// otherwise. Empty when that is needed but setpriv is not installed (the caller skips).
std::vector<std::string> as_unprivileged(std::vector<std::string> argv);

// Lets other users reach `path`: adds search permission for others to it and every directory
// above it (the test temp root is created 0700), and read permission to files under it.
void open_to_others(const std::string& path);

}  // namespace provarc::testing
