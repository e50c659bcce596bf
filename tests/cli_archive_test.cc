// `provarc import / show / history / export / stats / reparse` end to end, on the fixture pages,
// with a site config written by the test (so that the test can change its rules).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/archive_sql.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using nlohmann::json;
using testing::fixture_path;
using testing::provarc_binary;
using testing::read_file;
using testing::run_command;
using testing::RunResult;
using testing::temp_dir;
using testing::as_unprivileged;
using testing::open_to_others;

const char* const kSiteToml = R"toml(id = "bk"
name = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn (test)"
province = "Bắc Kạn"
platform = "sharepoint"
hosts = ["sotttt.backan.gov.vn"]
start_urls = ["https://sotttt.backan.gov.vn/"]
contact_url = "https://github.com/provarc/provarc"
)toml";

const char* const kPages[] = {"seed-000", "seed-001", "dien-tap-an-toan-thong-tin-2023"};

std::string page_url(const std::string& name) {
  return "https://sotttt.backan.gov.vn/Pages/" + name + ".aspx";
}

std::string page_file(const std::string& name) { return fixture_path("bac-kan/" + name + ".html"); }

json expected(const std::string& name) {
  return json::parse(read_file(fixture_path("bac-kan/" + name + ".expected.json")));
}

void write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CliArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir();
    config_ = dir_ + "/config";
    db_ = dir_ + "/archive.sqlite";
    write(config_ + "/sites/bk.toml", kSiteToml);
  }

  RunResult provarc(std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  RunResult import_pages(const std::vector<std::string>& names) {
    std::vector<std::string> args = {"import", "--site", "bk", "--content-type",
                                     "text/html; charset=utf-8"};
    for (const std::string& n : names) {
      args.push_back("--url");
      args.push_back(page_url(n));
    }
    for (const std::string& n : names) args.push_back(page_file(n));
    return provarc(args);
  }

  std::string dir_, config_, db_;
};

TEST_F(CliArchiveTest, ImportThenShowExportAndStats) {
  RunResult r = import_pages({kPages[0], kPages[1], kPages[2]});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "imported 3, already stored 0, changed 3, unchanged 0, failed 0, unreadable 0\n");

  // show --format json prints exactly what `provarc parse` prints for the page.
  RunResult parsed = provarc({"parse", "--site", "bk", "--url", page_url(kPages[1]),
                              "--content-type", "text/html; charset=utf-8", page_file(kPages[1])});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  RunResult shown = provarc({"show", page_url(kPages[1]), "--format", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out, parsed.out);
  json article = json::parse(shown.out);
  EXPECT_EQ(article["title"], expected(kPages[1])["title"]);
  EXPECT_EQ(article["text"], expected(kPages[1])["text"]);
  EXPECT_EQ(article["site"], "bk");

  // By id, as text.
  shown = provarc({"show", "1"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, "Title: " + expected(kPages[0])["title"].get<std::string>()))
      << shown.out;
  EXPECT_TRUE(contains(shown.out, "URL: " + page_url(kPages[0])));
  EXPECT_TRUE(contains(shown.out, "Version: 1, captured "));
  EXPECT_TRUE(contains(shown.out, expected(kPages[0])["blocks"][0]["text"].get<std::string>()));

  RunResult exported = provarc({"export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::vector<std::string> lines = lines_of(exported.out);
  ASSERT_EQ(lines.size(), 3u);
  for (size_t i = 0; i < lines.size(); ++i) {
    json line = json::parse(lines[i]);
    EXPECT_EQ(line["url"], page_url(kPages[i]));
    EXPECT_EQ(line["title"], expected(kPages[i])["title"]);
    EXPECT_EQ(line["archive"]["article_id"], i + 1);
    EXPECT_EQ(line["archive"]["version"], 1);
    EXPECT_EQ(line["archive"]["content_hash"].get<std::string>().size(), 64u);
  }
  exported = provarc({"export", "--format", "jsonl", "--site", "elsewhere"});
  ASSERT_EQ(exported.exit_code, 0);
  EXPECT_EQ(exported.out, "");

  RunResult stats = provarc({"stats", "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  json rows = json::parse(stats.out);
  ASSERT_EQ(rows.size(), 2u);  // bk and the total
  EXPECT_EQ(rows[0]["site"], "bk");
  EXPECT_EQ(rows[0]["captures"], 3);
  EXPECT_EQ(rows[0]["articles"], 3);
  EXPECT_EQ(rows[0]["versions"], 3);
  int64_t raw = 0;
  for (const char* p : kPages)
    raw += static_cast<int64_t>(std::filesystem::file_size(page_file(p)));
  EXPECT_EQ(rows[0]["raw_bytes"], raw);
  EXPECT_GT(rows[0]["stored_bytes"].get<int64_t>(), 0);
  EXPECT_LT(rows[0]["stored_bytes"].get<int64_t>(), raw / 2);
  EXPECT_GT(rows[0]["ratio"].get<double>(), 2.0);
  stats = provarc({"stats"});
  ASSERT_EQ(stats.exit_code, 0);
  EXPECT_TRUE(contains(stats.out, "stored bytes")) << stats.out;
  EXPECT_TRUE(contains(stats.out, "bk ")) << stats.out;
}

TEST_F(CliArchiveTest, AnEditIsANewVersionAndARepeatIsNot) {
  const std::string name = kPages[0];
  ASSERT_EQ(import_pages({name}).exit_code, 0);
  RunResult again = import_pages({name});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out,
            "imported 0, already stored 1, changed 0, unchanged 0, failed 0, unreadable 0\n");

  // The site edits one sentence of the article.
  const std::string old_sentence = "Ngày 06/4/2023, Sở Thông tin và Truyền thông";
  const std::string new_sentence = "Ngày 07/4/2023, Sở Thông tin và Truyền thông";
  std::string html = read_file(page_file(name));
  ASSERT_NE(html.find(old_sentence), std::string::npos);
  html.replace(html.find(old_sentence), old_sentence.size(), new_sentence);
  write(dir_ + "/edited/" + name + ".html", html);
  // A page whose bytes differ but whose article does not (a visitor counter) is no new version.
  std::string counter = read_file(page_file(name)) + "<!-- visitors: 12345 -->";
  write(dir_ + "/counter/" + name + ".html", counter);

  RunResult r = provarc(
      {"import", "--site", "bk", "--url", page_url(name), dir_ + "/counter/" + name + ".html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "imported 1, already stored 0, changed 0, unchanged 1")) << r.out;
  r = provarc(
      {"import", "--site", "bk", "--url", page_url(name), dir_ + "/edited/" + name + ".html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "imported 1, already stored 0, changed 1")) << r.out;

  RunResult history = provarc({"history", page_url(name)});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  size_t first = history.out.find("version 1  captured ");
  size_t second = history.out.find("version 2  captured ");
  ASSERT_NE(first, std::string::npos) << history.out;
  ASSERT_NE(second, std::string::npos) << history.out;
  EXPECT_LT(first, second);
  EXPECT_EQ(history.out.find("version 3"), std::string::npos);
  const std::string diff = history.out.substr(second);
  EXPECT_TRUE(contains(diff, "--- version 1\n+++ version 2\n@@ -1")) << diff;
  EXPECT_TRUE(contains(diff, "\n-" + old_sentence)) << diff;
  EXPECT_TRUE(contains(diff, "\n+" + new_sentence)) << diff;
  EXPECT_TRUE(contains(history.out, "parser 0.1.0+")) << history.out;

  RunResult shown = provarc({"show", page_url(name), "--format", "json"});
  ASSERT_EQ(shown.exit_code, 0);
  EXPECT_TRUE(contains(shown.out, new_sentence));
  RunResult all = provarc({"export", "--format", "jsonl", "--all-versions"});
  ASSERT_EQ(all.exit_code, 0);
  std::vector<std::string> lines = lines_of(all.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["archive"]["version"], 1);
  EXPECT_EQ(json::parse(lines[1])["archive"]["version"], 2);
  EXPECT_EQ(json::parse(lines[1])["archive"]["captured_at"].get<std::string>().size(), 24u);
}

TEST_F(CliArchiveTest, ReparsePicksUpARuleChangeAndThenHasNothingToDo) {
  ASSERT_EQ(import_pages({kPages[0], kPages[1], kPages[2]}).exit_code, 0);
  RunResult r = provarc({"reparse"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "examined 0, changed 0, unchanged 0, failed 0\n");

  // A new rule drops the first paragraph of one page only: one changed, two unchanged.
  const std::string dropped = expected(kPages[1])["blocks"][0]["text"];
  write(config_ + "/sites/bk.toml", std::string(kSiteToml) +
                                        "\n[extract.append]\nchrome_lines = [" +
                                        json(dropped).dump() + "]\n");
  r = provarc({"reparse", "--jobs", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "examined 3, changed 1, unchanged 2, failed 0\n");
  r = provarc({"reparse", "--site", "bk"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "examined 0, changed 0, unchanged 0, failed 0\n");

  RunResult shown = provarc({"show", page_url(kPages[1]), "--format", "json"});
  ASSERT_EQ(shown.exit_code, 0);
  json article = json::parse(shown.out);
  EXPECT_NE(article["blocks"][0]["text"], dropped);
  EXPECT_EQ(article["blocks"][0]["text"], expected(kPages[1])["blocks"][1]["text"]);
  RunResult history = provarc({"history", page_url(kPages[1])});
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_TRUE(contains(history.out, "-" + dropped)) << history.out;
  // The unchanged page still shows its first version, by the old parser.
  history = provarc({"history", page_url(kPages[0])});
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_EQ(history.out.find("version 2"), std::string::npos);

  // --force parses everything again: no output changes.
  r = provarc({"reparse", "--force", "--jobs", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "examined 3, changed 0, unchanged 3, failed 0\n");
}

TEST_F(CliArchiveTest, AGivenCaptureTimeIsKeptInTheArchivesFormat) {
  RunResult r = provarc({"import", "--site", "bk", "--url", page_url(kPages[0]), "--fetched-at",
                         "2019-01-02T03:04:05Z", page_file(kPages[0])});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult shown = provarc({"show", page_url(kPages[0])});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, "Version: 1, captured 2019-01-02T03:04:05.000Z,")) << shown.out;
}

TEST_F(CliArchiveTest, AnUnparseablePageIsStoredAndItsFailureShown) {
  write(dir_ + "/empty.html", "<html><head><title></title></head><body></body></html>");
  RunResult r =
      provarc({"import", "--site", "bk", "--url", page_url("empty"), dir_ + "/empty.html"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.out, "imported 1, already stored 0, changed 0, unchanged 0, failed 1"))
      << r.out;
  EXPECT_TRUE(contains(r.err, dir_ + "/empty.html (" + page_url("empty") + "): no article body"))
      << r.err;
  RunResult shown = provarc({"show", page_url("empty")});
  EXPECT_EQ(shown.exit_code, 1);
  EXPECT_TRUE(contains(shown.err, page_url("empty") + ": no version: every parse of it failed"))
      << shown.err;
  RunResult stats = provarc({"stats", "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0);
  EXPECT_EQ(json::parse(stats.out)[0]["captures"], 1);
  EXPECT_EQ(json::parse(stats.out)[0]["versions"], 0);
}

TEST_F(CliArchiveTest, BadArgumentsAndBadFilesEndWithClearMessages) {
  RunResult r =
      provarc({"import", "--site", "nowhere", "--url", page_url("x"), page_file(kPages[0])});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "unknown site id \"nowhere\"")) << r.err;
  r = provarc({"import", "--site", "bk", "--url", "not a url", page_file(kPages[0])});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--url: ")) << r.err;
  r = provarc({"import", "--site", "bk", "--url", page_url("a"), page_file(kPages[0]),
               page_file(kPages[1])});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "give one --url per FILE")) << r.err;
  r = provarc({"import", "--site", "bk", "--url", page_url("a"), "--fetched-at", "yesterday",
               page_file(kPages[0])});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--fetched-at yesterday: expected UTC ISO 8601")) << r.err;
  r = provarc({"import", "--site", "bk", "--url", page_url("a"), dir_ + "/missing.html"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, dir_ + "/missing.html: cannot read")) << r.err;

  // Reading commands never create an archive.
  r = provarc({"show", page_url("a")});
  EXPECT_EQ(r.exit_code, 1);
  r = run_command({provarc_binary(), "--db", dir_ + "/none.sqlite", "export", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, dir_ + "/none.sqlite: no archive there")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/none.sqlite"));

  write(dir_ + "/garbage.sqlite", std::string(8192, '\x5a'));
  r = run_command({provarc_binary(), "--config", config_, "--db", dir_ + "/garbage.sqlite",
                   "import", "--site", "bk", "--url", page_url("a"), page_file(kPages[0])});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, dir_ + "/garbage.sqlite: not a readable provarc archive")) << r.err;
  r = run_command({provarc_binary(), "--db", dir_ + "/garbage.sqlite", "stats"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "not a readable provarc archive")) << r.err;

  r = run_command({provarc_binary(), "--db", dir_ + "/none.sqlite", "reparse"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "no archive there")) << r.err;
}

// An archive in a directory this user cannot write (another user's, a read-only mount): SQLite
// cannot create the -shm file a WAL-mode file is read through, and the readers still read it.
TEST_F(CliArchiveTest, ReadersReadAnArchiveInADirectoryTheyCannotWrite) {
  ASSERT_EQ(import_pages({kPages[0], kPages[1]}).exit_code, 0);
  ASSERT_FALSE(std::filesystem::exists(db_ + "-wal")) << "closed cleanly: no WAL left";
  const std::string out = dir_ + "/out";
  std::filesystem::create_directories(out);
  open_to_others(dir_);
  std::filesystem::permissions(out, std::filesystem::perms::all);
  ASSERT_EQ(chmod(dir_.c_str(), 0555), 0);
  auto as_other = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(as_unprivileged(argv));
  };
  if (as_unprivileged({"x"}).empty()) GTEST_SKIP() << "running as root without setpriv";

  RunResult stats = as_other({"stats", "--format", "json"});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_FALSE(contains(stats.err, "not a readable provarc archive")) << stats.err;
  if (stats.exit_code == 0) {
    EXPECT_EQ(json::parse(stats.out)[0]["captures"], 2);
  }
  RunResult shown = as_other({"show", page_url(kPages[1])});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, "Title: " + expected(kPages[1])["title"].get<std::string>()))
      << shown.out;
  RunResult exported = as_other({"export", "--format", "jsonl"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(lines_of(exported.out).size(), 2u);
  RunResult warc = as_other({"export", "--format", "warc", "--out", out + "/warc"});
  EXPECT_EQ(warc.exit_code, 0) << warc.err;
  EXPECT_TRUE(contains(warc.out, "wrote 1 WARC files: 2 responses")) << warc.out;
  EXPECT_FALSE(std::filesystem::exists(db_ + "-shm"));
  chmod(dir_.c_str(), 0755);
}

// A re-parse that fails (here every parse record is refused by a trigger, as a full disk would
// refuse it) ends its run as failed: `provarc runs` must not show it "not ended" forever.
TEST_F(CliArchiveTest, AReparseThatFailsEndsItsRunAsFailed) {
  ASSERT_EQ(import_pages({kPages[0]}).exit_code, 0);
  testing::exec_sql(db_, "CREATE TRIGGER refuse BEFORE INSERT ON parses "
                        "BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
  RunResult reparse = provarc({"reparse", "--force"});
  EXPECT_EQ(reparse.exit_code, 1) << reparse.out << reparse.err;
  EXPECT_TRUE(contains(reparse.err, "injected fault")) << reparse.err;
  RunResult runs = provarc({"runs", "--limit", "1", "--format", "json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  json run = json::parse(runs.out)[0];
  EXPECT_EQ(run["kind"], "reparse");
  EXPECT_EQ(run["status"], "failed") << runs.out;
  EXPECT_EQ(run["exit_code"], 1);
  EXPECT_FALSE(run["ended_at"].is_null());
  EXPECT_TRUE(contains(run["counts"]["error"].get<std::string>(), "injected fault")) << runs.out;
}

// A page over the extraction's caps is parsed (the first 2000 attachments) and the parse record
// says what was left out; `provarc import` and `provarc parse` say it on stderr.
TEST_F(CliArchiveTest, WhatTheExtractionCapsLeaveOutIsRecordedAndReported) {
  std::string page =
      "<html><body><div class=\"article\"><h1>Văn bản</h1>"
      "<p>Danh mục văn bản của Sở Thông tin và Truyền thông.</p>\n";
  for (int i = 0; i < 3000; ++i) {
    page += "<a href=\"/f/" + std::to_string(i) + ".pdf\">Văn bản " + std::to_string(i) + "</a>\n";
  }
  page += "</div></body></html>";
  write(dir_ + "/many.html", page);
  RunResult r = provarc({"import", "--site", "bk", "--url", page_url("many"), dir_ + "/many.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string note = "kept 2000 of 3000 attachments (the extraction's caps)";
  EXPECT_TRUE(contains(r.err, note)) << r.err;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT outcome, note FROM parses", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "changed");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)), note.c_str());
  sqlite3_finalize(stmt);
  sqlite3_close(db);

  RunResult parsed = provarc({"parse", "--site", "bk", "--url", page_url("many"), dir_ + "/many.html"});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.err, "provarc parse: " + dir_ + "/many.html: " + note + "\n");
  EXPECT_EQ(json::parse(parsed.out)["attachments"].size(), 2000u);
}

}  // namespace
}  // namespace provarc
