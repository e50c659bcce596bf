// Tests for crawler/links.h and crawler/scope.h: what the crawler finds and what it keeps.
#include <gtest/gtest.h>

#include "crawler/links.h"
#include "crawler/scope.h"
#include "crawler/url_canon.h"

namespace provarc {
namespace {

using Urls = std::vector<std::string>;

TEST(Links, ResolvesDeduplicatesAndKeepsDocumentOrder) {
  std::string html = R"html(<html><head><title>x</title></head><body>
    <a href="/tin-tuc/1.aspx">one</a>
    <a href="2.aspx#comments">two</a>
    <a href="/tin-tuc/1.aspx#top">one again</a>
    <a href="javascript:__doPostBack('x','')">postback</a>
    <a href="mailto:sotttt@backan.gov.vn">mail</a>
    <a href="#top">top</a>
    <a>no href</a>
    <area href="https://other.vn/map">
    <iframe src="//cdn.vn/frame.html"></iframe>
    <link rel="stylesheet" href="/style.css"><script src="/app.js"></script>
    <img src="/image.png">
  </body></html>)html";
  Urls links = extract_links(html, "text/html; charset=utf-8", "http://site.vn/tin-tuc/index.aspx");
  EXPECT_EQ(links, (Urls{"http://site.vn/tin-tuc/1.aspx", "http://site.vn/tin-tuc/2.aspx",
                         "https://other.vn/map", "http://cdn.vn/frame.html"}));
}

TEST(Links, HonoursTheFirstBaseHref) {
  std::string html = R"(<head><base href="/stttt/Pages/"><base href="/other/"></head>
    <body><a href="a.aspx">a</a></body>)";
  EXPECT_EQ(extract_links(html, "text/html", "http://site.vn/x/y.html"),
            (Urls{"http://site.vn/stttt/Pages/a.aspx"}));
}

TEST(Links, DecodesTheCharsetBeforeReadingLinks) {
  // windows-1258 bytes in a link: decoded to UTF-8, then percent-encoded by the resolver.
  std::string html = "<meta charset=\"windows-1258\"><a href=\"/tin-t\xF4i\">x</a>";
  Urls links = extract_links(html, "", "http://site.vn/");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(*canonicalize_url(links[0]), "http://site.vn/tin-t%C3%B4i");
}

TEST(Links, SurvivesDeepNestingAndManyLinks) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "<a href=\"/deep\">deep</a>";
  Urls links = extract_links(deep, "text/html", "http://site.vn/");
  // Gumbo may flatten absurd nesting, but the link is found and nothing overflows.
  EXPECT_EQ(links, (Urls{"http://site.vn/deep"}));
  std::string many;
  for (size_t i = 0; i < kMaxLinksPerDocument + 10; ++i) {
    many += "<a href=\"/p" + std::to_string(i) + "\">x</a>";
  }
  EXPECT_EQ(extract_links(many, "text/html", "http://site.vn/").size(), kMaxLinksPerDocument);
}

TEST(Links, IsHtml) {
  EXPECT_TRUE(is_html("text/html; charset=UTF-8", ""));
  EXPECT_TRUE(is_html("Application/XHTML+XML", ""));
  EXPECT_FALSE(is_html("application/pdf", "<html>"));
  EXPECT_FALSE(is_html("image/png", ""));
  EXPECT_TRUE(is_html("", "  <!DOCTYPE html><html>"));
  EXPECT_TRUE(is_html("application/octet-stream", "<html><body>"));
  EXPECT_FALSE(is_html("", "%PDF-1.4"));
}

TEST(Sitemap, UrlsetAndIndex) {
  std::string urlset = R"(<?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <!-- <url><loc>http://site.vn/commented-out</loc></url> -->
      <url><loc> http://site.vn/a?x=1&amp;y=2 </loc><lastmod>2023-04-12</lastmod></url>
      <url><loc><![CDATA[http://site.vn/b]]></loc></url>
      <url><loc>/relative</loc></url>
      <url><loc>http://site.vn/a?x=1&amp;y=2</loc></url>
    </urlset>)";
  SitemapUrls urls = parse_sitemap(urlset, "http://site.vn/sitemap.xml");
  EXPECT_EQ(urls.pages, (Urls{"http://site.vn/a?x=1&y=2", "http://site.vn/b", "http://site.vn/relative"}));
  EXPECT_TRUE(urls.sitemaps.empty());

  std::string index = "\xEF\xBB\xBF<sitemapindex><sitemap><loc>http://site.vn/s1.xml</loc></sitemap>"
                      "<sitemap><sm:loc>http://site.vn/s2.xml</sm:loc></sitemap></sitemapindex>";
  urls = parse_sitemap(index, "http://site.vn/sitemap.xml");
  EXPECT_EQ(urls.sitemaps, (Urls{"http://site.vn/s1.xml", "http://site.vn/s2.xml"}));
  EXPECT_TRUE(urls.pages.empty());
}

TEST(Sitemap, TextSitemapAndGarbage) {
  SitemapUrls urls = parse_sitemap("http://site.vn/a\r\n\nnot a url\nhttps://site.vn/b\n",
                                   "http://site.vn/sitemap.txt");
  EXPECT_EQ(urls.pages, (Urls{"http://site.vn/a", "https://site.vn/b"}));
  // Unterminated markup, binary data: nothing found, nothing crashes.
  EXPECT_TRUE(parse_sitemap("<urlset><url><loc>http://site.vn/x", "http://site.vn/").pages.empty());
  EXPECT_TRUE(parse_sitemap(std::string("\x1f\x8b\x08\0\0\0", 6), "http://site.vn/").pages.empty());
  EXPECT_TRUE(parse_sitemap("<loc>&#xFFFFFFFF;&#0;&bogus;</loc>", "http://site.vn/").pages.size() <= 1);
}

Pattern compile(const char* source) {
  auto p = Pattern::compile(source);
  EXPECT_TRUE(p.ok()) << source;
  return *p;
}

SiteConfig test_site() {
  SiteConfig site;
  site.id = "test";
  site.hosts = {"site.vn", "site.vn:8080"};
  site.start_urls = {"http://site.vn/"};
  site.crawl.article_url_patterns = {compile("/tin-tuc/[0-9]+\\.aspx$")};
  site.crawl.listing_url_patterns = {compile("/tin-tuc/\\?page=[0-9]+$")};
  site.crawl.exclude = {compile("/lich/")};
  site.crawl.strip_query_params = {"utm_source"};
  site.crawl.max_depth = 3;
  site.crawl.max_url_length = 80;
  site.crawl.max_repeated_segments = 2;
  return site;
}

TEST(Scope, PageRejections) {
  SiteConfig config = test_site();
  SiteScope scope(config);
  EXPECT_EQ(scope.page_rejection("http://site.vn/tin-tuc/1.aspx", 1), "");
  EXPECT_EQ(scope.page_rejection("http://site.vn:8080/x", 1), "");
  EXPECT_EQ(scope.page_rejection("http://other.vn/tin-tuc/1.aspx", 1), "host not in the site's hosts");
  EXPECT_EQ(scope.page_rejection("http://site.vn:9090/x", 1), "host not in the site's hosts");
  EXPECT_EQ(scope.page_rejection("http://site.vn/x", 4), "deeper than max_depth 3");
  EXPECT_EQ(scope.page_rejection("http://site.vn/lich/2023/5", 1), "matches an exclude pattern");
  EXPECT_EQ(scope.page_rejection("http://site.vn/" + std::string(80, 'a'), 1),
            "URL longer than 80 characters");
  EXPECT_EQ(scope.page_rejection("http://site.vn/a/b/a/b/a", 1),
            "a path segment repeats more than 2 times");
  EXPECT_EQ(scope.page_rejection("http://site.vn/style.CSS", 1), "not a page");
  EXPECT_EQ(scope.page_rejection("http://site.vn/van-ban/qd.pdf", 1), "not a page");
}

TEST(Scope, IncludeNarrowsTheScope) {
  SiteConfig config = test_site();
  config.crawl.include = {compile("^http://site\\.vn/tin-tuc/")};
  SiteScope scope(config);
  EXPECT_EQ(scope.page_rejection("http://site.vn/tin-tuc/5.aspx", 1), "");
  EXPECT_EQ(scope.page_rejection("http://site.vn/gioi-thieu", 1), "matches no include pattern");
}

TEST(Scope, ResourcesMayComeFromAnyHost) {
  SiteConfig config = test_site();
  SiteScope scope(config);
  EXPECT_EQ(scope.resource_rejection("http://cdn.other.vn/anh.jpg"), "");
  EXPECT_EQ(scope.resource_rejection("http://site.vn/lich/anh.jpg"), "matches an exclude pattern");
}

TEST(Scope, RolesAndCanonicalisation) {
  SiteConfig config = test_site();
  SiteScope scope(config);
  EXPECT_EQ(scope.role_of("http://site.vn/tin-tuc/12.aspx"), PageRole::kArticle);
  EXPECT_EQ(scope.role_of("http://site.vn/tin-tuc/?page=2"), PageRole::kListing);
  EXPECT_EQ(scope.role_of("http://site.vn/gioi-thieu"), PageRole::kOther);
  EXPECT_EQ(*scope.canonicalize("HTTP://Site.VN/tin-tuc/12.aspx?utm_source=fb#x"),
            "http://site.vn/tin-tuc/12.aspx");
  config.crawl.article_url_patterns.clear();
  SiteScope no_patterns(config);
  EXPECT_EQ(no_patterns.role_of("http://site.vn/gioi-thieu"), PageRole::kArticle);
}

TEST(Scope, HostsDefaultToTheStartUrls) {
  SiteConfig config = test_site();
  config.hosts.clear();
  config.start_urls = {"http://Start.VN:8080/a"};
  SiteScope scope(config);
  EXPECT_EQ(scope.hosts(), (Urls{"start.vn:8080"}));
}

TEST(Scope, Helpers) {
  EXPECT_TRUE(has_repeated_segments("http://a.vn/x/x/x/x", 3));
  EXPECT_FALSE(has_repeated_segments("http://a.vn/x/x/x", 3));
  EXPECT_FALSE(has_repeated_segments("http://a.vn/", 1));
  EXPECT_TRUE(looks_like_non_page("http://a.vn/a/b.JPG"));
  EXPECT_FALSE(looks_like_non_page("http://a.vn/a.b/page"));
  EXPECT_FALSE(looks_like_non_page("http://a.vn/Default.aspx?f=x.pdf"));
}

}  // namespace
}  // namespace provarc
