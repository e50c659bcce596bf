// A hostile page costs the extraction bounded time: attachments are de-duplicated in linear time,
// images and attachments are capped per page (and what was left out is said, not dropped in
// silence), and a page that outruns the time budget fails with that reason.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "config/config.h"
#include "parsers/extract.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

ExtractRules generic_rules() {
  Result<ExtractRules> rules =
      load_platform(testing::source_dir() + "/config/platforms", "generic");
  EXPECT_TRUE(rules.ok()) << rules.error();
  return rules.ok() ? *rules : ExtractRules{};
}

// An article whose body links `links` documents (`distinct` different ones, repeated), one per
// line, as a portal's "văn bản" page might; about 34 bytes a link.
std::string page_with_links(size_t links, size_t distinct) {
  std::string page =
      "<html><head><title>Văn bản</title></head><body><article><h1>Danh mục văn bản</h1>"
      "<p>Sở Thông tin và Truyền thông công bố danh mục văn bản quy phạm pháp luật.</p>\n";
  page.reserve(links * 40);
  for (size_t i = 0; i < links; ++i) {
    page += "<a href=\"/f/" + std::to_string(i % distinct) + ".pdf\">" + std::to_string(i) +
            "</a>\n";
  }
  return page + "</article></body></html>";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ExtractLimits, EightyThousandDocumentLinksTakeWellUnderASecondAndAreCapped) {
  const std::string page = page_with_links(80'000, 80'000);
  const ExtractRules rules = generic_rules();
  const auto start = std::chrono::steady_clock::now();
  Result<Article> article = extract_article(page, "text/html; charset=utf-8",
                                            "https://stttt.a.gov.vn/van-ban", rules);
  const double seconds = seconds_since(start);
  std::cout << "80 000 links, " << page.size() << " bytes: " << seconds << " s\n";
  ASSERT_TRUE(article.ok()) << article.error();
  EXPECT_LT(seconds, 5.0);  // generous: was 13-17 s with a linear search per link
  ASSERT_EQ(article->attachments.size(), rules.max_attachments);
  EXPECT_EQ(article->attachments.front().url, "https://stttt.a.gov.vn/f/0.pdf");
  EXPECT_EQ(article->attachments.back().url,
            "https://stttt.a.gov.vn/f/" + std::to_string(rules.max_attachments - 1) + ".pdf");
  EXPECT_EQ(article->truncated,
            "kept " + std::to_string(rules.max_attachments) +
                " of 80000 attachments (the extraction's caps)");
}

TEST(ExtractLimits, RepeatedLinksAreOneAttachmentEachAndNothingIsTruncated) {
  Result<Article> article =
      extract_article(page_with_links(5'000, 7), "", "https://stttt.a.gov.vn/", generic_rules());
  ASSERT_TRUE(article.ok()) << article.error();
  ASSERT_EQ(article->attachments.size(), 7u);
  EXPECT_EQ(article->attachments[3].url, "https://stttt.a.gov.vn/f/3.pdf");
  EXPECT_EQ(article->attachments[3].text, "3");  // the first link's text
  EXPECT_EQ(article->truncated, "");
}

TEST(ExtractLimits, ImagesAreCappedAndCounted) {
  std::string page = "<html><body><article><h1>Ảnh</h1><p>Một bài nhiều ảnh.</p>";
  for (int i = 0; i < 50; ++i) page += "<p><img src=\"/a/" + std::to_string(i) + ".jpg\"></p>";
  page += "</article></body></html>";
  ExtractRules rules = generic_rules();
  rules.max_images = 20;
  Result<Article> article = extract_article(page, "", "https://stttt.a.gov.vn/", rules);
  ASSERT_TRUE(article.ok()) << article.error();
  EXPECT_EQ(article->images.size(), 20u);
  EXPECT_EQ(article->truncated, "kept 20 of 50 images (the extraction's caps)");
}

TEST(ExtractLimits, APageOverItsTimeBudgetFailsNamingTheBudget) {
  ExtractRules rules = generic_rules();
  rules.time_budget_ms = 1;
  const std::string page = page_with_links(50'000, 50'000);
  Result<Article> article = extract_article(page, "", "https://stttt.a.gov.vn/", rules);
  ASSERT_FALSE(article.ok());
  EXPECT_EQ(article.error().rfind("extraction took longer than its time budget of 1 ms (while ", 0),
            0u)
      << article.error();
}

// 500 000 links in 17 MB (took 400 s before): within the default budget, or failed with it.
TEST(ExtractLimits, HalfAMillionLinksFinishWithinTheBudgetOrFailWithIt) {
  const std::string page = page_with_links(500'000, 500'000);
  const auto start = std::chrono::steady_clock::now();
  Result<Article> article = extract_article(page, "", "https://stttt.a.gov.vn/", generic_rules());
  const double seconds = seconds_since(start);
  std::cout << "500 000 links, " << page.size() << " bytes: " << seconds << " s, "
            << (article.ok() ? article->truncated : article.error()) << "\n";
  if (article.ok()) {
    EXPECT_EQ(article->attachments.size(), generic_rules().max_attachments);
    EXPECT_NE(article->truncated.find("of 500000 attachments"), std::string::npos);
  } else {
    EXPECT_NE(article.error().find("time budget"), std::string::npos) << article.error();
  }
  // The default budget is 10 s + 1 s per MiB; a stage in progress finishes first.
  EXPECT_LT(seconds, 10.0 + static_cast<double>(page.size() >> 20) + 30.0);
}

}  // namespace
}  // namespace provarc
