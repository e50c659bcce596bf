// tests/run_report_test.cc: the run as `provarc runs --json` and `crawl --report` give it
// (cli/run_report.h): every trap guard is listed per site, with 0 when it refused nothing.
#include "cli/run_report.h"

#include <gtest/gtest.h>

#include <string>

#include "common/identity.h"

namespace provarc {
namespace {

TEST(RunReport, EverySiteListsEveryTrapGuardWithItsRefusals) {
  RunRecord run;
  run.id = 7;
  run.kind = "crawl";
  run.started_at = "2026-12-07T10:00:00Z";
  run.ended_at = "2026-12-07T10:01:00Z";
  RunSiteCounts quiet;
  quiet.site = "quiet";
  RunSiteCounts pager;
  pager.site = "pager";
  pager.refused = {{kGuardRepeatedListing, 3}, {kGuardStep, 2}};
  run.site_counts = {quiet, pager};

  const nlohmann::ordered_json json = run_to_json(run);
  ASSERT_EQ(json["sites"].size(), 2u);
  for (const char* guard : kTrapGuards) {
    EXPECT_EQ(json["sites"][0]["guards"].value(guard, -1), 0) << guard;
  }
  EXPECT_EQ(json["sites"][0]["guards"].size(), std::size(kTrapGuards));
  EXPECT_EQ(json["sites"][0]["guards"].value("repeated_listing", -1), 0)
      << "a guard that refused nothing is listed, with 0";
  EXPECT_EQ(json["sites"][1]["guards"].value("repeated_listing", -1), 3);
  EXPECT_EQ(json["sites"][1]["guards"].value("step", -1), 2);
  EXPECT_EQ(json["sites"][1]["guards"].value("depth", -1), 0);
}

}  // namespace
}  // namespace provarc
