// Tests for the trap webs themselves (tests/support/trap_web.h, the first web and the second,
// trap_web2_sites()): crawl_identity_test, crawl_identity_web2_test and bench/identity judge a
// crawl by the server's classification of requests and by its ground truth, so both must say
// what the sites really serve.
#include "tests/support/trap_web.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tests/support/http_get.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

using Json = nlohmann::json;

TrapWebOptions small_web() {
  TrapWebOptions options;
  options.articles = 10;
  options.per_page = 4;
  options.bomb_bytes = size_t{4} << 20;
  return options;
}

std::string target_of(const TrapWeb& web, const std::string& site, const std::string& url) {
  std::string origin = web.origin(site);
  EXPECT_EQ(url.rfind(origin, 0), 0u) << url;
  return url.substr(origin.size());
}

// Every href of `html` on its own site (a path, or an absolute URL on `origin`, made a path),
// unescaped.
std::vector<std::string> links(const std::string& html, const std::string& origin = "") {
  std::vector<std::string> out;
  static const std::regex href("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it) {
    std::string link = (*it)[1].str();
    for (size_t at = link.find("&amp;"); at != std::string::npos; at = link.find("&amp;", at + 1)) {
      link.replace(at, 5, "&");
    }
    if (!origin.empty() && link.rfind(origin, 0) == 0) link = link.substr(origin.size());
    if (link.rfind("/", 0) == 0) out.push_back(link);
  }
  return out;
}

// A session token: the site, and where its links carry it (capture 1: the token).
struct ExpectedToken {
  const char* site;
  std::regex token;
};

// Two listing pages served carry two tokens, and a link with one names a resource, as a session.
void expect_fresh_tokens(TrapWeb& web, const ExpectedToken& e) {
  std::set<std::string> tokens;
  std::string with_token;
  for (int i = 0; i < 2; ++i) {
    Fetched listing = http_get(web.listing_url(e.site));
    ASSERT_EQ(listing.status, 200) << e.site;
    for (const std::string& link : links(listing.body)) {
      std::smatch m;
      if (std::regex_search(link, m, e.token)) {
        tokens.insert(m[1].str());
        with_token = link;
      }
    }
  }
  EXPECT_EQ(tokens.size(), 2u) << e.site << ": one token per page served";
  ASSERT_FALSE(with_token.empty()) << e.site;
  Hit hit = web.classify(e.site, with_token);
  EXPECT_TRUE(hit.session) << with_token;
  EXPECT_TRUE(hit.trap()) << with_token;
  EXPECT_NE(hit.kind, HitKind::kUnknown) << with_token;
}

// Each true article of `site` (its ground truth) is served at its URL, which names it.
void expect_articles_served(const TrapWeb& web, const Json& site) {
  std::string id = site["id"];
  for (const Json& a : site["articles"]) {
    std::string target = target_of(web, id, a["url"]);
    Hit hit = web.classify(id, target);
    EXPECT_EQ(hit.kind, HitKind::kArticle) << id << " " << target << ": " << hit.variant;
    EXPECT_FALSE(hit.trap()) << id << " " << target;
    Fetched page = http_get(a["url"].get<std::string>());
    EXPECT_EQ(page.status, 200) << a["url"];
    EXPECT_NE(page.body.find(a["title"].get<std::string>()), std::string::npos) << a["url"];
  }
}

// The ground truth of epoch 1 holds: every true article is served at its URL, which names it;
// every alias is a trap naming what it stands for (and answers 200 unless it redirects). Every
// site links finite aliases but `alias_free` (whose only variants are session tokens).
void expect_truth_holds(const TrapWeb& web, const std::string& alias_free) {
  Json truth = Json::parse(web.ground_truth_json(1));
  ASSERT_EQ(truth["sites"].size(), 6u);
  for (const Json& site : truth["sites"]) {
    std::string id = site["id"];
    ASSERT_EQ(site["articles"].size(), 10u) << id;
    expect_articles_served(web, site);
    EXPECT_EQ(site["aliases"].empty(), id == alias_free) << id;
    for (const Json& alias : site["aliases"]) {
      Hit hit = web.classify(id, target_of(web, id, alias["url"]));
      EXPECT_TRUE(hit.trap()) << alias["url"];
      if (hit.redirect.empty()) {
        EXPECT_EQ(http_get(alias["url"].get<std::string>()).status, 200) << alias["url"];
      }
      if (!alias["of"].is_null()) {
        EXPECT_EQ(web.classify(id, target_of(web, id, alias["of"])).resource, hit.resource)
            << alias["url"] << " is not " << alias["of"];
      }
    }
  }
}

TEST(TrapWeb, EveryTrueArticleIsServedAtItsCanonicalUrlAndItsAliasesNameIt) {
  expect_truth_holds(TrapWeb(small_web()), "trap-cms");
}

TEST(TrapWeb, SessionTokensAreFreshOnEveryPageAndNameTheSameResource) {
  TrapWeb web(small_web());
  const ExpectedToken expected[] = {
      {"trap-aspnet", std::regex("[?&]sid=([0-9a-f]{24})(&|$)")},
      {"trap-websphere", std::regex(";jsessionid=(0000[A-Za-z0-9_-]{23}:17ig2ib8s)")},
      {"trap-liferay", std::regex("[?&]p_p_auth=([A-Za-z0-9]{20})(&|$)")},
      {"trap-cms", std::regex("[?&]s=([A-Za-z0-9_-]{20})(&|$)")},
  };
  for (const ExpectedToken& e : expected) expect_fresh_tokens(web, e);
}

TEST(TrapWeb, AliasesRedirectOrServeTheSameArticle) {
  TrapWeb web(small_web());
  const std::string sp = "trap-sharepoint";
  TrueArticle a = web.true_articles(sp, 1).front();
  std::string origin = web.origin(sp);
  int item_id = 400 + a.number;  // SharePoint list item ids
  Fetched moved = http_get(origin + "/Default.aspx?ItemID=" + std::to_string(item_id));
  EXPECT_EQ(moved.status, 301);
  EXPECT_NE(moved.headers.find("Location: " + a.url), std::string::npos) << moved.headers;
  Fetched found = http_get(origin + "/Pages/chi-tiet-tin.aspx?ItemID=" + std::to_string(item_id));
  EXPECT_EQ(found.status, 302);
  std::string lower = a.url;
  lower.replace(lower.find("/Pages/"), 7, "/pages/");
  Hit case_variant = web.classify(sp, target_of(web, sp, lower));
  EXPECT_EQ(case_variant.kind, HitKind::kAlias);
  EXPECT_EQ(case_variant.variant, "path case");
  EXPECT_EQ(http_get(lower).status, 200);
  EXPECT_EQ(web.classify(sp, "/Pages/tin-tuc.aspx?Page=1").kind, HitKind::kAlias);
  EXPECT_EQ(web.classify(sp, "/Pages/tin-tuc.aspx?Page=2").kind, HitKind::kListing);

  // WebSphere: one WCM content item through three navigation states, each a URL of its own.
  const std::string ws = "trap-websphere";
  Fetched home = http_get(web.start_url(ws));
  int states = 0;
  std::string item = target_of(web, ws, web.true_articles(ws, 1).front().url);
  std::string content = item.substr(item.find("WCM_GLOBAL_CONTEXT="));
  for (const std::string& link : links(home.body)) {
    if (link.find(content) != std::string::npos) {
      Hit hit = web.classify(ws, link);
      EXPECT_EQ(hit.kind, HitKind::kAlias) << link;
      EXPECT_EQ(hit.resource, web.classify(ws, item).resource);
      ++states;
    }
  }
  EXPECT_EQ(states, 1) << "the home page links the newest item once, in its own state";
}

TEST(TrapWeb, CalendarsAndPagersStepOnForeverAndTheBombIsSmallOnTheWire) {
  TrapWeb web(small_web());
  Hit far =
      web.classify("trap-aspnet", "/LichCongTac.aspx?month=-500&sid=0123456789abcdef01234567");
  EXPECT_EQ(far.kind, HitKind::kCalendar);
  EXPECT_EQ(far.page, -500);
  std::string origin = web.origin("trap-aspnet");
  Fetched month = http_get(origin + "/LichCongTac.aspx?month=70");
  bool earlier = false, later = false;
  for (const std::string& link : links(month.body)) {
    earlier |= link.rfind("/LichCongTac.aspx?month=69&sid=", 0) == 0;
    later |= link.rfind("/LichCongTac.aspx?month=71&sid=", 0) == 0;
  }
  EXPECT_TRUE(earlier && later) << month.body;

  Hit past_end = web.classify("trap-cms", "/tin-tuc?page=40");
  EXPECT_EQ(past_end.kind, HitKind::kBeyond);
  Fetched empty = http_get(web.origin("trap-cms") + "/tin-tuc?page=40");
  EXPECT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("/tin-tuc?page=41"), std::string::npos);

  Fetched bomb = http_get(origin + "/SoDoTrang.aspx?sid=0123456789abcdef01234567", "", 5000,
                          /*decode=*/false);
  EXPECT_EQ(bomb.status, 200);
  EXPECT_NE(bomb.headers.find("Content-Encoding: gzip"), std::string::npos);
  EXPECT_LT(bomb.body.size(), size_t{16} << 10);
  EXPECT_EQ(web.classify("trap-aspnet", "/SoDoTrang.aspx?sid=ffffffffffffffffffffffff").kind,
            HitKind::kBomb);
}

TEST(TrapWeb, GzipBombInflatesToExactlyItsSize) {
  for (size_t size : {size_t{0}, size_t{1000}, (size_t{3} << 20) + 123}) {
    std::string gz = gzip_bomb(size);
    z_stream z{};
    ASSERT_EQ(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(gz.data());
    z.avail_in = static_cast<uInt>(gz.size());
    std::string out(64 << 10, 'x');
    size_t total = 0;
    bool zeros = true;
    int rc = Z_OK;
    while (rc == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      rc = inflate(&z, Z_NO_FLUSH);
      size_t n = out.size() - z.avail_out;
      zeros &= out.find_first_not_of('\0') >= n;
      total += n;
    }
    inflateEnd(&z);
    EXPECT_EQ(rc, Z_STREAM_END) << size << ": the CRC and length check out";
    EXPECT_EQ(total, size);
    EXPECT_TRUE(zeros);
    EXPECT_EQ(z.avail_in, 0u);
  }
}

TEST(TrapWeb, EpochTwoEditsPublishesAndRemoves) {
  TrapWeb web(small_web());
  for (const TrapSiteSpec& spec : web.sites()) {
    const std::string& id = spec.id;
    std::vector<TrueArticle> before = web.true_articles(id, 1), after = web.true_articles(id, 2);
    std::vector<TrueArticle> removed = web.removed_articles(id, 2);
    ASSERT_EQ(removed.size(), 2u) << id;
    EXPECT_EQ(after.size(), before.size() + 5 - 2) << id;
    int fresh = 0, edited = 0;
    for (const TrueArticle& a : after) {
      fresh += a.fresh;
      edited += a.edited;
    }
    EXPECT_EQ(fresh, 5) << id;
    EXPECT_GE(edited, 1) << id;

    TrueArticle gone = removed.front();
    TrueArticle newest = after.front();
    ASSERT_TRUE(newest.fresh) << id;
    EXPECT_EQ(http_get(gone.url).status, 200) << id;
    EXPECT_EQ(http_get(newest.url).status, 404) << id;
    Fetched old_listing = http_get(web.listing_url(id));
    web.set_epoch(2);
    EXPECT_EQ(http_get(gone.url).status, 404) << id;
    EXPECT_EQ(http_get(newest.url).status, 200) << id;
    EXPECT_EQ(web.classify(id, target_of(web, id, gone.url)).kind, HitKind::kGone) << id;
    Fetched listing = http_get(web.listing_url(id));
    EXPECT_NE(listing.body.find(newest.title), std::string::npos) << id;
    EXPECT_EQ(old_listing.body.find(newest.title), std::string::npos) << id;
    web.set_epoch(1);
  }
}

TEST(TrapWeb, LogsEveryRequestWithWhatItAskedFor) {
  TrapWebOptions options = small_web();
  options.log_path = temp_dir() + "/requests.tsv";
  TrapWeb web(options);
  http_get(web.start_url("trap-aspnet"));
  http_get(web.origin("trap-aspnet") + "/ChiTietTin.aspx?ID=1203&print=1");
  std::vector<TrapRequest> log = web.requests_to("trap-aspnet");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].hit.resource, "home");
  EXPECT_EQ(log[1].hit.kind, HitKind::kTwin);
  EXPECT_EQ(log[1].hit.resource, "article:3");
  EXPECT_EQ(log[1].epoch, 1);
  std::string file = read_file(options.log_path);
  EXPECT_EQ(file.substr(0, file.find('\n')), TrapWeb::log_header());
  EXPECT_NE(file.find("\t1\ttrap-aspnet\tGET\t/ChiTietTin.aspx?ID=1203&print=1\t200\t"),
            std::string::npos)
      << file;
}

TEST(TrapWeb, PlainSitesHavePrintLinksAndNothingElse) {
  TrapWeb web(small_web(), plain_trap_sites());
  for (const TrapSiteSpec& spec : web.sites()) {
    Fetched article = http_get(web.true_articles(spec.id, 1).front().url);
    int twins = 0;
    for (const std::string& link : links(article.body, web.origin(spec.id))) {
      Hit hit = web.classify(spec.id, link);
      EXPECT_FALSE(hit.session) << spec.id << " " << link;
      EXPECT_TRUE(hit.kind != HitKind::kAlias && hit.kind != HitKind::kCalendar &&
                  hit.kind != HitKind::kBomb)
          << spec.id << " " << link << ": " << hit_kind_name(hit.kind);
      twins += hit.kind == HitKind::kTwin;
    }
    EXPECT_EQ(twins, 1) << spec.id;
  }
}

// ---- The second held-out web (trap_web2_sites())

TEST(TrapWeb2, EveryTrueArticleIsServedAtItsCanonicalUrlAndItsAliasesNameIt) {
  expect_truth_holds(TrapWeb(small_web(), trap_web2_sites()), "");
}

TEST(TrapWeb2, ArticlePagesLinkTheirTwinsAndOtherFormsOfRelatedArticles) {
  TrapWeb web(small_web(), trap_web2_sites());
  for (const TrapSiteSpec& spec : web.sites()) {
    std::map<std::string, int> kinds;
    for (const std::string& link : links(http_get(web.true_articles(spec.id, 1)[2].url).body)) {
      Hit hit = web.classify(spec.id, link);
      ++kinds[hit.kind == HitKind::kTwin ? hit.variant : hit_kind_name(hit.kind)];
    }
    EXPECT_EQ(kinds["print"], 1) << spec.id;
    EXPECT_EQ(kinds["mobile"], spec.mobile_twins ? 1 : 0) << spec.id;
    // Every site but the CMS links some article under another URL form than its canonical one.
    EXPECT_EQ(kinds["alias"] > 0, spec.id != "trap2-cms") << spec.id;
  }
}

TEST(TrapWeb2, SessionTokensAreFreshOnEveryPageAndNameTheSameResource) {
  TrapWeb web(small_web(), trap_web2_sites());
  const ExpectedToken expected[] = {
      {"trap2-aspnet", std::regex("^/\\(S\\(([a-z0-5]{24})\\)\\)/")},
      {"trap2-liferay", std::regex(";jsessionid=([0-9A-F]{32}\\.node1)")},
      {"trap2-liferay", std::regex("[?&]p_auth=([A-Za-z0-9]{8})(&|$)")},
      {"trap2-websphere", std::regex("[?&]ssid=([0-9a-f]{16})(&|$)")},
      {"trap2-sharepoint", std::regex("[?&]fbclid=(IwAR[A-Za-z0-9_-]{58})(&|$)")},
      {"trap2-cms", std::regex("[?&]token=([A-Za-z0-9+/]{22}%3D%3D)(&|$)")},
  };
  for (const ExpectedToken& e : expected) expect_fresh_tokens(web, e);
  // The cookieless session names the same page as the URL without it.
  std::string article = target_of(web, "trap2-aspnet", web.true_articles("trap2-aspnet", 1)[0].url);
  EXPECT_EQ(web.classify("trap2-aspnet", "/(S(abcdefabcdefabcdef012345))" + article).resource,
            web.classify("trap2-aspnet", article).resource);
  EXPECT_EQ(
      http_get(web.origin("trap2-aspnet") + "/(S(abcdefabcdefabcdef012345))" + article).status,
      200);
}

TEST(TrapWeb2, ParameterOrderChangesFromPageToPageAndIsAnAlias) {
  TrapWeb web(small_web(), trap_web2_sites());
  const std::string site = "trap2-aspnet";
  std::set<std::string> orders;
  for (int i = 0; i < 8; ++i) {
    for (const std::string& link : links(http_get(web.listing_url(site)).body)) {
      size_t at = link.find("/News/Detail.aspx?");
      if (at == std::string::npos) continue;
      orders.insert(link.find("newsid=", at) < link.find("cat=", at) ? "newsid first"
                                                                     : "cat first");
    }
  }
  EXPECT_EQ(orders.size(), 2u) << "both orders of cat and newsid are linked";
  TrueArticle a = web.true_articles(site, 1).front();
  std::string newsid = a.url.substr(a.url.find("newsid="));
  Hit shuffled = web.classify(site, "/News/Detail.aspx?" + newsid + "&cat=3");
  EXPECT_EQ(shuffled.kind, HitKind::kAlias);
  EXPECT_EQ(shuffled.variant, "parameter order");
  EXPECT_EQ(shuffled.article, a.number);
}

TEST(TrapWeb2, TwinsSortsSoft404sCalendarsAndPagersAreClassified) {
  TrapWeb web(small_web(), trap_web2_sites());
  // Mobile and print twins: the same article, a twin.
  TrueArticle cms = web.true_articles("trap2-cms", 1).front();
  std::string path = target_of(web, "trap2-cms", cms.url);
  Hit mobile = web.classify("trap2-cms", "/m" + path);
  EXPECT_EQ(mobile.kind, HitKind::kTwin);
  EXPECT_EQ(mobile.variant, "mobile");
  EXPECT_EQ(mobile.article, cms.number);
  Fetched mobile_page = http_get(web.origin("trap2-cms") + "/m" + path);
  EXPECT_NE(mobile_page.body.find(cms.title), std::string::npos);
  EXPECT_NE(mobile_page.body.find("rel=\"canonical\" href=\"" + path + "\""), std::string::npos)
      << "the CMS's canonical links are relative";

  // Soft 404: a dead link answers 200 and names nothing.
  Fetched home = http_get(web.start_url("trap2-cms"));
  std::string dead;
  for (const std::string& link : links(home.body)) {
    if (link.find("/tin-da-go-1") != std::string::npos) dead = link;
  }
  ASSERT_FALSE(dead.empty());
  EXPECT_EQ(web.classify("trap2-cms", dead).kind, HitKind::kUnknown);
  EXPECT_EQ(http_get(web.origin("trap2-cms") + dead).status, 200);
  EXPECT_EQ(http_get(web.origin("trap2-sharepoint") + "/khong-co-trang-nay").status, 404);

  // Sort and filter permutations: the pager keeps them; oldest first for the first one.
  Hit sorted = web.classify("trap2-cms", "/chuyen-muc/tin-tuc?trang=2&sap-xep=cu-nhat");
  EXPECT_EQ(sorted.kind, HitKind::kSort);
  EXPECT_EQ(sorted.resource, "sort:sap-xep=cu-nhat:2");
  Fetched oldest = http_get(web.origin("trap2-cms") + "/chuyen-muc/tin-tuc?sap-xep=cu-nhat");
  std::string first_article = web.true_articles("trap2-cms", 1).back().title;
  EXPECT_NE(oldest.body.find(first_article), std::string::npos);
  bool pager_keeps = false;
  for (const std::string& link : links(oldest.body)) {
    pager_keeps |= link.find("trang=2") != std::string::npos &&
                   link.find("sap-xep=cu-nhat") != std::string::npos;
  }
  EXPECT_TRUE(pager_keeps);

  // Calendars: a day linking the next, a month in the path.
  Hit day = web.classify("trap2-aspnet", "/LichLamViec.aspx?ngay=2031-01-02");
  EXPECT_EQ(day.kind, HitKind::kCalendar);
  Fetched day_page = http_get(web.origin("trap2-aspnet") + "/LichLamViec.aspx?ngay=2031-01-02");
  EXPECT_NE(day_page.body.find("LichLamViec.aspx?ngay=2031-01-03"), std::string::npos);
  Hit month = web.classify("trap2-websphere", "/wps/portal/sotttt/lich-cong-tac/2040/07");
  EXPECT_EQ(month.kind, HitKind::kCalendar);
  EXPECT_EQ(month.page, 2040 * 12 + 6);
  Fetched month_page =
      http_get(web.origin("trap2-websphere") + "/wps/portal/sotttt/lich-cong-tac/2040/07");
  EXPECT_NE(month_page.body.find("/wps/portal/sotttt/lich-cong-tac/2040/08"), std::string::npos);

  // A pager past the end shows the last page again, and links on.
  const std::string tv = "trap2-aspnet-path";
  Hit beyond = web.classify(tv, "/1446/38995/68251/tin-tuc?page=30");
  EXPECT_EQ(beyond.kind, HitKind::kBeyond);
  Fetched again = http_get(web.origin(tv) + "/1446/38995/68251/tin-tuc?page=30");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find(web.true_articles(tv, 1).back().title), std::string::npos);
  EXPECT_NE(again.body.find("tin-tuc?page=31"), std::string::npos);
}

TEST(TrapWeb2, CanonicalLinksAreAbsentRelativeOrAbsoluteAsEachSiteSays) {
  TrapWeb web(small_web(), trap_web2_sites());
  for (const TrapSiteSpec& spec : web.sites()) {
    TrueArticle a = web.true_articles(spec.id, 1).front();
    Fetched page = http_get(a.url);
    std::smatch m;
    static const std::regex canonical("<link rel=\"canonical\" href=\"([^\"]*)\"");
    bool has = std::regex_search(page.body, m, canonical);
    std::string href = has ? m[1].str() : "";
    for (size_t at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;")) {
      href.replace(at, 5, "&");
    }
    switch (spec.canonical) {
      case CanonicalLink::kNone:
        EXPECT_EQ(page.body.find("canonical"), std::string::npos) << spec.id;
        break;
      case CanonicalLink::kRelative:
        EXPECT_EQ(href, target_of(web, spec.id, a.url)) << spec.id;
        break;
      case CanonicalLink::kAbsolute:
      case CanonicalLink::kFamily:
        EXPECT_EQ(href, a.url) << spec.id;
        break;
    }
  }
}

TEST(TrapWeb2, PlainSitesHavePrintLinksAndNothingElse) {
  TrapWeb web(small_web(), plain_trap_web2_sites());
  for (const TrapSiteSpec& spec : web.sites()) {
    for (const std::string& page :
         {web.true_articles(spec.id, 1).front().url, web.start_url(spec.id)}) {
      Fetched fetched = http_get(page);
      int twins = 0;
      for (const std::string& link : links(fetched.body, web.origin(spec.id))) {
        Hit hit = web.classify(spec.id, link);
        EXPECT_FALSE(hit.session) << spec.id << " " << link;
        EXPECT_TRUE(hit.kind != HitKind::kAlias && hit.kind != HitKind::kCalendar &&
                    hit.kind != HitKind::kBomb && hit.kind != HitKind::kSort &&
                    hit.kind != HitKind::kUnknown)
            << spec.id << " " << link << ": " << hit_kind_name(hit.kind);
        twins += hit.kind == HitKind::kTwin;
      }
      EXPECT_EQ(twins, page == web.start_url(spec.id) ? 0 : 1) << spec.id;
    }
  }
}

TEST(TrapWeb2, EpochTwoEditsPublishesAndRemoves) {
  TrapWeb web(small_web(), trap_web2_sites());
  for (const TrapSiteSpec& spec : web.sites()) {
    auto first = web.true_articles(spec.id, 1), second = web.true_articles(spec.id, 2);
    EXPECT_EQ(second.size(), first.size() + 5 - 2) << spec.id;
    EXPECT_EQ(web.removed_articles(spec.id, 2).size(), 2u) << spec.id;
  }
  web.set_epoch(2);
  TrueArticle gone = web.removed_articles("trap2-liferay", 2).front();
  EXPECT_EQ(http_get(gone.url).status, 404);
  TrueArticle soft = web.removed_articles("trap2-cms", 2).front();
  EXPECT_EQ(http_get(soft.url).status, 200) << "the CMS's soft 404";
  EXPECT_EQ(web.classify("trap2-cms", target_of(web, "trap2-cms", soft.url)).kind, HitKind::kGone);
}

}  // namespace
}  // namespace provarc::testing
