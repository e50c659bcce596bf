// Crash safety: `provarc crawl` and `provarc reparse`, the real binary, killed with SIGKILL at 20
// random moments each; every next run resumes, and in the end each article is archived exactly
// once, no capture or version is duplicated, and the archive passes its integrity check. After
// every kill of a re-parse, and of `provarc reindex` after it, the search index holds exactly the
// words of the versions (it is written in the versions' own transactions; reindex is one).
// `provarc compact` converting an archive from before schema v6 (plain JSON and headers), killed
// at random moments, loses nothing and keeps every batch it committed.
//
// The moments come from a seeded PRNG. The seed is printed; PROVARC_CRASH_SEED=<seed> replays the
// same schedule (the processes' speed still varies, so a failure may need a few tries).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "tests/support/archive_rows.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

extern char** environ;

namespace provarc::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kKills = 20;
// A kill in this window after the start hits the process's startup: reading the configs,
// creating or migrating the archive, the first claim.
constexpr milliseconds kStartupWindow{30};

// ---- Randomness that can be replayed

// PROVARC_CRASH_SEED when set, else a fresh seed; printed either way so that a failure names it.
uint64_t crash_seed() {
  const char* given = std::getenv("PROVARC_CRASH_SEED");
  uint64_t seed = given != nullptr && *given != '\0' ? std::strtoull(given, nullptr, 10)
                                                     : std::random_device{}();
  std::cout << "[ seed     ] PROVARC_CRASH_SEED=" << seed << " replays this kill schedule\n";
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

milliseconds random_ms(std::mt19937_64& rng, milliseconds below) {
  if (below.count() <= 0) return milliseconds(0);
  return milliseconds(std::uniform_int_distribution<int64_t>(0, below.count() - 1)(rng));
}

// One kill in four, and always the first, lands in the startup window.
bool early_kill(std::mt19937_64& rng, int index) {
  return index == 0 || std::uniform_int_distribution<int>(0, 3)(rng) == 0;
}

// ---- Processes

// Starts `argv` (no shell) with stdout and stderr to `log_path`; returns its pid, or -1.
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

struct Interruption {
  bool killed = false;  // false: the process had exited on its own before the kill
  int exit_code = -1;   // when it exited on its own
};

// When to kill a run: once `ready()` says so (polled every millisecond; nullptr: at once), `then`
// later. `ready` lets a kill follow the run's progress as the archive records it.
struct KillPoint {
  std::function<bool()> ready;
  milliseconds then{0};
};

// Runs `argv` and sends it SIGKILL at `point` (or after a minute, whatever happened). The process
// is reaped only after the kill, so its pid cannot have been reused meanwhile.
Interruption run_and_kill(const std::vector<std::string>& argv, const std::string& log_path,
                          const KillPoint& point) {
  Interruption result;
  pid_t pid = spawn(argv, log_path);
  if (pid <= 0) {
    ADD_FAILURE() << "cannot start " << argv[0];
    return result;
  }
  const Clock::time_point deadline = Clock::now() + std::chrono::minutes(1);
  int status = 0;
  bool exited = false;
  while (point.ready && !point.ready() && Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  if (!exited) {
    std::this_thread::sleep_for(point.then);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  result.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - since).count();
}

// ---- The test's own view of the archive: plain SQL through a read-only connection

// Strict readers fail the test on any SQL error; lenient ones read errors as "nothing", for
// snapshots taken after a kill that may have come before the archive or its tables existed.
enum class OnError { kFail, kEmpty };

class ArchiveSql {
 public:
  ArchiveSql(const std::string& path, OnError on_error) : on_error_(on_error) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      report(path + ": cannot open: " + sqlite3_errmsg(db_));
      sqlite3_close(db_);
      db_ = nullptr;
      return;
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~ArchiveSql() { sqlite3_close(db_); }
  ArchiveSql(const ArchiveSql&) = delete;
  ArchiveSql& operator=(const ArchiveSql&) = delete;

  // The rows of `sql`, each its columns as text (NULL as "NULL").
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    if (db_ == nullptr) return out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      report(sql + ": " + sqlite3_errmsg(db_));
      return out;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.push_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
      }
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) report(sql + ": " + sqlite3_errmsg(db_));
    sqlite3_finalize(stmt);
    return out;
  }

  // The first column of every row.
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    for (std::vector<std::string>& row : rows(sql)) out.push_back(std::move(row.at(0)));
    return out;
  }

  // The first row's first column as a number; 0 when there is no row.
  int64_t number(const std::string& sql) {
    std::vector<std::string> values = column(sql);
    return values.empty() ? 0 : std::strtoll(values.front().c_str(), nullptr, 10);
  }

  // PRAGMA integrity_check and foreign_key_check: "ok", or what they found.
  std::string integrity() {
    std::vector<std::string> found = column("PRAGMA integrity_check");
    std::string text;
    for (const std::string& line : found) text += line + "\n";
    for (const std::vector<std::string>& row : rows("PRAGMA foreign_key_check")) {
      text += "foreign key: table " + row.at(0) + " rowid " + row.at(1) + " -> " + row.at(2) + "\n";
    }
    return text == "ok\n" ? "ok" : text;
  }

 private:
  void report(const std::string& message) {
    if (on_error_ == OnError::kFail) ADD_FAILURE() << message;
  }

  sqlite3* db_ = nullptr;
  OnError on_error_;
};

const std::vector<std::vector<std::string>> kNoRows;

// What must hold of any archive however its writers were killed: the file and its foreign keys
// are sound, every body is in a blob of its size (a capture's digest is its blob's since schema
// v8), and no compression dictionary was
// trained twice (it is trained in the transaction of the capture that reaches the threshold).
void expect_sound(ArchiveSql& db) {
  EXPECT_EQ(db.integrity(), "ok");
  EXPECT_EQ(db.rows("SELECT id, url FROM captures WHERE body_size > 0 AND (blob_id IS NULL"
                    " OR body_size IS NOT (SELECT raw_size FROM blobs WHERE id = blob_id))"),
            kNoRows);
  EXPECT_EQ(db.rows("SELECT site, kind, pages, count(*) FROM dictionaries"
                    " GROUP BY site, kind, pages HAVING count(*) > 1"),
            kNoRows);
}

// The search index agrees with the versions word for word (Archive::check_integrity), and what
// a search finds is what the versions say: `query` finds `latest` articles by their latest
// versions and `any` by any version.
void expect_index_matches_versions(const std::string& db_path, const std::string& query,
                                   int64_t latest, int64_t any, const std::string& when) {
  Result<std::unique_ptr<Archive>> archive =
      Archive::open(db_path, ArchiveOptions{.create = false});
  ASSERT_TRUE(archive.ok()) << when << ": " << archive.error();
  Status check = (*archive)->check_integrity();
  EXPECT_TRUE(check.ok()) << when << ": " << check.error();
  for (const bool all_versions : {false, true}) {
    Result<SearchResults> found = (*archive)->search(
        SearchRequest{.query = query, .limit = 1, .all_versions = all_versions});
    ASSERT_TRUE(found.ok()) << when << ": " << found.error();
    EXPECT_EQ(found->total, all_versions ? any : latest)
        << when << ": `" << query << "`" << (all_versions ? " in all versions" : "");
  }
}

// ---- (a) provarc crawl

// The fixture news site (tests/support/fixture_web.h add_news_site): "/", the listing
// "/tin-tuc/" and its pages, the articles, one image per article and a PDF for every other one.
constexpr int kArticles = 100;
constexpr int kPerListingPage = 10;
constexpr int kListingPages = kArticles / kPerListingPage;
constexpr int kExpectedUrls = 1 + kListingPages + kArticles + kArticles + kArticles / 2;
// Requests start at least this far apart: an uninterrupted crawl (262 requests) takes 2.6 s or
// more.
constexpr int kDelayMs = 10;

// What the 20 crawl runs wait for before their kill: a number of captures, or 0 for an early
// kill (see early_kill). The targets are spread at random over the first 95% of the site's URLs,
// so the kills sweep the crawl from start to end and none can come after the pass is complete.
// A target the archive holds already (two close together) means a kill just after startup.
std::vector<int64_t> crawl_kill_targets(std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> url(1, kExpectedUrls * 95 / 100);
  std::vector<int64_t> targets;
  for (int i = 0; i < kKills; ++i) targets.push_back(url(rng));
  std::sort(targets.begin(), targets.end());
  for (int i = 0; i < kKills; ++i) {
    if (early_kill(rng, i)) targets[i] = 0;
  }
  return targets;
}

// Fails for each request of `log` (one host's, in arrival order) for a URL that a kill had
// already found committed: `committed_at` maps a URL to the log's length at that kill. (A URL in
// flight at a kill is fetched again: its capture had not been committed.)
void expect_no_refetch(const std::vector<RequestRecord>& log, const FixtureHost& host,
                       const std::map<std::string, size_t>& committed_at) {
  for (size_t i = 0; i < log.size(); ++i) {
    auto it = committed_at.find(host.url(log[i].target));
    if (it != committed_at.end()) {
      EXPECT_LT(i, it->second) << log[i].target << " requested again (request " << i
                               << ") after its capture was committed (before request "
                               << it->second << ")";
    }
  }
}

class CliCrashSafetyTest : public ::testing::Test {
 protected:
  std::vector<std::string> provarc(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_dir_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  std::string log_path(const std::string& name) const { return dir_ + "/" + name + ".log"; }

  FixtureWeb web_;
  std::string dir_ = temp_dir();
  std::string config_dir_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
};

TEST_F(CliCrashSafetyTest, CrawlSurvives20RandomKills) {
  const Clock::time_point test_start = Clock::now();
  std::mt19937_64 rng(crash_seed());
  FixtureHost& host = web_.add_host("news");
  const std::vector<std::string> articles = add_news_site(host, "", kArticles, kPerListingPage);
  FixtureResponse robots;
  robots.content_type = "text/plain";
  robots.body = "User-agent: *\nDisallow:\n";
  host.set_route("/robots.txt", Route({robots}));
  write_test_site(config_dir_, "news", {host.authority()},
                  news_crawl_toml(host.authority(), kDelayMs));

  // When each URL was first seen committed: the request log's length at that kill. A request
  // for it at or after that position fetched again what a killed run had completed.
  std::map<std::string, size_t> committed_at;
  std::vector<std::string> kill_notes;
  int64_t runs_recorded = 0;
  int progressed = 0;  // kills after which more captures were committed than before
  size_t captured_before = 0;
  const std::vector<int64_t> targets = crawl_kill_targets(rng);
  for (int k = 0; k < kKills; ++k) {
    KillPoint point;
    if (targets[k] == 0) {
      point.then = random_ms(rng, kStartupWindow);
    } else {
      point.ready = [&, target = targets[k]] {
        return ArchiveSql(db_, OnError::kEmpty)
                   .number("SELECT count(*) FROM captures WHERE kind != 'robots'") >= target;
      };
      // Anywhere in the next two fetch cycles: the request, the parse, the commit.
      point.then = random_ms(rng, milliseconds(2 * kDelayMs));
    }
    const std::string run_log = log_path("crawl-" + std::to_string(k));
    Interruption run = run_and_kill(provarc({"crawl"}), run_log, point);
    ASSERT_TRUE(run.killed) << "run " << k << " exited (" << run.exit_code
                            << ") before its kill: " << read_file(run_log);
    const size_t log_size = web_.requests_to(host).size();
    ArchiveSql db(db_, OnError::kEmpty);
    const std::vector<std::string> captured =
        db.column("SELECT url FROM captures WHERE kind != 'robots'");
    for (const std::string& url : captured) committed_at.emplace(url, log_size);
    ASSERT_EQ(db.rows("SELECT url, count(*) FROM captures WHERE kind != 'robots'"
                      " GROUP BY url HAVING count(*) > 1"),
              kNoRows)
        << "a URL captured twice after kill " << k;
    ASSERT_EQ(db.number("SELECT count(*) FROM runs WHERE ended_at IS NOT NULL"), 0)
        << "run " << k << " completed the pass before its kill; the schedule is too late";
    runs_recorded = db.number("SELECT count(*) FROM runs");
    progressed += captured.size() > captured_before;
    captured_before = captured.size();
    kill_notes.push_back(std::to_string(targets[k]) + "+" + std::to_string(point.then.count()) +
                         "ms:" + std::to_string(captured.size()));
  }
  EXPECT_LT(captured_before, static_cast<size_t>(kExpectedUrls)) << "nothing left for the last run";
  EXPECT_GE(progressed, 5) << "too few kills interrupted a crawl that was making progress";

  RunResult last = run_command(provarc({"crawl"}));
  ASSERT_EQ(last.exit_code, 0) << last.out << last.err;
  EXPECT_NE(last.out.find("finished"), std::string::npos) << last.out;
  std::cout << "[ kills    ] target+ms:captures committed " << ::testing::PrintToString(kill_notes)
            << "\n[ time     ] " << elapsed_ms(test_start) << " ms in all\n";

  ArchiveSql db(db_, OnError::kFail);
  expect_sound(db);
  // The schema and its settings survived kills during the archive's creation.
  EXPECT_EQ(db.number("PRAGMA user_version"), archive_schema_version());
  EXPECT_EQ(db.number("PRAGMA auto_vacuum"), 2) << "incremental, set when the file was created";

  // Every URL the site served was captured exactly once, and never requested again once a kill
  // had found it committed. robots.txt aside: every run fetches it again (the crawler keeps its
  // rules in memory), at most once.
  const std::vector<RequestRecord> log = web_.requests_to(host);
  expect_no_refetch(log, host, committed_at);
  std::set<std::string> requested;
  for (const RequestRecord& r : log) {
    if (r.target != "/robots.txt") requested.insert(host.url(r.target));
  }
  EXPECT_EQ(requested.size(), static_cast<size_t>(kExpectedUrls));
  std::vector<std::string> captured = db.column("SELECT url FROM captures WHERE kind != 'robots'");
  EXPECT_EQ(std::set<std::string>(captured.begin(), captured.end()), requested);
  EXPECT_EQ(captured.size(), requested.size()) << "a URL captured more than once";
  EXPECT_EQ(db.rows("SELECT url, outcome, status FROM captures WHERE outcome != 'ok'"
                    " OR status != 200"),
            kNoRows);
  EXPECT_EQ(db.rows("SELECT run_id, count(*) FROM captures WHERE kind = 'robots'"
                    " GROUP BY run_id HAVING count(*) > 1"),
            kNoRows);

  // Each article once, with one version parsed from its one capture.
  std::set<std::string> expected_articles;
  for (const std::string& target : articles) expected_articles.insert(host.url(target));
  std::vector<std::string> archived = db.column("SELECT url FROM articles");
  EXPECT_EQ(std::set<std::string>(archived.begin(), archived.end()), expected_articles);
  EXPECT_EQ(archived.size(), expected_articles.size());
  EXPECT_EQ(db.rows("SELECT a.url, a.version_count, count(v.id) FROM articles a"
                    " LEFT JOIN article_versions v ON v.article_id = a.id GROUP BY a.id"
                    " HAVING a.version_count != 1 OR count(v.id) != 1"),
            kNoRows);
  EXPECT_EQ(db.number("SELECT count(*) FROM articles a JOIN article_versions v"
                      " ON v.id = a.latest_version_id JOIN captures c ON c.id = v.capture_id"
                      " WHERE c.url = a.url"),
            kArticles);
  EXPECT_EQ(db.number("SELECT count(*) FROM parses WHERE outcome = 'changed'"), kArticles);
  EXPECT_EQ(db.number("SELECT count(*) FROM parses"), kArticles);

  // The frontier: every URL done, nothing queued, claimed or failed.
  EXPECT_EQ(db.rows("SELECT state, count(*) FROM frontier GROUP BY state"),
            (std::vector<std::vector<std::string>>{{"done", std::to_string(kExpectedUrls)}}));

  // The runs: the killed ones that got as far as recording their start stay unfinished (no end,
  // no counts); the last one finished the pass.
  EXPECT_EQ(db.number("SELECT count(*) FROM runs WHERE kind = 'crawl'"), runs_recorded + 1);
  EXPECT_EQ(db.column("SELECT id FROM runs WHERE ended_at IS NOT NULL"),
            db.column("SELECT max(id) FROM runs"));
  const std::string new_in_last_run = std::to_string(db.number(
      "SELECT count(*) FROM article_versions v JOIN captures c ON c.id = v.capture_id"
      " WHERE c.run_id = (SELECT max(id) FROM runs)"));
  EXPECT_EQ(db.rows("SELECT run_id = (SELECT max(id) FROM runs), finished, new_articles"
                    " FROM run_sites"),
            (std::vector<std::vector<std::string>>{{"1", "1", new_in_last_run}}));
}

// ---- (b) provarc reparse

constexpr int kPages = 400;

// The imported pages' site: read at first with the SharePoint preset as it is...
const char* const kReparseSiteToml = R"toml(id = "bk"
name = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn (test)"
province = "Bắc Kạn"
platform = "sharepoint"
hosts = ["sotttt.backan.gov.vn"]
start_urls = ["https://sotttt.backan.gov.vn/"]
contact_url = "https://github.com/provarc/provarc"
)toml";
// ...then with a rule that drops the first paragraph of the even-numbered pages ("Bài số 12.
// Ngày ..."): a parser change that gives those pages a second version and the others none.
const char* const kParserChangeToml = R"toml(
[extract.append]
chrome_patterns = ['Bài số [0-9]*[02468]\. .*']
)toml";
constexpr const char* kUrlPrefix = "https://sotttt.backan.gov.vn/Pages/";

// Writes kPages distinct fixture pages into `dir` as p-0000.html, p-0001.html, ...: Bắc Kạn
// articles, each with "Bài số <n>. " put before the first words of its first paragraph.
std::vector<std::string> write_numbered_pages(const std::string& dir) {
  struct Source {
    const char* file;
    const char* first_words;
  };
  const Source sources[] = {
      {"bac-kan/seed-000.html", "Ngày 06/4/2023, Sở Thông "},
      {"bac-kan/seed-001.html", "Ngày 07/7/2022 Sở Thông t"},
      {"bac-kan/dien-tap-an-toan-thong-tin-2023.html", "Các đội tham gia diễn tập"},
      {"bac-kan/ha-tang-vien-thong-9-thang-2023.html", "Thực hiện Kế hoạch phát t"},
  };
  std::vector<std::string> files;
  for (int i = 0; i < kPages; ++i) {
    const Source& source = sources[i % 4];
    std::string html = read_file(fixture_path(source.file));
    size_t at = html.find(source.first_words);
    if (at == std::string::npos) {
      ADD_FAILURE() << source.file << " no longer holds \"" << source.first_words << "\"";
      return {};
    }
    html.insert(at, "Bài số " + std::to_string(i) + ". ");
    char name[32];
    std::snprintf(name, sizeof name, "p-%04d.html", i);
    files.push_back(dir + "/" + name);
    std::ofstream(files.back(), std::ios::binary) << html;
  }
  return files;
}

// SQL true for an article (or capture) row `alias` whose URL ends in an even page number.
std::string even_page(const std::string& alias) {
  return "CAST(substr(" + alias + ".url, -9, 4) AS INTEGER) % 2 = 0";
}

// Copies the archive at `from` (with its WAL, if any) to `to`.
void copy_archive(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  if (fs::exists(from + "-wal")) {
    fs::copy_file(from + "-wal", to + "-wal", fs::copy_options::overwrite_existing);
  }
}

// Fails unless `db` holds the same versions (of the same captures, by the same parsers) and the
// same parse records as `expected`, which an uninterrupted re-parse wrote. Outcomes may differ:
// a capture parsed again after a kill reads as "unchanged" where the first parse "changed".
void expect_same_versions_and_parses(ArchiveSql& db, ArchiveSql& expected) {
  const std::string versions =
      "SELECT a.url, v.number, v.parser_version, hex(v.content_hash), v.capture_id"
      " FROM article_versions v JOIN articles a ON a.id = v.article_id ORDER BY a.url, v.number";
  EXPECT_EQ(db.rows(versions), expected.rows(versions));
  const std::string parses =
      "SELECT c.url, p.parser_version, p.outcome = 'failed', v.number FROM parses p"
      " JOIN captures c ON c.id = p.capture_id LEFT JOIN article_versions v ON v.id = p.version_id"
      " ORDER BY c.url, p.parser_version";
  EXPECT_EQ(db.rows(parses), expected.rows(parses));
}

TEST_F(CliCrashSafetyTest, ReparseSurvives20RandomKills) {
  const Clock::time_point test_start = Clock::now();
  std::mt19937_64 rng(crash_seed());
  std::filesystem::create_directories(config_dir_ + "/sites");
  std::filesystem::create_directories(dir_ + "/pages");
  const std::string site_file = config_dir_ + "/sites/bk.toml";
  std::ofstream(site_file) << kReparseSiteToml;
  std::vector<std::string> import = {"import", "--site", "bk", "--url-prefix", kUrlPrefix};
  for (const std::string& file : write_numbered_pages(dir_ + "/pages")) import.push_back(file);
  RunResult imported = run_command(provarc(import));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  ASSERT_EQ(imported.out, "imported 400, already stored 0, changed 400, unchanged 0, failed 0,"
                          " unreadable 0\n");
  const std::string parser_a = ArchiveSql(db_, OnError::kFail).column(
      "SELECT DISTINCT parser_version FROM parses").at(0);

  std::ofstream(site_file, std::ios::app) << kParserChangeToml;
  // An uninterrupted re-parse of a copy: how long one takes, and what the archive must hold.
  const std::string clean_db = dir_ + "/clean.sqlite";
  copy_archive(db_, clean_db);
  const std::vector<std::string> reparse_all = {"reparse", "--force", "--jobs", "2"};
  std::vector<std::string> clean_run = {provarc_binary(), "--config", config_dir_, "--db",
                                        clean_db};
  clean_run.insert(clean_run.end(), reparse_all.begin(), reparse_all.end());
  const Clock::time_point clean_start = Clock::now();
  RunResult clean = run_command(clean_run);
  milliseconds duration(elapsed_ms(clean_start));
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  ASSERT_EQ(clean.out, "examined 400, changed 200, unchanged 200, failed 0\n");
  ArchiveSql expected(clean_db, OnError::kFail);
  const std::string parser_b = expected.column(
      "SELECT DISTINCT parser_version FROM parses WHERE parser_version != '" + parser_a + "'")
      .at(0);

  // What is left for parser B: the captures without a B parse record, and how many of them are
  // even pages (whose B parse writes their second version).
  struct Left {
    int64_t all = 0;
    int64_t even = 0;
  };
  const std::string no_b_parse = " NOT EXISTS (SELECT 1 FROM parses p WHERE p.capture_id = c.id"
                                 " AND p.parser_version = '" + parser_b + "')";
  auto left_to_parse = [&] {
    ArchiveSql db(db_, OnError::kFail);
    return Left{db.number("SELECT count(*) FROM captures c WHERE" + no_b_parse),
                db.number("SELECT count(*) FROM captures c WHERE" + no_b_parse + " AND " +
                          even_page("c"))};
  };
  // What a run that examines `examined` captures prints, `left` being what was left before it.
  auto summary = [](int64_t examined, const Left& left) {
    return "examined " + std::to_string(examined) + ", changed " + std::to_string(left.even) +
           ", unchanged " + std::to_string(examined - left.even) + ", failed 0\n";
  };

  // Each run is killed at a random moment of its expected duration. Half of them (while anything
  // is left) resume with a plain `reparse`; the others re-examine everything with --force,
  // parsing again what earlier runs committed. A run that finishes before its kill is not
  // counted (the next one tries again), but what it printed must be exact.
  const std::vector<std::string> resume = {"reparse", "--jobs", "2"};
  std::vector<std::string> kill_notes;
  int kills = 0, finished_first = 0, committed_then_killed = 0;
  for (int attempt = 0; kills < kKills && attempt < 4 * kKills; ++attempt) {
    const Left left = left_to_parse();
    const bool force = left.all == 0 || std::uniform_int_distribution<int>(0, 1)(rng) == 0;
    // A resumed run has only what is left to do: its kill comes within that share of the time.
    const milliseconds run_time = force ? duration : duration * left.all / kPages;
    KillPoint point;
    point.then = random_ms(rng, early_kill(rng, kills) ? kStartupWindow : run_time);
    const int64_t last_parse = ArchiveSql(db_, OnError::kFail).number("SELECT max(id) FROM parses");
    const std::string run_log = log_path("reparse-" + std::to_string(attempt));
    Interruption run = run_and_kill(provarc(force ? reparse_all : resume), run_log, point);
    if (!run.killed) {
      ASSERT_EQ(run.exit_code, 0) << read_file(run_log);
      EXPECT_EQ(read_file(run_log), summary(force ? kPages : left.all, left))
          << (force ? "--force" : "resumed") << " run " << attempt;
      ++finished_first;
      // Runs are faster now than the measured one was (a less busy machine): follow them.
      duration = std::min(duration, force ? point.then : point.then * kPages / left.all);
      continue;
    }
    ++kills;
    ArchiveSql db(db_, OnError::kFail);
    const int64_t committed =
        db.number("SELECT count(*) FROM parses WHERE id > " + std::to_string(last_parse));
    committed_then_killed += committed > 0;
    kill_notes.push_back((force ? "force " : "") + std::to_string(point.then.count()) + "ms:" +
                         std::to_string(committed));
    ASSERT_EQ(db.rows("SELECT a.url, a.version_count FROM articles a WHERE a.version_count >"
                      " CASE WHEN " + even_page("a") + " THEN 2 ELSE 1 END OR a.version_count !="
                      " (SELECT count(*) FROM article_versions v WHERE v.article_id = a.id)"),
              kNoRows)
        << "a duplicated version after kill " << kills;
    // The even pages whose B version is committed no longer say "Bài số N" in their latest.
    const int64_t even_rewritten = db.number(
        "SELECT count(*) FROM articles a WHERE a.version_count = 2 AND " + even_page("a"));
    expect_index_matches_versions(db_, "\"bai so\"", kPages - even_rewritten, kPages,
                                  "after re-parse kill " + std::to_string(kills));
  }
  ASSERT_EQ(kills, kKills) << finished_first << " runs finished before their kill";
  // A killed run that recorded its start and not its end stays unfinished. (A kill may also come
  // after the end is recorded, on the way out.)
  const std::string unfinished_runs =
      "SELECT count(*) FROM runs WHERE kind = 'reparse' AND ended_at IS NULL";
  const std::string finished_runs =
      "SELECT count(*) FROM runs WHERE kind = 'reparse' AND ended_at IS NOT NULL";
  const int64_t unfinished = ArchiveSql(db_, OnError::kFail).number(unfinished_runs);
  const int64_t finished = ArchiveSql(db_, OnError::kFail).number(finished_runs);
  EXPECT_GT(unfinished, 0);
  EXPECT_LE(unfinished, kKills);
  EXPECT_GE(finished, finished_first);
  EXPECT_GE(committed_then_killed, 1) << "no kill interrupted a re-parse midway";

  // The last run goes on from where the kills left: only what no run committed.
  const Left left = left_to_parse();
  RunResult last = run_command(provarc(resume));
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(last.out, summary(left.all, left));
  RunResult again = run_command(provarc({"reparse"}));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "examined 0, changed 0, unchanged 0, failed 0\n");
  std::cout << "[ kills    ] delay:parses committed " << ::testing::PrintToString(kill_notes)
            << "\n[ time     ] one re-parse " << duration.count() << " ms, "
            << finished_first << " finished before their kill, last one examined " << left.all
            << "; " << elapsed_ms(test_start) << " ms in all\n";

  ArchiveSql db(db_, OnError::kFail);
  expect_sound(db);
  // The even pages have two versions (parser A, then B), the odd ones one; each counted right.
  EXPECT_EQ(db.rows("SELECT a.url, a.version_count FROM articles a WHERE a.version_count !="
                    " CASE WHEN " + even_page("a") + " THEN 2 ELSE 1 END OR a.version_count !="
                    " (SELECT count(*) FROM article_versions v WHERE v.article_id = a.id)"),
            kNoRows);
  expect_same_versions_and_parses(db, expected);
  EXPECT_EQ(db.number("SELECT count(*) FROM parses"), 2 * kPages) << "one per capture and parser";
  // Each parse points at a version of its own capture's article; B's at the latest.
  EXPECT_EQ(db.number("SELECT count(*) FROM parses p JOIN captures c ON c.id = p.capture_id"
                      " JOIN articles a ON a.url = c.url JOIN article_versions v"
                      " ON v.id = p.version_id AND v.article_id = a.id"),
            2 * kPages);
  EXPECT_EQ(db.number("SELECT count(*) FROM parses p JOIN captures c ON c.id = p.capture_id"
                      " JOIN articles a ON a.url = c.url WHERE p.parser_version = '" +
                      parser_b + "' AND p.version_id = a.latest_version_id"),
            kPages);
  EXPECT_EQ(db.number("SELECT count(*) FROM captures"), kPages) << "re-parsing stores nothing";

  // The last two runs recorded their ends, and left the killed runs' records as they were.
  EXPECT_EQ(db.number(unfinished_runs), unfinished);
  EXPECT_EQ(db.number(finished_runs), finished + 2);
  EXPECT_EQ(db.number("SELECT count(*) FROM runs WHERE kind = 'import' AND ended_at IS NOT NULL"),
            1);
  expect_index_matches_versions(db_, "\"bai so\"", kPages / 2, kPages, "after the re-parses");

  // (c) provarc reindex, killed at random moments of its run: each kill leaves the index whole
  // (the old one, or the new one if the kill came after the commit).
  const Clock::time_point reindex_start = Clock::now();
  RunResult reindexed = run_command(provarc({"reindex"}));
  ASSERT_EQ(reindexed.exit_code, 0) << reindexed.err;
  const milliseconds reindex_time(elapsed_ms(reindex_start));
  EXPECT_EQ(reindexed.out.rfind("indexed 600 versions in ", 0), 0u) << reindexed.out;
  int reindex_kills = 0;
  for (int attempt = 0; reindex_kills < kKills / 2 && attempt < kKills * 2; ++attempt) {
    KillPoint point;
    point.then = random_ms(rng, reindex_time);
    Interruption run =
        run_and_kill(provarc({"reindex"}), log_path("reindex-" + std::to_string(attempt)), point);
    if (!run.killed) {
      ASSERT_EQ(run.exit_code, 0) << read_file(log_path("reindex-" + std::to_string(attempt)));
      continue;
    }
    ++reindex_kills;
    expect_index_matches_versions(db_, "\"bai so\"", kPages / 2, kPages,
                                  "after reindex kill " + std::to_string(reindex_kills));
  }
  EXPECT_EQ(reindex_kills, kKills / 2) << "reindex runs too short to be killed";
  std::cout << "[ reindex  ] " << reindex_time.count() << " ms, killed " << reindex_kills
            << " times\n";
}

// Writes site "bk" (kReparseSiteToml) under `config_dir` and kPages numbered pages under
// `dir`/pages; the `provarc import` arguments that store them.
std::vector<std::string> import_numbered_pages(const std::string& config_dir,
                                               const std::string& dir) {
  std::filesystem::create_directories(config_dir + "/sites");
  std::filesystem::create_directories(dir + "/pages");
  std::ofstream(config_dir + "/sites/bk.toml") << kReparseSiteToml;
  std::vector<std::string> import = {"import", "--site", "bk", "--url-prefix", kUrlPrefix};
  for (const std::string& file : write_numbered_pages(dir + "/pages")) import.push_back(file);
  return import;
}

// Turns the archive at `path` back into what an archive from before schema v6 is once migrated:
// every version's JSON and capture's headers plain TEXT with no dictionary, and no dictionaries
// but the pages'. (The v5 migration itself changes no row: it adds the NULL dictionary columns.)
void unpack_to_v4_rows(const std::string& path) {
  exec_archive_sql(path,
                   "UPDATE article_versions SET json = provarc_text(json, json_dictionary_id),"
                   " json_dictionary_id = NULL;"
                   "UPDATE captures SET"
                   " request_headers = provarc_text(request_headers, headers_dictionary_id),"
                   " response_headers = provarc_text(response_headers, headers_dictionary_id),"
                   " headers_dictionary_id = NULL;"
                   "DELETE FROM dictionaries WHERE kind != 'page';");
}

// Fewer kills than a crawl's: each is followed by a full export and a check of the search index.
constexpr int kCompactKills = 6;

// Every capture's response headers, one "name: value" line each, as the archive at `path` reads.
std::vector<std::string> response_headers_of(const std::string& path) {
  std::vector<std::string> out;
  Result<std::unique_ptr<Archive>> archive = Archive::open(path, ArchiveOptions{.create = false});
  EXPECT_TRUE(archive.ok()) << archive.error();
  if (!archive.ok()) return out;
  for (int64_t id = 1; id <= kPages; ++id) {
    Result<StoredCapture> c = (*archive)->capture(id, false);
    EXPECT_TRUE(c.ok()) << c.error();
    std::string text;
    if (c.ok()) {
      for (const HttpHeader& h : c->capture.response_headers) {
        text += h.name + ": " + h.value + "\n";
      }
    }
    out.push_back(text);
  }
  return out;
}

TEST_F(CliCrashSafetyTest, CompactConvertingAnOldArchiveSurvivesKills) {
  std::mt19937_64 rng(crash_seed());
  RunResult imported = run_command(provarc(import_numbered_pages(config_dir_, dir_)));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // The pages recompressed first (seconds at level 19), so that the runs below are conversions.
  RunResult compacted = run_command(provarc({"compact"}));
  ASSERT_EQ(compacted.exit_code, 0) << compacted.err;
  unpack_to_v4_rows(db_);
  const std::string plain_versions =
      "SELECT count(*) FROM article_versions WHERE typeof(json) = 'text'";
  const std::string plain_captures =
      "SELECT count(*) FROM captures WHERE typeof(response_headers) = 'text'";
  ASSERT_EQ(ArchiveSql(db_, OnError::kFail).number(plain_versions), kPages);
  // What every version and capture must read as, whatever the kills: the export of all versions
  // and every capture's response headers, before any conversion.
  const std::vector<std::string> jsonl = {"export", "--format", "jsonl", "--all-versions"};
  RunResult before = run_command(provarc(jsonl));
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const std::vector<std::string> headers_before = response_headers_of(db_);
  ASSERT_EQ(headers_before.size(), static_cast<size_t>(kPages));
  // An uninterrupted conversion of a copy: how long one takes.
  const std::string clean_db = dir_ + "/clean.sqlite";
  copy_archive(db_, clean_db);
  const Clock::time_point clean_start = Clock::now();
  RunResult clean = run_command({provarc_binary(), "--db", clean_db, "compact"});
  milliseconds duration(elapsed_ms(clean_start));
  ASSERT_EQ(clean.exit_code, 0) << clean.err;

  // Half the kills come at a random moment of a whole run, the others soon after the run's first
  // packed batch is committed. A run that finishes first is not counted, and the archive is
  // unpacked again.
  const std::string packed =
      "SELECT (SELECT count(*) FROM article_versions WHERE typeof(json) = 'blob')"
      " + (SELECT count(*) FROM captures WHERE typeof(response_headers) = 'blob')";
  int kills = 0, progressed = 0;
  // How long after the first packed batch a kill may come; halved whenever a run finished first.
  milliseconds after_batch = std::min(milliseconds(300), duration / 2);
  for (int attempt = 0; kills < kCompactKills && attempt < 4 * kCompactKills; ++attempt) {
    const int64_t left = ArchiveSql(db_, OnError::kFail).number(plain_versions) +
                         ArchiveSql(db_, OnError::kFail).number(plain_captures);
    const int64_t packed_before = ArchiveSql(db_, OnError::kFail).number(packed);
    KillPoint point;
    if (kills % 2 == 1) {
      point.ready = [&] { return ArchiveSql(db_, OnError::kEmpty).number(packed) > packed_before; };
      point.then = random_ms(rng, after_batch);
    } else {
      point.then = random_ms(rng, early_kill(rng, kills) ? kStartupWindow : duration);
    }
    const std::string log = log_path("compact-" + std::to_string(attempt));
    Interruption run = run_and_kill({provarc_binary(), "--db", db_, "compact"}, log, point);
    if (!run.killed) {
      ASSERT_EQ(run.exit_code, 0) << read_file(log);
      // Runs are faster now than the measured one was (a less busy machine): follow them.
      if (!point.ready) duration = std::max(milliseconds(50), std::min(duration, point.then));
      if (point.ready) after_batch = std::max(milliseconds(2), after_batch / 2);
      unpack_to_v4_rows(db_);
      continue;
    }
    ++kills;
    ArchiveSql db(db_, OnError::kFail);
    EXPECT_EQ(db.integrity(), "ok") << "after compact kill " << kills;
    progressed += db.number(plain_versions) + db.number(plain_captures) < left;
    RunResult after = run_command(provarc(jsonl));
    ASSERT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(after.out, before.out) << "after compact kill " << kills;
    expect_index_matches_versions(db_, "\"bai so\"", kPages, kPages,
                                  "after compact kill " + std::to_string(kills));
  }
  ASSERT_EQ(kills, kCompactKills) << "compact runs too short to be killed";
  std::cout << "[ compact  ] " << duration.count() << " ms uninterrupted, killed " << kills
            << " times, " << progressed << " kills after some progress\n";
  EXPECT_GE(progressed, 1) << "no kill came after a committed batch";

  RunResult last = run_command(provarc({"compact"}));
  ASSERT_EQ(last.exit_code, 0) << last.err;
  ArchiveSql db(db_, OnError::kFail);
  expect_sound(db);
  EXPECT_EQ(db.number(plain_versions), 0);
  EXPECT_EQ(db.number(plain_captures), 0);
  EXPECT_EQ(db.number("SELECT count(*) FROM article_versions WHERE json_dictionary_id IS NULL"),
            0);
  RunResult after = run_command(provarc(jsonl));
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  EXPECT_EQ(response_headers_of(db_), headers_before);
  expect_index_matches_versions(db_, "\"bai so\"", kPages, kPages, "after the conversion");
}

// The v8 migration (compact keys) runs in the transaction that opens an archive for writing: a
// kill -9 at any moment of it leaves the file at version 7, untouched, or at version 8, whole.
// Each attempt starts from the same v7 file (400 imported pages, downgraded from v8 in SQL:
// tests/support/archive_rows.h), runs `provarc stats` (which migrates), kills it at a random
// moment of an uninterrupted run's time, checks the file, then lets a second `stats` finish the
// migration and compares every version (export jsonl, content hashes included) and capture with
// what the v7 file read as before.
TEST_F(CliCrashSafetyTest, MigratingToSchema8SurvivesKills) {
  std::mt19937_64 rng(crash_seed());
  RunResult imported = run_command(provarc(import_numbered_pages(config_dir_, dir_)));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::vector<std::string> jsonl = {"export", "--format", "jsonl", "--all-versions"};
  RunResult before = run_command(provarc(jsonl));
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const std::vector<std::vector<std::string>> captures_before = capture_rows(db_, true);
  ASSERT_EQ(captures_before.size(), static_cast<size_t>(kPages));
  downgrade_to_v7(db_);
  const std::string v7_db = dir_ + "/v7.sqlite";
  copy_archive(db_, v7_db);
  const std::string version = "PRAGMA user_version";
  ASSERT_EQ(ArchiveSql(db_, OnError::kFail).number(version), 7);

  const Clock::time_point clean_start = Clock::now();
  RunResult clean = run_command(provarc({"stats"}));
  milliseconds duration(std::max<int64_t>(elapsed_ms(clean_start), 5));
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  const std::string text_digests = "SELECT count(*) FROM blobs WHERE typeof(digest) = 'text'";
  const std::string old_column =
      "SELECT count(*) FROM pragma_table_info('captures') WHERE name = 'payload_digest'";
  int kills = 0, left_at_7 = 0, left_at_8 = 0;
  for (int attempt = 0; kills < kCompactKills && attempt < 6 * kCompactKills; ++attempt) {
    std::filesystem::remove(db_ + "-wal");
    std::filesystem::remove(db_ + "-shm");
    copy_archive(v7_db, db_);
    KillPoint point;
    point.then = random_ms(rng, duration);
    const std::string log = log_path("migrate-" + std::to_string(attempt));
    Interruption run = run_and_kill(provarc({"stats"}), log, point);
    if (!run.killed) {
      ASSERT_EQ(run.exit_code, 0) << read_file(log);
      duration = std::max(milliseconds(5), std::min(duration, point.then));
      continue;
    }
    ++kills;
    {
      ArchiveSql db(db_, OnError::kFail);
      EXPECT_EQ(db.integrity(), "ok") << "after migration kill " << kills;
      const int64_t at = db.number(version);
      if (at == 7) {
        ++left_at_7;
        EXPECT_EQ(db.number(text_digests), db.number("SELECT count(*) FROM blobs"));
        EXPECT_EQ(db.number(old_column), 1);
      } else {
        ++left_at_8;
        EXPECT_EQ(at, 8) << "after migration kill " << kills;
        EXPECT_EQ(db.number(text_digests), 0);
        EXPECT_EQ(db.number(old_column), 0);
      }
    }
    RunResult migrated = run_command(provarc({"stats"}));
    ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
    RunResult after = run_command(provarc(jsonl));
    ASSERT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(after.out, before.out) << "after migration kill " << kills;
    EXPECT_EQ(capture_rows(db_, true), captures_before) << "after migration kill " << kills;
    ArchiveSql db(db_, OnError::kFail);
    expect_sound(db);
  }
  ASSERT_EQ(kills, kCompactKills) << "migrations too short to be killed";
  std::cout << "[ migrate  ] " << duration.count() << " ms uninterrupted, killed " << kills
            << " times: " << left_at_7 << " left version 7, " << left_at_8 << " version 8\n";
  EXPECT_GE(left_at_7, 1) << "no kill came before the migration committed";
}

}  // namespace
}  // namespace provarc::testing
