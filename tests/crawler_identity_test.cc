// Tests for crawler/identity.h, crawler/session_params.h and crawler/trap_guards.h (issue 12):
// which URLs name one resource, which parameters are sessions, and which trap guard refuses what.
// Pagination not counting as depth (issue 13, item 3) is in crawler_discovery_test.cc.
#include <gtest/gtest.h>

#include "crawler/identity.h"
#include "crawler/session_params.h"
#include "crawler/trap_guards.h"
#include "crawler/url_canon.h"

namespace provarc {
namespace {

Pattern compile(const char* source) {
  auto p = Pattern::compile(source);
  EXPECT_TRUE(p.ok()) << source;
  return *p;
}

SiteConfig site_of(const char* host) {
  SiteConfig site;
  site.id = "test";
  site.hosts = {host};
  site.start_urls = {std::string("http://") + host + "/"};
  return site;
}

TEST(CanonRules, KeepWinsOverStripAndPathParametersGoLikeJsessionid) {
  CanonRules rules;
  rules.strip_query_params = {"SID"};
  rules.strip_path_params = {"sess"};
  EXPECT_EQ(*canonicalize_url("http://a.vn/x.aspx?ID=3&sid=abc", rules), "http://a.vn/x.aspx?ID=3");
  EXPECT_EQ(*canonicalize_url("http://a.vn/p;sess=1f2e;v=2/q", rules), "http://a.vn/p;v=2/q");
  EXPECT_EQ(*canonicalize_url("http://a.vn/p;jsessionid=0000AB:1x/q", rules), "http://a.vn/p/q");
  rules.keep_query_params = {"sid"};
  EXPECT_EQ(*canonicalize_url("http://a.vn/x.aspx?ID=3&sid=abc", rules),
            "http://a.vn/x.aspx?ID=3&sid=abc");
  // The built-in 32-hex sid goes too, unless kept.
  std::string hex32(32, 'a');
  EXPECT_EQ(*canonicalize_url("http://a.vn/?sid=" + hex32, rules), "http://a.vn/?sid=" + hex32);
  EXPECT_EQ(*canonicalize_url("http://a.vn/?sid=" + hex32), "http://a.vn/");
}

TEST(SessionParams, OpaqueTokensOfAnyLengthFromSixteenButNoWordsOrNumbers) {
  EXPECT_TRUE(looks_opaque("9f86d081884c7d659a2feaa0"));          // 24 hex
  EXPECT_TRUE(looks_opaque("Kq8sMB0Z1SloXw7PqR2t"));              // 20 base64
  EXPECT_TRUE(looks_opaque("0000aBcDeFgHiJkLmNoPqRs:17ig2ib8s"));  // WebSphere's
  EXPECT_FALSE(looks_opaque("a1b2c3"));                            // too short to tell
  EXPECT_FALSE(looks_opaque("202112071530"));                      // a time, or an id
  EXPECT_FALSE(looks_opaque("tin-tuc-su-kien-moi-nhat"));          // a slug
  EXPECT_FALSE(looks_opaque("hoinghitongketnamhoc"));              // a word
  EXPECT_FALSE(looks_opaque("/wps/wcm/connect/sotttt"));           // a path
  EXPECT_FALSE(looks_opaque(std::string(600, 'a')));               // not a token any more
}

// Pages of a site whose every link carries a new `sid` (a session the crawler, sending no cookie,
// gets anew on each page), and a `CatID` that is the same on every page.
std::vector<std::string> stamped_links(const std::string& sid) {
  return {"http://a.vn/ChiTietTin.aspx?ID=1&sid=" + sid,
          "http://a.vn/ChiTietTin.aspx?ID=2&sid=" + sid,
          "http://a.vn/DanhSachTin.aspx?CatID=1&sid=" + sid};
}

TEST(SessionParams, AValueStampedOnEveryLinkAndNewOnEveryPageIsACandidate) {
  SessionLearner learner;
  const std::vector<std::string> hosts = {"a.vn"};
  EXPECT_TRUE(learner.observe("http://a.vn/", stamped_links("9f86d081884c7d659a2feaa0"), hosts)
                  .empty())
      << "one page cannot tell a session from an id";
  auto fresh = learner.observe("http://a.vn/DanhSachTin.aspx?CatID=1",
                               stamped_links("3c59dc048e8850243be8079a"), hosts);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].param, "sid");
  EXPECT_EQ(fresh[0].host, "a.vn");
  EXPECT_FALSE(fresh[0].path_param);
  auto carried = learner.candidate_in("http://a.vn/ChiTietTin.aspx?ID=9&sid=0123456789abcdef0123");
  ASSERT_TRUE(carried);
  EXPECT_EQ(carried->param, "sid");
  EXPECT_FALSE(learner.examples(fresh[0]).empty());
  // Rejected by its probe, it never comes back in this run.
  learner.settle(fresh[0], false);
  EXPECT_FALSE(learner.has_candidates());
  EXPECT_TRUE(learner.observe("http://a.vn/x", stamped_links("aaaaaaaaaaaaaaaaaaaaaaab"), hosts)
                  .empty());
}

TEST(SessionParams, ATokenThatNamesItsTargetIsNoCandidate) {
  // A document id that looks like a token but is the same wherever the target is linked from.
  SessionLearner learner;
  const std::vector<std::string> hosts = {"a.vn"};
  std::vector<std::string> links = {"http://a.vn/doc?file=9f86d081884c7d659a2feaa0",
                                    "http://a.vn/doc?file=3c59dc048e8850243be8079a"};
  for (int page = 0; page < 5; ++page) {
    EXPECT_TRUE(learner.observe("http://a.vn/p" + std::to_string(page), links, hosts).empty());
  }
  // Links to other hosts are not the site's sessions.
  EXPECT_TRUE(learner.observe("http://a.vn/", stamped_links("9f86d081884c7d659a2feaa0"), {}).empty());
}

TEST(SessionParams, PathParametersToo) {
  SessionLearner learner;
  const std::vector<std::string> hosts = {"a.vn"};
  auto links = [](const std::string& token) {
    return std::vector<std::string>{"http://a.vn/tin/1;sess=" + token,
                                    "http://a.vn/tin/2;sess=" + token};
  };
  learner.observe("http://a.vn/", links("Zx81Qw62Er53Ty44Ui35"), hosts);
  auto fresh = learner.observe("http://a.vn/tin/1", links("Lk09Jh18Gf27Ds36Ap45"), hosts);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_TRUE(fresh[0].path_param);
  EXPECT_EQ(without_param("http://a.vn/tin/1;sess=Lk09Jh18Gf27Ds36Ap45", "sess", true),
            "http://a.vn/tin/1");
}

TEST(SessionParams, ShortRandomTokensButNoNumbersCodesOrWords) {
  EXPECT_TRUE(looks_short_token("Ab3dE9fG"));    // Liferay's p_auth: 8 letters and digits
  EXPECT_TRUE(looks_short_token("x7k2m9qp"));    // lowercase and digits, alternating
  EXPECT_TRUE(looks_short_token("9f86d08a1c"));  // short hex
  EXPECT_FALSE(looks_short_token("1234"));       // an article id
  EXPECT_FALSE(looks_short_token("20211207"));   // a date, or an id
  EXPECT_FALSE(looks_short_token("HG2021"));     // a code: letters, then digits
  EXPECT_FALSE(looks_short_token("tin123"));
  EXPECT_FALSE(looks_short_token("Hanoi2021"));  // a capital initial is no change of case
  EXPECT_FALSE(looks_short_token("thoisu"));     // a word
  EXPECT_FALSE(looks_short_token("a1b2"));       // too short to tell
  EXPECT_FALSE(looks_short_token("tin-tuc-2"));  // a slug
  EXPECT_FALSE(looks_short_token("xkqzvbtw")) << "letters alone need a known name";
  EXPECT_TRUE(looks_short_token("xkqzvbtw", /*known_name=*/true));
  EXPECT_FALSE(looks_short_token("83920174", /*known_name=*/true)) << "never digits alone";
  EXPECT_TRUE(known_session_name("p_auth"));
  EXPECT_TRUE(known_session_name("jsessionid"));
  EXPECT_FALSE(known_session_name("id"));
  EXPECT_FALSE(known_session_name("page"));
}

// A page of a site that stamps `name=value` on each of its links: three articles and the listing.
std::vector<std::string> stamped_on_every_link(const std::string& name, const std::string& value) {
  return {"http://a.vn/web/guest/tin-tuc/-/bai-1?" + name + "=" + value,
          "http://a.vn/web/guest/tin-tuc/-/bai-2?" + name + "=" + value,
          "http://a.vn/web/guest/tin-tuc/-/bai-3?" + name + "=" + value,
          "http://a.vn/web/guest/tin-tuc?" + name + "=" + value};
}

TEST(SessionParams, AShortTokenOnEveryLinkOfAPageAndNewOnEachIsACandidate) {
  const std::vector<std::string> hosts = {"a.vn"};
  for (const std::string name : {"p_auth", "t"}) {
    SCOPED_TRACE(name);
    SessionLearner learner;
    EXPECT_TRUE(learner.observe("http://a.vn/", stamped_on_every_link(name, "Ab3dE9fG"), hosts)
                    .empty())
        << "one page cannot tell a session from an id";
    auto fresh = learner.observe("http://a.vn/web/guest/tin-tuc",
                                 stamped_on_every_link(name, "x7K2m9Qp"), hosts);
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_EQ(fresh[0].param, name);
    const std::string signals = learner.signals(fresh[0]);
    EXPECT_NE(signals.find("short random values (8 letters and digits)"), std::string::npos)
        << signals;
    EXPECT_NE(signals.find("the only value on every link of 2 pages"), std::string::npos)
        << signals;
    EXPECT_EQ(signals.find("a name platforms give sessions") != std::string::npos,
              name == "p_auth")
        << signals;
  }
}

// Article ids, page numbers and short article codes are no sessions, however they are linked.
TEST(SessionParams, ShortIdsPageNumbersAndArticleCodesAreNoCandidates) {
  const std::vector<std::string> hosts = {"a.vn"};
  SessionLearner learner;
  const std::vector<std::string> codes = {"Xk29pQ7a", "Rt5mW8zL", "bN3vC6xQ", "Jd7fH2kP"};
  for (int page = 1; page <= 6; ++page) {
    const std::string n = std::to_string(page);
    // A listing page: each article under its own id and code, the pager's neighbours.
    std::vector<std::string> listing;
    for (int i = 0; i < 4; ++i) {
      const std::string id = std::to_string(1000 + page * 10 + i);
      listing.push_back("http://a.vn/ChiTiet.aspx?id=" + id);
      listing.push_back("http://a.vn/ChiTiet.aspx?id=" + id + "&print=1");
      listing.push_back("http://a.vn/bai.aspx?ma=" + codes[(page + i) % codes.size()]);
    }
    listing.push_back("http://a.vn/DanhSach.aspx?page=" + std::to_string(page + 1));
    listing.push_back("http://a.vn/DanhSach.aspx?page=" + std::to_string(page + 1) + "&cat=2");
    listing.push_back("http://a.vn/DanhSach.aspx?page=" + std::to_string(page + 1) + "&cat=3");
    EXPECT_TRUE(learner.observe("http://a.vn/DanhSach.aspx?page=" + n, listing, hosts).empty());
    // An article page: only its own id and code, on several links (its print and share links).
    const std::string code = codes[page % codes.size()];
    const std::string id = std::to_string(1000 + page);
    EXPECT_TRUE(learner
                    .observe("http://a.vn/bai.aspx?ma=" + code,
                             {"http://a.vn/bai.aspx?ma=" + code + "&print=1",
                              "http://a.vn/bai.aspx?ma=" + code + "&share=fb",
                              "http://a.vn/bai.aspx?ma=" + code + "&share=zalo",
                              "http://a.vn/ChiTiet.aspx?id=" + id,
                              "http://a.vn/ChiTiet.aspx?id=" + id + "&print=1",
                              "http://a.vn/ChiTiet.aspx?id=" + id + "&share=fb"},
                             hosts)
                    .empty())
        << "page " << page;
  }
  EXPECT_FALSE(learner.has_candidates());
}

TEST(SiteIdentity, ArticleKeysFoldNavigationStatesPrintTwinsAndCase) {
  SiteConfig site = site_of("wcm.vn");
  site.crawl.article_url_patterns = {compile("WCM_GLOBAL_CONTEXT=")};
  site.crawl.article_key = {compile("WCM_GLOBAL_CONTEXT=(?:/|%2F)wps(?:/|%2F)wcm(?:/|%2F)connect"
                                    "((?:/|%2F)[^&#]+)")};
  SiteIdentity identity(site);
  IdentityKey a = identity.key_of(
      "http://wcm.vn/wps/portal/!ut/p/c5/AAA/?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/s/tin/hoi-nghi",
      PageRole::kArticle);
  IdentityKey b = identity.key_of(
      "http://wcm.vn/wps/portal/!ut/p/c5/BBB/?WCM_GLOBAL_CONTEXT=%2Fwps%2Fwcm%2Fconnect%2Fs%2Ftin"
      "%2Fhoi-nghi&print=1",
      PageRole::kArticle);
  EXPECT_EQ(a.key, "key:/s/tin/hoi-nghi");
  EXPECT_EQ(a.key, b.key) << "one content item through two navigation states, one a print twin";
  EXPECT_NE(a.signal.find("article_key"), std::string::npos) << a.signal;
  // A page that is no article is its URL.
  IdentityKey other = identity.key_of("http://wcm.vn/wps/portal/x", PageRole::kOther);
  EXPECT_EQ(other.key, "http://wcm.vn/wps/portal/x");
  EXPECT_EQ(other.signal, "url");

  SiteConfig iis = site_of("iis.vn");
  iis.crawl.case_insensitive_paths = true;
  SiteIdentity folded(iis);
  EXPECT_EQ(folded.key_of("http://iis.vn/Pages/Tin.aspx?ItemID=3", PageRole::kOther).key,
            folded.key_of("http://iis.vn/pages/tin.aspx?itemid=3", PageRole::kOther).key);
  EXPECT_EQ(folded.key_of("http://iis.vn/Pages/Tin.aspx", PageRole::kOther).signal, "path case");
}

TEST(SiteIdentity, ThePagersLinkToPageOneIsTheListing) {
  SiteConfig site = site_of("a.vn");
  site.crawl.listing_urls = {"http://a.vn/tin-tuc"};
  site.crawl.listing_url_patterns = {compile("/tin-tuc\\?page=\\d+$")};
  SiteIdentity identity(site);
  IdentityKey one = identity.key_of("http://a.vn/tin-tuc?page=1", PageRole::kListing);
  EXPECT_EQ(one.key, "http://a.vn/tin-tuc");
  EXPECT_EQ(one.signal, "page 1 of http://a.vn/tin-tuc");
  EXPECT_EQ(identity.key_of("http://a.vn/tin-tuc?page=2", PageRole::kListing).key,
            "http://a.vn/tin-tuc?page=2");
}

TEST(SiteIdentity, LearnedSessionsAreDroppedOnTheirHostUnlessKept) {
  SiteConfig site = site_of("a.vn");
  site.crawl.keep_query_params = {"Token"};
  SiteIdentity identity(site);
  const std::string url = "http://a.vn/x?ID=1&sid=9f86d081884c7d659a2feaa0";
  EXPECT_EQ(*identity.canonicalize(url), url);
  EXPECT_TRUE(identity.learn({"a.vn", "sid", false, "same page", ""}));
  EXPECT_FALSE(identity.learn({"a.vn", "sid", false, "same page", ""})) << "already known";
  EXPECT_EQ(*identity.canonicalize(url), "http://a.vn/x?ID=1");
  EXPECT_EQ(*identity.canonicalize("http://b.vn/x?sid=1"), "http://b.vn/x?sid=1")
      << "learned for a.vn only";
  EXPECT_TRUE(identity.drops("a.vn", "SID", false));
  EXPECT_FALSE(identity.learn({"a.vn", "token", false, "same page", ""})) << "keep_query_params";
  EXPECT_EQ(identity.learned().size(), 1u);
  EXPECT_FALSE(identity.canonicalize("not a url").ok());
}

TEST(TrapGuards, ANumberSteppingIsOneShapeWithASmallBudget) {
  auto step = number_step("http://a.vn/Lich.aspx?month=66", "http://a.vn/Lich.aspx?month=67");
  ASSERT_TRUE(step);
  EXPECT_EQ(step->pattern, "http://a.vn/Lich.aspx?month=#");
  EXPECT_EQ(step->from, 66);
  EXPECT_EQ(step->to, 67);
  EXPECT_EQ(number_step("http://a.vn/Lich.aspx?month=66", "http://a.vn/Lich.aspx?month=65")
                ->pattern,
            step->pattern);
  EXPECT_FALSE(number_step("http://a.vn/a?x=1&y=2", "http://a.vn/a?x=2&y=3")) << "two numbers";
  EXPECT_FALSE(number_step("http://a.vn/tin/1234567890", "http://a.vn/tin/1234567891"))
      << "ten digits are an id";
  EXPECT_FALSE(number_step("http://a.vn/a?x=1", "http://a.vn/b?x=2"));
  EXPECT_FALSE(number_step("http://a.vn/a", "http://a.vn/a"));

  StepGuard guard;
  for (int i = 0; i < kStepBudget; ++i) {
    EXPECT_TRUE(guard.has_budget(step->pattern));
    guard.spend(step->pattern);
  }
  EXPECT_FALSE(guard.has_budget(step->pattern));
  EXPECT_TRUE(guard.has_budget("http://a.vn/Tuan.aspx?week=#"));
}

TEST(TrapGuards, ADateSteppingByADayWeekOrMonthIsACalendar) {
  const std::string cal = "http://a.vn/tin-tuc/Pages/lich-cong-tac.aspx?ngay=";
  auto day = date_step(cal + "2026-12-07", cal + "2026-12-08");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->pattern, cal + "{date}");
  EXPECT_EQ(day->unit, "day");
  // Month and year boundaries, which number_step() cannot see, are one step of one pattern.
  auto new_year = date_step(cal + "2026-12-31", cal + "2027-01-01");
  ASSERT_TRUE(new_year);
  EXPECT_EQ(new_year->pattern, day->pattern);
  EXPECT_FALSE(number_step(cal + "2026-12-31", cal + "2027-01-01"));
  EXPECT_EQ(date_step(cal + "2026-12-07", cal + "2026-12-14")->unit, "week");
  EXPECT_EQ(date_step("http://a.vn/Lich.aspx?d=07/12/2026&x=1", "http://a.vn/Lich.aspx?d=07/01/2027&x=1")
                ->unit,
            "month");
  EXPECT_EQ(date_step("http://a.vn/Lich.aspx?d=20261207", "http://a.vn/Lich.aspx?d=20261206")->unit,
            "day");
  auto month = date_step("http://a.vn/wps/portal/s/lich-cong-tac/2026/12",
                         "http://a.vn/wps/portal/s/lich-cong-tac/2027/01");
  ASSERT_TRUE(month);
  EXPECT_EQ(month->pattern, "http://a.vn/wps/portal/s/lich-cong-tac/{date}");
  EXPECT_EQ(month->unit, "month");

  EXPECT_FALSE(date_step(cal + "2026-12-07", cal + "2026-12-10")) << "three days: no calendar step";
  EXPECT_FALSE(date_step(cal + "2026-12-07", cal + "2026-12-32")) << "no such day";
  EXPECT_FALSE(date_step(cal + "2026-12-07", cal + "07/12/2026")) << "written otherwise";
  EXPECT_FALSE(date_step("http://a.vn/tin?page=12", "http://a.vn/tin?page=13")) << "a number";
  EXPECT_FALSE(date_step("http://a.vn/tin?id=5&ngay=2026-12-07", "http://a.vn/tin?id=6&ngay=2026-12-08"))
      << "more than the date changes";
  EXPECT_FALSE(date_step("http://a.vn/2026/12/07/hoi-nghi-a", "http://a.vn/2026/12/08/hoi-nghi-b"))
      << "two articles of consecutive days";
  EXPECT_FALSE(date_step(cal + "1890-12-07", cal + "1890-12-08")) << "no year of the web";

  EXPECT_TRUE(carries_date(cal + "2026-12-07"));
  EXPECT_TRUE(carries_date("http://a.vn/wps/portal/s/lich-cong-tac/2026/12"));
  EXPECT_FALSE(carries_date("http://a.vn/News/Detail.aspx?cat=3&newsid=1201"));
  EXPECT_FALSE(carries_date("http://a.vn/1446/38995/68251/637201/tin-tuc/hoi-nghi"));
}

TEST(SiteIdentity, PrintAndMobileMarkersInAUrl) {
  EXPECT_EQ(twin_marker("http://a.vn/m/News/Detail.aspx?cat=3&newsid=7"), "path segment /m/");
  EXPECT_EQ(twin_marker("http://a.vn/News/Print.aspx?newsid=7"), "page Print.aspx");
  EXPECT_EQ(twin_marker("http://a.vn/in-bai/637201"), "path segment /in-bai/");
  EXPECT_EQ(twin_marker("http://a.vn/tin-tuc/Pages/bai.aspx?layout=print"), "parameter layout=print");
  EXPECT_EQ(twin_marker("http://a.vn/x/ChiTietTin.aspx?ID=12&print=1"), "parameter print=1");
  EXPECT_EQ(twin_marker("http://a.vn/wps/wcm/connect/s/tin/bai?presentationtemplate=s%2FPT-InBai"),
            "parameter presentationtemplate=s%2FPT-InBai");
  EXPECT_EQ(twin_marker("http://m.a.vn/tin/bai-viet"), "host m.a.vn");
  EXPECT_EQ(twin_marker("http://a.vn/News/Detail.aspx?cat=3&newsid=7"), "");
  EXPECT_EQ(twin_marker("http://a.vn/tin-tuc/in-an-bao-chi.html"), "") << "a slug, not a page name";
  EXPECT_EQ(twin_marker("http://a.vn/tin-tuc/m"), "") << "a last segment, not a folder";
  EXPECT_EQ(twin_marker("http://a.vn/tin?mode=list"), "");
}

TEST(TrapGuards, AShapeFetchedOnlyAsAliasesIsRefused) {
  EXPECT_EQ(url_shape("http://a.vn/print/1501/637201/hoi-nghi-tong-ket"),
            url_shape("http://a.vn/print/1501/637215/tap-huan-an-toan"));
  EXPECT_NE(url_shape("http://a.vn/print/1501/637201/hoi-nghi-tong-ket"),
            url_shape("http://a.vn/1501/38995/68251/637201/tin-tuc-su-kien/hoi-nghi"));
  EXPECT_EQ(url_shape("http://a.vn/x?ID=12&print=1"), "http://a.vn/x?ID=#&print=#");
  // Parameters in another order (trap2-aspnet-path writes its Default.aspx links' six parameters
  // in a new order on every page): one shape.
  EXPECT_EQ(url_shape("http://a.vn/Default.aspx?sid=1446&id=637201&title=hoi-nghi-tong-ket"),
            url_shape("http://a.vn/Default.aspx?title=tap-huan-an-toan&id=637215&sid=1446"));

  AliasShapeGuard guard;
  const std::string twin = "http://a.vn/print/1501/";
  for (int i = 0; i < AliasShapeGuard::kLearnAfter; ++i) {
    EXPECT_FALSE(guard.refuses(twin + std::to_string(100 + i) + "/slug-of-it"));
    guard.observe(twin + std::to_string(100 + i) + "/slug-of-it", true);
  }
  EXPECT_TRUE(guard.refuses(twin + "999/another-slug-here"));
  // One fetch of the shape that led somewhere new, and the shape is never refused.
  guard.observe(twin + "998/new-one-here", false);
  EXPECT_FALSE(guard.refuses(twin + "999/another-slug-here"));
}

TEST(TrapGuards, RefusalsAreCountedOncePerGuardAndUrl) {
  RefusalCounter counter;
  std::map<std::string, int64_t> counts;
  EXPECT_TRUE(counter.count("step", "http://a.vn/?m=1", counts));
  EXPECT_FALSE(counter.count("step", "http://a.vn/?m=1", counts));
  EXPECT_TRUE(counter.count("depth", "http://a.vn/?m=1", counts));
  EXPECT_TRUE(counter.count("step", "http://a.vn/?m=2", counts));
  EXPECT_EQ(counts, (std::map<std::string, int64_t>{{"depth", 1}, {"step", 2}}));
}

TEST(TrapGuards, AListingPageLinkingOnlyThePreviousPagesArticlesIsNoticed) {
  ListingArticles pages;
  pages.remember("http://a.vn/tin?page=2", {"http://a.vn/tin/4", "http://a.vn/tin/5"});
  EXPECT_TRUE(pages.all_on("http://a.vn/tin?page=2", {"http://a.vn/tin/4", "http://a.vn/tin/5"}));
  EXPECT_TRUE(pages.all_on("http://a.vn/tin?page=2", {"http://a.vn/tin/5"}));
  EXPECT_TRUE(pages.all_on("http://a.vn/tin?page=2", {})) << "no article links: none new";
  EXPECT_FALSE(pages.all_on("http://a.vn/tin?page=2", {"http://a.vn/tin/5", "http://a.vn/tin/6"}));
  EXPECT_FALSE(pages.all_on("http://a.vn/tin?page=1", {})) << "a page not remembered";
  for (size_t i = 0; i < ListingArticles::kMaxPages; ++i) {
    pages.remember("http://a.vn/tin?page=" + std::to_string(i + 10), {});
  }
  EXPECT_FALSE(pages.all_on("http://a.vn/tin?page=2", {})) << "the oldest page is forgotten";
}

}  // namespace
}  // namespace provarc
