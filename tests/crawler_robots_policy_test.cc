// Tests for crawler/robots_policy.h: what every kind of robots.txt answer means (RFC 9309 2.3.1,
// with 429 read as unreachable), as one table.
#include "crawler/robots_policy.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

using Kind = RobotsVerdict::Kind;
using std::chrono::milliseconds;

const WallTime kNow = *parse_utc("2026-11-21T08:00:00.000Z");
const char* const kRules = "User-agent: *\nDisallow: /private\n";

Capture answer(int status, const std::string& body = "",
               std::vector<HttpHeader> headers = {}) {
  Capture c;
  c.url = "https://so.example.vn/robots.txt";
  c.status = status;
  c.body = body;
  c.response_headers = std::move(headers);
  return c;
}

Capture redirect(int status, const std::string& target) {
  Capture c = answer(status, "", {{"Location", target}});
  c.redirect_target = target;
  return c;
}

Capture network_error(const std::string& error) {
  Capture c;
  c.url = "https://so.example.vn/robots.txt";
  c.outcome = CaptureOutcome::kError;
  c.error = error;
  return c;
}

struct Row {
  const char* name;
  Capture answer;
  int redirects;
  Kind kind;
  bool private_allowed;  // what the verdict's rules say of /private
  bool page_allowed;     // ... of /tin-tuc/1
  std::optional<milliseconds> retry_after;
  const char* reason_has;  // "" when the verdict gives no reason
};

TEST(RobotsPolicy, EveryKindOfAnswerHasOneVerdict) {
  const std::vector<Row> rows = {
      // 2xx: the body is the rules (2.3.1.1), whatever else the answer says.
      {"200", answer(200, kRules), 0, Kind::kRules, false, true, {}, ""},
      {"204 empty", answer(204), 0, Kind::kRules, true, true, {}, ""},
      {"200 after 5 redirects", answer(200, kRules), 5, Kind::kRules, false, true, {}, ""},
      // 3xx: followed up to five times (2.3.1.2), then unavailable.
      {"301", redirect(301, "https://www.example.vn/robots.txt"), 0, Kind::kFollow, true, true,
       {}, ""},
      {"308 after 4", redirect(308, "https://cdn.example.vn/r.txt"), 4, Kind::kFollow, true, true,
       {}, ""},
      {"302 after 5", redirect(302, "https://www.example.vn/robots.txt"), 5, Kind::kAllowAll,
       true, true, {}, "more than 5 redirects"},
      {"302 without Location", answer(302), 0, Kind::kAllowAll, true, true, {},
       "without a usable Location"},
      {"302 to ftp", redirect(302, "ftp://example.vn/robots.txt"), 0, Kind::kAllowAll, true, true,
       {}, "without a usable Location"},
      // 4xx: unavailable, everything allowed (2.3.1.3), a body notwithstanding.
      {"404", answer(404, "User-agent: *\nDisallow: /\n"), 0, Kind::kAllowAll, true, true, {},
       "HTTP 404: robots.txt unavailable"},
      {"401", answer(401), 0, Kind::kAllowAll, true, true, {}, "RFC 9309 2.3.1.3"},
      {"403", answer(403), 0, Kind::kAllowAll, true, true, {}, "RFC 9309 2.3.1.3"},
      {"410", answer(410), 0, Kind::kAllowAll, true, true, {}, "RFC 9309 2.3.1.3"},
      // 429: the deliberate deviation: unreachable, as 5xx, honouring Retry-After.
      {"429", answer(429), 0, Kind::kDisallowAll, false, false, {}, "HTTP 429: too many requests"},
      {"429 Retry-After 120", answer(429, "", {{"Retry-After", "120"}}), 0, Kind::kDisallowAll,
       false, false, milliseconds(120000), "robots.txt unreachable"},
      {"429 Retry-After date", answer(429, "", {{"Retry-After", "Sat, 21 Nov 2026 08:05:00 GMT"}}),
       0, Kind::kDisallowAll, false, false, milliseconds(300000), "HTTP 429"},
      {"429 Retry-After garbage", answer(429, "", {{"Retry-After", "soon"}}), 0,
       Kind::kDisallowAll, false, false, {}, "HTTP 429"},
      // 5xx: unreachable, everything disallowed (2.3.1.4); a 503's Retry-After is honoured.
      {"500", answer(500, kRules), 0, Kind::kDisallowAll, false, false, {},
       "HTTP 500: robots.txt unreachable, everything disallowed (RFC 9309 2.3.1.4)"},
      {"500 Retry-After ignored", answer(500, "", {{"Retry-After", "60"}}), 0, Kind::kDisallowAll,
       false, false, {}, "HTTP 500"},
      {"503 Retry-After 30", answer(503, "", {{"Retry-After", "30"}}), 0, Kind::kDisallowAll,
       false, false, milliseconds(30000), "HTTP 503"},
      {"599", answer(599), 0, Kind::kDisallowAll, false, false, {}, "HTTP 599"},
      // Outside 200-599: not in the RFC; the cautious side.
      {"600", answer(600), 0, Kind::kDisallowAll, false, false, {}, "HTTP 600"},
      {"100", answer(100), 0, Kind::kDisallowAll, false, false, {}, "HTTP 100"},
      // No answer at all: unreachable (2.3.1.4).
      {"DNS", network_error("Could not resolve host: so.example.vn"), 0, Kind::kDisallowAll,
       false, false, {}, "Could not resolve host: so.example.vn: robots.txt unreachable"},
      {"timeout", network_error("total timeout of 120000 ms reached"), 0, Kind::kDisallowAll,
       false, false, {}, "RFC 9309 2.3.1.4"},
      {"reset", network_error("body cut short (the connection closed early)"), 3,
       Kind::kDisallowAll, false, false, {}, "cut short"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    RobotsVerdict v = robots_verdict(row.answer, row.redirects, kNow);
    EXPECT_EQ(v.kind, row.kind);
    EXPECT_EQ(v.rules.allowed("provarc", "/private"), row.private_allowed);
    EXPECT_EQ(v.rules.allowed("provarc", "/tin-tuc/1"), row.page_allowed);
    EXPECT_TRUE(v.rules.allowed("provarc", "/robots.txt")) << "always allowed (2.2.2)";
    EXPECT_EQ(v.retry_after, row.retry_after);
    if (*row.reason_has == '\0') {
      EXPECT_EQ(v.reason, "");
    } else {
      EXPECT_NE(v.reason.find(row.reason_has), std::string::npos) << v.reason;
    }
    if (row.kind == Kind::kFollow) {
      EXPECT_EQ(v.follow, row.answer.redirect_target);
    } else {
      EXPECT_EQ(v.follow, "");
    }
  }
}

TEST(RobotsPolicy, ABodyCutAtTheLimitIsParsedAsFarAsItGoes) {
  std::string body = "User-agent: *\nDisallow: /private\n";
  body += std::string(RobotsTxt::kMaxBytes, '#');
  body += "\nDisallow: /tin-tuc/\n";
  Capture cut = answer(200, body.substr(0, kRobotsFetchBytes));
  cut.error = "the first 512001 bytes are kept";
  RobotsVerdict v = robots_verdict(cut, 0, kNow);
  EXPECT_EQ(v.kind, Kind::kRules);
  EXPECT_FALSE(v.rules.allowed("provarc", "/private"));
  EXPECT_TRUE(v.rules.allowed("provarc", "/tin-tuc/1")) << "the rule past the limit is not read";
}

TEST(RobotsPolicy, TheRequestReadsOneBytePastTheParserAndKeepsACutBody) {
  CrawlRules rules;
  rules.connect_timeout_ms = 2000;
  rules.total_timeout_ms = 9000;
  rules.verify_tls = false;
  FetchRequest r = robots_request("https://so.example.vn/robots.txt", "provarc/1", rules);
  EXPECT_EQ(r.url, "https://so.example.vn/robots.txt");
  EXPECT_EQ(r.user_agent, "provarc/1");
  EXPECT_EQ(r.max_body_bytes, static_cast<int64_t>(RobotsTxt::kMaxBytes) + 1);
  EXPECT_TRUE(r.keep_truncated_body);
  EXPECT_EQ(r.connect_timeout_ms, 2000);
  EXPECT_EQ(r.total_timeout_ms, 9000);
  EXPECT_FALSE(r.verify_tls);
  EXPECT_TRUE(r.extra_headers.empty()) << "never a conditional GET";
}

}  // namespace
}  // namespace provarc
