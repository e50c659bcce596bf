// scripts/demo end to end: it serves the fixture sites on 127.0.0.1, crawls them with the shipped
// configs pointed there, imports an edited article, re-parses, and prints articles and the runs,
// within a minute; and `provarc serve` reads what it leaves.
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "tests/support/serve_process.h"
#include "web/html.h"

namespace provarc::testing {
namespace {

// The sentence scripts/demo adds to the Đồng Tháp article it edits.
const char kAddedSentence[] =
    "Sở Thông tin và Truyền thông đề nghị các cơ quan báo cáo kết quả trước ngày 15/12/2019.";

// The port of the local Đồng Tháp mirror, from the demo's "mirror: dong-thap (...) on
// http://127.0.0.1:<port>" line.
std::string dong_thap_port(const std::string& out) {
  size_t line = out.find("mirror: dong-thap");
  size_t at = out.find("127.0.0.1:", line);
  if (line == std::string::npos || at == std::string::npos) return "";
  size_t end = out.find('\n', at);
  return out.substr(at + 10, end - at - 10);
}

TEST(CliDemoTest, RunsThePipelineOnTheLocalMirrorAndPrintsArticles) {
  // The build directory holding cli/provarc (and tests/provarc_fixture_sites beside this test).
  std::string build = std::filesystem::path(provarc_binary()).parent_path().parent_path();
  std::string kept = temp_dir();
  auto started = std::chrono::steady_clock::now();
  RunResult demo = run_command({"/usr/bin/env", "PROVARC_BUILD=" + build,
                                "PROVARC_DEMO_DIR=" + kept, source_dir() + "/scripts/demo"});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  EXPECT_LT(took, std::chrono::seconds(60)) << "the demo promises under a minute";

  // Every shipped site with fixture pages, crawled to the end from 127.0.0.1.
  for (const char* site : {"bac-kan", "dong-thap", "nghe-an", "tra-vinh"}) {
    EXPECT_NE(demo.out.find(std::string("mirror: ") + site), std::string::npos) << site;
    auto row = demo.out.find(std::string("\n") + site + " ");
    ASSERT_NE(row, std::string::npos) << site << " in the summary\n" << demo.out;
    EXPECT_NE(demo.out.substr(row, demo.out.find('\n', row + 1) - row).find("finished"),
              std::string::npos)
        << site;
  }
  EXPECT_EQ(demo.out.find("https://"), std::string::npos) << "only the local mirror is crawled";
  // All 17 fixture articles of the four sites (bac-kan 5, dong-thap 4, nghe-an 4, tra-vinh 4)
  // are archived, one edited copy is imported, and a re-parse with the same rules of those 18
  // captures finds nothing new.
  EXPECT_NE(demo.out.find("examined 18, changed 0, unchanged 18, failed 0"), std::string::npos)
      << demo.out;
  // The edited article's second version, as `provarc history` shows it.
  EXPECT_NE(demo.out.find("+Sáng ngày 03/5/2019"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("chủ trì Hội nghị. " + std::string(kAddedSentence)), std::string::npos);
  // Extracted articles, as the goldens have them.
  EXPECT_NE(demo.out.find("Title: Hội nghị sơ kết công tác quý I/2023"), std::string::npos);
  EXPECT_NE(demo.out.find("Author: Bế Thị Thanh Hoài"), std::string::npos);
  EXPECT_NE(demo.out.find("Published: 2018-07-03T18:29:27+07:00"), std::string::npos)
      << "Đồng Tháp's month-first date";
  EXPECT_NE(demo.out.find("run 1  crawl"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("run 2  import"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("run 3  reparse"), std::string::npos) << demo.out;
  EXPECT_TRUE(std::filesystem::exists(kept + "/report.json"));
  EXPECT_EQ(demo.err, "") << "a clean demo prints no warning";

  // What it leaves is read with `provarc serve`, as it says: the sites, a search without
  // diacritics, the edited article and the diff of its two versions.
  EXPECT_NE(demo.out.find("provarc serve --db " + kept + "/archive.sqlite"), std::string::npos);
  ServeProcess serve(kept + "/archive.sqlite");
  ASSERT_FALSE(serve.url().empty()) << serve.output();
  httplib::Client client("127.0.0.1", serve.port());
  client.set_read_timeout(20, 0);
  auto sites = client.Get("/");
  ASSERT_TRUE(sites);
  for (const char* site : {"bac-kan", "dong-thap", "nghe-an", "tra-vinh"}) {
    EXPECT_NE(sites->body.find(std::string("/site/") + site), std::string::npos) << site;
  }
  auto search = client.Get("/search?q=dong%20thap");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
  EXPECT_NE(search->body.find(
                "\">Diễn tập ứng cứu sự cố an toàn thông tin mạng tỉnh Đồng Tháp năm 2020</a>"),
            std::string::npos)
      << search->body;
  EXPECT_NE(search->body.find("<mark>Đồng</mark> <mark>Tháp</mark>"), std::string::npos) << search->body;
  const std::string edited_url = "http://127.0.0.1:" + dong_thap_port(demo.out) +
                                 "/ChiTietTin.aspx?ID=1402";
  auto article = client.Get("/url?u=" + web::percent_encode(edited_url));
  ASSERT_TRUE(article);
  ASSERT_EQ(article->status, 302) << edited_url;
  auto diff = client.Get(article->get_header_value("Location") + "/diff");
  ASSERT_TRUE(diff);
  EXPECT_NE(diff->body.find(std::string("<ins> ") + kAddedSentence + "</ins>"), std::string::npos)
      << diff->body;
  EXPECT_EQ(serve.stop(SIGTERM), 0) << serve.output();
}

}  // namespace
}  // namespace provarc::testing
