// `provarc parse` as users and scripts call it: the JSON contract, exit codes, and hostile input
// (empty, binary, huge, deeply nested, invalid UTF-8) that must end in a clear result, never a crash.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "tests/support/fixtures.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::provarc_binary;
using testing::run_command;

std::string write_temp(const std::string& name, const std::string& data) {
  std::string path = testing::temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

std::string config_arg() { return "--config=" + testing::source_dir() + "/config"; }

const char* kArticle =
    "<html><head><title>Tin bài - Sở TT&amp;TT</title></head><body>"
    "<div id='menu'><a href='/'>Trang chủ</a> <a href='/a'>Giới thiệu</a></div>"
    "<div class='content'><h1>Tập huấn chuyển đổi số cho cán bộ cấp xã</h1>"
    "<p>Ngày 12/5/2024, Sở Thông tin và Truyền thông tổ chức lớp tập huấn về chuyển đổi số, "
    "với sự tham gia của hơn 200 cán bộ, công chức cấp xã trên địa bàn tỉnh.</p>"
    "<p>Tại lớp tập huấn, các học viên được giới thiệu về nền tảng số, dịch vụ công trực "
    "tuyến và kỹ năng bảo đảm an toàn thông tin.</p></div></body></html>";

TEST(CliParse, JsonHasExactlyTheContractKeys) {
  std::string page = write_temp("a.html", kArticle);
  auto r = run_command({provarc_binary(), "parse", config_arg(), "--platform", "generic", "--url",
                        "https://example.gov.vn/tin/1", page});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"site", "url", "title", "published", "updated",
                                            "author", "blocks", "text", "images", "attachments",
                                            "parser_version", "provenance"}));
  EXPECT_TRUE(j["site"].is_null());
  EXPECT_EQ(j["url"], "https://example.gov.vn/tin/1");
  EXPECT_EQ(j["title"], "Tập huấn chuyển đổi số cho cán bộ cấp xã");
  EXPECT_EQ(j["blocks"].size(), 2u);
  EXPECT_EQ(j["blocks"][0]["kind"], "paragraph");
  EXPECT_TRUE(j["images"].is_array());
  EXPECT_TRUE(j["attachments"].is_array());
  EXPECT_FALSE(j["parser_version"].get<std::string>().empty());
}

TEST(CliParse, ReadsStandardInputAndTextFormat) {
  auto r = run_command({provarc_binary(), "parse", config_arg(), "--platform", "generic",
                        "--format", "text", "-"},
                       kArticle);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Title: Tập huấn chuyển đổi số cho cán bộ cấp xã"), std::string::npos);
  EXPECT_NE(r.out.find("hơn 200 cán bộ"), std::string::npos);
  EXPECT_EQ(r.out.find("Giới thiệu"), std::string::npos);
}

TEST(CliParse, OneObjectPerFileAndFailureNamesTheFile) {
  std::string good = write_temp("good.html", kArticle);
  std::string empty = write_temp("empty.html", "");
  auto r = run_command({provarc_binary(), "parse", config_arg(), "--platform", "generic", good,
                        empty, good});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("empty.html"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no article body"), std::string::npos) << r.err;
  int lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, 2);
}

TEST(CliParse, UnknownSiteIdIsAClearError) {
  std::string page = write_temp("a.html", kArticle);
  auto r = run_command({provarc_binary(), "parse", config_arg(), "--site", "ha-noi-xyz", page});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown site id \"ha-noi-xyz\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bac-kan"), std::string::npos) << "lists the known ids: " << r.err;
}

TEST(CliParse, MissingFileAndMissingSiteOrPlatform) {
  auto r = run_command({provarc_binary(), "parse", config_arg(), "--platform", "generic",
                        "/nonexistent/x.html"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/x.html"), std::string::npos);
  auto r2 = run_command({provarc_binary(), "parse", config_arg(), "x.html"});
  EXPECT_EQ(r2.exit_code, 2);
}

TEST(CliParse, BinaryAndInvalidUtf8NeverCrash) {
  std::mt19937 rng(42);
  std::string binary(1 << 20, '\0');
  for (char& c : binary) c = static_cast<char>(rng());
  std::string invalid = std::string("<p>") + "Th\xC3\xB4ng tin \xFF\xFE\xC3 v\xE0 " +
                        std::string(300, 'x') + " truy\xE1\xBB\x81n th\xC3\xB4ng</p>";
  for (const std::string& data : {binary, invalid}) {
    std::string page = write_temp("bad.html", data);
    auto r = run_command({provarc_binary(), "parse", config_arg(), "--platform", "generic", page});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << " " << r.err;
    if (r.exit_code == 0) EXPECT_TRUE(nlohmann::json::accept(r.out));
  }
}

TEST(CliParse, DeepNestingAndHugePagesEndInTime) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "<p>Nội dung bài viết nằm sâu trong một trăm nghìn thẻ div lồng nhau, một trang độc hại.</p>";
  std::string huge = "<html><body><div class='content'>";
  std::string paragraph =
      "<p>Sở Thông tin và Truyền thông tiếp tục triển khai các nhiệm vụ chuyển đổi số, "
      "bảo đảm an toàn thông tin mạng và phát triển hạ tầng viễn thông trên địa bàn tỉnh.</p>\n";
  while (huge.size() < 50u * 1024 * 1024) huge += paragraph;
  huge += "</div></body></html>";
  for (const std::string& data : {deep, huge}) {
    std::string page = write_temp("big.html", data);
    auto start = std::chrono::steady_clock::now();
    auto r = run_command({provarc_binary(), "parse", config_arg(), "--platform", "generic", page});
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << " " << r.err.substr(0, 500);
    EXPECT_LT(seconds, 120.0);  // generous: a hang, not speed, is what this catches
  }
}

}  // namespace
}  // namespace provarc
