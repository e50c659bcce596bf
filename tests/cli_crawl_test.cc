// Tests of `provarc crawl`: the real binary against the fixture web, into a real archive; exit
// codes, the summary, the crawl lock, and a resume after kill -9.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "tests/support/archive_sql.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

extern char** environ;

namespace provarc::testing {
namespace {

using std::chrono::milliseconds;

FixtureResponse text(const std::string& body, int status = 200) {
  FixtureResponse r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = body;
  return r;
}

class CliCrawlTest : public ::testing::Test {
 protected:
  FixtureHost& news_host(const std::string& name, int articles) {
    FixtureHost& host = web_.add_host(name);
    add_news_site(host, "", articles, 4);
    host.set_route("/robots.txt", Route({text("User-agent: *\nDisallow:\n")}));
    return host;
  }

  void add_site(const std::string& id, const FixtureHost& host, int delay_ms,
                const std::string& extra = "") {
    write_test_site(config_dir_, id, {host.authority()},
                    news_crawl_toml(host.authority(), delay_ms, extra));
  }

  std::vector<std::string> command(std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_dir_, "--db", db_, "crawl"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  RunResult crawl(std::vector<std::string> args = {}) { return run_command(command(std::move(args))); }

  std::unique_ptr<Archive> archive() {
    auto a = Archive::open(db_, ArchiveOptions{.read_only = true});
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error());
    return a.ok() ? std::move(*a) : nullptr;
  }

  size_t versions_of(Archive& a, const std::string& url) {
    auto v = a.versions(url);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error());
    return v.ok() ? v->size() : 0;
  }

  FixtureWeb web_;
  std::string dir_ = temp_dir();
  std::string config_dir_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
};

TEST_F(CliCrawlTest, CrawlsIntoTheArchiveAndPrintsASummary) {
  FixtureHost& a = news_host("a", 6);
  FixtureHost& b = news_host("b", 3);
  add_site("site-a", a, 20);
  add_site("site-b", b, 20);
  RunResult r = crawl();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("site"), std::string::npos);
  EXPECT_NE(r.out.find("site-a"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("site-b"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("finished"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "") << "no terminal: quiet unless something goes wrong";
  auto db = archive();
  ASSERT_TRUE(db);
  for (int n = 1; n <= 6; ++n) {
    EXPECT_EQ(versions_of(*db, a.url("/tin-tuc/bai-viet-" + std::to_string(n) + ".html")), 1u);
  }
  for (int n = 1; n <= 3; ++n) {
    EXPECT_EQ(versions_of(*db, b.url("/tin-tuc/bai-viet-" + std::to_string(n) + ".html")), 1u);
  }
  auto image = db->latest_capture(a.url("/anh/bai-viet-1.jpg"), true);
  ASSERT_TRUE(image.ok() && *image) << "the article's image is archived";
  EXPECT_EQ((*image)->capture.kind, CaptureKind::kImage);
  EXPECT_EQ((*image)->capture.parent_url, a.url("/tin-tuc/bai-viet-1.html"));
  auto counts = db->frontier_counts("site-a");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued + counts->in_progress, 0);
  EXPECT_GT(counts->done, 0);

  // A second run: a new pass; the listings again, the articles not (fresh), so nothing new.
  web_.clear_log();
  RunResult again = crawl({"--site", "site-a"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(web_.count(a, "/tin-tuc/"), 1);
  EXPECT_EQ(web_.count(a, "/tin-tuc/bai-viet-1.html"), 0);
  EXPECT_TRUE(web_.requests_to(b).empty()) << "--site limits the run";
}

TEST_F(CliCrawlTest, ExitCodesForUsageBudgetAndFailures) {
  FixtureHost& a = news_host("a", 3);
  a.set_route("/tin-tuc/bai-viet-2.html", Route({text("down", 500)}));
  add_site("site-a", a, 10, "max_retries = 0\n");

  RunResult unknown = crawl({"--site", "no-such-site"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no-such-site"), std::string::npos) << unknown.err;
  RunResult bad_time = crawl({"--max-time", "soon"});
  EXPECT_EQ(bad_time.exit_code, 2);
  EXPECT_NE(bad_time.err.find("--max-time \"soon\""), std::string::npos) << bad_time.err;
  EXPECT_TRUE(web_.requests().empty());

  RunResult budget = crawl({"--max-pages", "2"});
  EXPECT_EQ(budget.exit_code, 0) << budget.err;
  EXPECT_NE(budget.out.find("unfinished: page budget"), std::string::npos) << budget.out;

  RunResult partial = crawl();
  EXPECT_EQ(partial.exit_code, 3) << partial.out << partial.err;
  EXPECT_NE(partial.err.find("bai-viet-2.html: HTTP 500"), std::string::npos) << partial.err;
}

// A crawl that fails mid-run (here the archive refuses one article's capture, through a
// trigger, as a full disk would) exits 1 naming the error and ends its run as failed: `provarc
// runs` must not show it "not ended" forever (issue 13).
TEST_F(CliCrawlTest, ACrawlThatFailsEndsItsRunAsFailed) {
  FixtureHost& a = news_host("a", 3);
  add_site("site-a", a, 10);
  ASSERT_EQ(crawl({"--max-pages", "0"}).exit_code, 0) << "creates the archive";
  exec_sql(db_, "CREATE TRIGGER refuse BEFORE INSERT ON captures "
                "WHEN NEW.url LIKE '%bai-viet-2%' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
  const std::string report = dir_ + "/report.json";
  RunResult r = crawl({"--report", report});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("injected fault"), std::string::npos) << r.err;
  RunResult runs = run_command({provarc_binary(), "--config", config_dir_, "--db", db_, "runs",
                                "--limit", "1", "--format", "json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  nlohmann::json run = nlohmann::json::parse(runs.out)[0];
  EXPECT_EQ(run["kind"], "crawl");
  EXPECT_EQ(run["status"], "failed") << runs.out;
  EXPECT_EQ(run["exit_code"], 1) << runs.out;
  EXPECT_FALSE(run["ended_at"].is_null()) << runs.out;
  EXPECT_NE(run["counts"]["error"].get<std::string>().find("injected fault"), std::string::npos)
      << runs.out;
  nlohmann::json written = nlohmann::json::parse(read_file(report));
  EXPECT_EQ(written["status"], "failed");
  EXPECT_EQ(written["run"], run["run"]);
}

// Links past the cap of one page (crawler/links.h) are counted per site, warned about with the
// page's URL, and reported in the summary and the run's record (issue 13: they were dropped
// without a word).
TEST_F(CliCrawlTest, LinksPastThePerPageCapAreCountedAndReported) {
  FixtureHost& a = news_host("a", 2);
  std::string listing = "<!DOCTYPE html><html><body>";
  listing += "<a href=\"/tin-tuc/bai-viet-1.html\">1</a><a href=\"/tin-tuc/bai-viet-2.html\">2</a>";
  for (int i = 0; i < 50010; ++i) {
    listing += "<a href=\"http://elsewhere.invalid/" + std::to_string(i) + "\">x</a>";
  }
  a.set_page("/tin-tuc/", listing + "</body></html>");
  add_site("site-a", a, 10);
  RunResult r = crawl();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find(a.url("/tin-tuc/") + ": 12 links not followed (50000 are read"),
            std::string::npos) << r.err;
  EXPECT_NE(r.out.find("links not followed: site-a: 12 past the cap"), std::string::npos) << r.out;
  RunResult runs = run_command({provarc_binary(), "--config", config_dir_, "--db", db_, "runs",
                                "--limit", "1", "--format", "json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  nlohmann::json run = nlohmann::json::parse(runs.out)[0];
  EXPECT_EQ(run["counts"]["sites"]["site-a"]["links_dropped"], 12) << runs.out;
}

TEST_F(CliCrawlTest, ASiteWhoseArticlesNoLongerParseExitsWithTheTemplateCode) {
  FixtureHost& a = news_host("a", 4);
  for (int n = 1; n <= 4; ++n) {
    a.set_page("/tin-tuc/bai-viet-" + std::to_string(n) + ".html", "<html><body></body></html>");
  }
  add_site("site-a", a, 10);
  RunResult r = crawl();
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.err.find("template"), std::string::npos) << r.err;
}

TEST_F(CliCrawlTest, OneCrawlPerArchive) {
  FixtureHost& a = news_host("a", 1);
  add_site("site-a", a, 10);
  int fd = open((db_ + ".crawl-lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);
  RunResult locked = crawl();
  EXPECT_EQ(locked.exit_code, 4);
  EXPECT_NE(locked.err.find("another provarc crawl"), std::string::npos) << locked.err;
  close(fd);
  EXPECT_EQ(crawl().exit_code, 0);

  // A lock file that cannot even be opened is a failure (1), never "busy" (4).
  RunResult nowhere = run_command({provarc_binary(), "--config", config_dir_, "--db",
                                   dir_ + "/no-such-dir/archive.sqlite", "crawl"});
  EXPECT_EQ(nowhere.exit_code, 1) << nowhere.err;
  EXPECT_NE(nowhere.err.find("open " + dir_ + "/no-such-dir/archive.sqlite.crawl-lock: No such file"),
            std::string::npos)
      << nowhere.err;
  EXPECT_EQ(nowhere.err.find("another provarc crawl"), std::string::npos) << nowhere.err;
}

TEST_F(CliCrawlTest, ShowsLiveProgressOnATerminal) {
  FixtureHost& a = news_host("a", 6);
  add_site("site-a", a, 120);
  // stderr on a pseudo-terminal, stdout to a file.
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  std::string slave_path = ptsname(master);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, (dir_ + "/out.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, slave_path.c_str(), O_RDWR, 0);
  std::vector<std::string> argv = command({});
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::string screen;
  char buf[4096];
  ssize_t n;
  while ((n = read(master, buf, sizeof buf)) > 0) screen.append(buf, static_cast<size_t>(n));
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << screen;
  EXPECT_NE(screen.find("site-a"), std::string::npos) << screen;
  EXPECT_NE(screen.find("fetched"), std::string::npos) << screen;
  EXPECT_NE(screen.find("delay  0.12s"), std::string::npos) << screen;
  EXPECT_NE(screen.find("\x1b[1A\x1b[2K"), std::string::npos) << "lines are redrawn in place";
  EXPECT_NE(read_file(dir_ + "/out.txt").find("finished"), std::string::npos);
}

TEST_F(CliCrawlTest, ResumesAfterKill9WithoutFetchingCompletedUrlsAgain) {
  constexpr int kArticles = 24;
  FixtureHost& a = news_host("a", kArticles);
  add_site("site-a", a, 40, "fetch_images = false\nfetch_attachments = false\n");
  pid_t pid = spawn_logged(command({}), dir_ + "/first.log");
  ASSERT_GT(pid, 0);
  // Kill it in the middle of the articles.
  auto articles_fetched = [&] {
    int n = 0;
    for (const RequestRecord& r : web_.requests_to(a)) n += r.target.rfind("/tin-tuc/bai-viet-", 0) == 0;
    return n;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (articles_fetched() < 8 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_LT(articles_fetched(), kArticles) << "killed too late to test a resume";

  // What the killed run committed: every URL with a capture in the archive.
  std::set<std::string> completed;
  {
    auto db = archive();
    ASSERT_TRUE(db);
    for (const RequestRecord& r : web_.requests_to(a)) {
      if (r.target == "/robots.txt") continue;
      auto latest = db->latest_capture(a.url(r.target), false);
      ASSERT_TRUE(latest.ok()) << latest.error();
      if (*latest) completed.insert(r.target);
    }
  }
  ASSERT_FALSE(completed.empty());

  web_.clear_log();
  RunResult resumed = crawl();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.out.find("finished"), std::string::npos) << resumed.out;
  for (const RequestRecord& r : web_.requests_to(a)) {
    EXPECT_EQ(completed.count(r.target), 0u) << r.target << " was completed before the kill";
  }
  auto db = archive();
  ASSERT_TRUE(db);
  for (int n = 1; n <= kArticles; ++n) {
    std::string url = a.url("/tin-tuc/bai-viet-" + std::to_string(n) + ".html");
    EXPECT_EQ(versions_of(*db, url), 1u) << url;
  }
  auto counts = db->frontier_counts("site-a");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued + counts->in_progress, 0);
}

}  // namespace
}  // namespace provarc::testing
