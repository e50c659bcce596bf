// tests/support/big_site.h: a generated news site of many articles on a fixture host, for the
// memory regression test and bench/memory: every page is made on request, so the server holds
// none of them and 100 000 articles cost it nothing. Depends only on fixture_web.h.
#pragma once

#include <string>

#include "tests/support/fixture_web.h"

namespace provarc::testing {

// How the site shows its articles to a crawler.
enum class BigSiteShape {
  // "/" links hub pages "/chuyen-muc/<h>/", each listing `per_document` articles.
  kHubs,
  // robots.txt names "/sitemap.xml", a sitemap index of "/sitemap-<k>.xml", each a urlset of
  // `per_document` articles; "/" links nothing but itself.
  kSitemap,
};

struct BigSite {
  BigSiteShape shape = BigSiteShape::kHubs;
  int articles = 1000;      // "/tin-tuc/bai-1.html" .. "/tin-tuc/bai-<articles>.html"
  int per_document = 5000;  // links per hub page or per sitemap (a sitemap holds 50 000 at most)
  std::string disallow;     // robots.txt's "Disallow:" for every agent ("" allows everything)
};

// Serves `site` on `host` (adds a dynamic route; other targets answer 404). Every article links
// "/", its hub (hubs shape) and the next three articles, as portals link "Tin khác".
void add_big_site(FixtureHost& host, const BigSite& site);

// "/tin-tuc/bai-<n>.html": the target of article n (1-based).
std::string big_site_article_target(int n);

// The [crawl] lines of a provarc site config for a big site: its article and hub patterns,
// `delay_ms` between requests, a page budget of a million, no images or attachments (it has none).
std::string big_site_crawl_toml(int delay_ms);

}  // namespace provarc::testing
