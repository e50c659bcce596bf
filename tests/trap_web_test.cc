// Tests for the trap web itself (tests/support/trap_web.h): crawl_identity_test and
// bench/identity judge a crawl by its classification of requests and by its ground truth, so
// both must say what the sites really serve.
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

TEST(TrapWeb, EveryTrueArticleIsServedAtItsCanonicalUrlAndItsAliasesNameIt) {
  TrapWeb web(small_web());
  Json truth = Json::parse(web.ground_truth_json(1));
  ASSERT_EQ(truth["sites"].size(), 6u);
  for (const Json& site : truth["sites"]) {
    std::string id = site["id"];
    ASSERT_EQ(site["articles"].size(), 10u) << id;
    for (const Json& a : site["articles"]) {
      std::string target = target_of(web, id, a["url"]);
      Hit hit = web.classify(id, target);
      EXPECT_EQ(hit.kind, HitKind::kArticle) << id << " " << target << ": " << hit.variant;
      EXPECT_FALSE(hit.trap()) << id << " " << target;
      Fetched page = http_get(a["url"].get<std::string>());
      EXPECT_EQ(page.status, 200) << a["url"];
      EXPECT_NE(page.body.find(a["title"].get<std::string>()), std::string::npos) << a["url"];
    }
    // Every site but the CMS links finite aliases (its only variants are session tokens).
    EXPECT_EQ(site["aliases"].empty(), id == "trap-cms") << id;
    for (const Json& alias : site["aliases"]) {
      Hit hit = web.classify(id, target_of(web, id, alias["url"]));
      EXPECT_TRUE(hit.trap()) << alias["url"];
      if (!alias["of"].is_null()) {
        EXPECT_EQ(web.classify(id, target_of(web, id, alias["of"])).resource, hit.resource)
            << alias["url"] << " is not " << alias["of"];
      }
    }
  }
}

TEST(TrapWeb, SessionTokensAreFreshOnEveryPageAndNameTheSameResource) {
  TrapWeb web(small_web());
  struct Expected {
    const char* site;
    std::regex token;
  };
  const Expected expected[] = {
      {"trap-aspnet", std::regex("[?&]sid=([0-9a-f]{24})(&|$)")},
      {"trap-websphere", std::regex(";jsessionid=(0000[A-Za-z0-9_-]{23}:17ig2ib8s)")},
      {"trap-liferay", std::regex("[?&]p_p_auth=([A-Za-z0-9]{20})(&|$)")},
      {"trap-cms", std::regex("[?&]s=([A-Za-z0-9_-]{20})(&|$)")},
  };
  for (const Expected& e : expected) {
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

}  // namespace
}  // namespace provarc::testing
