// tests/extract_bylines_test.cc: bylines on pages the parsers were not written against
// (docs/extraction.md, sixth and seventh rounds). Chrome is never the author, whatever its words; a byline's prefix and a second person's credit
// are not part of the name. Each case is one small page with the generic platform's rules, so
// that each defence is tested on its own (each case failed before its fix). Then bylines read
// from the labelled element beside the body (parsers/fields.h find_bylines, parsers/lines.h
// strip_byline_label).
#include <gtest/gtest.h>

#include <optional>
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

ExtractRules generic_rules() { return testing::rules_for(""); }

// A page whose only byline is `meta`, printed in its own element just before the body.
std::optional<std::string> author_of(const std::string& meta) {
  const std::string page =
      "<html><head><title>Tin</title></head><body><article><h1>Khai trương nền tảng học tập "
      "trực tuyến mở</h1><div class=\"node__meta\"><span>" + meta + "</span></div>"
      "<div class=\"content\"><p>Ngày 18/3/2024, Sở Thông tin và Truyền thông chính thức đưa vào "
      "sử dụng nền tảng học tập trực tuyến mở dành cho cán bộ, công chức, viên chức.</p><p>Nền "
      "tảng được tích hợp với hệ thống định danh của tỉnh, cho phép đăng nhập bằng tài khoản "
      "dùng chung, và được hướng dẫn chi tiết cho từng đơn vị.</p></div></article></body></html>";
  Result<Article> article = extract_article(page, "text/html; charset=utf-8",
                                            "https://stttt.a.gov.vn/tin/1", generic_rules());
  EXPECT_TRUE(article.ok()) << article.error();
  return article.ok() ? article->author : std::nullopt;
}

TEST(ExtractBylines, DrupalSubmittedByNameOnDateGivesTheName) {
  // Drupal's "Submitted by X on DATE" in Vietnamese: the name ends where "vào" + a date begins.
  EXPECT_EQ(author_of("Gửi bởi <span>Nguyễn Hoài</span> vào <time>T3, 19/03/2024 - 14:05</time>"),
            "Nguyễn Hoài");
  EXPECT_EQ(author_of("Đăng bởi Trần Minh vào 19/03/2024"), "Trần Minh");
  // "vào" not followed by a date is part of what was written: kept.
  EXPECT_EQ(author_of("Gửi bởi Ban biên tập vào trang"), "Ban biên tập vào trang");
}

// A page whose body element opens with `top` before its text.
Article with_top_line(const std::string& top) {
  const std::string page =
      "<html><head><title>Tin</title></head><body><h1>Khai mạc Hội báo Xuân Kỷ Hợi 2019 tại Thư "
      "viện tỉnh</h1><div class=\"content\"><div>" + top + "</div><p>Sáng 21/02/2019, tại Thư "
      "viện tỉnh, Sở Thông tin và Truyền thông phối hợp với Hội Nhà báo tỉnh khai mạc Hội báo "
      "Xuân Kỷ Hợi 2019.</p><p>Hội báo Xuân năm nay trưng bày hơn 600 ấn phẩm báo Xuân của các "
      "cơ quan báo chí trung ương và địa phương, kéo dài đến hết ngày 28/02/2019.</p></div>"
      "</body></html>";
  Result<Article> article = extract_article(page, "text/html; charset=utf-8",
                                            "https://stttt.a.gov.vn/tin/2", generic_rules());
  EXPECT_TRUE(article.ok()) << article.error();
  return article.ok() ? *article : Article{};
}

TEST(ExtractBylines, ALabelledLineAtTheTopOfTheBodyIsTheBylineAndLeavesTheText) {
  Article article = with_top_line("Bài, ảnh: Ngọc Trinh");
  EXPECT_EQ(article.author, "Ngọc Trinh");
  EXPECT_EQ(article.provenance.author, "generic:labelled");
  ASSERT_FALSE(article.blocks.empty());
  EXPECT_EQ(article.blocks[0].text.rfind("Sáng 21/02/2019", 0), 0u) << article.blocks[0].text;
}

TEST(ExtractBylines, ASourceOrASentenceAtTheTopOfTheBodyIsNoByline) {
  // "Nguồn:" names where the article comes from; a labelled sentence is text.
  Article source = with_top_line("Nguồn: Báo Hậu Giang");
  EXPECT_EQ(source.author, std::nullopt);
  Article sentence = with_top_line("Tin: Sở Thông tin và Truyền thông thông báo lịch tiếp dân.");
  EXPECT_EQ(sentence.author, std::nullopt);
  ASSERT_FALSE(sentence.blocks.empty());
  EXPECT_EQ(sentence.blocks[0].text, "Tin: Sở Thông tin và Truyền thông thông báo lịch tiếp dân.");
}

}  // namespace
}  // namespace provarc
