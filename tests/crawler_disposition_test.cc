// Tests for crawler/disposition.h: what becomes of a frontier entry after each kind of answer, and
// what the answer does to its host's politeness.
#include "crawler/disposition.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

using Kind = Disposition::Kind;
using std::chrono::milliseconds;

const WallTime kNow = *parse_utc("2026-11-21T08:00:00.000Z");

FetchResult answer(int status, std::vector<HttpHeader> headers = {}, const std::string& body = "") {
  FetchResult r;
  r.capture.url = "https://so.example.vn/tin-tuc/1.html";
  r.capture.status = status;
  r.capture.outcome = status == 304 ? CaptureOutcome::kNotModified : CaptureOutcome::kOk;
  r.capture.response_headers = std::move(headers);
  r.capture.body = body;
  return r;
}

FetchResult html(const std::string& type = "text/html; charset=utf-8") {
  return answer(200, {{"Content-Type", type}}, "<html><body><p>Tin</p></body></html>");
}

FetchResult no_answer(const std::string& error) {
  FetchResult r;
  r.capture.outcome = CaptureOutcome::kError;
  r.capture.error = error;
  return r;
}

struct Row {
  const char* name;
  FetchResult result;
  bool article_page;
  Kind kind;
  bool error;
  std::optional<milliseconds> retry_after;
  const char* reason;
  bool parse_as_article;
  bool not_modified;
};

TEST(Disposition, EveryKindOfAnswer) {
  FetchResult too_large = no_answer("body larger than 20971520 bytes (after decoding): cut off");
  too_large.body_too_large = true;
  FetchResult tls = no_answer("TLS certificate verification failed: self-signed");
  tls.tls_failure = true;
  FetchResult moved = answer(301, {{"Location", "/tin-tuc/2.html"}});
  moved.capture.redirect_target = "https://so.example.vn/tin-tuc/2.html";
  const std::vector<Row> rows = {
      {"200 article", html(), true, Kind::kDiscover, false, {}, "", true, false},
      {"200 other page", html(), false, Kind::kDiscover, false, {}, "", false, false},
      {"200 article, not HTML", answer(200, {{"Content-Type", "application/pdf"}}, "%PDF"), true,
       Kind::kDiscover, false, {}, "", false, false},
      {"304", answer(304), true, Kind::kDone, false, {}, "", false, true},
      {"301", moved, true, Kind::kRedirect, false, {}, "", false, false},
      {"302 without Location", answer(302), false, Kind::kDone, false, {}, "", false, false},
      {"404", answer(404), true, Kind::kDone, false, {}, "", false, false},
      {"410", answer(410), true, Kind::kDone, false, {}, "", false, false},
      {"429", answer(429), true, Kind::kRetry, true, {}, "HTTP 429", false, false},
      {"429 Retry-After", answer(429, {{"Retry-After", "90"}}), true, Kind::kRetry, true,
       milliseconds(90000), "HTTP 429", false, false},
      {"503 Retry-After date", answer(503, {{"Retry-After", "Sat, 21 Nov 2026 08:01:00 GMT"}}),
       false, Kind::kRetry, true, milliseconds(60000), "HTTP 503", false, false},
      {"500 Retry-After ignored", answer(500, {{"Retry-After", "90"}}), false, Kind::kRetry, true,
       {}, "HTTP 500", false, false},
      {"timeout", no_answer("total timeout of 2000 ms reached"), true, Kind::kRetry, true, {},
       "total timeout of 2000 ms reached", false, false},
      {"body over the cap", too_large, true, Kind::kFail, true, {},
       "body larger than 20971520 bytes (after decoding): cut off", false, false},
      {"TLS", tls, true, Kind::kFail, true, {}, "TLS certificate verification failed: self-signed",
       false, false},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    Disposition d = decide(row.result, row.article_page, kNow);
    EXPECT_EQ(d.kind, row.kind);
    EXPECT_EQ(d.error, row.error);
    EXPECT_EQ(d.retry_after, row.retry_after);
    EXPECT_EQ(d.reason, row.reason);
    EXPECT_EQ(d.parse_as_article, row.parse_as_article);
    EXPECT_EQ(d.not_modified, row.not_modified);
    EXPECT_EQ(d.redirect, row.kind == Kind::kRedirect ? row.result.capture.redirect_target : "");
  }
}

TEST(Disposition, ThePoliteWaitFollowsTheKind) {
  PolitenessRules rules;
  rules.delay = milliseconds(1000);
  rules.max_backoff = milliseconds(60000);
  const SteadyTime t0 = SteadyTime() + std::chrono::hours(1);

  HostPoliteness host(rules);
  Disposition retry = decide(answer(503), false, kNow);
  EXPECT_EQ(apply_to_host(retry, host, t0), milliseconds(2000)) << "backoff: delay x 2";
  EXPECT_EQ(apply_to_host(retry, host, t0), milliseconds(4000));
  EXPECT_FALSE(host.ready(t0 + milliseconds(3999)));

  Disposition asked = decide(answer(429, {{"Retry-After", "30"}}), false, kNow);
  EXPECT_EQ(apply_to_host(asked, host, t0), milliseconds(30000)) << "the server's wait";
  EXPECT_FALSE(host.ready(t0 + milliseconds(29999)));
  EXPECT_TRUE(host.ready(t0 + milliseconds(30000)));
  EXPECT_EQ(host.failure_streak(), 3);

  FetchResult tls = no_answer("TLS");
  tls.tls_failure = true;
  EXPECT_EQ(apply_to_host(decide(tls, false, kNow), host, t0), milliseconds(0));
  EXPECT_EQ(host.failure_streak(), 3) << "a certificate says nothing of the host's health";

  EXPECT_EQ(apply_to_host(decide(answer(404), false, kNow), host, t0), milliseconds(0));
  EXPECT_EQ(host.failure_streak(), 0) << "an answer ends the streak";
}

TEST(Disposition, RetriesAreCountedUpToTheSitesMaximum) {
  FrontierEntry item;
  item.attempts = 3;
  EXPECT_EQ(retries_exhausted(item, 4, "HTTP 503"), std::nullopt) << "the fourth attempt";
  item.attempts = 4;
  EXPECT_EQ(retries_exhausted(item, 4, "HTTP 503"), "HTTP 503 (gave up after 5 attempts)");
  item.attempts = 0;
  EXPECT_EQ(retries_exhausted(item, 0, "timeout"), "timeout (gave up after 1 attempts)");
}

}  // namespace
}  // namespace provarc
