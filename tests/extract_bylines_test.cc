// Bylines on pages the parsers were not written against (docs/extraction.md, "Seventh round"):
// chrome is never the author, whatever its words; a byline's prefix and a second person's credit
// are not part of the name. Each case is one small page with the generic platform's rules, so
// that each defence is tested on its own (each case failed before its fix).
#include <gtest/gtest.h>

#include <string>

#include "parsers/extract.h"
#include "tests/support/fixtures.h"

namespace provarc {
namespace {

// An article whose body ends with `closing` (raw HTML), with `meta` between headline and body.
Article extract(const std::string& closing, const std::string& meta = "") {
  std::string page =
      "<html><head><title>Tin tức</title></head><body><div class=\"news-detail\">"
      "<h1>Tỉnh triển khai nền tảng họp trực tuyến đến cấp xã</h1>" +
      meta + "<div class=\"news-content\">"
      "<p>Sở Thông tin và Truyền thông cho biết, trong tháng 02/2023, đơn vị đã phối hợp với doanh "
      "nghiệp viễn thông lắp đặt thiết bị và kiểm tra đường truyền tại các điểm cầu cấp xã.</p>"
      "<p>Hệ thống sử dụng mạng truyền số liệu chuyên dùng, có khả năng kết nối đồng thời hơn một "
      "trăm điểm cầu với chất lượng hình ảnh cao, bảo đảm các cuộc họp diễn ra thông suốt.</p>" +
      closing + "</div></div></body></html>";
  auto article = extract_article(page, "text/html; charset=utf-8",
                                 "https://stttt.example.gov.vn/tin-tuc/hop-truc-tuyen",
                                 testing::rules_for(""));  // "": the generic platform
  EXPECT_TRUE(article.ok()) << article.error();
  return article.ok() ? *article : Article{};
}

std::string last_text(const Article& a) { return a.blocks.empty() ? "" : a.blocks.back().text; }

// The VNPT ePortal tool row: words no list knows, links to scripts. The byline before it is read.
TEST(ExtractBylines, ARowOfScriptLinksIsAToolRowWhateverItsWords) {
  Article a = extract("<p style=\"text-align:right\"><em>Nguyễn Hồng Nhung</em></p>"
                      "<div class=\"tools\"><a href=\"javascript:window.print();\">Bản để in ra</a> | "
                      "<a href=\"javascript:history.back();\">Trang trước</a></div>");
  ASSERT_TRUE(a.author.has_value());
  EXPECT_EQ(*a.author, "Nguyễn Hồng Nhung");
  EXPECT_EQ(a.provenance.author, "generic:closing-line");
  EXPECT_NE(last_text(a).find("Hệ thống sử dụng"), std::string::npos) << last_text(a);
}

// The same row as plain text: "In tin" is a tool word, and what is left of a row of tools once a
// word was cut ("In tin |") is never a name.
TEST(ExtractBylines, APrintToolRowIsNeverTheAuthor) {
  Article a = extract("<p style=\"text-align:right\"><em>Hồng Nhung</em></p><p>In tin | Quay lại</p>");
  ASSERT_TRUE(a.author.has_value());
  EXPECT_EQ(*a.author, "Hồng Nhung");
  Article b = extract("<p>In tin |</p>");
  EXPECT_FALSE(b.author.has_value()) << *b.author;
}

// An attachment's line after the byline stays in the text, and the byline before it is read.
TEST(ExtractBylines, AnAttachmentLineAfterTheBylineIsSkipped) {
  Article a = extract("<p style=\"text-align:right\"><em>Bài và ảnh: Hồng Nhung</em></p>"
                      "<p>Tài liệu đính kèm: <a href=\"/documents/1/2/danh-sach.xlsx/abc?t=1\">Danh "
                      "sách điểm cầu cấp xã</a></p>");
  ASSERT_TRUE(a.author.has_value());
  EXPECT_EQ(*a.author, "Hồng Nhung");
  EXPECT_EQ(last_text(a), "Tài liệu đính kèm: Danh sách điểm cầu cấp xã");
}

// A dash before the label, and a photographer's credit after the name, are not the name; a dash
// between a name and a unit is.
TEST(ExtractBylines, PrefixesAndSecondCreditsAreNotTheName) {
  struct Case {
    const char* closing;
    const char* author;
  } cases[] = {
      {"<p style=\"text-align:right\"><strong>– Tin, ảnh: Hoàng Anh</strong></p>", "Hoàng Anh"},
      {"<p style=\"text-align:right\"><strong>Tin: Kim Ngân – Ảnh: Bảo Trân</strong></p>", "Kim Ngân"},
      {"<p style=\"text-align:right\"><strong>Minh Khoa - Ảnh: Thu Hà</strong></p>", "Minh Khoa"},
      {"<p style=\"text-align:right\"><strong>Nông Văn Đậm - Sở TT&amp;TT</strong></p>",
       "Nông Văn Đậm - Sở TT&TT"},
  };
  for (const Case& c : cases) {
    Article a = extract(c.closing);
    ASSERT_TRUE(a.author.has_value()) << c.closing;
    EXPECT_EQ(*a.author, c.author) << c.closing;
  }
}

// The account a CMS prints in its author element is no person's name: the signature is read.
TEST(ExtractBylines, ACmsAccountGivesWayToTheClosingSignature) {
  Article a = extract("<p style=\"text-align:right\"><strong>Thu Hà</strong></p>",
                      "<span class=\"author vcard\"><a rel=\"author\" href=\"/author/quantri/\">"
                      "quantri</a></span>");
  ASSERT_TRUE(a.author.has_value());
  EXPECT_EQ(*a.author, "Thu Hà");
  EXPECT_EQ(a.provenance.author, "fallback:closing-line");
  EXPECT_NE(last_text(a).find("Hệ thống sử dụng"), std::string::npos) << last_text(a);
}

}  // namespace
}  // namespace provarc
