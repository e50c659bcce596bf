#include "crawler/robots_policy.h"

#include "common/url.h"

namespace provarc {
namespace {

RobotsVerdict allow_all(std::string reason) {
  RobotsVerdict verdict;
  verdict.kind = RobotsVerdict::Kind::kAllowAll;
  verdict.reason = std::move(reason);
  return verdict;
}

RobotsVerdict disallow_all(const Capture& answer, WallTime now, std::string reason) {
  RobotsVerdict verdict;
  verdict.kind = RobotsVerdict::Kind::kDisallowAll;
  verdict.rules = RobotsTxt::disallow_all();
  verdict.reason = std::move(reason);
  if (answer.status == 429 || answer.status == 503) {
    verdict.retry_after =
        parse_retry_after(header_value(answer.response_headers, "Retry-After"), now);
  }
  return verdict;
}

std::string http(int status) { return "HTTP " + std::to_string(status); }

}  // namespace

RobotsVerdict robots_verdict(const Capture& answer, int redirects, WallTime now) {
  constexpr const char* kUnreachable =
      ": robots.txt unreachable, everything disallowed (RFC 9309 2.3.1.4)";
  if (answer.outcome == CaptureOutcome::kError) {
    return disallow_all(answer, now, answer.error + kUnreachable);
  }
  const int status = answer.status;
  if (status >= 200 && status < 300) {
    RobotsVerdict verdict;
    verdict.kind = RobotsVerdict::Kind::kRules;
    verdict.rules = RobotsTxt::parse(answer.body);
    return verdict;
  }
  if (status >= 300 && status < 400) {
    if (redirects >= kMaxRobotsRedirects) {
      return allow_all("more than " + std::to_string(kMaxRobotsRedirects) +
                       " redirects: robots.txt unavailable, everything allowed (RFC 9309 2.3.1.2)");
    }
    if (answer.redirect_target.empty() || !parse_url(answer.redirect_target).ok()) {
      return allow_all(http(status) + " without a usable Location: robots.txt unavailable, " +
                       "everything allowed (RFC 9309 2.3.1.2)");
    }
    RobotsVerdict verdict;
    verdict.kind = RobotsVerdict::Kind::kFollow;
    verdict.follow = answer.redirect_target;
    return verdict;
  }
  if (status == 429) {
    return disallow_all(answer, now,
                        http(status) + ": too many requests: robots.txt unreachable, everything " +
                            "disallowed until it is asked again (as 5xx, RFC 9309 2.3.1.4)");
  }
  if (status >= 400 && status < 500) {
    return allow_all(http(status) +
                     ": robots.txt unavailable, everything allowed (RFC 9309 2.3.1.3)");
  }
  return disallow_all(answer, now, http(status) + kUnreachable);
}

FetchRequest robots_request(const std::string& url, const std::string& user_agent,
                            const CrawlRules& rules) {
  FetchRequest request = request_with_rules(url, user_agent, rules);
  request.max_body_bytes = kRobotsFetchBytes;
  request.keep_truncated_body = true;  // RFC 9309 2.5: parse what fits, ignore the rest
  return request;
}

}  // namespace provarc
