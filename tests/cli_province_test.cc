// A fifth province added by a config file alone (README "Add a province"): Hậu Giang, on the
// shipped `liferay` preset, which no code names. Its site file (tests/fixtures/config/sites/
// hau-giang.toml) is checked, tried on one page offline and online, and crawled from the fixture
// web serving the liferay fixture pages at their real paths; every article in the archive must
// equal its hand-written golden. The file is used as written, but for its host (the fixture web
// is 127.0.0.1:<port>, over http) and its delay (a local server needs no second between requests).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "parsers/article.h"
#include "tests/support/fixture_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kRealHost = "stttt.haugiang.gov.vn";
constexpr const char* kListing = "/web/guest/tin-tuc";

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

class CliProvinceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = &web_.add_host("hau-giang");
    auto pages = read_fixture_manifest(fixture_path("liferay"));
    ASSERT_TRUE(pages.ok()) << pages.error();
    pages_ = *pages;
    ASSERT_EQ(pages_.size(), 4u);
    Status served = serve_fixture_site(*host_, fixture_path("liferay"), pages_, {kListing});
    ASSERT_TRUE(served.ok()) << served.error();

    // Only sites/: the presets are the shipped ones (provarc falls back to them).
    std::filesystem::create_directories(config_dir_ + "/sites");
    std::string toml = read_file(fixture_path("config/sites/hau-giang.toml"));
    ASSERT_NE(toml.find("platform = \"liferay\""), std::string::npos);
    replace_all(toml, std::string("https://") + kRealHost, "http://" + host_->authority());
    replace_all(toml, kRealHost, host_->authority());
    replace_all(toml, "delay = \"1s\"", "delay = \"20ms\"");
    site_file_ = config_dir_ + "/sites/hau-giang.toml";
    std::ofstream(site_file_) << toml;
  }

  RunResult provarc(std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_dir_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  // The fixture web's URL for a page saved from `real_url`, and the reverse for goldens.
  std::string local(const std::string& real_url) {
    std::string url = real_url;
    replace_all(url, std::string("https://") + kRealHost, "http://" + host_->authority());
    return url;
  }

  // The golden of `page`, with its URLs moved to the fixture web.
  Article golden_of(const MirroredPage& page) {
    std::string name = page.file.substr(0, page.file.size() - 5);  // without ".html"
    auto golden = article_from_json(read_file(fixture_path("liferay/" + name + ".expected.json")));
    EXPECT_TRUE(golden.ok()) << name << ": " << (golden.ok() ? "" : golden.error());
    if (!golden.ok()) return Article{};
    golden->url = local(golden->url);
    for (Image& image : golden->images) image.url = local(image.url);
    for (Attachment& a : golden->attachments) a.url = local(a.url);
    return *golden;
  }

  FixtureWeb web_;
  FixtureHost* host_ = nullptr;
  std::vector<MirroredPage> pages_;
  std::string dir_ = temp_dir();
  std::string config_dir_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
  std::string site_file_;
};

TEST_F(CliProvinceTest, TheSiteFileChecksAndListsWithoutACodeChange) {
  RunResult check = provarc({"sites", "check", site_file_});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, site_file_ + ": ok\n");
  RunResult list = provarc({"sites", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "hau-giang\tliferay\tHậu Giang\t" + host_->authority() + "\n");
}

TEST_F(CliProvinceTest, SitesTryShowsHowEachFieldWasFoundOffline) {
  const MirroredPage& page = pages_[0];
  RunResult tried = provarc({"sites", "try", site_file_, "--html",
                             fixture_path("liferay/" + page.file), "--url", page.url,
                             "--content-type", page.content_type, "--format", "json"});
  ASSERT_EQ(tried.exit_code, 0) << tried.err;
  Json out = Json::parse(tried.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << tried.out;
  // The extractor's own trace, inside the article it printed: no second reading of the rules.
  const Json& provenance = out["article"]["provenance"];
  EXPECT_EQ(provenance["body"], "rule:.asset-full-content .asset-content .journal-content-article");
  EXPECT_EQ(provenance["title"], "rule:.taglib-header .header-title");
  EXPECT_EQ(provenance["published"], "rule:.ngay-dang");
  EXPECT_EQ(provenance["author"].get<std::string>().rfind("generic:", 0), 0u)
      << provenance << ": the liferay preset has no author rules";
  EXPECT_FALSE(out.contains("rules")) << "sites try no longer re-runs the selectors itself";
  EXPECT_EQ(out["crawl_role"].get<std::string>().rfind("out of the crawl's scope: ", 0), 0u)
      << out["crawl_role"] << ": the real URL is not on the fixture web's host";
  Article golden = golden_of(page);
  EXPECT_EQ(out["article"]["title"], golden.title);
  EXPECT_TRUE(web_.requests().empty()) << "--html touches no network";

  RunResult text = provarc({"sites", "try", site_file_, "--html",
                            fixture_path("liferay/" + page.file)});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("body      rule:.asset-full-content"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(golden.title), std::string::npos) << text.out;
}

TEST_F(CliProvinceTest, SitesTryFetchesOnePagePolitelyAfterRobotsTxt) {
  const MirroredPage& page = pages_[1];
  std::string url = host_->url(page.target);
  RunResult tried = provarc({"sites", "try", site_file_, "--url", url});
  ASSERT_EQ(tried.exit_code, 0) << tried.err;
  EXPECT_NE(tried.out.find("crawl role  article"), std::string::npos) << tried.out;
  EXPECT_NE(tried.out.find("robots.txt  allowed by"), std::string::npos) << tried.out;
  EXPECT_NE(tried.out.find(golden_of(page).title), std::string::npos) << tried.out;
  auto log = web_.requests_to(*host_);
  ASSERT_EQ(log.size(), 2u) << "robots.txt, then the page: nothing else";
  EXPECT_EQ(log[0].target, "/robots.txt");
  EXPECT_EQ(log[1].target, page.target);
  EXPECT_EQ(log[1].user_agent.rfind("provarc/", 0), 0u) << log[1].user_agent;
  EXPECT_NE(log[1].user_agent.find("(+https://github.com/provarc/provarc)"), std::string::npos);

  // A robots.txt that forbids the page: it is not fetched.
  FixtureResponse robots;
  robots.content_type = "text/plain";
  robots.body = "User-agent: provarc\nDisallow: /web/\n";
  host_->set_route("/robots.txt", Route({robots}));
  web_.clear_log();
  RunResult refused = provarc({"sites", "try", site_file_, "--url", url});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("disallowed by"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("Disallow: /web/"), std::string::npos) << refused.err;
  ASSERT_EQ(web_.requests_to(*host_).size(), 1u);
  EXPECT_EQ(web_.requests_to(*host_)[0].target, "/robots.txt");
}

TEST_F(CliProvinceTest, ACrawlArchivesEveryArticleAsItsGoldenSays) {
  RunResult crawled = provarc({"crawl", "--all"});
  ASSERT_EQ(crawled.exit_code, 0) << crawled.out << crawled.err;
  EXPECT_NE(crawled.out.find("hau-giang"), std::string::npos) << crawled.out;

  auto archive = Archive::open(db_, ArchiveOptions{.read_only = true});
  ASSERT_TRUE(archive.ok()) << archive.error();
  for (const MirroredPage& page : pages_) {
    SCOPED_TRACE(page.file);
    std::string url = host_->url(page.target);
    auto latest = (*archive)->latest_version(url);
    ASSERT_TRUE(latest.ok()) << latest.error();
    if (!*latest) {
      auto error = (*archive)->last_parse_error(url);
      FAIL() << url << " has no version; parse error: " << (error.ok() ? *error : error.error());
    }
    auto got = article_from_json((*latest)->json);
    ASSERT_TRUE(got.ok()) << got.error();
    Article golden = golden_of(page);
    EXPECT_EQ(got->site, "hau-giang");
    EXPECT_EQ(got->url, golden.url);
    EXPECT_EQ(got->title, golden.title);
    EXPECT_EQ(got->published, golden.published);
    EXPECT_EQ(got->updated, golden.updated);
    EXPECT_EQ(got->author, golden.author);
    EXPECT_EQ(got->blocks, golden.blocks);
    EXPECT_EQ(got->images, golden.images);
    EXPECT_EQ(got->attachments, golden.attachments);
    // Its images and attachments were archived beside it, from the fixture web.
    for (const Image& image : golden.images) {
      auto capture = (*archive)->latest_capture(image.url, false);
      ASSERT_TRUE(capture.ok());
      EXPECT_TRUE(*capture) << image.url;
    }
  }
  RunResult runs = provarc({"runs", "--format", "json"});
  Json list = Json::parse(runs.out, nullptr, false);
  ASSERT_TRUE(list.is_array() && list.size() == 1) << runs.out;
  EXPECT_EQ(list[0]["sites"][0]["site"], "hau-giang");
  EXPECT_EQ(list[0]["sites"][0]["new"], 4);
  EXPECT_EQ(list[0]["sites"][0]["template"]["suspect"], 0);
}

}  // namespace
}  // namespace provarc::testing
