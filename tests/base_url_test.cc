// The page's base URL (html/dom.h document_base_url) as both of its readers use it: the extractor
// (images and attachments, parsers/extract.h) and discovery (links, crawler/links.h) resolve a
// page's relative URLs against the same base, by the HTML standard's rule.
#include <gtest/gtest.h>

#include <string>

#include "crawler/links.h"
#include "html/extract_rules.h"
#include "parsers/extract.h"

namespace provarc {
namespace {

constexpr const char* kPage = "https://stttt.vn/tin-tuc/2024/bai-viet.aspx";

// A page whose body links one attachment, "files/a.pdf", after `head` and `before_body`.
std::string page_with(const std::string& head, const std::string& before_body) {
  return "<html><head>" + head + "</head><body>" + before_body +
         "<article><h1>Hội nghị chuyển đổi số</h1>"
         "<p>Sáng nay, Sở Thông tin và Truyền thông tổ chức hội nghị triển khai kế hoạch chuyển "
         "đổi số năm 2024 với sự tham gia của các sở, ban, ngành trong tỉnh.</p>"
         "<p>Toàn văn kế hoạch: <a href=\"files/a.pdf\">Kế hoạch số 12</a></p>"
         "</article></body></html>";
}

// Where each reader resolved "files/a.pdf".
struct Resolved {
  std::string by_extractor;
  std::string by_links;
};

Resolved resolve_both(const std::string& html) {
  Resolved out;
  ExtractRules rules;  // no body rules: the generic finder reads the <article>
  Result<Article> article = extract_article(html, "text/html; charset=utf-8", kPage, rules);
  EXPECT_TRUE(article.ok()) << (article.ok() ? "" : article.error());
  if (article.ok() && article->attachments.size() == 1) {
    out.by_extractor = article->attachments[0].url;
  }
  for (const std::string& link : extract_links(html, "text/html; charset=utf-8", kPage)) {
    if (link.ends_with("a.pdf")) out.by_links = link;
  }
  return out;
}

void expect_both(const std::string& html, const std::string& expected) {
  Resolved got = resolve_both(html);
  EXPECT_EQ(got.by_extractor, expected) << html;
  EXPECT_EQ(got.by_links, expected) << html;
}

TEST(BaseUrl, NoBaseMeansThePageUrl) {
  expect_both(page_with("", ""), "https://stttt.vn/tin-tuc/2024/files/a.pdf");
}

TEST(BaseUrl, TheFirstBaseHrefOfTheHead) {
  expect_both(page_with("<base href=\"/Pages/\"><base href=\"/other/\">", ""),
              "https://stttt.vn/Pages/files/a.pdf");
}

// The extractor used to look only at <head>'s children: a <base> the parser leaves in the body
// was ignored by it and honoured by discovery.
TEST(BaseUrl, ABaseInTheBodyCountsForBoth) {
  expect_both(page_with("", "<base href=\"https://cdn.stttt.vn/docs/\">"),
              "https://cdn.stttt.vn/docs/files/a.pdf");
}

// A <base target> without href is not the base; the next <base> with an href is.
TEST(BaseUrl, ABaseWithoutHrefIsPassedOver) {
  expect_both(page_with("<base target=\"_blank\"><base href=\"/Pages/\">", ""),
              "https://stttt.vn/Pages/files/a.pdf");
}

// The first <base href> decides even when it does not resolve: then the page URL stands.
TEST(BaseUrl, AnUnusableFirstBaseLeavesThePageUrl) {
  expect_both(page_with("<base href=\"javascript:void(0)\"><base href=\"/Pages/\">", ""),
              "https://stttt.vn/tin-tuc/2024/files/a.pdf");
}

}  // namespace
}  // namespace provarc
