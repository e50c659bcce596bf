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

bool looks_short_token(std::string_view value, bool known_name) {
  if (value.size() < 6 || value.size() > 15) return false;
  int lower = 0, upper = 0, digit = 0, changes = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (!ascii::is_alnum(c)) return false;
    if (ascii::is_digit(c)) {
      ++digit;
    } else if (c >= 'a') {
      ++lower;
    } else {
      ++upper;
    }
    if (i == 0) continue;
    const char before = value[i - 1];
    // Between letters and digits, or between cases (not a capital initial: "Hanoi").
    if (ascii::is_digit(c) != ascii::is_digit(before)) ++changes;
    else if (ascii::is_alpha(c) && i > 1 && (c >= 'a') != (before >= 'a')) ++changes;
  }
  if (known_name) return lower + upper > 0;
  return (lower > 0) + (upper > 0) + (digit > 0) >= 2 && changes >= 2;
}

bool known_session_name(std::string_view name) {
  // The names of the platforms in docs/portals.md (Tomcat/WebSphere/Liferay, ASP.NET, PHP,
  // ColdFusion) and of the usual CSRF tokens.
  static constexpr std::string_view kNames[] = {
      "jsessionid", "phpsessid", "aspsessionid", "sessionid", "session_id", "sessid", "session",
      "sid",        "ssid",      "p_auth",       "p_p_auth",  "token",      "csrf",   "_csrf",
      "csrf_token", "csrftoken", "authenticity_token", "__requestverificationtoken", "cfid",
      "cftoken"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
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
  const std::string target = without_param(link, p.param, p.path_param);
  // Every value is kept for the page: another value beside a short token denies its page-wide
  // stamp (an article id differs from link to link).
  on_page[p][value].insert(target);
  if (looks_opaque(value)) {
    ++stats.opaque;
  } else if (looks_short_token(value, known_session_name(p.param))) {
    if (stats.short_tokens > 0 && value.size() != stats.short_length) stats.one_length = false;
    stats.short_length = value.size();
    ++stats.short_tokens;
  } else {
    ++stats.plain;
    return;
  }
  auto known = stats.targets.find(target);
  if (known == stats.targets.end()) {
    if (stats.targets.size() < kMaxTargets) stats.targets.emplace(target, Target{value, page});
  } else if (known->second.page != page) {
    (known->second.value == value ? stats.stable : stats.churned) += 1;
    known->second = Target{value, page};
  }
  if (stats.examples.size() < kMaxExamples) stats.examples.push_back(link);
}

void SessionLearner::observe_page(const SessionParam& p,
                                  const std::map<std::string, std::set<std::string>>& values) {
  auto it = stats_.find(p);
  if (it == stats_.end()) return;
  Stats& stats = it->second;
  const bool known = known_session_name(p.param);
  for (const auto& [value, targets] : values) {
    const bool token = looks_opaque(value) || looks_short_token(value, known);
    stats.stamped = stats.stamped || (token && targets.size() >= 2);
  }
  if (values.size() != 1) {
    ++stats.mixed_pages;
    return;
  }
  const auto& [value, targets] = *values.begin();
  if (!looks_opaque(value) && looks_short_token(value, known) &&
      targets.size() >= kUniformTargets) {
    ++stats.uniform_pages;
  }
}

bool SessionLearner::is_long_candidate(const Stats& s) {
  return s.opaque >= 2 && s.plain * 10 <= s.opaque && s.stamped && s.churned >= 1 &&
         s.stable * 4 <= s.churned;
}

// A short value is weaker evidence than a long one: the behaviour must be plainer. A random
// 8-character token of letters and digits fails looks_short_token() about once in 70 (too few
// changes between letters and digits), hence the fifth of plain values allowed.
bool SessionLearner::is_short_candidate(const SessionParam& p, const Stats& s) {
  return s.short_tokens >= 3 && s.plain * 5 <= s.short_tokens && s.uniform_pages >= 2 &&
         s.mixed_pages * 10 <= s.uniform_pages && s.churned >= 2 && s.stable * 4 <= s.churned &&
         (s.one_length || known_session_name(p.param));
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
    observe_page(p, values);
    auto it = stats_.find(p);
    if (it == stats_.end()) continue;
    if (is_long_candidate(it->second) || is_short_candidate(p, it->second)) {
      candidates_.insert(p);
      fresh.push_back(p);
    }
  }
  return fresh;
}

std::string SessionLearner::signals(const SessionParam& param) const {
  auto it = stats_.find(param);
  if (it == stats_.end()) return "";
  const Stats& s = it->second;
  std::string out;
  if (is_long_candidate(s)) {
    out = "opaque values (16 characters or more), one stamped on links to several pages";
  } else if (is_short_candidate(param, s)) {
    out = "short random values (" +
          (s.one_length ? std::to_string(s.short_length) + " letters and digits"
                        : std::string("letters and digits of several lengths")) +
          "), the only value on every link of " + std::to_string(s.uniform_pages) + " pages";
  } else {
    return "";
  }
  out += ", new on " + std::to_string(s.churned) + " targets linked again from another page";
  if (known_session_name(param.param)) out += "; a name platforms give sessions";
  return out;
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
