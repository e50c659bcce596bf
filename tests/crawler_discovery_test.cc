// Tests for crawler/links.h, crawler/scope.h, crawler/discovery.h and crawler/admission.h: what
// the crawler finds, what it keeps, and which of it enters the frontier.
#include <gtest/gtest.h>

#include "common/identity.h"
#include "crawler/admission.h"
#include "crawler/discovery.h"
#include "crawler/links.h"
#include "crawler/scope.h"
#include "crawler/url_canon.h"
#include "tests/support/memory_crawl_store.h"

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
  size_t dropped = 0;
  EXPECT_EQ(extract_links(many, "text/html", "http://site.vn/", &dropped).size(),
            kMaxLinksPerDocument);
  EXPECT_EQ(dropped, 10u) << "what the cap leaves out is counted";
  EXPECT_EQ(extract_links("<a href=\"/a\">a</a>", "text/html", "http://site.vn/", &dropped).size(),
            1u);
  EXPECT_EQ(dropped, 0u);
}

TEST(Links, ASitemapPastTheCapCountsWhatItDrops) {
  std::string xml = "<?xml version=\"1.0\"?><urlset>";
  std::string text;
  for (size_t i = 0; i < kMaxLinksPerDocument + 7; ++i) {
    xml += "<url><loc>http://site.vn/p" + std::to_string(i) + "</loc></url>";
    text += "http://site.vn/p" + std::to_string(i) + "\n";
  }
  xml += "</urlset>";
  SitemapUrls from_xml = parse_sitemap(xml, "http://site.vn/sitemap.xml");
  EXPECT_EQ(from_xml.pages.size(), kMaxLinksPerDocument);
  EXPECT_EQ(from_xml.dropped, 7u);
  SitemapUrls from_text = parse_sitemap(text, "http://site.vn/sitemap.txt");
  EXPECT_EQ(from_text.pages.size(), kMaxLinksPerDocument);
  EXPECT_EQ(from_text.dropped, 7u);
  EXPECT_EQ(parse_sitemap("http://site.vn/a\n", "http://site.vn/s.txt").dropped, 0u);
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

// A pattern on which ICU gives up (catastrophic backtracking) fails closed: excluded for
// exclude, not included for include, no role for article patterns; one warning per pattern,
// naming it and where it was configured.
TEST(Scope, APatternThatGivesUpFailsClosedAndWarnsOnce) {
  SiteConfig config = test_site();
  const std::string slow = "^http://site\\.vn/(a|aa)+$";
  config.crawl.exclude = {compile(slow.c_str())};
  config.crawl.pattern_origins[slow] = "sites/test.toml:12:12";
  config.crawl.max_url_length = 2048;
  SiteScope scope(config);
  const std::string hostile = "http://site.vn/" + std::string(40, 'a') + "!";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(scope.page_rejection(hostile, 1), "matches an exclude pattern");
  EXPECT_EQ(scope.resource_rejection(hostile + "?x"), "matches an exclude pattern");
  EXPECT_EQ(scope.page_rejection("http://site.vn/tin-tuc/1.aspx", 1), "");  // decided: no match
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(warnings,
            "provarc: warning: sites/test.toml:12:12: exclude pattern \"" + slow +
                "\" gave up (ICU's step or stack limit) on " + hostile +
                "; such URLs are treated as matching it (reported once per pattern)\n");

  config = test_site();
  config.crawl.include = {compile(slow.c_str())};
  config.crawl.article_url_patterns = {compile(slow.c_str())};
  config.crawl.max_url_length = 2048;
  SiteScope narrowed(config);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(narrowed.page_rejection(hostile, 1), "matches no include pattern");
  EXPECT_EQ(narrowed.role_of(hostile), PageRole::kOther);
  const std::string more = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(more.find("include pattern"), std::string::npos) << more;
  EXPECT_NE(more.find("article_url_patterns pattern"), std::string::npos) << more;
  EXPECT_NE(more.find("treated as not matching it"), std::string::npos) << more;
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

// ---- SiteDiscovery: answers to frontier entries

Capture html_capture(const std::string& url, const std::string& body) {
  Capture c;
  c.url = url;
  c.status = 200;
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"}};
  c.body = body;
  return c;
}

FrontierEntry page_entry(const std::string& url, int depth = 0) {
  FrontierEntry e;
  e.site = "test";
  e.url = url;
  e.depth = depth;
  return e;
}

std::vector<std::string> urls_of(const std::vector<Discovered>& found) {
  std::vector<std::string> out;
  for (const Discovered& d : found) out.push_back(d.entry.url);
  return out;
}

TEST(SiteDiscovery, SeedsAreCanonicalAndBadOnesAreNamed) {
  SiteConfig config = test_site();
  config.start_urls = {"HTTP://Site.VN/", "not a url"};
  config.crawl.listing_urls = {"http://site.vn/tin-tuc/?utm_source=x"};
  SiteIdentity identity(config);
  SiteDiscovery discovery(config, identity);
  EXPECT_EQ(urls_of(discovery.seeds()), (Urls{"http://site.vn/", "http://site.vn/tin-tuc/"}));
  for (const Discovered& seed : discovery.seeds()) {
    EXPECT_EQ(seed.entry.priority, kPrioritySeed);
    EXPECT_EQ(seed.revisit, Revisit::kEveryPass);
    EXPECT_EQ(seed.entry.site, "test");
  }
  ASSERT_EQ(discovery.seed_warnings().size(), 1u);
  EXPECT_NE(discovery.seed_warnings()[0].find("test: start URL skipped"), std::string::npos);
  EXPECT_EQ(discovery.role_of(page_entry("http://site.vn/tin-tuc/")), PageRole::kSeed);
  EXPECT_EQ(discovery.role_of(page_entry("http://site.vn/tin-tuc/7.aspx")), PageRole::kArticle);
  FrontierEntry image = page_entry("http://site.vn/tin-tuc/7.aspx");
  image.kind = CaptureKind::kImage;
  EXPECT_EQ(discovery.role_of(image), std::nullopt);
}

TEST(SiteDiscovery, APagesLinksComeWithPriorityDepthAndRevisitPaginationApart) {
  SiteConfig config = test_site();
  SiteIdentity identity(config);
  SiteDiscovery discovery(config, identity);
  std::string html = R"html(<html><body>
    <a href="/tin-tuc/?page=2">2</a>
    <a href="/tin-tuc/1.aspx">one</a>
    <a href="/gioi-thieu">about</a>
    <a href="/">home</a>
    <a href="http://other.vn/tin-tuc/2.aspx">elsewhere</a>
    <a href="/lich/2023">calendar</a>
  </body></html>)html";
  FrontierEntry from = page_entry("http://site.vn/tin-tuc/", 1);
  SiteDiscovery::Links links = discovery.links_of(from, html_capture(from.url, html));
  ASSERT_EQ(urls_of(links.links),
            (Urls{"http://site.vn/tin-tuc/1.aspx", "http://site.vn/gioi-thieu", "http://site.vn/"}));
  EXPECT_EQ(links.links[0].entry.priority, kPriorityArticle);
  EXPECT_TRUE(links.links[0].article);
  EXPECT_EQ(links.links[0].revisit, Revisit::kWhenStale);
  EXPECT_EQ(links.links[1].entry.priority, kPriorityOther);
  EXPECT_EQ(links.links[2].entry.priority, kPrioritySeed);
  EXPECT_EQ(links.links[2].revisit, Revisit::kEveryPass);
  for (const Discovered& link : links.links) {
    EXPECT_EQ(link.entry.depth, 2);
    EXPECT_EQ(link.entry.parent_url, from.url);
  }
  ASSERT_EQ(urls_of(links.pagination), (Urls{"http://site.vn/tin-tuc/?page=2"}));
  EXPECT_EQ(links.pagination[0].entry.priority, kPriorityListing);
  EXPECT_EQ(SiteDiscovery::pagination_revisit(true), Revisit::kEveryPass);
  EXPECT_EQ(SiteDiscovery::pagination_revisit(false), Revisit::kNever);

  FrontierEntry deep = page_entry("http://site.vn/tin-tuc/", 3);
  EXPECT_TRUE(discovery.links_of(deep, html_capture(deep.url, html)).links.empty())
      << "max_depth 3: links of a page at depth 3 are too deep";
  Capture pdf = html_capture(from.url, html);
  pdf.response_headers = {{"Content-Type", "application/pdf"}};
  EXPECT_TRUE(discovery.links_of(from, pdf).links.empty()) << "only HTML is read for links";
}

TEST(SiteDiscovery, SitemapsResourcesRedirectsAndStaleArticles) {
  SiteConfig config = test_site();
  SiteIdentity identity(config);
  SiteDiscovery discovery(config, identity);
  FrontierEntry sitemap = page_entry("http://site.vn/sitemap.xml", 0);
  sitemap.kind = CaptureKind::kSitemap;
  Capture xml = html_capture(
      sitemap.url, "<urlset><url><loc>http://site.vn/tin-tuc/3.aspx</loc></url></urlset>");
  xml.response_headers = {{"Content-Type", "application/xml"}};
  SiteDiscovery::Links listed = discovery.links_of(sitemap, xml);
  EXPECT_EQ(urls_of(listed.links), (Urls{"http://site.vn/tin-tuc/3.aspx"}));

  RobotsTxt robots = RobotsTxt::parse("Sitemap: http://site.vn/sitemap.xml\n");
  std::vector<Discovered> sitemaps = discovery.sitemaps_of(robots, "http://site.vn", "site.vn");
  ASSERT_EQ(urls_of(sitemaps), (Urls{"http://site.vn/sitemap.xml"}));
  EXPECT_EQ(sitemaps[0].entry.kind, CaptureKind::kSitemap);
  EXPECT_EQ(sitemaps[0].entry.parent_url, "http://site.vn/robots.txt");
  EXPECT_TRUE(discovery.sitemaps_of(robots, "http://cdn.vn", "cdn.vn").empty())
      << "not a host of the site";

  FrontierEntry article = page_entry("http://site.vn/tin-tuc/3.aspx", 2);
  std::vector<Discovered> resources = discovery.resources_of(
      article, {"http://cdn.vn/anh.jpg", "http://site.vn/lich/anh.jpg"}, {"http://site.vn/qd.pdf"});
  ASSERT_EQ(urls_of(resources), (Urls{"http://cdn.vn/anh.jpg", "http://site.vn/qd.pdf"}));
  EXPECT_EQ(resources[0].entry.kind, CaptureKind::kImage);
  EXPECT_EQ(resources[1].entry.kind, CaptureKind::kAttachment);
  EXPECT_EQ(resources[1].entry.parent_url, article.url);
  EXPECT_EQ(resources[1].entry.priority, kPriorityResource);

  const std::string next = "http://site.vn/tin-tuc/4.aspx";
  SiteDiscovery::Redirect moved = discovery.redirect_of(article, next, 0);
  EXPECT_EQ(moved.error, "");
  ASSERT_TRUE(moved.next.has_value());
  EXPECT_EQ(moved.next->entry.url, next);
  EXPECT_EQ(moved.hops, 1);
  EXPECT_EQ(discovery.redirect_of(article, "http://other.vn/", 0).next, std::nullopt)
      << "out of scope: the capture records it, nothing is fetched";
  EXPECT_EQ(discovery.redirect_of(article, article.url, 0).error,
            "redirect loop: redirects to itself");
  EXPECT_EQ(discovery.redirect_of(article, next, kMaxRedirectHops).error,
            "more than 5 redirects");

  FrontierEntry done = article;
  done.id = 17;
  done.not_before = "2026-01-01T00:00:00.000Z";
  auto stale = discovery.stale_article(done);
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->entry.id, 0);
  EXPECT_EQ(stale->entry.not_before, "");
  EXPECT_EQ(stale->revisit, Revisit::kEveryPass);
  EXPECT_EQ(discovery.stale_article(page_entry("http://site.vn/gioi-thieu")), std::nullopt);
}

// ---- SiteAdmission: what enters the frontier in a run

class AdmissionTest : public ::testing::Test {
 protected:
  static constexpr const char* kRunStart = "2026-11-21T08:00:00.000Z";

  AdmissionTest() : admission_(store_, robots_, config_, "provarc") {}

  Discovered found(const std::string& url, Revisit revisit) {
    Discovered d;
    d.entry = page_entry(url);
    d.revisit = revisit;
    return d;
  }

  // Completes `url` with a capture fetched at `when`.
  void fetched(const std::string& url, const std::string& when) {
    auto claimed = store_.claim("test", "9999", 1000);
    for (const FrontierEntry& e : *claimed) ASSERT_TRUE(store_.mark_done(e.id).ok());
    Capture c;
    c.site = "test";
    c.url = url;
    c.fetched_at = when;
    ASSERT_TRUE(store_.record(c, false).ok());
  }

  SiteConfig config_ = test_site();
  testing::MemoryCrawlStore store_;
  RobotsCache robots_;
  SiteAdmission admission_;
  const WallTime now_ = *parse_utc("2026-11-21T09:00:00.000Z");
};

TEST_F(AdmissionTest, NewUrlsUpToTheCapKnownOnesByTheirRevisitRule) {
  admission_.begin_run(false, kRunStart, 3);
  auto first = admission_.offer(found("http://site.vn/a", Revisit::kWhenStale), now_);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->is_new && first->queued);
  auto again = admission_.offer(found("http://site.vn/a", Revisit::kEveryPass), now_);
  EXPECT_FALSE(again->is_new || again->queued) << "queued already";

  fetched("http://site.vn/a", "2026-11-20T09:00:00.000Z");  // a day before, an earlier run
  EXPECT_FALSE(admission_.offer(found("http://site.vn/a", Revisit::kWhenStale), now_)->queued)
      << "fetched a day ago: not stale after 7 days";
  EXPECT_FALSE(admission_.offer(found("http://site.vn/a", Revisit::kNever), now_)->queued);
  EXPECT_TRUE(admission_.offer(found("http://site.vn/a", Revisit::kEveryPass), now_)->queued);

  fetched("http://site.vn/a", "2026-11-21T08:30:00.000Z");  // in this run
  EXPECT_FALSE(admission_.offer(found("http://site.vn/a", Revisit::kEveryPass), now_)->queued)
      << "once a run";

  EXPECT_TRUE(admission_.offer(found("http://site.vn/b", Revisit::kWhenStale), now_)->queued);
  EXPECT_EQ(admission_.take_cap_warning(), "");
  EXPECT_FALSE(admission_.offer(found("http://site.vn/c", Revisit::kWhenStale), now_)->queued)
      << "three admitted: the cap";
  EXPECT_EQ(admission_.take_cap_warning(),
            "test: 3 URLs queued in this run; no more are followed (a link trap?)");
  EXPECT_FALSE(admission_.offer(found("http://site.vn/d", Revisit::kWhenStale), now_)->queued);
  EXPECT_EQ(admission_.take_cap_warning(), "") << "said once";
}

TEST_F(AdmissionTest, AResumedPassAndRobotsTxtKeepCompletedUrlsCompleted) {
  admission_.begin_run(false, kRunStart, 100);
  ASSERT_TRUE(admission_.offer(found("http://site.vn/private/a", Revisit::kEveryPass), now_).ok());
  fetched("http://site.vn/private/a", "2026-11-01T09:00:00.000Z");
  robots_.ready("http://site.vn", RobotsTxt::parse("User-agent: *\nDisallow: /private\n"),
                SteadyTime());
  EXPECT_FALSE(
      admission_.offer(found("http://site.vn/private/a", Revisit::kEveryPass), now_)->queued)
      << "robots.txt refuses it: it would be refused again";

  ASSERT_TRUE(admission_.offer(found("http://site.vn/b", Revisit::kEveryPass), now_).ok());
  fetched("http://site.vn/b", "2026-11-01T09:00:00.000Z");
  admission_.begin_run(true, kRunStart, 100);
  EXPECT_FALSE(admission_.offer(found("http://site.vn/b", Revisit::kEveryPass), now_)->queued)
      << "resuming a pass: its completed URLs stay completed";
  EXPECT_TRUE(admission_.offer(found("http://site.vn/c", Revisit::kEveryPass), now_)->is_new);
}

TEST(Admission, TheLimitGrowsWithTheBudgetWithinBounds) {
  EXPECT_EQ(discovery_limit(0), 1000);
  EXPECT_EQ(discovery_limit(500), 10000);
  EXPECT_EQ(discovery_limit(1000000000), 1000000);
}

// Issue 13, item 3: a listing's 150th page is as near its articles as its first.
TEST(Pagination, IsNotDepthAndWhatAGuardRefusesIsNamed) {
  SiteConfig site = test_site();
  site.hosts = {"a.vn"};
  site.start_urls = {"http://a.vn/"};
  site.crawl.exclude.clear();
  site.crawl.listing_urls = {"http://a.vn/tin-tuc"};
  site.crawl.article_url_patterns = {compile("/tin/\\d+$")};
  site.crawl.listing_url_patterns = {compile("/tin-tuc\\?page=\\d+$")};
  site.crawl.max_depth = 2;
  SiteIdentity identity(site);
  SiteDiscovery discovery(site, identity);
  FrontierEntry listing = page_entry("http://a.vn/tin-tuc?page=149", 2);  // as deep as may be
  const std::string html =
      "<a href='/tin-tuc?page=150'>next</a><a href='/tin/7'>7</a><a href='/gioi-thieu'>x</a>";
  SiteDiscovery::Links links = discovery.links_of(listing, html_capture(listing.url, html));
  ASSERT_EQ(links.pagination.size(), 1u);
  EXPECT_EQ(links.pagination[0].entry.url, "http://a.vn/tin-tuc?page=150");
  EXPECT_EQ(links.pagination[0].entry.depth, 2) << "the next page keeps the listing's depth";
  // Its articles and other links are one hop further: too deep here, and the depth guard says so.
  EXPECT_TRUE(links.links.empty());
  ASSERT_EQ(links.refused.size(), 2u);
  for (const SiteDiscovery::Refused& refused : links.refused) {
    EXPECT_EQ(refused.guard, kGuardDepth) << refused.url;
    EXPECT_FALSE(refused.pagination);
  }
}

}  // namespace
}  // namespace provarc
