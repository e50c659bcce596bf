#include "crawler/trap_guards.h"

#include <algorithm>
#include <chrono>
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

namespace {

// A date as a URL writes it: its fields, and its form (digits as 'd', separators as they are), so
// that two dates compare only when written alike.
struct UrlDate {
  std::chrono::year_month_day day{};
  bool has_day = false;
  std::string form;
};

bool date_char(char c) { return ascii::is_digit(c) || c == '-' || c == '/' || c == '.'; }

// Parses "2026-12-07", "2026/12/07", "07/12/2026", "07-12-2026", "20261207", "2026-12", "2026/12",
// "12/2026" (day first, as Vietnam writes dates).
std::optional<UrlDate> parse_url_date(const std::string& text) {
  std::vector<std::string> fields;
  std::string form;
  char sep = 0;
  for (size_t i = 0; i < text.size();) {
    if (ascii::is_digit(text[i])) {
      size_t j = i;
      while (j < text.size() && ascii::is_digit(text[j])) ++j;
      fields.push_back(text.substr(i, j - i));
      form += std::string(j - i, 'd');
      i = j;
      continue;
    }
    if (!date_char(text[i]) || (sep != 0 && text[i] != sep)) return std::nullopt;  // one kind
    sep = text[i];
    form += text[i++];
  }
  int y = 0, m = 0, d = 0;
  auto number = [](const std::string& f) { return std::stoi(f); };
  if (fields.size() == 1 && fields[0].size() == 8) {
    y = number(fields[0].substr(0, 4)), m = number(fields[0].substr(4, 2)),
    d = number(fields[0].substr(6, 2));
  } else if (fields.size() == 3 && fields[0].size() == 4 && fields[1].size() <= 2 &&
             fields[2].size() <= 2) {
    y = number(fields[0]), m = number(fields[1]), d = number(fields[2]);
  } else if (fields.size() == 3 && fields[2].size() == 4 && fields[0].size() <= 2 &&
             fields[1].size() <= 2) {
    d = number(fields[0]), m = number(fields[1]), y = number(fields[2]);
  } else if (fields.size() == 2 && fields[0].size() == 4 && fields[1].size() <= 2) {
    y = number(fields[0]), m = number(fields[1]);
  } else if (fields.size() == 2 && fields[1].size() == 4 && fields[0].size() <= 2) {
    m = number(fields[0]), y = number(fields[1]);
  } else {
    return std::nullopt;
  }
  if (y < 1990 || y > 2100 || m < 1 || m > 12) return std::nullopt;
  UrlDate date;
  date.has_day = d != 0;
  date.day = std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} /
             std::chrono::day{static_cast<unsigned>(date.has_day ? d : 1)};
  if (!date.day.ok()) return std::nullopt;
  date.form = form;
  return date;
}

}  // namespace

std::optional<DateStep> date_step(const std::string& from, const std::string& to) {
  if (from == to) return std::nullopt;
  // The differing middle, widened to the run of date characters around it in both URLs.
  size_t prefix = 0;
  while (prefix < from.size() && prefix < to.size() && from[prefix] == to[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < from.size() - prefix && suffix < to.size() - prefix &&
         from[from.size() - 1 - suffix] == to[to.size() - 1 - suffix]) {
    ++suffix;
  }
  while (prefix > 0 && date_char(from[prefix - 1])) --prefix;
  while (suffix > 0 && date_char(from[from.size() - suffix])) --suffix;
  // Path separators and slug hyphens at the edges are not the date's.
  auto trimmed = [&](const std::string& url, size_t* start, size_t* end) {
    while (*start < *end && !ascii::is_digit(url[*start])) ++*start;
    while (*end > *start && !ascii::is_digit(url[*end - 1])) --*end;
  };
  size_t from_start = prefix, from_end = from.size() - suffix;
  size_t to_start = prefix, to_end = to.size() - suffix;
  trimmed(from, &from_start, &from_end);
  trimmed(to, &to_start, &to_end);
  if (from_start != to_start || from_end <= from_start || to_end <= to_start ||
      from.compare(0, from_start, to, 0, to_start) != 0 ||
      from.compare(from_end, std::string::npos, to, to_end, std::string::npos) != 0) {
    return std::nullopt;
  }
  const std::string a_text = from.substr(from_start, from_end - from_start);
  const std::string b_text = to.substr(to_start, to_end - to_start);
  auto a = parse_url_date(a_text), b = parse_url_date(b_text);
  if (!a || !b || a->form != b->form || a->has_day != b->has_day) return std::nullopt;
  DateStep step{to.substr(0, to_start) + "{date}" + to.substr(to_end), a_text, b_text, ""};
  if (a->has_day) {
    const auto days = std::chrono::sys_days(b->day) - std::chrono::sys_days(a->day);
    const int64_t n = days.count() < 0 ? -days.count() : days.count();
    if (n == 1) step.unit = "day";
    if (n == 7) step.unit = "week";
    if (n >= 28 && n <= 31 && a->day.day() == b->day.day()) step.unit = "month";
  } else {
    const int months = (int(b->day.year()) - int(a->day.year())) * 12 +
                       (int(unsigned(b->day.month())) - int(unsigned(a->day.month())));
    if (months == 1 || months == -1) step.unit = "month";
  }
  if (step.unit.empty()) return std::nullopt;
  return step;
}

bool carries_date(const std::string& url) {
  for (size_t i = 0; i < url.size();) {
    if (!ascii::is_digit(url[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < url.size() && date_char(url[j])) ++j;
    size_t end = j;
    while (end > i && !ascii::is_digit(url[end - 1])) --end;
    if (parse_url_date(url.substr(i, end - i))) return true;
    i = j;
  }
  return false;
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
  // Sorted: servers read parameters in any order, and a portal that writes them in a new order
  // on every page (trap2-aspnet-path's six-parameter Default.aspx) makes no new shape by it.
  std::string rest = url.substr(query + 1);
  std::vector<std::string> params;
  for (size_t i = 0; i < rest.size();) {
    size_t amp = rest.find('&', i);
    if (amp == std::string::npos) amp = rest.size();
    std::string param = rest.substr(i, amp - i);
    size_t eq = param.find('=');
    params.push_back(param.substr(0, eq));
    if (eq != std::string::npos) params.back() += "=" + value_shape(param.substr(eq + 1));
    i = amp + 1;
  }
  std::sort(params.begin(), params.end());
  for (size_t i = 0; i < params.size(); ++i) shape += (i == 0 ? "?" : "&") + params[i];
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

void ListingArticles::remember(const std::string& url, std::set<std::string> articles) {
  if (pages_.insert_or_assign(url, std::move(articles)).second) order_.push_back(url);
  while (pages_.size() > kMaxPages && !order_.empty()) {
    pages_.erase(order_.front());
    order_.pop_front();
  }
}

bool ListingArticles::all_on(const std::string& previous,
                             const std::set<std::string>& articles) const {
  auto it = pages_.find(previous);
  if (it == pages_.end()) return false;
  return std::includes(it->second.begin(), it->second.end(), articles.begin(), articles.end());
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
