// A WACZ package exported by provarc replays in a real browser: ReplayWeb.page (its static files
// served from 127.0.0.1 by tests/support/replay_check.mjs) in Debian's headless chromium shows an
// archived article's headline and one of its images, loaded from the package; its page list
// finds an article by a word of its text; and no page, frame or worker asks anything of anyone
// but that one local server. The crawled site's own server is stopped before.
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

// True when one of the strings of `list` contains `part`.
bool listed(const json& list, const std::string& part) {
  for (const json& entry : list) {
    if (entry.get<std::string>().find(part) != std::string::npos) return true;
  }
  return false;
}

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

  // Generous limits for a loaded CI machine: 100 s for the replay, 50 s for the search; the
  // script gives up 30 s later, and `timeout` kills it (and so the chromium it started) after
  // 240 s in all.
  RunResult replay = run_command(
      {"/usr/bin/timeout", "-k", "10", "240", find_node(),
       source_dir() + "/tests/support/replay_check.mjs", source_dir() + "/tools", package,
       crawled.articles[0], crawled.headlines[0], crawled.image_url, "100000", crawled.text_word,
       crawled.headlines[1], crawled.headlines[2]});
  ASSERT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  json result = json::parse(replay.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(result.is_object()) << replay.out << replay.err;
  SCOPED_TRACE(result.dump(2));

  EXPECT_TRUE(result["found"].get<bool>())
      << "the archived article did not show its headline and decoded image";
  EXPECT_EQ(result["image"]["width"], 4) << "the 4x4 PNG of the archive";
  bool from_archive = false;
  for (const json& r : result["image_responses"]) {
    from_archive = from_archive || (r["status"] == 200 && r["type"] == "image/png" &&
                                    r["from_service_worker"] == true);
  }
  EXPECT_TRUE(from_archive) << "the image was answered from the package";
  EXPECT_TRUE(result["searched"].get<bool>())
      << "searching the pages for '" << crawled.text_word << "', a word of the second "
      << "article's text only, did not list that article alone";

  // What the page, its frames and its workers asked for went to the local server only (the
  // archived site's own server, 127.0.0.1 on another port, is stopped and was not asked).
  const std::string origin = result["origin"];
  for (const char* list : {"page_requests", "content_requests"}) {
    for (const json& request : result[list]) {
      const std::string line = request.get<std::string>();
      const std::string url = line.substr(line.find(' ') + 1);
      if (url.rfind("data:", 0) == 0 || url.rfind("blob:", 0) == 0) continue;  // no request
      EXPECT_EQ(url.substr(0, origin.size() + 1), origin + "/") << list << ": " << url;
    }
  }
  EXPECT_TRUE(listed(result["page_requests"], "mp_/" + crawled.articles[0]));
  EXPECT_TRUE(listed(result["content_requests"], origin + "/archive.wacz"));
  // Every request chromium sent went through the recording proxy (the service worker's reads of
  // the package are there too), and none for another host came from a page or worker: those are
  // Chromium's own, and the proxy refused them.
  EXPECT_TRUE(listed(result["network"], origin + "/archive.wacz"));
  for (const json& url : result["foreign"]) {
    EXPECT_FALSE(listed(result["content_requests"], url.get<std::string>())) << url;
    EXPECT_FALSE(listed(result["page_requests"], url.get<std::string>())) << url;
  }
}

}  // namespace
}  // namespace provarc::testing
