// Issue 12 on the held-out trap web (tests/support/trap_web.h): six portal sites, one per family
// and one of no preset, with session ids in paths and queries re-issued on every page, print
// twins with canonical links, 301/302 and case aliases, navigation-state and portlet variants,
// calendars both ways, pagers past the end and a gzip bomb reached under every session variant;
// configured as a new user would from the README (tests/fixtures/trapweb/sites/, used as written
// but for their hosts and a 50 ms delay; the server leaves out its Crawl-delay to keep this
// fast). The built `provarc crawl --all` runs twice: at epoch 1, and at epoch 2 after edits, 5
// new and 2 removed articles per site. Asserted from the server's log and the archive (`provarc
// export`, the crawl report), for each pass:
//   - the crawl ends on its own (not cut off by --max-time) and raises no template alarm; it
//     exits 0, or 3 when the one failed URL is the gzip bomb;
//   - each true article is archived exactly once, under its canonical URL, and nothing else is
//     registered as an article (an alias, a print twin or a session variant), exported or not;
//   - at most 20 requests per site are spent in traps (session variants, twins, aliases,
//     calendars, pages past the last, the bomb);
//   - each resource is fetched at most once outside those 20 (whatever URL names it).
// And plain sites with print links only: no template alarm, exit 0, no twin archived.
// docs/crawl-identity.md has the first-contact figures this test was written against.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/paths.h"
#include "tests/support/trap_web.h"

namespace provarc::testing {
namespace {

using Json = nlohmann::json;

constexpr int kTrapBudget = 20;          // requests per site and pass (issue 12)
constexpr const char* kMaxTime = "20s";  // a pass that has not ended by then never will

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

struct Pass {
  RunResult run;
  Json report;
};

class CrawlIdentityTest : public ::testing::Test {
 protected:
  void serve(std::vector<TrapSiteSpec> sites) {
    TrapWebOptions options;
    options.articles = 10;
    options.per_page = 4;
    options.bomb_bytes = size_t{64} << 20;  // beyond the default 20 MiB body cap
    options.crawl_delay_s = 0;
    web_ = std::make_unique<TrapWeb>(options, std::move(sites));
    // The site files as written, pointed at the local web (as scripts/demo does with its mirror).
    std::filesystem::create_directories(config_ + "/sites");
    for (const TrapSiteSpec& site : web_->sites()) {
      std::string toml = read_file(fixture_path("trapweb/sites/" + site.id + ".toml"));
      std::string authority = web_->host(site.id).authority();
      replace_all(toml, "https://" + site.real_host, "http://" + authority);
      replace_all(toml, "\"" + site.real_host + "\"", "\"" + authority + "\"");
      replace_all(toml, "delay = \"1s\"", "delay = \"50ms\"");
      std::ofstream(config_ + "/sites/" + site.id + ".toml") << toml;
    }
  }

  RunResult provarc(std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  Pass crawl(int epoch) {
    std::string report = config_ + "/report-" + std::to_string(epoch) + ".json";
    Pass pass;
    pass.run = provarc({"crawl", "--all", "--max-time", kMaxTime, "--report", report});
    pass.report = Json::parse(read_file(report), nullptr, false);
    return pass;
  }

  // The archive's articles per site: their URLs, as `provarc export` gives them.
  std::map<std::string, std::vector<std::string>> exported() {
    RunResult out = provarc({"export", "--format", "jsonl"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    std::map<std::string, std::vector<std::string>> urls;
    std::istringstream lines(out.out);
    for (std::string line; std::getline(lines, line);) {
      Json record = Json::parse(line, nullptr, false);
      if (record.is_object()) {
        urls[record["site"].get<std::string>()].push_back(record["url"].get<std::string>());
      }
    }
    return urls;
  }

  // Articles the archive registered per site (`provarc stats`), with a version or not.
  std::map<std::string, int> article_rows() {
    RunResult out = provarc({"stats", "--format", "json"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    std::map<std::string, int> rows;
    Json stats = Json::parse(out.out, nullptr, false);
    for (const Json& site : stats.is_array() ? stats : Json::array()) {
      rows[site["site"].get<std::string>()] = site["articles"].get<int>();
    }
    return rows;
  }

  std::string target_of(const std::string& site, const std::string& url) {
    std::string origin = web_->origin(site);
    return url.rfind(origin, 0) == 0 ? url.substr(origin.size()) : url;
  }

  // The run ended on its own, raised no alarm, and failed on nothing but the bomb.
  void expect_ended(const Pass& pass, int epoch) {
    SCOPED_TRACE("epoch " + std::to_string(epoch));
    ASSERT_TRUE(pass.report.is_object()) << pass.run.err;
    EXPECT_NE(pass.report["status"], "unfinished") << "cut off by --max-time " << kMaxTime;
    EXPECT_TRUE(pass.report["template_changed"].empty()) << pass.report["template_changed"];
    int failed = 0;
    for (const Json& site : pass.report["sites"]) {
      EXPECT_TRUE(site["finished"].get<bool>()) << site["site"] << " did not finish";
      int f = site["failed"];
      EXPECT_LE(f, site["site"] == "trap-aspnet" ? 1 : 0) << site["site"] << ": failed URLs";
      failed += f;
    }
    EXPECT_EQ(pass.run.exit_code, failed == 0 ? 0 : 3) << pass.run.err;
  }

  // Each true article archived once under its canonical URL; nothing else archived, not even as
  // an article whose parse failed (which `export` leaves out).
  void expect_archive(int epoch) {
    SCOPED_TRACE("epoch " + std::to_string(epoch));
    auto archived = exported();
    auto rows = article_rows();
    for (const TrapSiteSpec& site : web_->sites()) {
      std::map<int, std::vector<std::string>> urls_of;  // article number -> archived URLs
      std::set<std::string> expected;
      for (const TrueArticle& a : web_->true_articles(site.id, epoch)) expected.insert(a.url);
      for (const TrueArticle& a : web_->removed_articles(site.id, epoch)) expected.insert(a.url);
      std::vector<std::string> extra;
      for (const std::string& url : archived[site.id]) {
        Hit hit = web_->classify(site.id, target_of(site.id, url));
        if (hit.article > 0) urls_of[hit.article].push_back(url);
        if (expected.count(url) == 0)
          extra.push_back(url + " (" + hit_kind_name(hit.kind) + (hit.session ? ", session" : "") +
                          ")");
      }
      EXPECT_TRUE(extra.empty()) << site.id << ": " << extra.size() << " archived URLs are no "
                                 << "true article, e.g. " << extra.front();
      EXPECT_EQ(rows[site.id], static_cast<int>(expected.size()))
          << site.id << ": articles registered (provarc stats), with a version or not";
      int wrong = 0;
      std::string example;
      for (const TrueArticle& a : web_->true_articles(site.id, epoch)) {
        const std::vector<std::string>& got = urls_of[a.number];
        if (got.size() != 1 || got.front() != a.url) {
          if (wrong++ == 0) {
            example = a.url + " archived as " + std::to_string(got.size()) + " URL(s)" +
                      (got.empty() ? "" : ", e.g. " + got.front());
          }
        }
      }
      EXPECT_EQ(wrong, 0) << site.id << ": " << wrong << " true articles not archived exactly "
                          << "once under their canonical URL; " << example;
    }
  }

  // At most kTrapBudget requests in traps per site; each resource fetched once outside them.
  void expect_requests(int epoch) {
    SCOPED_TRACE("epoch " + std::to_string(epoch));
    for (const TrapSiteSpec& site : web_->sites()) {
      std::map<std::string, int> traps, fetches;
      int trap_requests = 0;
      for (const TrapRequest& r : web_->requests_to(site.id)) {
        if (r.epoch != epoch) continue;
        if (r.hit.trap()) {
          ++trap_requests;
          ++traps[r.hit.session ? "session" : hit_kind_name(r.hit.kind)];
        } else if (r.record.status < 300 || r.record.status >= 400) {
          ++fetches[r.hit.resource];
        }
      }
      std::string by_kind;
      for (const auto& [kind, n] : traps) by_kind += " " + kind + " " + std::to_string(n);
      EXPECT_LE(trap_requests, kTrapBudget) << site.id << ": requests in traps:" << by_kind;
      for (const auto& [resource, n] : fetches) {
        EXPECT_LE(n, 1) << site.id << ": " << resource << " fetched " << n << " times";
      }
    }
  }

  std::unique_ptr<TrapWeb> web_;
  std::string dir_ = temp_dir();
  std::string config_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
};

TEST_F(CrawlIdentityTest, OneArticleOneUrlOnSitesNobodyConfiguredForTheirTraps) {
  serve(default_trap_sites());
  Pass first = crawl(1);
  expect_ended(first, 1);
  expect_archive(1);
  expect_requests(1);

  web_->set_epoch(2);
  Pass second = crawl(2);
  expect_ended(second, 2);
  expect_archive(2);
  expect_requests(2);
}

TEST_F(CrawlIdentityTest, PlainSitesWithPrintLinksRaiseNoTemplateAlarm) {
  serve(plain_trap_sites());
  Pass pass = crawl(1);
  ASSERT_TRUE(pass.report.is_object()) << pass.run.err;
  EXPECT_EQ(pass.run.exit_code, 0) << pass.run.out << pass.run.err;
  EXPECT_TRUE(pass.report["template_changed"].empty()) << pass.report["template_changed"];
  expect_archive(1);
}

}  // namespace
}  // namespace provarc::testing
