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

// A fresh empty directory under the test temp dir, removed at process exit.
std::string temp_dir();

}  // namespace provarc::testing
