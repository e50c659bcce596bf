// rewrite_archived_page and rewrite_archived_css (web/archived.h): archived pages re-written so
// that nothing in them runs or fetches outside the reader, their links pointed at the archive.
#include "web/archived.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/fuzz/targets.h"

namespace provarc::web {
namespace {

const char kPage[] = "https://so.example.gov.vn/tin/bai-1.html";

// The archive of these tests: a few URLs and their capture ids.
class Lookup {
 public:
  Lookup() {
    ids_ = {{"https://so.example.gov.vn/tin/bai-2.html", 12},
            {"https://so.example.gov.vn/anh/a.jpg", 30},
            {"https://so.example.gov.vn/anh/lazy.jpg", 31},
            {"https://so.example.gov.vn/css/site.css", 40},
            {"https://so.example.gov.vn/goc/bai-3.html", 13}};
  }
  ArchiveLookup function() {
    return [this](const std::string& url) {
      asked_.push_back(url);
      auto it = ids_.find(url);
      return it == ids_.end() ? int64_t{0} : it->second;
    };
  }
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  std::map<std::string, int64_t> ids_;
  std::vector<std::string> asked_;
};

std::string rewrite(const std::string& html, RewriteCounts* counts = nullptr) {
  Lookup lookup;
  return rewrite_archived_page(html, kPage, lookup.function(), counts);
}

// The rewritten <body>'s content; the whole document in *full when given.
std::string body_of(const std::string& html, std::string* full = nullptr) {
  std::string out = rewrite(html);
  if (full != nullptr) *full = out;
  size_t open = out.find("<body>");
  size_t close = out.rfind("</body>");
  EXPECT_NE(open, std::string::npos) << out;
  return open == std::string::npos ? out : out.substr(open + 6, close - open - 6);
}

// What a browser would find in the rewritten page that the reader must never serve.
std::vector<std::string> violations(const std::string& rewritten) {
  return fuzz::archived_page_violations(rewritten);
}

TEST(RewriteArchivedTest, ScriptsAndWhatEmbedsOrRunsAreRemovedTheirTextKept) {
  std::string body = body_of(
      "<p>trước</p><script>alert(1)</script><noscript><img src=/n.gif></noscript>"
      "<iframe src=\"https://evil.example/\"></iframe><object data=x.swf><p>ngoài</p></object>"
      "<embed src=x.swf><svg><script>alert(2)</script></svg><math><mi>x</mi></math>"
      "<template><p>t</p></template><p>sau</p>");
  EXPECT_EQ(body, "<p>trước</p><p>sau</p>");
}

TEST(RewriteArchivedTest, EventHandlersAndFormTargetsAreRemoved) {
  std::string body = body_of(
      "<div onclick=\"x()\" onmouseover=y() class=\"a\">chữ</div>"
      "<form action=\"https://evil.example/post\" method=post><input name=q "
      "formaction=\"https://evil.example/\"><button formaction=/x>Gửi</button></form>");
  EXPECT_EQ(body,
            "<div class=\"a\">chữ</div><form method=\"post\"><input name=\"q\">"
            "<button>Gửi</button></form>");
}

TEST(RewriteArchivedTest, LinksTheArchiveHoldsPointAtItsCapturesTheRestAreDead) {
  RewriteCounts counts;
  Lookup lookup;
  std::string out = rewrite_archived_page(
      "<a href=\"bai-2.html#doan\">có</a> <a href=\"https://khac.example/\">không</a> "
      "<a href=\"javascript:alert(1)\">mã</a> <a href=\"#tren\">đầu trang</a> "
      "<a href=\"mailto:a@b.vn\">thư</a>",
      kPage, lookup.function(), &counts);
  EXPECT_NE(out.find("<a href=\"/capture/12\" target=\"_top\">có</a>"), std::string::npos) << out;
  EXPECT_NE(out.find("<a title=\"Không có trong kho lưu trữ: https://khac.example/\" "
                     "data-provarc=\"dead\">không</a>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("data-provarc=\"dead\">mã</a>"), std::string::npos) << out;
  EXPECT_NE(out.find("<a href=\"#tren\">đầu trang</a>"), std::string::npos) << out;
  EXPECT_EQ(counts.archived, 1);
  EXPECT_EQ(counts.dead, 3);
  // The fragment is no part of the capture's identity.
  EXPECT_EQ(lookup.asked()[0], "https://so.example.gov.vn/tin/bai-2.html");
}

TEST(RewriteArchivedTest, ImagesComeFromTheArchiveOrNotAtAll) {
  std::string full;
  std::string body = body_of(
      "<img src=\"../anh/a.jpg\" alt=\"ảnh\" srcset=\"https://cdn.example/a-2x.jpg 2x\">"
      "<img src=\"https://cdn.example/b.jpg\" alt=\"b\">"
      "<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"/anh/lazy.jpg\">"
      "<table background=\"https://cdn.example/bg.gif\"><tr><td>ô</td></tr></table>"
      "<video poster=\"https://cdn.example/p.jpg\" src=\"/anh/a.jpg\"></video>",
      &full);
  EXPECT_NE(body.find("<img src=\"/raw/30\" alt=\"ảnh\">"), std::string::npos) << body;
  EXPECT_NE(body.find("<img alt=\"b\" title=\"Không có trong kho lưu trữ: "
                      "https://cdn.example/b.jpg\" data-provarc=\"dead\">"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("<img src=\"/raw/31\" data-src=\"/anh/lazy.jpg\">"), std::string::npos)
      << body;
  EXPECT_EQ(body.find("background="), std::string::npos) << body;
  EXPECT_NE(body.find("<video src=\"/raw/30\""), std::string::npos) << body;
  EXPECT_EQ(body.find("poster="), std::string::npos) << body;
  EXPECT_TRUE(violations(full).empty());
}

TEST(RewriteArchivedTest, BaseHrefResolvesLinksAndIsRemoved) {
  std::string out = rewrite(
      "<html><head><base href=\"https://so.example.gov.vn/goc/\"></head>"
      "<body><a href=\"bai-3.html\">ba</a></body></html>");
  EXPECT_EQ(out.find("<base"), std::string::npos) << out;
  EXPECT_NE(out.find("<a href=\"/capture/13\" target=\"_top\">ba</a>"), std::string::npos) << out;
}

TEST(RewriteArchivedTest, HeadKeepsTitleAndArchivedStylesheetsOnly) {
  std::string out = rewrite(
      "<html><head><meta charset=\"windows-1258\"><title>Tiêu đề &amp; trang</title>"
      "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\">"
      "<link rel=\"stylesheet\" href=\"/css/site.css\">"
      "<link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">"
      "<link rel=\"dns-prefetch\" href=\"//evil.example\"><link rel=\"icon\" href=\"/favicon.ico\">"
      "<link rel=\"preload\" href=\"/x.js\" as=\"script\"></head><body></body></html>");
  EXPECT_EQ(out,
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tiêu đề &amp; trang</title>"
            "<link rel=\"stylesheet\" href=\"/raw/40\"></head><body></body></html>");
}

TEST(RewriteArchivedTest, InlineStylesFetchOnlyFromTheArchive) {
  std::string body = body_of(
      "<div style=\"background:url('/anh/a.jpg') no-repeat; color: red\">a</div>"
      "<div style=\"background-image: URL( https://cdn.example/x.png )\">b</div>"
      "<div style=\"background:u\\72l(https://cdn.example/x.png)\">c</div>"
      "<style>@import url(https://cdn.example/x.css); p { color: red }</style>"
      "<style>p { background: url(/anh/a.jpg) }</style>");
  EXPECT_NE(body.find("<div style=\"background:url(&quot;/raw/30&quot;) no-repeat; color: red\">"
                      "a</div>"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("<div style=\"background-image: none\">b</div>"), std::string::npos) << body;
  EXPECT_NE(body.find("<div>c</div>"), std::string::npos) << "escapes are not read: dropped";
  EXPECT_EQ(body.find("@import"), std::string::npos) << body;
  EXPECT_NE(body.find("<style>p { background: url(\"/raw/30\") }</style>"), std::string::npos)
      << body;
}

TEST(RewriteArchivedTest, TextThatLooksLikeMarkupStaysText) {
  std::string full;
  std::string body = body_of(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;</p>"
      "<textarea>&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>"
      "<title>x</title><pre>\n\nmã</pre><div title='a\"b'>c</div>",
      &full);
  EXPECT_NE(body.find("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;</p>"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("<textarea>\n&lt;/textarea&gt;&lt;script&gt;"), std::string::npos) << body;
  EXPECT_NE(body.find("<pre>\n\nmã</pre>"), std::string::npos) << body;
  EXPECT_NE(body.find("<div title=\"a&quot;b\">c</div>"), std::string::npos) << body;
  EXPECT_TRUE(violations(full).empty());
}

TEST(RewriteArchivedTest, UnknownAndOddlyNamedElementsAreUnwrapped) {
  std::string body = body_of("<my-widget data-x=1><b>đậm</b></my-widget><portal src=x>p</portal>"
                             "<p a\"b=1 c<d=2 data-ok=3>q</p>");
  EXPECT_EQ(body, "<b>đậm</b>p<p data-ok=\"3\">q</p>");
}

TEST(RewriteArchivedTest, DeepAndHostileMarkupStaysBoundedAndSafe) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div onclick=x()><a href=javascript:y()>";
  std::string out = rewrite(deep + "<script>z()</script>");
  EXPECT_TRUE(violations(out).empty());
}

TEST(RewriteArchivedTest, TheCheckerSeesWhatTheRewriteRemoves) {
  const std::string hostile =
      "<html><head><base href=\"https://evil.example/\"><meta http-equiv=refresh content=0>"
      "<script>x()</script></head><body onload=x()><a href=\"https://evil.example/\">a</a>"
      "<img src=\"https://evil.example/i.gif\" srcset=\"https://evil.example/2x.gif 2x\">"
      "<div style=\"background:url(https://evil.example/bg.png)\">b</div>"
      "<form action=\"https://evil.example/\"></form><iframe src=x></iframe><svg></svg></body>"
      "</html>";
  EXPECT_EQ(violations(hostile).size(), 13u);
  EXPECT_TRUE(violations(rewrite(hostile)).empty()) << violations(rewrite(hostile)).front();
}

TEST(RewriteArchivedTest, TheCheckerAcceptsStylesThatFetchFromTheArchive) {
  // What the rewrite makes of an archived background: not a violation (the checker once compared
  // one byte past "url(\"/raw/" and flagged every archived url() it met).
  EXPECT_TRUE(violations("<div style=\"background:url(&quot;/raw/30&quot;)\">a</div>"
                         "<style>p { background: url(\"/raw/7\") }</style>")
                  .empty());
  EXPECT_EQ(violations("<div style=\"background:url(&quot;/rawx/30&quot;)\">a</div>").size(), 1u);
}

// Every fixture page of the repository (real portals' markup, with their scripts, frames,
// widgets and trackers) goes through the fuzz target "archived", which checks the same, in
// fuzz_regressions_test's FixturePagesKeepEveryPromise.

TEST(RewriteArchivedCssTest, UrlsBecomeArchivedOrNone) {
  Lookup lookup;
  RewriteCounts counts;
  std::optional<std::string> css =
      rewrite_archived_css("a{background:url(a.jpg)} b{background:url( \"x.png\" )} c{}",
                           "https://so.example.gov.vn/anh/", lookup.function(), &counts);
  ASSERT_TRUE(css);
  EXPECT_EQ(*css, "a{background:url(\"/raw/30\")} b{background:none} c{}");
  EXPECT_EQ(counts.archived, 1);
  EXPECT_EQ(counts.dead, 1);
}

TEST(RewriteArchivedCssTest, WhatItCannotReadIsRefused) {
  Lookup lookup;
  for (const char* css : {"a{b:u\\rl(x)}", "@IMPORT 'x.css';", "a{b:image-set('x.png' 1x)}",
                          "a{b:url(unclosed}", "a{b:url('x.png' junk)}"}) {
    EXPECT_FALSE(rewrite_archived_css(css, kPage, lookup.function())) << css;
  }
}

}  // namespace
}  // namespace provarc::web
