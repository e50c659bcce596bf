// A WACZ package exported by provarc replays in a real browser: ReplayWeb.page (its static files
// served from 127.0.0.1 by tests/support/replay_check.mjs) in Debian's headless chromium shows an
// archived article's headline and one of its images, loaded from the package, and no request
// goes anywhere but that one local server. The crawled site's own server is stopped before.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/crawled_archive.h"
#include "tests/support/node_tools.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

using nlohmann::json;

TEST(CliWaczReplay, ArticleAndItsImageReplayInReplayWebPageOffline) {
  PROVARC_REQUIRE_TOOLS(missing_tools({node_module("puppeteer-core/package.json"),
                                       node_module("replaywebpage/sw.js"),
                                       node_module("replaywebpage/ui.js")},
                                      /*chromium=*/true));
  CrawledArchive crawled = crawl_news_site(3);
  const std::string package = temp_dir() + "/tin-tuc.wacz";
  RunResult exported = run_command({provarc_binary(), "--config", crawled.config_dir, "--db",
                                    crawled.db, "export", "--format", "wacz", "--out", package,
                                    "--site", crawled.site});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;

  // Generous limits for a loaded CI machine: the script gives up after 150 s, `timeout` kills
  // it (and so its chromium, which it started) 60 s later.
  RunResult replay = run_command({"/usr/bin/timeout", "-k", "10", "210", find_node(),
                                  source_dir() + "/tests/support/replay_check.mjs",
                                  source_dir() + "/tools", package, crawled.articles[0],
                                  crawled.headlines[0], crawled.image_url, "150000"});
  ASSERT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  json result = json::parse(replay.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(result.is_object()) << replay.out << replay.err;
  SCOPED_TRACE(result.dump(2));

  EXPECT_TRUE(result["found"].get<bool>())
      << "the archived article did not show its headline and decoded image";
  EXPECT_EQ(result["image"]["width"], 4) << "the 4x4 PNG of the archive";
  bool from_archive = false;
  for (const json& r : result["image_responses"]) {
    from_archive = from_archive || (r["status"] == 200 && r["type"] == "image/png");
  }
  EXPECT_TRUE(from_archive) << "the image was answered from the package";
  EXPECT_EQ(result["foreign"], json::array()) << "requests for hosts other than 127.0.0.1";
  bool fetched_package = false;
  for (const json& request : result["requests"]) {
    const std::string line = request.get<std::string>();
    EXPECT_EQ(line.find(" http://127.0.0.1:"), line.find(' ')) << line;
    fetched_package = fetched_package || line.find("/archive.wacz") != std::string::npos;
  }
  EXPECT_TRUE(fetched_package) << "the proxy saw the package's requests";
}

}  // namespace
}  // namespace provarc::testing
