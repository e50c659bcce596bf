// Unit tests of crawler/robots.h: parsing, group selection, precedence, pattern matching,
// normalisation, Crawl-delay, Sitemap, limits and hostile input.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "crawler/robots.h"

namespace provarc {
namespace {

using namespace std::string_literals;

constexpr char kAgent[] = "provarc/0.1 (+https://example.org/provarc)";

RobotsTxt::Decision check(std::string_view robots, std::string_view url,
                          std::string_view agent = kAgent) {
  return RobotsTxt::parse(robots).check(agent, url);
}

// ---- product tokens and groups ------------------------------------------------------------------

TEST(RobotsProductToken, IsTheUserAgentUpToItsFirstOtherCharacter) {
  EXPECT_EQ(robots_product_token("provarc/0.1 (+https://example.org)"), "provarc");
  EXPECT_EQ(robots_product_token("Foo_Bot-2 x"), "Foo_Bot-2");
  EXPECT_EQ(robots_product_token("provarc"), "provarc");
  EXPECT_EQ(robots_product_token("/0.1"), "");
  EXPECT_EQ(robots_product_token(""), "");
}

TEST(RobotsGroups, SpecificGroupBeatsStarGroupAndMatchesCaseInsensitively) {
  std::string robots =
      "User-agent: *\n"
      "Disallow: /\n"
      "\n"
      "User-agent: PROVARC\n"
      "Disallow: /private\n";
  EXPECT_TRUE(check(robots, "https://example.org/tin-tuc").allowed);
  RobotsTxt::Decision d = check(robots, "https://example.org/private/a");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.line, 5);
  EXPECT_EQ(d.rule, "Disallow: /private");
  EXPECT_EQ(d.group_agents, "PROVARC");
  // Another crawler falls back to the * group.
  RobotsTxt::Decision other = check(robots, "https://example.org/tin-tuc", "OtherBot/2.0");
  EXPECT_FALSE(other.allowed);
  EXPECT_EQ(other.line, 2);
  EXPECT_EQ(other.group_agents, "*");
}

TEST(RobotsGroups, ConsecutiveUserAgentLinesShareTheirRules) {
  std::string robots =
      "User-agent: a\n"
      "# a comment does not split the group\n"
      "User-agent: provarc\n"
      "\n"
      "User-agent: b\n"
      "Disallow: /x\n"
      "User-agent: c\n"
      "Disallow: /y\n";
  RobotsTxt::Decision d = check(robots, "/x");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.group_agents, "a, provarc, b");
  EXPECT_TRUE(check(robots, "/y").allowed);
  EXPECT_FALSE(check(robots, "/y", "c").allowed);
}

TEST(RobotsGroups, GroupsForTheSameAgentAreMerged) {
  std::string robots =
      "User-agent: provarc\n"
      "Disallow: /a\n"
      "User-agent: other\n"
      "Disallow: /b\n"
      "User-agent: provarc\n"
      "Disallow: /c\n";
  EXPECT_FALSE(check(robots, "/a").allowed);
  EXPECT_TRUE(check(robots, "/b").allowed);
  RobotsTxt::Decision d = check(robots, "/c/d");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.line, 6);
}

TEST(RobotsGroups, RulesBeforeAnyUserAgentAreIgnored) {
  std::string robots =
      "Disallow: /\n"
      "User-agent: *\n"
      "Disallow: /admin\n";
  EXPECT_TRUE(check(robots, "/tin-tuc").allowed);
  EXPECT_FALSE(check(robots, "/admin").allowed);
}

TEST(RobotsGroups, UserAgentLineNamesTheAgentUpToItsFirstOtherCharacter) {
  // As google/robotstxt: "provarc/1.0" in the file names "provarc", digits end the name.
  EXPECT_FALSE(check("User-agent: provarc/1.0\nDisallow: /\n", "/a").allowed);
  EXPECT_FALSE(check("User-agent: provarc crawler\nDisallow: /\n", "/a").allowed);
  EXPECT_TRUE(check("User-agent: provarcbot\nDisallow: /\n", "/a").allowed);
  EXPECT_TRUE(check("User-agent: prov\nDisallow: /\n", "/a").allowed);
}

TEST(RobotsGroups, NoGroupMeansEverythingAllowed) {
  RobotsTxt::Decision d = check("User-agent: other\nDisallow: /\n", "/a");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.line, 0);
  EXPECT_EQ(d.rule, "");
  EXPECT_EQ(d.group_agents, "");
  EXPECT_NE(d.note.find("no group"), std::string::npos) << d.note;
}

TEST(RobotsGroups, AnEmptyAgentOnlyGetsTheStarGroup) {
  std::string robots = "User-agent: 123\nDisallow: /\nUser-agent: *\nDisallow: /star\n";
  EXPECT_TRUE(check(robots, "/a", "").allowed);
  EXPECT_FALSE(check(robots, "/star", "").allowed);
}

// ---- precedence ---------------------------------------------------------------------------------

TEST(RobotsPrecedence, LongestPatternWinsWhateverTheOrder) {
  std::string robots =
      "User-agent: *\n"
      "Allow: /tin-tuc/\n"
      "Disallow: /tin-tuc/noi-bo\n"
      "Disallow: /\n";
  EXPECT_TRUE(check(robots, "/tin-tuc/a.html").allowed);
  RobotsTxt::Decision d = check(robots, "/tin-tuc/noi-bo/1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.rule, "Disallow: /tin-tuc/noi-bo");
  EXPECT_EQ(check(robots, "/khac").line, 4);
}

TEST(RobotsPrecedence, AllowWinsATie) {
  RobotsTxt::Decision d = check("User-agent: *\nDisallow: /a\nAllow: /a\n", "/a/b");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.rule, "Allow: /a");
  // Pattern length counts `*` and `$`: "/*.pdf$" (7) beats "/files" (6).
  std::string robots = "User-agent: *\nAllow: /files\nDisallow: /*.pdf$\n";
  EXPECT_FALSE(check(robots, "/files/a.pdf").allowed);
  EXPECT_TRUE(check(robots, "/files/a.pdf?x").allowed);
}

TEST(RobotsPrecedence, EmptyDisallowMatchesNothing) {
  RobotsTxt::Decision d = check("User-agent: *\nDisallow:\n", "/anything");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.line, 0);
  EXPECT_EQ(d.note, "no matching rule");
  EXPECT_EQ(d.group_agents, "*");
}

TEST(RobotsPrecedence, RobotsTxtItselfIsAlwaysAllowed) {
  RobotsTxt robots = RobotsTxt::parse("User-agent: *\nDisallow: /\n");
  EXPECT_TRUE(robots.allowed(kAgent, "https://example.org/robots.txt"));
  EXPECT_TRUE(robots.allowed(kAgent, "/robots.txt?x=1"));
  EXPECT_FALSE(robots.allowed(kAgent, "/robots.txt.bak"));
  EXPECT_TRUE(RobotsTxt::disallow_all().allowed(kAgent, "/robots.txt"));
}

// ---- patterns -----------------------------------------------------------------------------------

TEST(RobotsPattern, PrefixWildcardAndEndAnchor) {
  EXPECT_TRUE(robots_pattern_matches("/fish", "/fish.html"));
  EXPECT_FALSE(robots_pattern_matches("/fish", "/Fish"));
  EXPECT_TRUE(robots_pattern_matches("/*.php", "/a/b.php?x"));
  EXPECT_TRUE(robots_pattern_matches("/*.php$", "/a/b.php"));
  EXPECT_FALSE(robots_pattern_matches("/*.php$", "/a/b.php?x"));
  EXPECT_FALSE(robots_pattern_matches("/*.php$", "/a/b.php5"));
  EXPECT_TRUE(robots_pattern_matches("/a$", "/a"));
  EXPECT_FALSE(robots_pattern_matches("/a$", "/ab"));
  EXPECT_TRUE(robots_pattern_matches("/a*", "/a"));
  EXPECT_TRUE(robots_pattern_matches("/a*$", "/abc"));
  EXPECT_TRUE(robots_pattern_matches("/*", "/"));
  EXPECT_TRUE(robots_pattern_matches("*", "/x"));
  EXPECT_TRUE(robots_pattern_matches("/**a**b", "/xaxb"));
  EXPECT_FALSE(robots_pattern_matches("/*b*a", "/ab"));
  EXPECT_TRUE(robots_pattern_matches("/a*b*c$", "/abcbc"));
  EXPECT_FALSE(robots_pattern_matches("/a*bc$", "/abcb"));
  // The tail must not overlap what the middle segments used.
  EXPECT_FALSE(robots_pattern_matches("/*ab*b$", "/ab"));
  EXPECT_TRUE(robots_pattern_matches("/*ab*b$", "/abb"));
  // `$` is an anchor only at the end; elsewhere it is an ordinary octet.
  EXPECT_TRUE(robots_pattern_matches("/a$b", "/a$bc"));
  EXPECT_FALSE(robots_pattern_matches("/a$b", "/ab"));
  // A pattern not starting with '/' matches no path (as google/robotstxt).
  EXPECT_FALSE(robots_pattern_matches("fish", "/fish"));
}

// The textbook dynamic program, as a reference: reachable[j] is true when the pattern read so far
// can match path[0, j). Slow (O(|pattern| * |path|)) but obviously right.
bool reference_match(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  std::vector<bool> reachable(path.size() + 1, false);
  reachable[0] = true;
  for (char p : pattern) {
    std::vector<bool> next(path.size() + 1, false);
    for (size_t j = 0; j <= path.size(); ++j) {
      if (p == '*') {
        next[j] = reachable[j] || (j > 0 && next[j - 1]);
      } else {
        next[j] = j > 0 && reachable[j - 1] && path[j - 1] == p;
      }
    }
    reachable = std::move(next);
  }
  if (anchored) return reachable[path.size()];
  for (bool r : reachable) {
    if (r) return true;
  }
  return false;
}

TEST(RobotsPattern, AgreesWithTheReferenceOnRandomInputs) {
  uint32_t state = 2024;
  auto next = [&state](uint32_t bound) {
    state = state * 1664525 + 1013904223;
    return (state >> 8) % bound;
  };
  static constexpr char kPatternChars[] = "/ab*$";
  static constexpr char kPathChars[] = "/ab$";
  for (int i = 0; i < 50000; ++i) {
    std::string pattern, path;
    for (uint32_t n = next(9); n > 0; --n) pattern += kPatternChars[next(5)];
    for (uint32_t n = next(9); n > 0; --n) path += kPathChars[next(4)];
    ASSERT_EQ(robots_pattern_matches(pattern, path), reference_match(pattern, path))
        << "pattern \"" << pattern << "\" path \"" << path << "\"";
  }
}

TEST(RobotsPattern, ManyStarsAreNotExponential) {
  std::string pattern = "/";
  for (int i = 0; i < 5000; ++i) pattern += "*a";
  pattern += "*b$";
  std::string path = "/" + std::string(20000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(robots_pattern_matches(pattern, path));
  EXPECT_TRUE(robots_pattern_matches(pattern, path + "b"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
}

// ---- percent-encoding ---------------------------------------------------------------------------

TEST(RobotsNormalize, EncodesNonAsciiDecodesUnreservedUppercasesTheRest) {
  EXPECT_EQ(normalize_robots_path("/tin-tức"), "/tin-t%E1%BB%A9c");
  EXPECT_EQ(normalize_robots_path("/tin-t%e1%bb%a9c"), "/tin-t%E1%BB%A9c");
  EXPECT_EQ(normalize_robots_path("/%62%61%7A%7e"), "/baz~");
  EXPECT_EQ(normalize_robots_path("/a%2fb%3F%2a"), "/a%2Fb%3F%2A");  // reserved stay encoded
  EXPECT_EQ(normalize_robots_path("/a b\x01"), "/a%20b%01");
  EXPECT_EQ(normalize_robots_path("/100%"), "/100%");  // a stray '%' is left alone
  EXPECT_EQ(normalize_robots_path("/%zz%4"), "/%zz%4");
  EXPECT_EQ(normalize_robots_path("/*.php$"), "/*.php$");
}

TEST(RobotsNormalize, VietnamesePathsMatchWhicheverWayTheyAreWritten) {
  std::string raw = "User-agent: *\nDisallow: /tin-tức\n";
  std::string encoded = "User-agent: *\nDisallow: /tin-t%E1%BB%A9c\n";
  std::string lower = "User-agent: *\nDisallow: /tin-t%e1%bb%a9c\n";
  for (const std::string& robots : {raw, encoded, lower}) {
    EXPECT_FALSE(check(robots, "https://stttt.example.gov.vn/tin-tức/a").allowed) << robots;
    EXPECT_FALSE(check(robots, "https://stttt.example.gov.vn/tin-t%E1%BB%A9c/a").allowed);
    EXPECT_FALSE(check(robots, "/tin-t%e1%bb%a9c").allowed) << robots;
    EXPECT_TRUE(check(robots, "/tin-tuc").allowed) << robots;
  }
  // An encoded `*` in a pattern is an ordinary '*', not a wildcard.
  EXPECT_TRUE(check("User-agent: *\nDisallow: /a%2Ab\n", "/axb").allowed);
  EXPECT_FALSE(check("User-agent: *\nDisallow: /a%2Ab\n", "/a%2ab").allowed);
}

// ---- URLs ---------------------------------------------------------------------------------------

TEST(RobotsUrls, QueryCountsFragmentDoesNot) {
  std::string robots = "User-agent: *\nDisallow: /*?print=1\n";
  EXPECT_FALSE(check(robots, "https://example.org/a?print=1").allowed);
  EXPECT_FALSE(check(robots, "/a?print=1#top").allowed);
  EXPECT_TRUE(check(robots, "https://example.org/a#print=1").allowed);
  EXPECT_TRUE(check(robots, "/a#x").allowed);
}

TEST(RobotsUrls, MalformedUrlIsMatchedAsRoot) {
  std::string robots = "User-agent: *\nDisallow: /$\n";
  EXPECT_FALSE(check(robots, "").allowed);
  EXPECT_FALSE(check(robots, "not a url").allowed);
  EXPECT_FALSE(check(robots, "ftp://example.org/a").allowed);
  EXPECT_TRUE(check(robots, "https://example.org/a").allowed);
}

// ---- syntax -------------------------------------------------------------------------------------

TEST(RobotsSyntax, LineEndingsAndLineNumbers) {
  for (std::string_view eol : {"\n", "\r\n", "\r"}) {
    std::string robots = "User-agent: *";
    robots += eol;
    robots += eol;
    robots += "Disallow: /a";
    robots += eol;
    RobotsTxt::Decision d = check(robots, "/a");
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.line, 3) << "line ending " << (eol == "\r" ? "CR" : eol == "\n" ? "LF" : "CRLF");
  }
  // Mixed: "\r\n" is one line end, "\n\r" two.
  EXPECT_EQ(check("User-agent: *\r\n\n\rDisallow: /a", "/a").line, 4);
}

TEST(RobotsSyntax, ByteOrderMarkAndComments) {
  RobotsTxt::Decision d = check("\xEF\xBB\xBFUser-agent: * # all\nDisallow: /a # not /b\n", "/a");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.rule, "Disallow: /a");
  EXPECT_TRUE(check("User-agent: *\n# Disallow: /\nDisallow: /a#b\n", "/b").allowed);
}

TEST(RobotsSyntax, KeysAreCaseInsensitiveAndCommonTyposAccepted) {
  EXPECT_FALSE(check("USER-AGENT: *\nDISALLOW: /a\n", "/a").allowed);
  EXPECT_FALSE(check("user agent: *\ndissallow: /a\n", "/a").allowed);
  EXPECT_FALSE(check("useragent: *\ndisalow: /a\n", "/a").allowed);
  EXPECT_FALSE(check("User-agent: *\ndissalow: /a\ndiasllow: /b\ndisallaw: /c\n", "/c").allowed);
  // A missing colon is accepted when the line is exactly two words.
  RobotsTxt::Decision d = check("user-agent provarc\ndisallow /a\n", "/a");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "Disallow: /a");
  EXPECT_TRUE(check("user-agent *\ndisallow /a extra\n", "/a").allowed);
  // Space around the colon.
  EXPECT_FALSE(check("User-agent : *\nDisallow : /a\n", "/a").allowed);
  // Unknown keys and HTML are skipped without breaking the group.
  EXPECT_FALSE(check("User-agent: *\n<br />\nNoindex: /x\nDisallow: /a\n", "/a").allowed);
  EXPECT_TRUE(check("Disallowed: /a\nUser-agent: *\nDisallowed: /a\n", "/a").allowed);
}

// ---- Crawl-delay and Sitemap --------------------------------------------------------------------

TEST(RobotsCrawlDelay, FromTheGroupThatApplies) {
  std::string robots =
      "Crawl-delay: 99\n"  // outside any group: ignored
      "User-agent: *\n"
      "Crawl-delay: 10\n"
      "User-agent: provarc\n"
      "Crawl-delay: 2.5\n"
      "Disallow: /x\n"
      "User-agent: slow\n"
      "Crawl-delay: -1\n"
      "Crawl-delay: 1e3\n"
      "Crawl-delay: soon\n"
      "User-agent: twice\n"
      "Crawl-delay: 3\n"
      "crawldelay: .5\n";
  RobotsTxt parsed = RobotsTxt::parse(robots);
  EXPECT_EQ(parsed.crawl_delay_seconds(kAgent), 2.5);
  EXPECT_EQ(parsed.crawl_delay_seconds("other"), 10.0);
  EXPECT_EQ(parsed.crawl_delay_seconds("slow"), std::nullopt);
  EXPECT_EQ(parsed.crawl_delay_seconds("twice"), 3.0);  // the larger of several
  EXPECT_EQ(RobotsTxt::parse("").crawl_delay_seconds(kAgent), std::nullopt);
  EXPECT_EQ(RobotsTxt::disallow_all().crawl_delay_seconds(kAgent), std::nullopt);
}

TEST(RobotsSitemaps, AbsoluteOnlyAnywhereInFileOnce) {
  std::string robots =
      "Sitemap: https://example.org/sitemap.xml\n"
      "User-agent: *\n"
      "Disallow: /a\n"
      "sitemap: /relative.xml\n"
      "Site-map: http://example.org/news.xml # news\n"
      "SITEMAP: https://example.org/sitemap.xml\n"
      "Sitemap: javascript:alert(1)\n";
  RobotsTxt parsed = RobotsTxt::parse(robots);
  std::vector<std::string> expected = {"https://example.org/sitemap.xml",
                                       "http://example.org/news.xml"};
  EXPECT_EQ(parsed.sitemaps(), expected);
  // A Sitemap line between user-agent lines does not split the group.
  EXPECT_FALSE(check("User-agent: a\nSitemap: https://e.org/s.xml\nUser-agent: provarc\n"
                     "Disallow: /\n", "/x").allowed);
}

// ---- availability -------------------------------------------------------------------------------

TEST(RobotsAvailability, AllowAllAndDisallowAll) {
  RobotsTxt::Decision allow = RobotsTxt::allow_all().check(kAgent, "https://example.org/a");
  EXPECT_TRUE(allow.allowed);
  EXPECT_EQ(allow.line, 0);
  EXPECT_NE(allow.note.find("4xx"), std::string::npos) << allow.note;
  RobotsTxt::Decision deny = RobotsTxt::disallow_all().check(kAgent, "https://example.org/a");
  EXPECT_FALSE(deny.allowed);
  EXPECT_EQ(deny.line, 0);
  EXPECT_NE(deny.note.find("unreachable"), std::string::npos) << deny.note;
  EXPECT_TRUE(RobotsTxt::disallow_all().sitemaps().empty());
}

// ---- limits and hostile input -------------------------------------------------------------------

TEST(RobotsLimits, OnlyTheFirst500KiBAreParsed) {
  std::string robots = "User-agent: *\nDisallow: /early\n";
  while (robots.size() < RobotsTxt::kMaxBytes - 100) robots += "# padding padding padding\n";
  robots += "Disallow: /in-time\n";
  // A rule the limit cuts in half must not survive as a shorter (broader) rule.
  robots += "Disallow: /cut";
  robots.resize(RobotsTxt::kMaxBytes, 'x');
  robots += "y\nDisallow: /late\n";
  RobotsTxt parsed = RobotsTxt::parse(robots);
  EXPECT_FALSE(parsed.allowed(kAgent, "/early"));
  EXPECT_FALSE(parsed.allowed(kAgent, "/in-time"));
  EXPECT_TRUE(parsed.allowed(kAgent, "/cut"));
  EXPECT_TRUE(parsed.allowed(kAgent, "/cutxxxx"));
  EXPECT_TRUE(parsed.allowed(kAgent, "/late"));
  // A line that ends exactly at the limit is kept.
  std::string exact = "User-agent: *\n";
  exact += std::string(RobotsTxt::kMaxBytes - exact.size() - 13, '\n');
  exact += "Disallow: /ok";
  ASSERT_EQ(exact.size(), RobotsTxt::kMaxBytes);
  EXPECT_FALSE(RobotsTxt::parse(exact + "\nDisallow: /late\n").allowed(kAgent, "/ok"));
}

TEST(RobotsLimits, PathologicalFileIsFast) {
  // 500 KiB of rules built to hurt backtracking matchers: many stars, long near-misses.
  std::string robots = "User-agent: *\n";
  std::string stars = "/";
  for (int i = 0; i < 100; ++i) stars += "*a";
  std::string near_miss = "/*" + std::string(300, 'a') + "b";
  while (robots.size() < RobotsTxt::kMaxBytes - 1000) {
    robots += "Disallow: " + stars + "*b$\n";
    robots += "Allow: " + near_miss + "\n";
  }
  std::vector<std::string> urls = {"https://example.org/" + std::string(2000, 'a'),
                                   "https://example.org/" + std::string(2000, 'a') + "b",
                                   "https://example.org/tin-tuc/bai-viet-123.html"};
  auto start = std::chrono::steady_clock::now();
  RobotsTxt parsed = RobotsTxt::parse(robots);
  EXPECT_TRUE(parsed.allowed(kAgent, urls[0]));
  EXPECT_TRUE(parsed.allowed(kAgent, urls[1]));  // the Allow near-miss now matches, and is longer
  EXPECT_TRUE(parsed.allowed(kAgent, urls[2]));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

TEST(RobotsLimits, BinaryAndHugeLinesDoNotBreakIt) {
  std::string garbage;
  uint32_t state = 12345;
  for (int i = 0; i < 300000; ++i) {
    state = state * 1103515245 + 12345;
    garbage += static_cast<char>(state >> 24);
  }
  RobotsTxt parsed = RobotsTxt::parse(garbage);
  (void)parsed.check(kAgent, "/a");
  std::string one_line = "User-agent: *\nDisallow: /" + std::string(2 * RobotsTxt::kMaxBytes, 'a');
  EXPECT_TRUE(RobotsTxt::parse(one_line).allowed(kAgent, "/a"));  // the cut line is dropped
  std::string nul = "User-agent: *\nDisallow: /a\0b\n"s;
  EXPECT_FALSE(RobotsTxt::parse(nul).allowed(kAgent, "/a%00b"));
}

}  // namespace
}  // namespace provarc
