#include "crawler/trap_guards.h"

#include <functional>
#include <vector>

#include "common/ascii.h"

namespace provarc {
namespace {

// Alternating runs: non-digits and digits, as they come.
std::vector<std::string> runs(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    const bool digits = ascii::is_digit(s[i]);
    while (j < s.size() && ascii::is_digit(s[j]) == digits) ++j;
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!ascii::is_digit(c)) return false;
  }
  return true;
}

// A path segment in a shape: '#' for a number, '*' for a slug, an id or a token, else itself.
std::string segment_shape(const std::string& segment) {
  if (all_digits(segment)) return "#";
  int hyphens = 0;
  bool digit = false;
  for (char c : segment) {
    hyphens += c == '-' || c == '_';
    digit = digit || ascii::is_digit(c);
  }
  if (digit || hyphens >= 2 || segment.size() > 24) return "*";
  return segment;
}

std::string value_shape(const std::string& value) {
  if (all_digits(value)) return "#";
  return value.size() <= 8 && segment_shape(value) == value ? value : "*";
}

}  // namespace

std::optional<NumberStep> number_step(const std::string& from, const std::string& to) {
  if (from == to) return std::nullopt;
  std::vector<std::string> a = runs(from), b = runs(to);
  if (a.size() != b.size()) return std::nullopt;
  std::optional<size_t> differing;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    // One run of digits differs, nothing else; digit runs of 10 or more are ids, not steps.
    if (differing || !ascii::is_digit(a[i][0]) || !ascii::is_digit(b[i][0]) || a[i].size() > 9 ||
        b[i].size() > 9) {
      return std::nullopt;
    }
    differing = i;
  }
  if (!differing) return std::nullopt;
  NumberStep step;
  step.from = std::stoll(a[*differing]);
  step.to = std::stoll(b[*differing]);
  for (size_t i = 0; i < b.size(); ++i) step.pattern += i == *differing ? "#" : b[i];
  return step;
}

bool StepGuard::has_budget(const std::string& pattern) const {
  auto it = spent_.find(pattern);
  return it == spent_.end() || it->second < kStepBudget;
}

std::string url_shape(const std::string& url) {
  size_t scheme = url.find("://");
  size_t path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  if (path == std::string::npos) return url;
  size_t query = url.find('?', path);
  std::string shape = url.substr(0, path);
  std::string path_part = url.substr(path, query == std::string::npos ? std::string::npos
                                                                      : query - path);
  for (size_t i = 1; i <= path_part.size();) {
    size_t slash = path_part.find('/', i);
    if (slash == std::string::npos) slash = path_part.size();
    shape += "/" + segment_shape(path_part.substr(i, slash - i));
    i = slash + 1;
  }
  if (query == std::string::npos) return shape;
  std::string rest = url.substr(query + 1);
  char sep = '?';
  for (size_t i = 0; i < rest.size();) {
    size_t amp = rest.find('&', i);
    if (amp == std::string::npos) amp = rest.size();
    std::string param = rest.substr(i, amp - i);
    size_t eq = param.find('=');
    shape += sep + param.substr(0, eq);
    if (eq != std::string::npos) shape += "=" + value_shape(param.substr(eq + 1));
    sep = '&';
    i = amp + 1;
  }
  return shape;
}

void AliasShapeGuard::observe(const std::string& url, bool alias_of_known) {
  Count& count = shapes_[url_shape(url)];
  (alias_of_known ? count.aliases : count.own) += 1;
}

bool AliasShapeGuard::refuses(const std::string& url) const {
  auto it = shapes_.find(url_shape(url));
  return it != shapes_.end() && it->second.own == 0 && it->second.aliases >= kLearnAfter;
}

bool RefusalCounter::count(const std::string& guard, const std::string& url,
                           std::map<std::string, int64_t>& into) {
  const uint64_t h = std::hash<std::string>()(guard + '\n' + url);
  if (seen_.count(h)) return false;
  if (seen_.size() < kMaxRemembered) seen_.insert(h);
  ++into[guard];
  return true;
}

}  // namespace provarc
