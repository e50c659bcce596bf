// Tests for crawler/url_canon.h: one canonical spelling per resource.
#include "crawler/url_canon.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

std::string canon(std::string_view url, const std::vector<std::string>& strip = {}) {
  auto result = canonicalize_url(url, strip);
  EXPECT_TRUE(result.ok()) << url << ": " << (result.ok() ? "" : result.error());
  return result.ok() ? *result : "";
}

TEST(UrlCanon, LowercasesSchemeAndHostAndDropsDefaultPortAndFragment) {
  EXPECT_EQ(canon("HTTP://SoTTTT.BacKan.GOV.VN:80/Pages/Tin.aspx#top"),
            "http://sotttt.backan.gov.vn/Pages/Tin.aspx");
  EXPECT_EQ(canon("https://example.vn:443/"), "https://example.vn/");
  EXPECT_EQ(canon("http://example.vn:8080/x"), "http://example.vn:8080/x");
  EXPECT_EQ(canon("http://example.vn"), "http://example.vn/");
  EXPECT_EQ(canon("http://example.vn./a"), "http://example.vn/a");
}

TEST(UrlCanon, DropsUserInfoAndDotSegments) {
  EXPECT_EQ(canon("http://user:pw@example.vn/a/./b/../c"), "http://example.vn/a/c");
}

TEST(UrlCanon, NormalisesPercentEncoding) {
  // Raw Vietnamese, lowercase escapes and escaped unreserved characters all meet in one form.
  std::string expected = "http://example.vn/tin-t%E1%BB%A9c/a~b";
  EXPECT_EQ(canon("http://example.vn/tin-tức/a~b"), expected);
  EXPECT_EQ(canon("http://example.vn/tin-t%e1%bb%a9c/a%7Eb"), expected);
  EXPECT_EQ(canon("http://example.vn/%74in-t%E1%BB%A9c/a%7eb"), expected);
  // Reserved characters stay escaped (a %2F is not a path separator).
  EXPECT_EQ(canon("http://example.vn/a%2fb"), "http://example.vn/a%2Fb");
  // A stray '%' becomes %25; spaces are escaped.
  EXPECT_EQ(canon("http://example.vn/100%/a b"), "http://example.vn/100%25/a%20b");
  EXPECT_EQ(canon("http://example.vn/?q=ph%c3%a1t"), "http://example.vn/?q=ph%C3%A1t");
}

TEST(UrlCanon, InternationalHostsStayInUtf8WithAsciiLowercased) {
  EXPECT_EQ(canon("http://THÔNG-tin.vn/"), "http://thÔng-tin.vn/");
  EXPECT_EQ(canon("http://xn--thng-tin-5za.VN/"), "http://xn--thng-tin-5za.vn/");
}

TEST(UrlCanon, RemovesSessionIds) {
  EXPECT_EQ(canon("http://example.vn/p.jsp;jsessionid=ABC123?id=7"), "http://example.vn/p.jsp?id=7");
  EXPECT_EQ(canon("http://example.vn/p.jsp;JSESSIONID=ABC123"), "http://example.vn/p.jsp");
  EXPECT_EQ(canon("http://example.vn/(S(lit3py55t21z5v55vlm25s55))/Default.aspx?id=1"),
            "http://example.vn/Default.aspx?id=1");
  EXPECT_EQ(canon("http://example.vn/a?PHPSESSID=deadbeef&id=2&ASPSESSIONIDQQ=XY&cfid=1&cftoken=2"),
            "http://example.vn/a?id=2");
  // sid is a session only when it looks like one (32 hex digits); Trà Vinh's sid=1446 stays.
  EXPECT_EQ(canon("http://example.vn/Default.aspx?sid=1446&id=637244"),
            "http://example.vn/Default.aspx?sid=1446&id=637244");
  EXPECT_EQ(canon("http://example.vn/a?sid=0123456789abcdef0123456789ABCDEF&id=1"),
            "http://example.vn/a?id=1");
}

TEST(UrlCanon, RemovesConfiguredQueryParametersCaseInsensitively) {
  EXPECT_EQ(canon("http://example.vn/a?utm_source=x&id=3&UTM_Medium=y&&", {"utm_source", "utm_medium"}),
            "http://example.vn/a?id=3");
  EXPECT_EQ(canon("http://example.vn/a?utm_source=x", {"utm_source"}), "http://example.vn/a");
  // The order of the remaining parameters is kept: it may matter to the server.
  EXPECT_EQ(canon("http://example.vn/a?b=2&a=1"), "http://example.vn/a?b=2&a=1");
}

TEST(UrlCanon, IsIdempotent) {
  for (const char* url : {"HTTP://Example.VN:80/tin-tức/%7e?x=%c3%a1&PHPSESSID=1#f",
                          "http://example.vn/a%2fb?c=d%20e", "https://example.vn:8443/(S(ab))/x"}) {
    std::string once = canon(url);
    EXPECT_EQ(canon(once), once) << url;
  }
}

TEST(UrlCanon, RejectsWhatIsNotAnAbsoluteHttpUrl) {
  for (const char* url : {"", "/relative/path", "mailto:a@b.vn", "javascript:void(0)",
                          "ftp://example.vn/file", "http://"}) {
    auto result = canonicalize_url(url);
    EXPECT_FALSE(result.ok()) << url;
  }
  auto result = canonicalize_url(std::string_view("http://a.vn/\0x", 14));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("malformed URL"), std::string::npos);
}

TEST(UrlCanon, SurvivesHostileInput) {
  std::string long_path = "http://example.vn/" + std::string(200000, 'a') + "%" + "%zz" +
                          std::string(1000, '\xff');
  auto result = canonicalize_url(long_path);
  if (result.ok()) EXPECT_NE(result->find("%25zz"), std::string::npos);
  std::string many_params = "http://example.vn/?";
  for (int i = 0; i < 20000; ++i) many_params += "jsessionid=" + std::to_string(i) + "&";
  auto stripped = canonicalize_url(many_params);
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(*stripped, "http://example.vn/");
}

TEST(UrlCanon, PathAndQueryAndOrigin) {
  EXPECT_EQ(*url_path_and_query("http://example.vn:8080/a/b?c=1#x"), "/a/b?c=1");
  EXPECT_EQ(*url_path_and_query("http://example.vn"), "/");
  EXPECT_EQ(*url_origin("HTTP://Example.VN:80/a"), "http://example.vn");
  EXPECT_EQ(*url_origin("https://example.vn:8443/a"), "https://example.vn:8443");
  EXPECT_FALSE(url_origin("not a url").ok());
}

TEST(UrlCanon, NormalizePercentEncodingAlone) {
  EXPECT_EQ(normalize_percent_encoding("/a%41%2f%zz%4"), "/aA%2F%25zz%254");
  EXPECT_EQ(normalize_percent_encoding(""), "");
}

}  // namespace
}  // namespace provarc
