// scripts/demo end to end: it serves the fixture sites on 127.0.0.1, crawls them with the shipped
// configs pointed there, re-parses, and prints articles and the run, within a minute.
#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

TEST(CliDemoTest, RunsThePipelineOnTheLocalMirrorAndPrintsArticles) {
  // The build directory holding cli/provarc (and tests/provarc_fixture_sites beside this test).
  std::string build = std::filesystem::path(provarc_binary()).parent_path().parent_path();
  std::string kept = temp_dir();
  auto started = std::chrono::steady_clock::now();
  RunResult demo = run_command({"/usr/bin/env", "PROVARC_BUILD=" + build,
                                "PROVARC_DEMO_DIR=" + kept, source_dir() + "/scripts/demo"});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  EXPECT_LT(took, std::chrono::seconds(60)) << "the demo promises under a minute";

  // Every shipped site with fixture pages, crawled to the end from 127.0.0.1.
  for (const char* site : {"bac-kan", "dong-thap", "nghe-an", "tra-vinh"}) {
    EXPECT_NE(demo.out.find(std::string("mirror: ") + site), std::string::npos) << site;
    auto row = demo.out.find(std::string("\n") + site + " ");
    ASSERT_NE(row, std::string::npos) << site << " in the summary\n" << demo.out;
    EXPECT_NE(demo.out.substr(row, demo.out.find('\n', row + 1) - row).find("finished"),
              std::string::npos)
        << site;
  }
  EXPECT_EQ(demo.out.find("https://"), std::string::npos) << "only the local mirror is crawled";
  // All 17 fixture articles of the four sites (bac-kan 5, dong-thap 4, nghe-an 4, tra-vinh 4)
  // are archived, and a re-parse with the same rules finds nothing new.
  EXPECT_NE(demo.out.find("examined 17, changed 0, unchanged 17, failed 0"), std::string::npos)
      << demo.out;
  // Extracted articles, as the goldens have them.
  EXPECT_NE(demo.out.find("Title: Hội nghị sơ kết công tác quý I/2023"), std::string::npos);
  EXPECT_NE(demo.out.find("Author: Bế Thị Thanh Hoài"), std::string::npos);
  EXPECT_NE(demo.out.find("Published: 2018-07-03T18:29:27+07:00"), std::string::npos)
      << "Đồng Tháp's month-first date";
  EXPECT_NE(demo.out.find("run 1  crawl"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("run 2  reparse"), std::string::npos) << demo.out;
  EXPECT_TRUE(std::filesystem::exists(kept + "/report.json"));
  EXPECT_EQ(demo.err, "") << "a clean demo prints no warning";
}

}  // namespace
}  // namespace provarc::testing
