#include "crawler/disposition.h"

#include "crawler/links.h"

namespace provarc {

Disposition decide(const FetchResult& result, bool article_page, WallTime now) {
  const Capture& capture = result.capture;
  const int status = capture.status;
  Disposition d;
  if (capture.outcome == CaptureOutcome::kError) {
    d.error = true;
    d.reason = capture.error;
    // Neither a certificate nor a body over the cap heals by asking again; a URL whose request
    // was answered by a reset is hostile too, and not asked again in the same pass.
    d.kind = result.body_too_large || result.tls_failure || result.reset
                 ? Disposition::Kind::kFail
                 : Disposition::Kind::kRetry;
    if (result.reset) d.reason += " (reset: not fetched again in this pass)";
    return d;
  }
  if (status == 429 || status >= 500) {
    d.kind = Disposition::Kind::kRetry;
    d.error = true;
    d.reason = "HTTP " + std::to_string(status);
    if (status == 429 || status == 503) {
      d.retry_after = parse_retry_after(header_value(capture.response_headers, "Retry-After"), now);
    }
    return d;
  }
  if (status == 304) {
    d.not_modified = true;
    return d;
  }
  if (status >= 300 && status < 400 && !capture.redirect_target.empty()) {
    d.kind = Disposition::Kind::kRedirect;
    d.redirect = capture.redirect_target;
    return d;
  }
  if (status >= 200 && status < 300) {
    d.kind = Disposition::Kind::kDiscover;
    d.parse_as_article =
        article_page &&
        is_html(header_value(capture.response_headers, "Content-Type"), capture.body);
  }
  return d;  // 4xx, a 3xx without Location, 1xx: the server's answer is the record
}

Millis apply_to_host(const Disposition& d, HostPoliteness& host, SteadyTime now) {
  if (d.kind == Disposition::Kind::kFail) return Millis(0);
  if (d.kind != Disposition::Kind::kRetry) {
    host.on_success();
    return Millis(0);
  }
  if (!d.retry_after) return host.on_transient_failure(now);
  host.on_retry_after(now, *d.retry_after);
  return *d.retry_after;
}

std::optional<std::string> retries_exhausted(const FrontierEntry& item, int max_retries,
                                             const std::string& reason) {
  if (item.attempts + 1 <= max_retries) return std::nullopt;
  return reason + " (gave up after " + std::to_string(item.attempts + 1) + " attempts)";
}

}  // namespace provarc
