// tests/extract_bylines_test.cc: bylines read from the labelled element beside the body, as the
// generic platform reads them (parsers/fields.h find_bylines, parsers/lines.h strip_byline_label).
#include <gtest/gtest.h>

#include <string>

#include "parsers/extract.h"
#include "tests/support/fixtures.h"

namespace provarc {
namespace {

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

TEST(Bylines, DrupalSubmittedByNameOnDateGivesTheName) {
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

TEST(Bylines, ALabelledLineAtTheTopOfTheBodyIsTheBylineAndLeavesTheText) {
  Article article = with_top_line("Bài, ảnh: Ngọc Trinh");
  EXPECT_EQ(article.author, "Ngọc Trinh");
  EXPECT_EQ(article.provenance.author, "generic:labelled");
  ASSERT_FALSE(article.blocks.empty());
  EXPECT_EQ(article.blocks[0].text.rfind("Sáng 21/02/2019", 0), 0u) << article.blocks[0].text;
}

TEST(Bylines, ASourceOrASentenceAtTheTopOfTheBodyIsNoByline) {
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
