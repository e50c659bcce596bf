#include "crawler/fetch_one.h"

#include <algorithm>
#include <thread>

#include "crawler/crawler.h"
#include "crawler/fetcher.h"
#include "crawler/http_time.h"
#include "crawler/robots.h"
#include "crawler/url_canon.h"

namespace provarc {
namespace {

constexpr int kMaxRobotsRedirects = 5;  // RFC 9309 2.3.1.2
constexpr int64_t kRobotsMaxBytes = RobotsTxt::kMaxBytes + 1;  // the parser reads no more

// Runs one request to completion.
FetchResult fetch(Fetcher& fetcher, const FetchRequest& request) {
  fetcher.start(request, std::chrono::steady_clock::now());
  while (true) {
    std::vector<FetchResult> done = fetcher.wait(Millis(250));
    if (!done.empty()) return std::move(done.front());
  }
}

FetchRequest request_for(const SiteConfig& site, const std::string& url) {
  FetchRequest request;
  request.url = url;
  request.user_agent = crawler_user_agent(site.contact_url);
  request.max_body_bytes = site.crawl.max_body_bytes;
  request.connect_timeout_ms = site.crawl.connect_timeout_ms;
  request.total_timeout_ms = site.crawl.total_timeout_ms;
  request.verify_tls = site.crawl.verify_tls;
  return request;
}

struct RobotsAnswer {
  RobotsTxt rules = RobotsTxt::allow_all();
  std::string source;  // what the rules came from, for messages
};

// robots.txt of `origin` as RFC 9309 2.3.1 says: 2xx parsed, 4xx allows all, redirects followed
// up to five times (then allow all); unreachable (no answer, 5xx, 429) fails.
Result<RobotsAnswer> fetch_robots(Fetcher& fetcher, const SiteConfig& site,
                                  const std::string& origin) {
  std::string url = origin + "/robots.txt";
  for (int redirects = 0; redirects <= kMaxRobotsRedirects; ++redirects) {
    FetchRequest request = request_for(site, url);
    request.max_body_bytes = kRobotsMaxBytes;
    request.keep_truncated_body = true;  // RFC 9309 2.5: parse what fits
    FetchResult result = fetch(fetcher, request);
    const Capture& answer = result.capture;
    int status = answer.status;
    if (answer.outcome == CaptureOutcome::kError || status >= 500 || status == 429) {
      std::string why = answer.outcome == CaptureOutcome::kError
                            ? answer.error
                            : "HTTP " + std::to_string(status);
      return fail(url + ": " + why + "; robots.txt cannot be read, so nothing may be fetched " +
                  "from " + origin + " (RFC 9309 2.3.1.4)");
    }
    if (status >= 200 && status < 300) return RobotsAnswer{RobotsTxt::parse(answer.body), url};
    if (status >= 300 && status < 400 && !answer.redirect_target.empty()) {
      url = answer.redirect_target;
      continue;
    }
    return RobotsAnswer{RobotsTxt::allow_all(), url + " (HTTP " + std::to_string(status) + ")"};
  }
  return RobotsAnswer{RobotsTxt::allow_all(), origin + "/robots.txt (too many redirects)"};
}

std::string describe(const RobotsTxt::Decision& decision, const std::string& source) {
  std::string text = (decision.allowed ? "allowed by " : "disallowed by ") + source;
  if (decision.line > 0) {
    text += " line " + std::to_string(decision.line) + " (" + decision.rule + ")";
  } else if (!decision.note.empty()) {
    text += " (" + decision.note + ")";
  }
  return text;
}

}  // namespace

Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& raw_url) {
  auto url = canonicalize_url(raw_url, site.crawl.strip_query_params);
  if (!url.ok()) return url.failure();
  auto origin = url_origin(*url);
  if (!origin.ok()) return origin.failure();
  auto fetcher = Fetcher::create();
  if (!fetcher.ok()) return fetcher.failure();

  auto robots = fetch_robots(**fetcher, site, *origin);
  if (!robots.ok()) return robots.failure();
  std::string agent = crawler_user_agent(site.contact_url);
  RobotsTxt::Decision decision = robots->rules.check(agent, *url);
  OneFetch out;
  out.robots = describe(decision, robots->source);
  if (!decision.allowed) return fail(*url + ": " + out.robots + "; not fetched");

  // The gap a crawl would leave between two requests to the host.
  Millis gap(site.crawl.delay_ms);
  if (auto crawl_delay = robots->rules.crawl_delay_seconds(agent)) {
    Millis asked(static_cast<int64_t>(*crawl_delay * 1000));
    gap = std::max(gap, std::min(asked, Millis(site.crawl.max_crawl_delay_ms)));
  }
  std::this_thread::sleep_for(gap);

  std::string fetched_at = format_utc_ms(std::chrono::system_clock::now());
  FetchResult result = fetch(**fetcher, request_for(site, *url));
  out.capture = std::move(result.capture);
  if (out.capture.outcome == CaptureOutcome::kError) {
    return fail(*url + ": " + out.capture.error);
  }
  out.capture.site = site.id;
  out.capture.kind = CaptureKind::kPage;
  out.capture.fetched_at = fetched_at;
  return out;
}

}  // namespace provarc
