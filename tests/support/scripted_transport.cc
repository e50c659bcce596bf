#include "tests/support/scripted_transport.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/url.h"

namespace provarc::testing {

ScriptedAnswer html_answer(const std::string& body) {
  ScriptedAnswer a;
  a.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  a.body = body;
  return a;
}

ScriptedAnswer text_answer(const std::string& body, int status) {
  ScriptedAnswer a;
  a.status = status;
  a.headers = {{"Content-Type", "text/plain"}};
  a.body = body;
  return a;
}

ScriptedAnswer status_answer(int status, const std::string& retry_after) {
  ScriptedAnswer a = text_answer("", status);
  if (!retry_after.empty()) a.headers.push_back({"Retry-After", retry_after});
  return a;
}

ScriptedAnswer redirect_answer(const std::string& location, int status) {
  ScriptedAnswer a = text_answer("", status);
  a.headers.push_back({"Location", location});
  return a;
}

ScriptedAnswer failed_answer(const std::string& error) {
  ScriptedAnswer a;
  a.error = error;
  return a;
}

ScriptedTransport::ScriptedTransport()
    : steady_epoch_(SteadyTime() + std::chrono::hours(1000)),
      wall_epoch_(std::chrono::sys_days(std::chrono::year(2026) / 11 / 21)),
      now_(steady_epoch_) {}

void ScriptedTransport::script(const std::string& url, std::vector<ScriptedAnswer> answers) {
  scripts_[url] = std::move(answers);
  served_[url] = 0;
}

std::vector<SteadyTime> ScriptedTransport::starts_of(const std::string& url) const {
  std::vector<SteadyTime> out;
  for (const ScriptedRequest& r : requests_) {
    if (r.request.url == url) out.push_back(r.started);
  }
  return out;
}

std::vector<std::string> ScriptedTransport::urls() const {
  std::vector<std::string> out;
  for (const ScriptedRequest& r : requests_) out.push_back(r.request.url);
  return out;
}

Millis ScriptedTransport::elapsed() const {
  return std::chrono::duration_cast<Millis>(now_ - steady_epoch_);
}

// The answer the script gives `request` now, as libcurl's fetcher would report it.
FetchResult ScriptedTransport::answer(const FetchRequest& request) {
  ScriptedAnswer scripted = status_answer(404);
  auto script = scripts_.find(request.url);
  if (script != scripts_.end() && !script->second.empty()) {
    size_t& served = served_[request.url];
    scripted = script->second[std::min(served, script->second.size() - 1)];
    ++served;
  }
  FetchResult result;
  result.token = request.token;
  result.started = now_;
  result.received_by = now_ + scripted.latency;
  Capture& capture = result.capture;
  capture.url = request.url;
  capture.request_headers = request.extra_headers;
  if (!scripted.error.empty()) {
    capture.outcome = CaptureOutcome::kError;
    capture.error = scripted.error;
    result.host_not_found = scripted.host_not_found;
    result.tls_failure = scripted.tls_failure;
    result.reset = scripted.reset;
    return result;
  }
  capture.status = scripted.status;
  capture.http_version = "HTTP/1.1";
  capture.response_headers = scripted.headers;
  capture.body = scripted.body;
  std::string location = header_value(scripted.headers, "Location");
  if (scripted.status >= 300 && scripted.status < 400 && !location.empty()) {
    auto absolute = resolve_url(request.url, location);
    if (absolute.ok()) capture.redirect_target = *absolute;
  }
  if (static_cast<int64_t>(capture.body.size()) > request.max_body_bytes) {
    result.body_too_large = true;
    capture.body.resize(static_cast<size_t>(request.max_body_bytes));
    if (!request.keep_truncated_body) {
      capture = Capture();
      capture.url = request.url;
      capture.outcome = CaptureOutcome::kError;
      capture.error = "body larger than " + std::to_string(request.max_body_bytes) + " bytes";
    } else {
      capture.error = "the first " + std::to_string(request.max_body_bytes) + " bytes are kept";
    }
  }
  if (scripted.status == 304) capture.outcome = CaptureOutcome::kNotModified;
  return result;
}

void ScriptedTransport::start(const FetchRequest& request) {
  requests_.push_back({request, now_});
  FetchResult result = answer(request);
  SteadyTime done = result.received_by;
  pending_.push_back({done, std::move(result)});
}

std::vector<FetchResult> ScriptedTransport::wait(Millis timeout) {
  if (++waits_ > 1000000) {
    std::fprintf(stderr, "ScriptedTransport: a million waits; the loop does not end\n");
    std::abort();
  }
  SteadyTime deadline = now_ + timeout;
  auto first = std::min_element(pending_.begin(), pending_.end(),
                                [](const Pending& a, const Pending& b) { return a.done < b.done; });
  if (first == pending_.end() || first->done > deadline) {
    now_ = deadline;
    return {};
  }
  now_ = std::max(now_, first->done);
  std::vector<FetchResult> done;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->done <= now_) {
      done.push_back(std::move(it->result));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return done;
}

}  // namespace provarc::testing
