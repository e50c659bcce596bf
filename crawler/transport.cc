#include "crawler/transport.h"

namespace provarc {

FetchResult fetch_blocking(Transport& transport, const FetchRequest& request) {
  transport.start(request);
  while (true) {
    std::vector<FetchResult> done = transport.wait(Millis(250));
    if (!done.empty()) return std::move(done.front());
  }
}

FetchRequest request_with_rules(const std::string& url, const std::string& user_agent,
                                const CrawlRules& rules) {
  FetchRequest request;
  request.url = url;
  request.user_agent = user_agent;
  request.max_body_bytes = rules.max_body_bytes;
  request.connect_timeout_ms = rules.connect_timeout_ms;
  request.total_timeout_ms = rules.total_timeout_ms;
  request.verify_tls = rules.verify_tls;
  return request;
}

}  // namespace provarc
