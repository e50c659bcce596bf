// crawler/robots.h: the robots.txt parser and matcher (RFC 9309): which URLs a crawler may fetch,
// the line that decided it, the Crawl-delay and the Sitemap: lines.
//
// Implements the Robots Exclusion Protocol of RFC 9309 (September 2022):
//  - records are "key: value" lines, keys case-insensitive; lines end in LF, CR or CRLF; '#' starts
//    a comment; a UTF-8 byte-order mark (or a prefix of one) at the start is skipped;
//  - a group is one or more consecutive user-agent lines followed by rules; only an allow,
//    disallow or crawl-delay line ends the run of user-agent lines, so blank, unknown and sitemap
//    lines between user-agent lines do not split a group; rules before the first user-agent line
//    are ignored;
//  - the groups naming the crawler's product token (case-insensitively) are merged; the `*`
//    groups apply only when no group names it; with neither, everything is allowed;
//  - the most specific rule wins: the one whose pattern has the most octets; an allow wins a tie;
//    `*` matches any run of characters, a final `$` anchors at the end, an empty pattern matches
//    nothing; `/robots.txt` itself is always allowed (2.2.2);
//  - before comparison both the pattern and the URL's path are normalised: octets outside ASCII
//    (and spaces and controls) are percent-encoded, %xx of an unreserved character (A-Z a-z 0-9
//    - . _ ~) is decoded, other %xx get uppercase hex; so "/tin-tức" and "/tin-t%E1%BB%A9c"
//    match each other and so do "/%62az" and "/baz" (RFC 9309 2.2.2's table);
//  - the first 500 KiB are parsed (2.5); a line cut by that limit is dropped;
//  - allow_all() and disallow_all() stand for an unavailable (4xx) and an unreachable (5xx,
//    network error) robots.txt (2.3.1.3, 2.3.1.4).
//
// Where it deviates from the RFC, it follows google/robotstxt, whose behaviour the big crawlers and
// most webmasters rely on:
//  - a user-agent line's value counts up to its first character outside [A-Za-z_-]:
//    "Googlebot/2.1" names "Googlebot", "Foo Bar" names "Foo";
//  - common misspellings are accepted: "useragent", "user agent", "dissallow", "dissalow",
//    "disalow", "diasllow", "disallaw", "site-map", "crawldelay"; a missing colon is accepted
//    when the line is exactly two words ("disallow /x");
//  - Crawl-delay (not in the RFC) is read: a non-negative decimal number of seconds; it belongs
//    to its group like a rule, so it ends a run of user-agent lines (google/robotstxt ignores it
//    and would merge "User-agent: a / Crawl-delay: 5 / User-agent: b / Disallow: /" into one).
// Unlike google/robotstxt it does not treat a final "index.html" in a pattern like "/".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provarc {

// A parsed robots.txt. Immutable once built: a RobotsTxt may be read from many threads at once.
class RobotsTxt {
 public:
  // The answer to "may this agent fetch this URL", with the evidence.
  struct Decision {
    bool allowed = true;
    int line = 0;              // 1-based line of the deciding rule; 0 when no rule decided
    std::string rule;          // that rule, e.g. "Disallow: /private" (pattern as written)
    std::string group_agents;  // user-agent values of the group(s) that applied: "*", "a, b"
    std::string note;          // when line == 0, why: "no matching rule", ...
  };

  // Parses robots.txt bytes: any bytes (BOM, CR/LF/CRLF, invalid UTF-8, HTML, binary). Only the
  // first kMaxBytes are parsed; the rest is ignored. Never fails: what is not a record is skipped.
  static RobotsTxt parse(std::string_view bytes);

  // The robots.txt of a site that has none (4xx): everything is allowed.
  static RobotsTxt allow_all();
  // The robots.txt of a site that cannot be reached (5xx, network error): everything but
  // /robots.txt is disallowed.
  static RobotsTxt disallow_all();

  // Decides whether `user_agent` may fetch `url`. `user_agent` is a product token ("provarc") or
  // a whole User-Agent string ("provarc/0.1 (+https://...)"), from which the token is taken: the
  // text before the first character outside [A-Za-z0-9_-]. `url` is an absolute http(s) URL or a
  // path with optional query ("/a/b?c"); its fragment is ignored. Anything else (an empty or
  // malformed URL) is matched as "/", as google/robotstxt does.
  Decision check(std::string_view user_agent, std::string_view url) const;

  // check(user_agent, url).allowed.
  bool allowed(std::string_view user_agent, std::string_view url) const;

  // The Crawl-delay of the group(s) that apply to `user_agent`, in seconds; when they give
  // several, the largest (the politer one). nullopt when none gives a valid one.
  std::optional<double> crawl_delay_seconds(std::string_view user_agent) const;

  // The absolute http(s) URLs of the Sitemap: lines, wherever they appear, in file order, without
  // duplicates. Relative or malformed values are skipped.
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

  // RFC 9309 2.5: crawlers must parse at least 500 KiB.
  static constexpr size_t kMaxBytes = 500 * 1024;

 private:
  struct Rule {
    bool allow = false;
    int line = 0;
    std::string pattern;  // normalised (see the top of this file); never empty
    std::string written;  // the value as written in the file, for explanations
  };
  struct Group {
    std::vector<std::string> agents;  // user-agent values as written
    std::vector<Rule> rules;
    std::optional<double> crawl_delay;
  };
  enum class Availability { kParsed, kUnavailable, kUnreachable };

  class Parser;  // robots.cc: builds a RobotsTxt line by line

  // The groups that apply to the product token `token` (lowercase): its own, else the `*` ones.
  std::vector<const Group*> groups_for(const std::string& token) const;

  Availability availability_ = Availability::kParsed;
  std::vector<Group> groups_;
  std::unordered_map<std::string, std::vector<size_t>> groups_by_agent_;  // lowercase token
  std::vector<size_t> global_groups_;                                      // `*` groups
  std::vector<std::string> sitemaps_;
};

// The product token of a User-Agent string: its text before the first character outside
// [A-Za-z0-9_-], e.g. "provarc" for "provarc/0.1 (+https://example.org)". May be empty.
std::string_view robots_product_token(std::string_view user_agent);

// The form in which RobotsTxt compares paths and patterns (see the top of this file): non-ASCII
// octets, spaces and controls percent-encoded, %xx of unreserved characters decoded, other %xx
// uppercased. '*' and '$' are left alone. Output is at most three times the input.
std::string normalize_robots_path(std::string_view path);

// True when the robots.txt `pattern` (normalised, non-empty) matches the normalised `path`:
// `*` matches any run of octets, a final `$` requires the path to end there, and otherwise the
// pattern need only match a prefix of the path. Linear time, O(|pattern| + |path|); no recursion.
bool robots_pattern_matches(std::string_view pattern, std::string_view path);

}  // namespace provarc
