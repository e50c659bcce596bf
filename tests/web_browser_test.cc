// The web reader in a real headless browser: `provarc serve` on a free 127.0.0.1 port over the
// reader's test archive, Debian's chromium driven by puppeteer-core (tests/browser/
// reader_check.mjs). Searching without diacritics finds the Đồng Tháp article; the diff of an
// edited article shows the added sentence; an article titled with markup and quoting a script
// shows both as text and opens no dialog; an archived page's own script does not run; no request
// leaves the reader's origin. Skipped only when chromium, node or tools/node_modules are missing,
// and then it fails instead when the CI environment variable is set.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/support/reader_archive.h"
#include "tests/support/serve_process.h"

namespace provarc::testing {
namespace {

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// What the browser test needs that the machine may lack; "" when nothing.
std::string missing_tools(std::string* node, std::string* chromium) {
  *node = find_on_path("node");
  const char* override = std::getenv("PROVARC_CHROMIUM");
  *chromium = override != nullptr && *override != '\0' ? override : "/usr/bin/chromium";
  if (node->empty()) return "node is not on PATH";
  if (access(chromium->c_str(), X_OK) != 0) return *chromium + " is not installed";
  const std::string puppeteer = source_dir() + "/tools/node_modules/puppeteer-core/package.json";
  if (!std::filesystem::exists(puppeteer)) return puppeteer + " is missing";
  return "";
}

TEST(WebBrowserTest, TheReaderInHeadlessChromium) {
  std::string node, chromium;
  const std::string missing = missing_tools(&node, &chromium);
  if (!missing.empty()) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') {
      FAIL() << missing << ": the browser tests must run in CI (scripts/setup installs chromium, "
             << "node and tools/node_modules)";
    }
    GTEST_SKIP() << missing << " (scripts/setup installs them)";
  }
  const std::string dir = temp_dir();
  ReaderArchive built = build_reader_archive(dir);
  ServeProcess serve(built.db_path);
  ASSERT_FALSE(serve.url().empty()) << serve.output();

  nlohmann::json ids = {{"dong_thap_article", built.dong_thap_article},
                        {"edited_article", built.edited_article},
                        {"hostile_article", built.hostile_article},
                        {"hostile_capture", built.hostile_capture},
                        {"image_capture", built.image_capture},
                        {"linked_capture", built.linked_capture},
                        {"added_sentence", kAddedSentence},
                        {"hostile_title", kHostileTitle},
                        {"hostile_body_script", kHostileBodyScript},
                        {"outside_host", kOutsideHost}};
  std::filesystem::create_directories(dir + "/chromium-profile");
  RunResult run = run_command({node, source_dir() + "/tests/browser/reader_check.mjs",
                               source_dir() + "/tools", chromium, dir + "/chromium-profile",
                               serve.url(), ids.dump()});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  nlohmann::json results = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(results.is_object()) << run.out << run.err;
  ASSERT_GE(results["checks"].size(), 23u) << run.out;
  for (const auto& c : results["checks"]) {
    const bool ok = c["ok"].get<bool>();
    std::cout << (ok ? "  ok    " : "  FAIL  ") << c["name"].get<std::string>() << "\n";
    EXPECT_TRUE(ok) << c["name"].get<std::string>() << ": " << c["detail"].get<std::string>();
  }
  EXPECT_TRUE(results["outside"].empty()) << "requests that left the reader: "
                                          << results["outside"].dump();
  EXPECT_TRUE(results["dialogs"].empty()) << results["dialogs"].dump();
  EXPECT_GT(results["requests"].size(), 5u) << "the recorder saw the reader's own requests";
  std::cout << "browser session: " << results["ms"].get<int64_t>() << " ms, "
            << results["requests"].size() << " requests, all to " << serve.url() << "\n";
  EXPECT_EQ(serve.stop(SIGTERM), 0) << serve.output();
}

}  // namespace
}  // namespace provarc::testing
