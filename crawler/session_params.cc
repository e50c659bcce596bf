#include "crawler/session_params.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/url.h"
#include "crawler/identity.h"

namespace provarc {
namespace {

constexpr size_t kMaxParams = 256;      // parameters watched per site and run
constexpr size_t kMaxTargets = 256;     // targets remembered per parameter
constexpr size_t kMaxExamples = 8;

struct NamedValue {
  std::string name;
  std::string value;
  bool path_param = false;
};

// The query parameters and ";name=value" path parameters of a canonical URL.
std::vector<NamedValue> params_of(const std::string& url) {
  std::vector<NamedValue> out;
  size_t q = url.find('?');
  std::string head = url.substr(0, q);
  size_t scheme = head.find("://");
  size_t path = scheme == std::string::npos ? std::string::npos : head.find('/', scheme + 3);
  if (path != std::string::npos) {
    for (size_t semi = head.find(';', path); semi != std::string::npos;
         semi = head.find(';', semi + 1)) {
      size_t end = head.find_first_of(";/", semi + 1);
      std::string item = head.substr(semi + 1, end == std::string::npos ? std::string::npos
                                                                        : end - semi - 1);
      size_t eq = item.find('=');
      if (eq != std::string::npos && eq > 0) {
        out.push_back({ascii::lowercase(item.substr(0, eq)), item.substr(eq + 1), true});
      }
    }
  }
  if (q == std::string::npos) return out;
  std::string query = url.substr(q + 1);
  for (size_t i = 0; i < query.size();) {
    size_t amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    std::string item = query.substr(i, amp - i);
    size_t eq = item.find('=');
    if (eq != std::string::npos && eq > 0) {
      out.push_back({ascii::lowercase(item.substr(0, eq)), item.substr(eq + 1), false});
    }
    i = amp + 1;
  }
  return out;
}

}  // namespace

bool looks_opaque(std::string_view value) {
  if (value.size() < 16 || value.size() > 512) return false;
  int lower = 0, upper = 0, digit = 0, hex = 0;
  for (char c : value) {
    if (c >= 'a' && c <= 'z') ++lower;
    else if (c >= 'A' && c <= 'Z') ++upper;
    else if (c >= '0' && c <= '9') ++digit;
    else if (std::string_view("._~+=:-%").find(c) == std::string_view::npos) return false;
    hex += ascii::is_hex_digit(c);
  }
  const int n = static_cast<int>(value.size());
  if (hex == n) return true;
  int classes = (lower > 0) + (upper > 0) + (digit > 0);
  return classes >= 2 && (digit + upper) * 5 >= n;
}

void SessionLearner::count(const SessionParam& p, const std::string& page,
                           const std::string& link, const std::string& value,
                           PageValues& on_page) {
  auto it = stats_.find(p);
  if (it == stats_.end()) {
    if (stats_.size() >= kMaxParams) return;
    it = stats_.emplace(p, Stats{}).first;
  }
  Stats& stats = it->second;
  if (!looks_opaque(value)) {
    ++stats.plain;
    return;
  }
  ++stats.opaque;
  const std::string target = without_param(link, p.param, p.path_param);
  on_page[p][value].insert(target);
  auto known = stats.targets.find(target);
  if (known == stats.targets.end()) {
    if (stats.targets.size() < kMaxTargets) stats.targets.emplace(target, Target{value, page});
  } else if (known->second.page != page) {
    (known->second.value == value ? stats.stable : stats.churned) += 1;
    known->second = Target{value, page};
  }
  if (stats.examples.size() < kMaxExamples) stats.examples.push_back(link);
}

bool SessionLearner::is_candidate(const Stats& s) const {
  return s.opaque >= 2 && s.plain * 10 <= s.opaque && s.stamped && s.churned >= 1 &&
         s.stable * 4 <= s.churned;
}

std::vector<SessionParam> SessionLearner::observe(const std::string& page_url,
                                                  const std::vector<std::string>& links,
                                                  const std::vector<std::string>& hosts) {
  PageValues on_page;
  for (const std::string& link : links) {
    auto authority = url_authority(link);
    if (!authority.ok()) continue;
    const std::string host = ascii::lowercase(*authority);
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) continue;
    for (const NamedValue& nv : params_of(link)) {
      SessionParam p{host, nv.name, nv.path_param};
      if (settled_.count(p) || candidates_.count(p)) continue;
      count(p, page_url, link, nv.value, on_page);
    }
  }
  std::vector<SessionParam> fresh;
  for (const auto& [p, values] : on_page) {
    Stats& stats = stats_[p];
    for (const auto& [value, targets] : values) stats.stamped = stats.stamped || targets.size() >= 2;
    if (is_candidate(stats)) {
      candidates_.insert(p);
      fresh.push_back(p);
    }
  }
  return fresh;
}

std::optional<SessionParam> SessionLearner::candidate_in(const std::string& url) const {
  if (candidates_.empty()) return std::nullopt;
  auto authority = url_authority(url);
  if (!authority.ok()) return std::nullopt;
  const std::string host = ascii::lowercase(*authority);
  for (const NamedValue& nv : params_of(url)) {
    SessionParam p{host, nv.name, nv.path_param};
    if (candidates_.count(p)) return p;
  }
  return std::nullopt;
}

std::vector<std::string> SessionLearner::examples(const SessionParam& param) const {
  auto it = stats_.find(param);
  return it == stats_.end() ? std::vector<std::string>() : it->second.examples;
}

void SessionLearner::settle(const SessionParam& param, bool confirmed) {
  candidates_.erase(param);
  settled_.insert(param);
  if (confirmed) stats_.erase(param);
}

}  // namespace provarc
