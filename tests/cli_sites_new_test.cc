// `provarc sites new` (issue 14) on the held-out trap webs (tests/support/trap_web.h): six portal
// sites, one per family and one of no preset. For each site the draft is written from the site
// alone (`sites new ID START_URL --delay 10ms`), must pass `sites check` unedited, and `provarc
// crawl --all` with the drafts must archive every true article of every site, under its canonical
// URL, and nothing else (no print twin, alias, session variant or calendar page registered as
// an article). Both the plain sites (print links only) and the first trap web (session tokens,
// twins, aliases, calendars, pagers past the end, a gzip bomb). And the errors: an unreachable
// host, robots.txt refusing the start URL, a site with no articles.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"
#include "tests/support/trap_web.h"

namespace provarc::testing {
namespace {

using Json = nlohmann::json;

class SitesNewTest : public ::testing::Test {
 protected:
  void serve(std::vector<TrapSiteSpec> sites) {
    TrapWebOptions options;
    options.articles = 10;
    options.per_page = 4;
    options.bomb_bytes = size_t{64} << 20;
    options.crawl_delay_s = 0;
    web_ = std::make_unique<TrapWeb>(options, std::move(sites));
    std::filesystem::create_directories(config_ + "/sites");
  }

  RunResult provarc(std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  // Drafts every site into config/sites/ and checks the drafts as they are.
  void draft_all() {
    for (const TrapSiteSpec& site : web_->sites()) {
      std::string file = config_ + "/sites/" + site.id + ".toml";
      RunResult made = provarc({"sites", "new", site.id, web_->start_url(site.id), "--delay",
                                "10ms", "--out", file});
      ASSERT_EQ(made.exit_code, 0) << site.id << ": " << made.err;
      EXPECT_NE(made.out.find("sample"), std::string::npos) << made.out;
      RunResult checked = provarc({"sites", "check", file});
      EXPECT_EQ(checked.exit_code, 0) << site.id << ": " << checked.err;
    }
  }

  // Each true article archived once under its canonical URL; nothing else registered.
  void expect_every_article_and_nothing_else() {
    RunResult out = provarc({"export", "--format", "jsonl"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    std::map<std::string, std::set<std::string>> archived;
    std::istringstream lines(out.out);
    for (std::string line; std::getline(lines, line);) {
      Json record = Json::parse(line, nullptr, false);
      if (record.is_object()) archived[record["site"]].insert(record["url"].get<std::string>());
    }
    RunResult stats = provarc({"stats", "--format", "json"});
    std::map<std::string, int> rows;
    Json parsed = Json::parse(stats.out, nullptr, false);
    for (const Json& site : parsed.is_array() ? parsed : Json::array()) rows[site["site"]] = site["articles"];
    for (const TrapSiteSpec& site : web_->sites()) {
      std::set<std::string> expected;
      for (const TrueArticle& a : web_->true_articles(site.id, 1)) expected.insert(a.url);
      EXPECT_EQ(archived[site.id], expected) << site.id;
      EXPECT_EQ(rows[site.id], static_cast<int>(expected.size())) << site.id << ": registered";
    }
  }

  void crawl_with_drafts(int allowed_exit) {
    draft_all();
    RunResult crawl = provarc({"crawl", "--all", "--max-time", "30s"});
    EXPECT_TRUE(crawl.exit_code == 0 || crawl.exit_code == allowed_exit) << crawl.err;
    expect_every_article_and_nothing_else();
  }

  std::unique_ptr<TrapWeb> web_;
  std::string dir_ = temp_dir();
  std::string config_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
};

TEST_F(SitesNewTest, PlainSitesOfEveryFamilyAreCrawledWholeWithTheDraftsUnedited) {
  serve(plain_trap_sites());
  crawl_with_drafts(0);
}

TEST_F(SitesNewTest, TrapSitesOfEveryFamilyAreCrawledWholeWithTheDraftsUnedited) {
  serve(default_trap_sites());
  crawl_with_drafts(3);  // 3: the gzip bomb fails, as it should
}

TEST_F(SitesNewTest, TheDraftSaysWhatItSawOnATrapSite) {
  std::vector<TrapSiteSpec> sites;
  for (const TrapSiteSpec& s : default_trap_sites()) {
    if (s.id == "trap-aspnet") sites.push_back(s);
  }
  serve(sites);
  std::string file = dir_ + "/trap-aspnet.toml";
  RunResult made = provarc({"sites", "new", "trap-aspnet", web_->start_url("trap-aspnet"),
                            "--delay", "10ms", "--pages", "15", "--out", file});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string toml = read_file(file);
  EXPECT_NE(toml.find("platform = 'aspnet'"), std::string::npos) << toml;
  EXPECT_NE(toml.find("`__VIEWSTATE` on"), std::string::npos) << toml;
  EXPECT_NE(toml.find("strip_query_params = ['sid']"), std::string::npos) << toml;
  EXPECT_NE(toml.find("calendar:"), std::string::npos) << toml;
  EXPECT_NE(toml.find("print twin"), std::string::npos) << toml;
  EXPECT_NE(toml.find("date_order = 'month-first'"), std::string::npos) << toml;
  EXPECT_NE(toml.find("REPLACE"), std::string::npos) << "contact_url is left for the operator";
  int requests = 0;
  for (const TrapRequest& r : web_->requests_to("trap-aspnet")) requests += r.record.target.empty() ? 0 : 1;
  EXPECT_LE(requests, 15 + 1) << "--pages 15, and robots.txt once";
  RunResult misnamed = provarc({"sites", "new", "trap-aspnet", web_->start_url("trap-aspnet"),
                                "--out", dir_ + "/other.toml"});
  EXPECT_EQ(misnamed.exit_code, 2) << misnamed.err;
  // Never overwritten.
  RunResult again = provarc({"sites", "new", "trap-aspnet", web_->start_url("trap-aspnet"),
                             "--delay", "10ms", "--out", file});
  EXPECT_EQ(again.exit_code, 2) << again.err;
}

TEST_F(SitesNewTest, ClearErrorsForAnUnreachableHostRobotsAndNoArticles) {
  for (const char* d : {"/a", "/b", "/c"}) std::filesystem::create_directories(dir_ + d);
  RunResult unreachable = provarc({"sites", "new", "x", "http://127.0.0.1:1/", "--delay", "10ms",
                                   "--out", dir_ + "/a/x.toml"});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("127.0.0.1:1"), std::string::npos) << unreachable.err;

  FixtureWeb web;
  FixtureHost& refusing = web.add_host("refusing");
  FixtureResponse robots_txt;
  robots_txt.content_type = "text/plain";
  robots_txt.body = "User-agent: *\nDisallow: /\n";
  refusing.set_route("/robots.txt", Route({robots_txt}));
  refusing.set_page("/", "<html><body><a href=/a>a</a></body></html>");
  RunResult robots = provarc({"sites", "new", "x", refusing.url("/"), "--delay", "10ms",
                              "--out", dir_ + "/b/x.toml"});
  EXPECT_EQ(robots.exit_code, 1);
  EXPECT_NE(robots.err.find("Disallow: /"), std::string::npos) << robots.err;

  FixtureHost& empty = web.add_host("empty");
  empty.set_page("/", "<html><body><p>Trang chủ</p><a href=/gioi-thieu>Giới thiệu</a></body></html>");
  empty.set_page("/gioi-thieu", "<html><body><p>Giới thiệu</p></body></html>");
  RunResult none = provarc({"sites", "new", "x", empty.url("/"), "--delay", "10ms", "--out",
                            dir_ + "/c/x.toml"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no recognisable articles"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("2 pages read"), std::string::npos) << none.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/c/x.toml"));
}

}  // namespace
}  // namespace provarc
