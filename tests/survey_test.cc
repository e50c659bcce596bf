// Unit tests of survey/'s pure pieces: platform detection from markers, URL sets generalised into
// anchored patterns (issue 14).
#include "survey/survey.h"

#include <gtest/gtest.h>

#include "html/pattern.h"

namespace provarc {
namespace {

bool matches(const std::string& pattern, const std::string& url) {
  auto p = Pattern::compile(pattern);
  EXPECT_TRUE(p.ok()) << pattern;
  return p.ok() && p->matches(url) == Pattern::Found::kYes;
}

TEST(DetectPlatform, NamesTheFamilyAndItsMarkers) {
  PlatformGuess sp = detect_platform(
      {"<form><input name=__VIEWSTATE><input id=__REQUESTDIGEST><a href='/_layouts/x.aspx'>"});
  EXPECT_EQ(sp.platform, "sharepoint");  // over ASP.NET, whose markers it also shows
  ASSERT_EQ(sp.evidence.size(), 2u);
  EXPECT_EQ(sp.evidence[0], "`/_layouts/` on 1 of 1 page");
  EXPECT_EQ(detect_platform({"<input name=__VIEWSTATE><a href=/a.aspx>"}).platform, "aspnet");
  EXPECT_EQ(detect_platform({"<a href=/web/guest/x?p_p_id=1>"}).platform, "liferay");
  EXPECT_EQ(detect_platform({"<div class=wpsPortletBody><a href=/wps/portal/x>"}).platform,
            "websphere");
  // One marker is not evidence enough.
  PlatformGuess one = detect_platform({"<a href=/tin.aspx>"});
  EXPECT_EQ(one.platform, "generic");
  EXPECT_FALSE(one.evidence.empty());
}

TEST(GeneraliseUrls, IdsAndSlugsBecomeClassesAnchoredBothEnds) {
  std::string p = generalise_urls({"http://h/tin-tuc/hoi-nghi-a-tai-x-2312.html",
                                   "http://h/tin-tuc/so-ket-b-tai-x-2311.html"});
  EXPECT_EQ(p, "^https?://[^/]+/tin-tuc/[a-z0-9-]+-\\d+\\.html$");
  EXPECT_TRUE(matches(p, "https://other:8080/tin-tuc/mot-bai-moi-9.html"));
  EXPECT_FALSE(matches(p, "http://h/tin-tuc/mot-bai-moi-9.html?print=1"));  // the print twin
  EXPECT_FALSE(matches(p, "http://h/x/tin-tuc/mot-bai-moi-9.html"));

  std::string q = generalise_urls({"http://h/ChiTietTin.aspx?ID=1212", "http://h/ChiTietTin.aspx?ID=7"});
  EXPECT_EQ(q, "^https?://[^/]+/ChiTietTin\\.aspx\\?ID=\\d+$");
}

TEST(GeneraliseUrls, PagesOfTheShapeThatAreNoArticlesAreKeptOut) {
  std::string p = generalise_urls({"http://h/Pages/hoi-nghi-a.aspx", "http://h/Pages/so-ket-b.aspx"},
                                  {"http://h/Pages/tin-tuc.aspx"});
  EXPECT_TRUE(matches(p, "http://h/Pages/tap-huan-c.aspx"));
  EXPECT_FALSE(matches(p, "http://h/Pages/tin-tuc.aspx"));
}

TEST(GeneraliseUrls, ShuffledParametersMatchInAnyOrderAndNoOtherParameter) {
  std::string p = generalise_urls({"http://h/News/Detail.aspx?cat=3&newsid=1201",
                                   "http://h/News/Detail.aspx?newsid=1202&cat=3"},
                                  {}, /*any_order=*/true);
  EXPECT_TRUE(matches(p, "http://h/News/Detail.aspx?newsid=7&cat=3"));
  EXPECT_TRUE(matches(p, "http://h/News/Detail.aspx?cat=3&newsid=7"));
  EXPECT_FALSE(matches(p, "http://h/News/Detail.aspx?cat=3&newsid=7&print=1"));
  EXPECT_FALSE(matches(p, "http://h/News/Detail.aspx?cat=4&newsid=7"));
}

TEST(GeneralisePrefix, NumbersOnly) {
  EXPECT_EQ(generalise_prefix({"http://h/tin-tuc?page=2"}), "^https?://[^/]+/tin-tuc\\?page=\\d+");
  EXPECT_EQ(generalise_prefix({"http://h/lich/2024/05"}), "^https?://[^/]+/lich/\\d+/\\d+");
  EXPECT_EQ(generalise_prefix({"http://h/lich?ngay=2026-12-07"}),
            "^https?://[^/]+/lich\\?ngay=\\d+-\\d+-\\d+");
}

}  // namespace
}  // namespace provarc
