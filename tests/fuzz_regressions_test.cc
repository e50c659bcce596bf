// tests/fuzz_regressions_test.cc: the fuzz targets (tests/fuzz/targets.h) run without libFuzzer,
// in the ordinary and the sanitizer test suites: on every input fuzzing once broke
// (tests/fuzz/regressions/<target>/), on the hand-written seeds (tests/fuzz/seeds/<target>/), on
// the fixture pages, and on a few hostile shapes no page should be able to exploit.

#include "tests/fuzz/targets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

// The files of `dir`, sorted, so that failures come in a stable order.
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool is_target(const std::string& name) {
  const std::vector<std::string>& names = fuzz::target_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Replays every file of tests/fuzz/<kind>/<target>/ through its target; returns how many ran.
size_t replay_saved_inputs(const std::string& kind) {
  fs::path root = fs::path(testing::source_dir()) / "tests" / "fuzz" / kind;
  if (!fs::exists(root)) return 0;
  size_t replayed = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    std::string target = entry.path().filename().string();
    EXPECT_TRUE(is_target(target)) << entry.path() << " names no fuzz target";
    if (!is_target(target)) continue;
    for (const fs::path& file : files_in(entry.path())) {
      Status status = fuzz::run_target(target, testing::read_file(file.string()));
      EXPECT_TRUE(status.ok()) << file << ": " << status.error();
      ++replayed;
    }
  }
  return replayed;
}

TEST(FuzzRegressions, EveryCrashFuzzingFoundStaysFixed) {
  EXPECT_GE(replay_saved_inputs("regressions"), 5u);
}

TEST(FuzzRegressions, EverySeedKeepsEveryPromise) {
  EXPECT_GE(replay_saved_inputs("seeds"), 10u);
}

// The fixtures are real pages, so every promise a target checks must hold on them: a failure
// here is a false alarm in the target or a real bug the golden tests do not look for.
TEST(FuzzRegressions, FixturePagesKeepEveryPromise) {
  std::vector<fs::path> pages;
  for (const auto& dir : fs::directory_iterator(testing::fixture_path(""))) {
    if (!dir.is_directory()) continue;
    for (const fs::path& file : files_in(dir.path())) {
      if (file.extension() == ".html") pages.push_back(file);
    }
  }
  ASSERT_GE(pages.size(), 20u);
  for (const fs::path& page : pages) {
    std::string bytes = testing::read_file(page.string());
    for (const std::string& target : fuzz::target_names()) {
      Status status = fuzz::run_target(target, bytes);
      EXPECT_TRUE(status.ok()) << page << ": " << status.error();
    }
  }
}

// Shapes that have hurt parsers before: nothing, deep nesting, long runs of one byte, binary.
TEST(FuzzRegressions, HostileShapesKeepEveryPromise) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div class=a>";
  std::string invalid_utf8(1 << 20, '\xff');
  std::string percent(200000, '%');
  std::string stars = "User-agent: *\nDisallow: /" + std::string(100000, '*') + "x\n";
  std::string combining = "a";  // one letter under 15 000 combining graves (U+0300)
  for (int i = 0; i < 15000; ++i) combining += "\xcc\x80";
  std::string binary;
  for (int i = 0; i < 65536; ++i) binary += static_cast<char>(i * 7919 >> 3);
  const std::vector<std::string> inputs = {
      "", std::string(1, '\0'), deep, invalid_utf8, percent, stars, combining, binary};
  for (const std::string& target : fuzz::target_names()) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      Status status = fuzz::run_target(target, inputs[i]);
      EXPECT_TRUE(status.ok()) << "hostile input " << i << ": " << status.error();
    }
  }
}

// scripts/fuzz and .ci/run find the targets by their entry files: tests/fuzz/<name>_fuzz.cc, with
// '-' written '_'. Every target needs one, and every entry file a target.
TEST(FuzzRegressions, EveryTargetHasItsEntryFile) {
  std::set<std::string> from_files;
  for (const fs::path& file : files_in(fs::path(testing::source_dir()) / "tests" / "fuzz")) {
    std::string name = file.filename().string();
    const std::string suffix = "_fuzz.cc";
    if (name.size() <= suffix.size() || !name.ends_with(suffix)) continue;
    name.resize(name.size() - suffix.size());
    std::replace(name.begin(), name.end(), '_', '-');
    from_files.insert(name);
  }
  const std::vector<std::string>& names = fuzz::target_names();
  EXPECT_EQ(from_files, std::set<std::string>(names.begin(), names.end()));
}

TEST(FuzzRegressions, UnknownTargetIsAnError) {
  Status status = fuzz::run_target("no-such-target", "x");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().find("no-such-target"), std::string::npos) << status.error();
}

}  // namespace
}  // namespace provarc
