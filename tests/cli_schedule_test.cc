// Tests of `provarc crawl` as a scheduled job: the real binary against the fixture web, run after
// run on one archive. The crawl lock, the run records (`provarc runs`, `--report`), incremental
// passes (listings paged only while they show new articles, stale articles revalidated with
// conditional GETs), gone articles, and the template check across runs.
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

extern char** environ;

namespace provarc::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

constexpr int kPerPage = 3;

enum class Template {
  kKnown,       // what the site's [extract] rules (kExtractToml) read
  kNoDate,      // the same, without a date
  kRedesigned,  // other classes, and no date
};

std::string article_in_known_template(const std::string& title, bool with_date = true) {
  return "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><nav><a href=\"/\">Trang chủ</a></nav>"
         "<div class=\"noi-dung\"><h1 class=\"tieu-de\">" + title + "</h1>" +
         (with_date ? "<p class=\"ngay\">Ngày đăng: 12/04/2023</p>" : "") +
         "<p>Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số "
         "năm 2023 với các phòng, đơn vị trực thuộc.</p>"
         "<p>Hội nghị thảo luận về hạ tầng số, an toàn thông tin và dịch vụ công trực tuyến, "
         "thống nhất kế hoạch cho các tháng cuối năm.</p></div></body></html>";
}

std::string article_in_new_template(const std::string& title) {
  return "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><nav><a href=\"/\">Trang chủ</a></nav>"
         "<section class=\"chi-tiet-bai-viet\"><h2>" + title + "</h2>"
         "<p>Sở Thông tin và Truyền thông tổ chức tập huấn kỹ năng số cho thành viên tổ công "
         "nghệ số cộng đồng tại các xã, phường, thị trấn.</p>"
         "<p>Lớp tập huấn giúp học viên sử dụng dịch vụ công trực tuyến và thanh toán không "
         "dùng tiền mặt.</p></section></body></html>";
}

const char* const kExtractToml =
    "\n[extract]\n"
    "body = ['.noi-dung']\n"
    "title = ['.tieu-de']\n"
    "date = ['.ngay']\n";

// A news site whose listing we rewrite between runs: "/tin-tuc/" and "/tin-tuc/?page=N", kPerPage
// articles a page, newest first. Articles answer with an ETag (and 304 to If-None-Match).
class NewsSite {
 public:
  explicit NewsSite(FixtureHost& host) : host_(host) {
    FixtureResponse robots;
    robots.content_type = "text/plain";
    robots.body = "User-agent: *\nDisallow:\n";
    host_.set_route("/robots.txt", Route({robots}));
    host_.set_page("/", "<!DOCTYPE html><html><head><title>Trang chủ</title></head><body>"
                        "<a href=\"/tin-tuc/\">Tin tức</a></body></html>");
  }

  // Publishes a new article at the top of the listing; returns its target.
  std::string publish(Template kind = Template::kKnown) {
    std::string n = std::to_string(++count_);
    std::string target = "/tin-tuc/bai-" + n + ".html";
    std::string title = "Bài viết số " + n;
    FixtureResponse page;
    bool dated = kind == Template::kKnown;
    page.body = kind == Template::kRedesigned ? article_in_new_template(title)
                                              : article_in_known_template(title, dated);
    Route route({page});
    route.etag = "\"bai-" + n + "-v1\"";
    host_.set_route(target, route);
    listed_.insert(listed_.begin(), target);
    write_listing();
    return target;
  }

  // Takes `target` off the listing; it then answers `status` (404 or 410).
  void remove(const std::string& target, int status) {
    listed_.erase(std::find(listed_.begin(), listed_.end(), target));
    FixtureResponse gone;
    gone.status = status;
    gone.body = "<html><body><h1>Không tìm thấy trang</h1></body></html>";
    host_.set_route(target, Route({gone}));
    write_listing();
  }

  // Serves `target` again with its known-template page (it came back).
  void restore(const std::string& target, const std::string& title) {
    FixtureResponse page;
    page.body = article_in_known_template(title);
    host_.set_route(target, Route({page}));
    listed_.insert(listed_.begin(), target);
    write_listing();
  }

  static std::string listing_target(int page) {
    return page == 1 ? "/tin-tuc/" : "/tin-tuc/?page=" + std::to_string(page);
  }

 private:
  void write_listing() {
    int pages = std::max<int>(1, (static_cast<int>(listed_.size()) + kPerPage - 1) / kPerPage);
    for (int p = 1; p <= pages; ++p) {
      std::string html = "<!DOCTYPE html><html><head><title>Tin tức</title></head><body><ul>";
      for (size_t i = (p - 1) * kPerPage; i < std::min(listed_.size(), size_t(p * kPerPage)); ++i) {
        html += "<li><a href=\"" + listed_[i] + "\">" + listed_[i] + "</a></li>";
      }
      html += "</ul>";
      if (p < pages) html += "<a href=\"" + listing_target(p + 1) + "\">Trang sau</a>";
      host_.set_page(listing_target(p), html + "</body></html>");
    }
  }

  FixtureHost& host_;
  int count_ = 0;
  std::vector<std::string> listed_;  // newest first
};

// Starts `argv` with stdout and stderr to `log_path`; returns its pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

class CliScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = &web_.add_host("news");
    site_ = std::make_unique<NewsSite>(*host_);
  }

  void configure(const std::string& extra = "") {
    write_test_site(config_dir_, "news", {host_->authority()},
                    news_crawl_toml(host_->authority(), 20,
                                    "fetch_images = false\nfetch_attachments = false\n" + extra) +
                        kExtractToml);
  }

  std::vector<std::string> provarc(std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_dir_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  RunResult run(std::vector<std::string> args) { return run_command(provarc(std::move(args))); }

  // A crawl of every site, writing its report; returns the result and the parsed report.
  std::pair<RunResult, Json> crawl() {
    RunResult r = run({"crawl", "--all", "--report", report_});
    Json report = Json::parse(read_file(report_), nullptr, /*allow_exceptions=*/false);
    return {r, report};
  }

  // Makes every capture look a year old, as if the revisit interval had passed.
  void age_archive() {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, "UPDATE captures SET fetched_at = '2020-01-01T00:00:00.000Z'",
                          nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::unique_ptr<Archive> archive() {
    auto a = Archive::open(db_, ArchiveOptions{.read_only = true});
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error());
    return a.ok() ? std::move(*a) : nullptr;
  }

  // The requests of the last run (since clear_log) for `target`.
  std::vector<RequestRecord> requests_for(const std::string& target) {
    std::vector<RequestRecord> out;
    for (const RequestRecord& r : web_.requests_to(*host_)) {
      if (r.target == target) out.push_back(r);
    }
    return out;
  }

  FixtureWeb web_;
  FixtureHost* host_ = nullptr;
  std::unique_ptr<NewsSite> site_;
  std::string dir_ = temp_dir();
  std::string config_dir_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
  std::string report_ = dir_ + "/report.json";
};

TEST_F(CliScheduleTest, ASecondRunExitsAtOnceWhileTheFirstHoldsTheLock) {
  for (int i = 0; i < 3; ++i) site_->publish();
  // Slow enough that the first run is still going when the second starts.
  FixtureResponse slow_page;
  slow_page.body = article_in_known_template("Bài viết chậm");
  Route slow({slow_page});
  slow.delay_ms = 3000;
  host_->set_route("/tin-tuc/bai-1.html", slow);
  configure();
  pid_t first = spawn(provarc({"crawl", "--all"}), dir_ + "/first.log");
  ASSERT_GT(first, 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (requests_for("/tin-tuc/bai-1.html").empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_FALSE(requests_for("/tin-tuc/bai-1.html").empty()) << read_file(dir_ + "/first.log");

  size_t requests_before = web_.requests().size();
  auto started = std::chrono::steady_clock::now();
  RunResult second = run({"crawl", "--all"});
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_NE(second.err.find("another provarc crawl is running on this archive"), std::string::npos)
      << second.err;
  EXPECT_EQ(second.out, "");
  EXPECT_LT(took, std::chrono::seconds(2)) << "the second run waits for nothing";
  EXPECT_EQ(web_.requests().size(), requests_before + 0) << "the second run fetches nothing";

  int status = 0;
  ASSERT_EQ(waitpid(first, &status, 0), first);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(dir_ + "/first.log");
}

// A lock file that cannot be opened is something wrong (exit 1, the system error, a failed
// report), never "another crawl is running" (exit 4, which systemd counts as success).
TEST_F(CliScheduleTest, ALockFileThatCannotBeOpenedIsAFailureNotABusyArchive) {
  site_->publish();
  configure();
  const std::string lock = db_ + ".crawl-lock";
  std::filesystem::create_directories(lock);  // a directory in its place
  auto [r, report] = crawl();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("open " + lock + ": Is a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("another provarc crawl"), std::string::npos) << r.err;
  ASSERT_TRUE(report.is_object()) << "a failed run still writes its report";
  EXPECT_EQ(report["status"], "failed");
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_TRUE(report["run"].is_null());
  EXPECT_EQ(report["error"], "open " + lock + ": Is a directory");
  EXPECT_TRUE(web_.requests().empty());
  std::filesystem::remove(lock);

  // Left by a root run: owned by root, and we are not root.
  std::ofstream(lock).flush();
  chmod(lock.c_str(), 0644);
  const std::string reports = dir_ + "/reports";
  std::filesystem::create_directories(reports);
  open_to_others(dir_);
  std::filesystem::permissions(reports, std::filesystem::perms::all);
  std::vector<std::string> argv =
      as_unprivileged(provarc({"crawl", "--all", "--report", reports + "/r.json"}));
  if (argv.empty()) GTEST_SKIP() << "running as root without setpriv";
  if (geteuid() != 0 && access(lock.c_str(), W_OK) == 0) GTEST_SKIP() << "the lock is ours";
  RunResult denied = run_command(argv);
  EXPECT_EQ(denied.exit_code, 1) << denied.err;
  EXPECT_NE(denied.err.find("open " + lock + ": Permission denied"), std::string::npos)
      << denied.err;
  Json written = Json::parse(read_file(reports + "/r.json"), nullptr, false);
  EXPECT_EQ(written.value("status", ""), "failed") << written.dump();
  EXPECT_TRUE(web_.requests().empty());
}

TEST_F(CliScheduleTest, EveryRunIsRecordedAndReportedWithPerSiteCounts) {
  for (int i = 0; i < 4; ++i) site_->publish();
  configure();
  auto [first, report] = crawl();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "") << "off a terminal a clean run prints only its summary";
  EXPECT_NE(first.out.find("news"), std::string::npos) << first.out;

  ASSERT_TRUE(report.is_object()) << read_file(report_);
  for (const char* key : {"run", "kind", "started_at", "ended_at", "duration_ms", "status",
                          "exit_code", "sites", "counts", "template_changed"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
  EXPECT_EQ(report["kind"], "crawl");
  EXPECT_EQ(report["status"], "ok");
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["template_changed"], Json::array());
  ASSERT_EQ(report["sites"].size(), 1u);
  const Json& news = report["sites"][0];
  for (const char* key : {"site", "fetched", "pages", "new", "changed", "unchanged",
                          "not_modified", "gone", "errors", "failed", "bytes", "duration_ms",
                          "finished", "template"}) {
    EXPECT_TRUE(news.contains(key)) << key;
  }
  EXPECT_EQ(news["site"], "news");
  EXPECT_EQ(news["new"], 4);
  EXPECT_EQ(news["changed"], 0);
  EXPECT_EQ(news["gone"], 0);
  EXPECT_EQ(news["errors"], 0);
  EXPECT_EQ(news["finished"], true);
  // robots.txt, "/", two listing pages, four articles.
  EXPECT_EQ(news["fetched"], 8);
  EXPECT_GT(news["bytes"].get<int64_t>(), 4 * 500);
  EXPECT_GT(news["duration_ms"].get<int64_t>(), 0);
  EXPECT_EQ(news["template"]["parsed"], 4);
  EXPECT_EQ(news["template"]["suspect"], 0);

  // A second run, and the list of both, newest first: the same objects as the reports.
  site_->publish();
  auto [second, second_report] = crawl();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second_report["sites"][0]["new"], 1);
  RunResult listed = run({"runs", "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  Json runs = Json::parse(listed.out, nullptr, false);
  ASSERT_TRUE(runs.is_array()) << listed.out;
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], second_report);
  EXPECT_EQ(runs[1], report);

  RunResult text = run({"runs"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("run " + std::to_string(report["run"].get<int>()) + "  crawl"),
            std::string::npos)
      << text.out;
  for (const char* column : {"fetched", "new", "changed", "unchanged", "gone", "errors", "bytes",
                             "duration"}) {
    EXPECT_NE(text.out.find(column), std::string::npos) << column << "\n" << text.out;
  }
  EXPECT_LT(text.out.find("run " + std::to_string(second_report["run"].get<int>())),
            text.out.find("run " + std::to_string(report["run"].get<int>())))
      << "newest first";
  RunResult one = run({"runs", "--limit", "1", "--format", "json"});
  EXPECT_EQ(Json::parse(one.out, nullptr, false).size(), 1u) << one.out;
}

TEST_F(CliScheduleTest, IncrementalRunsPageListingsOnlyWhileTheyShowNewArticles) {
  for (int i = 0; i < 9; ++i) site_->publish();  // three listing pages
  configure();
  auto [first, first_report] = crawl();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first_report["sites"][0]["new"], 9);
  EXPECT_EQ(requests_for(NewsSite::listing_target(3)).size(), 1u);

  // One new article: page 1 shows it, page 2 shows only known ones, so page 3 is left alone.
  std::string fresh = site_->publish();
  web_.clear_log();
  auto [second, report] = crawl();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(report["sites"][0]["new"], 1);
  EXPECT_EQ(requests_for(NewsSite::listing_target(1)).size(), 1u);
  EXPECT_EQ(requests_for(NewsSite::listing_target(2)).size(), 1u);
  EXPECT_EQ(requests_for(NewsSite::listing_target(3)).size(), 0u);
  EXPECT_EQ(requests_for(NewsSite::listing_target(4)).size(), 0u);
  EXPECT_EQ(requests_for(fresh).size(), 1u);
  EXPECT_EQ(requests_for("/tin-tuc/bai-9.html").size(), 0u) << "fresh articles are not refetched";

  // Nothing new, and nothing stale: only the listing's first page.
  web_.clear_log();
  auto [third, quiet] = crawl();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(requests_for(NewsSite::listing_target(1)).size(), 1u);
  EXPECT_EQ(requests_for(NewsSite::listing_target(2)).size(), 0u);
  EXPECT_EQ(quiet["sites"][0]["new"], 0);
}

TEST_F(CliScheduleTest, StaleArticlesAreRevalidatedWithConditionalGets) {
  for (int i = 0; i < 7; ++i) site_->publish();
  configure();
  ASSERT_EQ(crawl().first.exit_code, 0);

  // A revisit interval later, every article is asked again with its ETag, linked from a listing
  // page the run reads or not; the server answers 304 and nothing new is stored.
  age_archive();
  web_.clear_log();
  auto [r, report] = crawl();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int n = 1; n <= 7; ++n) {
    std::string target = "/tin-tuc/bai-" + std::to_string(n) + ".html";
    auto requests = requests_for(target);
    ASSERT_EQ(requests.size(), 1u) << target;
    EXPECT_EQ(requests[0].if_none_match, "\"bai-" + std::to_string(n) + "-v1\"") << target;
    EXPECT_EQ(requests[0].status, 304) << target;
  }
  EXPECT_EQ(requests_for(NewsSite::listing_target(2)).size(), 0u);
  const Json& news = report["sites"][0];
  EXPECT_EQ(news["not_modified"], 7);
  EXPECT_EQ(news["new"], 0);
  EXPECT_EQ(news["changed"], 0);
  auto db = archive();
  ASSERT_TRUE(db);
  auto versions = db->versions(host_->url("/tin-tuc/bai-1.html"));
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 1u);
}

TEST_F(CliScheduleTest, RemovedArticlesAreMarkedGoneNeverDeleted) {
  std::vector<std::string> targets;
  for (int i = 0; i < 4; ++i) targets.push_back(site_->publish());
  configure();
  ASSERT_EQ(crawl().first.exit_code, 0);

  site_->remove(targets[1], 410);
  site_->remove(targets[2], 404);
  age_archive();
  auto [r, report] = crawl();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(report["sites"][0]["gone"], 2) << report.dump(2);
  {
    auto db = archive();
    ASSERT_TRUE(db);
    auto gone_410 = db->gone_mark(host_->url(targets[1]));
    ASSERT_TRUE(gone_410.ok() && *gone_410);
    EXPECT_EQ((*gone_410)->status, 410);
    EXPECT_FALSE((*gone_410)->since.empty());
    auto gone_404 = db->gone_mark(host_->url(targets[2]));
    ASSERT_TRUE(gone_404.ok() && *gone_404);
    EXPECT_EQ((*gone_404)->status, 404);
    auto served = db->gone_mark(host_->url(targets[0]));
    ASSERT_TRUE(served.ok());
    EXPECT_FALSE(*served);
    for (int i : {1, 2}) {
      auto latest = db->latest_version(host_->url(targets[i]));
      ASSERT_TRUE(latest.ok() && *latest) << "a gone article keeps its versions";
      EXPECT_EQ((*latest)->title, "Bài viết số " + std::to_string(i + 1));
    }
  }
  RunResult shown = run({"show", host_->url(targets[1])});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("Bài viết số 2"), std::string::npos) << shown.out;

  // Still gone a revisit interval later: not counted twice. Then one comes back.
  age_archive();
  auto [again, again_report] = crawl();
  EXPECT_EQ(again_report["sites"][0]["gone"], 0);
  site_->restore(targets[2], "Bài viết số 3");
  age_archive();
  ASSERT_EQ(crawl().first.exit_code, 0);
  auto db = archive();
  ASSERT_TRUE(db);
  auto back = db->gone_mark(host_->url(targets[2]));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(*back) << "served again: no longer gone";
  auto still = db->gone_mark(host_->url(targets[1]));
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(*still);
}

TEST_F(CliScheduleTest, ATemplateChangeBetweenRunsIsReportedWithExampleUrls) {
  for (int i = 0; i < 5; ++i) site_->publish();
  configure();
  auto [first, first_report] = crawl();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(first_report["sites"][0]["template"]["suspect"], 0);

  // The site is redesigned: its new articles match no body rule and print no date.
  std::vector<std::string> redesigned;
  for (int i = 0; i < 4; ++i) redesigned.push_back(site_->publish(Template::kRedesigned));
  auto [second, report] = crawl();
  EXPECT_EQ(second.exit_code, 5) << second.out << second.err;
  EXPECT_EQ(report["status"], "template changed?");
  EXPECT_EQ(report["exit_code"], 5);
  EXPECT_EQ(report["template_changed"], Json::array({"news"}));
  const Json& health = report["sites"][0]["template"];
  EXPECT_EQ(health["changed"], true);
  EXPECT_EQ(health["parsed"], 4);
  EXPECT_EQ(health["suspect"], 4);
  EXPECT_EQ(health["body_missed"], 4);
  ASSERT_FALSE(health["examples"].empty());
  for (const Json& example : health["examples"]) {
    std::string url = example.get<std::string>();
    bool is_redesigned = false;
    for (const std::string& target : redesigned) is_redesigned |= url == host_->url(target);
    EXPECT_TRUE(is_redesigned) << url;
  }
  std::string example = health["examples"][0].get<std::string>();
  EXPECT_NE(second.out.find("template changed? news"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find(example), std::string::npos) << second.out;
  EXPECT_NE(second.err.find("template changed?"), std::string::npos) << second.err;
  RunResult runs = run({"runs", "--limit", "1"});
  EXPECT_NE(runs.out.find("template changed? news"), std::string::npos) << runs.out;
}

TEST_F(CliScheduleTest, PagesThatNeverPrintedADateAreNoTemplateChange) {
  // A site whose pages never print a date: suspect from the start, but no jump.
  for (int i = 0; i < 4; ++i) site_->publish(Template::kNoDate);
  configure();
  auto [first, first_report] = crawl();
  EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(first_report["sites"][0]["template"]["missing_fields"], 4);
  EXPECT_EQ(first_report["sites"][0]["template"]["body_missed"], 0);
  for (int i = 0; i < 4; ++i) site_->publish(Template::kNoDate);
  auto [second, report] = crawl();
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(report["sites"][0]["template"]["suspect"], 4);
  EXPECT_EQ(report["template_changed"], Json::array());
}

TEST_F(CliScheduleTest, AFirstRunWhosePagesMatchNoBodyRuleIsFlagged) {
  // No history to compare with, but the body rules fit none of the pages: a config to fix.
  for (int i = 0; i < 4; ++i) site_->publish(Template::kRedesigned);
  configure();
  auto [first, report] = crawl();
  EXPECT_EQ(first.exit_code, 5) << first.out << first.err;
  EXPECT_EQ(report["sites"][0]["template"]["body_missed"], 4);
}

TEST_F(CliScheduleTest, AllAndSiteExcludeEachOther) {
  site_->publish();
  configure();
  RunResult both = run({"crawl", "--all", "--site", "news"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  EXPECT_TRUE(web_.requests().empty());
}

}  // namespace
}  // namespace provarc::testing
