// tests/support/node_tools.h: the JavaScript tools some tests run (node, the npm packages that
// scripts/setup installs into tools/node_modules, Debian's chromium), and what to do when one is
// missing: skip on a developer's machine, fail under CI (which installs them all).
#pragma once

#include <string>
#include <vector>

namespace provarc::testing {

// The `node` executable on PATH, "" when there is none.
std::string find_node();

// tools/node_modules/<relative>, e.g. "warcio/dist/index.js".
std::string node_module(const std::string& relative);

// Debian's chromium, which the browser tests drive through puppeteer-core.
inline constexpr const char* kChromium = "/usr/bin/chromium";

// What is missing for a test that needs node, the files `modules` (node_module() paths) and,
// when `chromium`, the browser: "" when nothing is.
std::string missing_tools(const std::vector<std::string>& modules, bool chromium = false);

// True when the CI environment variable is set (`.ci/run` runs with CI=true).
bool running_in_ci();

}  // namespace provarc::testing

// Skips the test when `why` (from missing_tools) is not empty, or fails it under CI, where the
// tools are installed and their absence is a broken setup.
#define PROVARC_REQUIRE_TOOLS(why)                                                   \
  do {                                                                               \
    const std::string provarc_missing_ = (why);                                      \
    if (!provarc_missing_.empty()) {                                                 \
      if (::provarc::testing::running_in_ci()) FAIL() << provarc_missing_;           \
      GTEST_SKIP() << provarc_missing_ << " (scripts/setup installs it)";            \
    }                                                                                \
  } while (0)
