#include "tests/support/captures.h"

namespace provarc::testing {

Capture crawled_capture(const std::string& url, const std::string& fetched_at, int status,
                        const std::string& body) {
  Capture c;
  c.url = url;
  c.site = "bac-kan";
  c.fetched_at = fetched_at;
  c.status = status;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"Host", "sotttt.backan.gov.vn"}, {"User-Agent", "provarc/0.1.0"}};
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                        {"Content-Encoding", "gzip"},
                        {"Content-Length", "12"},
                        {"Date", "Sat, 21 Nov 2026 23:55:25 GMT"}};
  c.body = body;
  c.ip = "203.162.0.10";
  return c;
}

}  // namespace provarc::testing
