// `provarc sites list` and `provarc sites check` as users and scripts call them: output formats,
// messages that name the file and position, and exit codes.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using testing::provarc_binary;
using testing::run_command;
using testing::source_dir;

std::string config_arg() { return "--config=" + source_dir() + "/config"; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Every shipped config file, presets first.
std::vector<std::string> shipped_files() {
  std::vector<std::string> files;
  for (const char* sub : {"platforms", "sites"}) {
    std::vector<std::string> in_dir;
    for (const auto& entry : fs::directory_iterator(source_dir() + "/config/" + sub)) {
      if (entry.path().extension() == ".toml") in_dir.push_back(entry.path().string());
    }
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  return files;
}

TEST(CliSites, ListPrintsOneTabSeparatedLinePerSite) {
  auto r = run_command({provarc_binary(), "sites", "list", config_arg()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out),
            (std::vector<std::string>{
                "bac-kan\tsharepoint\tBắc Kạn\tsotttt.backan.gov.vn",
                "dong-thap\taspnet\tĐồng Tháp\tstttt.dongthap.gov.vn",
                "nghe-an\twebsphere\tNghệ An\tstttt.nghean.gov.vn",
                "tra-vinh\taspnet\tTrà Vinh\tstttt.travinh.gov.vn",
            }));
  EXPECT_EQ(r.err, "");
}

TEST(CliSites, ListAsJson) {
  auto r = run_command({provarc_binary(), config_arg(), "sites", "list", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto sites = nlohmann::json::parse(r.out);
  ASSERT_TRUE(sites.is_array());
  ASSERT_EQ(sites.size(), 4u);
  const auto& dong_thap = sites[1];
  EXPECT_EQ(dong_thap["id"], "dong-thap");
  EXPECT_EQ(dong_thap["platform"], "aspnet");
  EXPECT_EQ(dong_thap["province"], "Đồng Tháp");
  EXPECT_EQ(dong_thap["name"], "Sở Thông tin và Truyền thông tỉnh Đồng Tháp");
  EXPECT_EQ(dong_thap["hosts"], nlohmann::json::array({"stttt.dongthap.gov.vn"}));
  EXPECT_EQ(dong_thap["start_urls"], nlohmann::json::array({"https://stttt.dongthap.gov.vn/"}));
  EXPECT_EQ(dong_thap["contact_url"], "https://github.com/provarc/provarc");
  EXPECT_EQ(dong_thap["rules_digest"].get<std::string>().size(), 64u);
  EXPECT_NE(dong_thap["rules_digest"], sites[3]["rules_digest"]);  // same preset, other overrides
}

TEST(CliSites, ListRejectsAnUnknownFormat) {
  auto r = run_command({provarc_binary(), "sites", "list", config_arg(), "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
}

TEST(CliSites, ListFailsWithTheBadFilesPosition) {
  std::string dir = testing::temp_dir();
  fs::copy(source_dir() + "/config", dir, fs::copy_options::recursive);
  std::ofstream(dir + "/sites/tra-vinh.toml", std::ios::app) << "\n[crawl.append]\nmax_depth = 3\n";
  auto r = run_command({provarc_binary(), "sites", "list", "--config=" + dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(dir + "/sites/tra-vinh.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown key \"max_depth\" in [crawl.append]"), std::string::npos) << r.err;
}

TEST(CliSites, CheckAcceptsEveryShippedFile) {
  std::vector<std::string> files = shipped_files();
  ASSERT_EQ(files.size(), 9u);  // five presets, four sites
  std::vector<std::string> argv = {provarc_binary(), "sites", "check", config_arg()};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = run_command(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> expected;
  for (const std::string& file : files) expected.push_back(file + ": ok");
  EXPECT_EQ(lines_of(r.out), expected);
  EXPECT_EQ(r.err, "");
}

TEST(CliSites, CheckReportsEachBadFileAndExitsTwo) {
  const std::string good = source_dir() + "/config/sites/bac-kan.toml";
  const std::string bad = testing::fixture_path("config-errors/sites/out-of-range.toml");
  const std::string bad_preset = testing::fixture_path("config-errors/platforms/bad-regex.toml");
  const std::string missing = testing::temp_dir() + "/missing.toml";
  auto r = run_command({provarc_binary(), "sites", "check", config_arg(), bad, good, bad_preset,
                        missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, good + ": ok\n");
  std::vector<std::string> errors = lines_of(r.err);
  ASSERT_EQ(errors.size(), 3u) << r.err;
  // The site fixture names a preset of the fixtures, not of --config: unknown there.
  EXPECT_EQ(errors[0].rfind(bad + ":4:12: unknown platform \"basic\"", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind(bad_preset + ":5:20: invalid regex", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind(missing + ": cannot read", 0), 0u) << errors[2];
}

TEST(CliSites, CheckUsesThePresetsOfTheConfigDirectory) {
  const std::string bad = testing::fixture_path("config-errors/sites/out-of-range.toml");
  auto r = run_command({provarc_binary(), "sites", "check",
                        "--config=" + testing::fixture_path("config-errors"), bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, bad + ":10:13: \"crawl.max_depth\" is 5000, out of range; expected an integer "
                         "from 0 to 1000\n");
}

TEST(CliSites, SubcommandIsRequired) {
  auto none = run_command({provarc_binary(), "sites", config_arg()});
  EXPECT_EQ(none.exit_code, 2);
  auto no_files = run_command({provarc_binary(), "sites", "check", config_arg()});
  EXPECT_EQ(no_files.exit_code, 2);
}

// A site file that is not a readable regular file (a dangling or looping symbolic link, a FIFO,
// a link to /dev/zero) is an error naming it: `sites list` and `crawl --all` exit 2, `crawl
// --site ID` names the file instead of calling the id unknown, and nothing hangs on the FIFO.
TEST(CliSites, SiteFilesThatAreNotFilesAreErrorsNamingThem) {
  struct Case {
    std::string name;
    std::function<void(const std::string& path)> make;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"dangling", [](const std::string& p) { fs::create_symlink("/nonexistent/x.toml", p); },
       "cannot read: No such file or directory (a symbolic link to /nonexistent/x.toml)"},
      {"looping", [](const std::string& p) { fs::create_symlink(p, p); },
       "cannot read: Too many levels of symbolic links"},
      {"fifo", [](const std::string& p) { ASSERT_EQ(mkfifo(p.c_str(), 0644), 0); },
       "a FIFO, not a regular file"},
      {"zero", [](const std::string& p) { fs::create_symlink("/dev/zero", p); },
       "a character device (a symbolic link to /dev/zero), not a regular file"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string dir = testing::temp_dir();
    fs::copy(source_dir() + "/config", dir, fs::copy_options::recursive);
    const std::string file = dir + "/sites/" + c.name + ".toml";
    c.make(file);
    const std::string config = "--config=" + dir;
    // `timeout`: a read that blocks on the FIFO fails the test instead of hanging it.
    auto run = [&](std::vector<std::string> args) {
      std::vector<std::string> argv = {"/usr/bin/timeout", "20", provarc_binary(), config};
      argv.insert(argv.end(), args.begin(), args.end());
      return run_command(argv);
    };
    auto list = run({"sites", "list"});
    EXPECT_EQ(list.exit_code, 2) << list.err;
    EXPECT_NE(list.err.find(file + ": " + c.says), std::string::npos) << list.err;
    auto all = run({"--db", dir + "/a.sqlite", "crawl", "--all"});
    EXPECT_EQ(all.exit_code, 2) << all.err;
    EXPECT_NE(all.err.find(file + ": "), std::string::npos) << all.err;
    auto one = run({"--db", dir + "/a.sqlite", "crawl", "--site", c.name});
    EXPECT_EQ(one.exit_code, 2) << one.err;
    EXPECT_NE(one.err.find(file + ": " + c.says), std::string::npos) << one.err;
    EXPECT_EQ(one.err.find("unknown site id"), std::string::npos) << one.err;
    EXPECT_FALSE(fs::exists(dir + "/a.sqlite"));
  }
}

// An exclude pattern on which ICU gives up (here: catastrophic backtracking on a start URL) is
// flagged by `sites check`, naming the pattern's file and line and the URL it gave up on.
TEST(CliSites, CheckFlagsPatternsThatGiveUpOnSampleUrls) {
  const std::string dir = testing::temp_dir();
  fs::create_directories(dir + "/sites");
  const std::string file = dir + "/sites/slow.toml";
  std::ofstream(file) << R"toml(id = "slow"
name = "Sở Thông tin và Truyền thông (test)"
province = "Hậu Giang"
platform = "generic"
hosts = ["a.gov.vn"]
start_urls = ["https://a.gov.vn/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"]
contact_url = "https://example.org/about"

[crawl]
exclude = ["^https://a\\.gov\\.vn/(a|aa)+$"]
)toml";
  auto r = run_command({provarc_binary(), "sites", "check", config_arg(), file});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(file + ":10:12: exclude pattern \"^https://a\\.gov\\.vn/(a|aa)+$\" gives "
                              "up (ICU's step or stack limit) on "
                              "https://a.gov.vn/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! "
                              "(a start URL)"),
            std::string::npos)
      << r.err;
  // A --url is tried too, and says so.
  r = run_command({provarc_binary(), "sites", "check", config_arg(), file, "--url",
                   "https://a.gov.vn/" + std::string(40, 'a') + "b"});
  EXPECT_NE(r.err.find("(a --url)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace provarc
