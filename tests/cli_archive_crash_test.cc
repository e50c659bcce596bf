// kill -9 in the middle of `provarc import` and `provarc reparse`: the archive stays consistent
// (integrity_check, every committed capture complete with its version), and a re-run finishes
// the job without duplicating anything.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "archive/archive.h"
#include "tests/support/archive_sql.h"
#include "tests/support/paths.h"

extern char** environ;

namespace provarc {
namespace {

using testing::count_sql;
using testing::fixture_path;
using testing::provarc_binary;
using testing::read_file;
using testing::run_command;
using testing::RunResult;
using testing::temp_dir;

constexpr int kPages = 400;

const char* const kSiteToml = R"toml(id = "bk"
name = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn (test)"
province = "Bắc Kạn"
platform = "sharepoint"
hosts = ["sotttt.backan.gov.vn"]
start_urls = ["https://sotttt.backan.gov.vn/"]
contact_url = "https://github.com/provarc/provarc"
)toml";

// Fixture pages made distinct: each gets its number at the start of its first paragraph.
std::vector<std::string> generate_pages(const std::string& dir) {
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
  std::vector<std::string> templates;
  for (const Source& s : sources) templates.push_back(read_file(fixture_path(s.file)));
  std::vector<std::string> files;
  for (int i = 0; i < kPages; ++i) {
    const Source& source = sources[i % 4];
    std::string html = templates[i % 4];
    size_t at = html.find(source.first_words);
    EXPECT_NE(at, std::string::npos) << source.file;
    if (at == std::string::npos) return files;
    html.insert(at, "Bài số " + std::to_string(i) + ". ");
    char name[32];
    std::snprintf(name, sizeof name, "p-%04d.html", i);
    files.push_back(dir + "/" + name);
    std::ofstream(files.back(), std::ios::binary) << html;
  }
  return files;
}

// Starts `argv` with its output discarded; returns its pid.
pid_t spawn(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Once `sql` counts at least one row (the process has committed something), waits a random
// 0-100 ms more and kills the process with SIGKILL. Returns false when it exited first.
bool kill_midway(pid_t pid, const std::string& db_path, const std::string& sql) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (count_sql(db_path, sql) == 0 && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::mt19937 rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 100));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

void expect_consistent(const std::string& db_path) {
  Result<std::unique_ptr<Archive>> archive = Archive::open(db_path);
  ASSERT_TRUE(archive.ok()) << archive.error();
  Status check = (*archive)->check_integrity();
  EXPECT_TRUE(check.ok()) << check.error();
  // No capture without its blob, no version without its parse record.
  EXPECT_EQ(count_sql(db_path, "SELECT count(*) FROM captures WHERE blob_id IS NULL"), 0);
  EXPECT_EQ(count_sql(db_path,
                  "SELECT count(*) FROM article_versions v WHERE NOT EXISTS"
                  " (SELECT 1 FROM parses p WHERE p.version_id = v.id)"),
            0);
  EXPECT_EQ(count_sql(db_path,
                  "SELECT count(*) FROM articles WHERE version_count !="
                  " (SELECT count(*) FROM article_versions v WHERE v.article_id = articles.id)"),
            0);
}

class CliArchiveCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = temp_dir();
    config_ = dir + "/config";
    db_ = dir + "/archive.sqlite";
    std::filesystem::create_directories(config_ + "/sites");
    std::ofstream(config_ + "/sites/bk.toml") << kSiteToml;
    std::filesystem::create_directories(dir + "/pages");
    files_ = generate_pages(dir + "/pages");
    ASSERT_EQ(files_.size(), static_cast<size_t>(kPages));
  }

  std::vector<std::string> command(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_, "--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  std::vector<std::string> import_command(bool parse) const {
    std::vector<std::string> args = {"import", "--site", "bk", "--url-prefix",
                                     "https://sotttt.backan.gov.vn/Pages/"};
    if (!parse) args.push_back("--no-parse");
    args.insert(args.end(), files_.begin(), files_.end());
    return command(args);
  }

  std::string config_, db_;
  std::vector<std::string> files_;
};

TEST_F(CliArchiveCrashTest, KilledImportKeepsWhatItCommittedAndAReRunFinishes) {
  pid_t pid = spawn(import_command(/*parse=*/true));
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(kill_midway(pid, db_, "SELECT count(*) FROM captures"))
      << "the import finished before it could be killed";
  expect_consistent(db_);
  const int64_t captured = count_sql(db_, "SELECT count(*) FROM captures");
  EXPECT_GT(captured, 0);
  EXPECT_LT(captured, kPages) << "killed too late to test anything";
  // Each file is one transaction: capture, article and version together or not at all.
  EXPECT_EQ(count_sql(db_, "SELECT count(*) FROM articles"), captured);
  EXPECT_EQ(count_sql(db_, "SELECT count(*) FROM article_versions"), captured);

  RunResult r = run_command(import_command(/*parse=*/true));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported " + std::to_string(kPages - captured) + ", already stored " +
                       std::to_string(captured) + ", changed " + std::to_string(kPages - captured) +
                       ", unchanged 0, failed 0, unreadable 0\n");
  expect_consistent(db_);
  for (const char* table : {"captures", "blobs", "articles", "article_versions", "parses"}) {
    EXPECT_EQ(count_sql(db_, std::string("SELECT count(*) FROM ") + table), kPages) << table;
  }
}

TEST_F(CliArchiveCrashTest, KilledReparseKeepsWhatItCommittedAndAReRunFinishes) {
  RunResult stored = run_command(import_command(/*parse=*/false));
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  ASSERT_EQ(count_sql(db_, "SELECT count(*) FROM articles"), kPages);
  ASSERT_EQ(count_sql(db_, "SELECT count(*) FROM article_versions"), 0);

  pid_t pid = spawn(command({"reparse", "--jobs", "2"}));
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(kill_midway(pid, db_, "SELECT count(*) FROM parses"))
      << "the re-parse finished before it could be killed";
  expect_consistent(db_);
  const int64_t parsed = count_sql(db_, "SELECT count(*) FROM parses");
  EXPECT_GT(parsed, 0);
  EXPECT_LT(parsed, kPages) << "killed too late to test anything";
  EXPECT_EQ(count_sql(db_, "SELECT count(*) FROM article_versions"), parsed);

  RunResult r = run_command(command({"reparse", "--jobs", "2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string rest = std::to_string(kPages - parsed);
  EXPECT_EQ(r.out, "examined " + rest + ", changed " + rest + ", unchanged 0, failed 0\n");
  expect_consistent(db_);
  EXPECT_EQ(count_sql(db_, "SELECT count(*) FROM parses"), kPages);
  EXPECT_EQ(count_sql(db_, "SELECT count(*) FROM article_versions"), kPages);
  EXPECT_EQ(count_sql(db_, "SELECT count(*) FROM articles WHERE version_count = 1"), kPages);
  r = run_command(command({"reparse"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "examined 0, changed 0, unchanged 0, failed 0\n");
}

}  // namespace
}  // namespace provarc
