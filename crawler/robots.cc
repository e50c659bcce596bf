#include "crawler/robots.h"

#include <string.h>  // memmem (glibc)

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_set>

#include "common/ascii.h"
#include "common/url.h"

namespace provarc {
namespace {

constexpr std::string_view kNoGroup = "no group for this user-agent and no * group";
constexpr std::string_view kNoMatchingRule = "no matching rule";
constexpr std::string_view kRobotsTxtItself = "/robots.txt is always allowed (RFC 9309 2.2.2)";
constexpr std::string_view kUnavailable =
    "robots.txt unavailable (4xx): everything allowed (RFC 9309 2.3.1.3)";
constexpr std::string_view kUnreachable =
    "robots.txt unreachable (429, 5xx or network error): everything disallowed (RFC 9309 2.3.1.4)";

// ---- characters -----------------------------------------------------------------------------

// Whitespace inside a line (line ends are split off before).
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) { return ascii::trim(s, is_blank); }

// The first occurrence of `needle` in `haystack` at or after `from`, or npos. memmem is glibc's
// Two-Way search: linear time whatever the input, unlike std::string_view::find.
size_t find_octets(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty()) return from;
  const void* found = memmem(haystack.data() + from, haystack.size() - from, needle.data(),
                             needle.size());
  if (found == nullptr) return std::string_view::npos;
  return static_cast<size_t>(static_cast<const char*>(found) - haystack.data());
}

// A user-agent line names the agent up to its first character outside [A-Za-z_-] (the product
// token grammar of RFC 9309 2.2.1), as google/robotstxt reads it: "Googlebot/2.1" -> "Googlebot".
std::string_view agent_named_by_line(std::string_view value) {
  size_t n = 0;
  while (n < value.size() && (ascii::is_alpha(value[n]) || value[n] == '_' || value[n] == '-')) ++n;
  return value.substr(0, n);
}

// "*" alone, or followed by blanks ("* # all robots" after the comment is cut).
bool names_every_agent(std::string_view value) {
  return !value.empty() && value[0] == '*' && (value.size() == 1 || is_blank(value[1]));
}

// ---- records --------------------------------------------------------------------------------

enum class Key { kUnknown, kUserAgent, kAllow, kDisallow, kSitemap, kCrawlDelay };

// The accepted spellings, including the misspellings google/robotstxt accepts.
Key classify_key(std::string_view key) {
  struct Spelling {
    std::string_view text;
    Key key;
  };
  static constexpr Spelling kSpellings[] = {
      {"user-agent", Key::kUserAgent}, {"useragent", Key::kUserAgent},
      {"user agent", Key::kUserAgent}, {"allow", Key::kAllow},
      {"disallow", Key::kDisallow},    {"dissallow", Key::kDisallow},
      {"dissalow", Key::kDisallow},    {"disalow", Key::kDisallow},
      {"diasllow", Key::kDisallow},    {"disallaw", Key::kDisallow},
      {"sitemap", Key::kSitemap},      {"site-map", Key::kSitemap},
      {"crawl-delay", Key::kCrawlDelay}, {"crawldelay", Key::kCrawlDelay},
  };
  for (const Spelling& s : kSpellings) {
    if (ascii::iequals(key, s.text)) return s.key;
  }
  return Key::kUnknown;
}

struct Record {
  std::string_view key;
  std::string_view value;
};

// Splits a comment-free, trimmed line into key and value: "key: value", or, because webmasters
// forget the colon, exactly two words "key value". Anything else is not a record.
std::optional<Record> split_record(std::string_view line) {
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    return Record{trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
  }
  size_t gap = line.find_first_of(" \t\v\f");
  if (gap == std::string_view::npos) return std::nullopt;
  std::string_view value = trim(line.substr(gap));
  if (value.find_first_of(" \t\v\f") != std::string_view::npos) return std::nullopt;
  return Record{line.substr(0, gap), value};
}

// A non-negative decimal number: "10", "0.5", ".5", "2.". Exponents, signs, inf and nan are not.
std::optional<double> parse_seconds(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  int digits = 0, dots = 0;
  for (char c : text) {
    if (ascii::is_digit(c)) {
      ++digits;
    } else if (c == '.') {
      ++dots;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || dots > 1) return std::nullopt;
  double seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return seconds;
}

// Skips a UTF-8 byte-order mark, or as much of one as the file starts with (files cut after one
// or two of its bytes exist, and the rest of their first line is still meant to be read).
std::string_view skip_bom(std::string_view bytes) {
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  size_t n = 0;
  while (n < kBom.size() && n < bytes.size() && bytes[n] == kBom[n]) ++n;
  return bytes.substr(n);
}

// The first kMaxBytes, without the line the limit cuts (a cut "Disallow: /private" would become
// a different rule).
std::string_view within_limit(std::string_view bytes, size_t limit) {
  if (bytes.size() <= limit) return bytes;
  if (bytes[limit] == '\n' || bytes[limit] == '\r') return bytes.substr(0, limit);
  size_t last_end = bytes.substr(0, limit).find_last_of("\r\n");
  return last_end == std::string_view::npos ? std::string_view() : bytes.substr(0, last_end + 1);
}

// ---- URLs -----------------------------------------------------------------------------------

// The path and query of `url` ("/a?b"), unnormalised: see RobotsTxt::check.
std::string path_and_query(std::string_view url) {
  if (!url.empty() && url.front() == '/') {
    return std::string(url.substr(0, url.find('#')));
  }
  auto parts = parse_url(url);
  if (!parts.ok()) return "/";
  std::string out = parts->path;
  if (!parts->query.empty()) out += "?" + parts->query;
  return out;
}

bool is_robots_txt(std::string_view normalized_path) {
  return normalized_path.substr(0, normalized_path.find('?')) == "/robots.txt";
}

// Appends `agents` to the ", "-separated list `out`.
void join_agents(const std::vector<std::string>& agents, std::string& out) {
  for (const std::string& agent : agents) {
    if (!out.empty()) out += ", ";
    out += agent;
  }
}

}  // namespace

// ---- the parser -----------------------------------------------------------------------------

// Builds a RobotsTxt one line at a time. A user-agent line opens a new group unless the current
// group has had no allow, disallow or crawl-delay line yet.
class RobotsTxt::Parser {
 public:
  explicit Parser(RobotsTxt& out) : out_(out) {}

  void parse_line(int line_number, std::string_view line) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) return;
    std::optional<Record> record = split_record(line);
    if (!record) return;
    switch (classify_key(record->key)) {
      case Key::kUserAgent: return on_user_agent(record->value);
      case Key::kAllow: return on_rule(/*allow=*/true, line_number, record->value);
      case Key::kDisallow: return on_rule(/*allow=*/false, line_number, record->value);
      case Key::kSitemap: return on_sitemap(record->value);
      case Key::kCrawlDelay: return on_crawl_delay(record->value);
      case Key::kUnknown: return;
    }
  }

 private:
  void on_user_agent(std::string_view value) {
    if (!in_agent_lines_) {
      out_.groups_.emplace_back();
      in_agent_lines_ = true;
    }
    size_t index = out_.groups_.size() - 1;
    out_.groups_.back().agents.emplace_back(value);
    if (names_every_agent(value)) {
      add_once(out_.global_groups_, index);
      return;
    }
    std::string_view agent = agent_named_by_line(value);
    if (!agent.empty()) add_once(out_.groups_by_agent_[ascii::lowercase(agent)], index);
  }

  void on_rule(bool allow, int line_number, std::string_view value) {
    if (out_.groups_.empty()) return;  // before any user-agent line: belongs to no group
    in_agent_lines_ = false;
    if (value.empty()) return;  // "Disallow:" with no path matches nothing
    out_.groups_.back().rules.push_back(
        Rule{allow, line_number, normalize_robots_path(value), std::string(value)});
  }

  void on_crawl_delay(std::string_view value) {
    if (out_.groups_.empty()) return;
    in_agent_lines_ = false;  // a group member, like a rule: "User-agent: a / Crawl-delay: 5 /
                              // User-agent: b" gives a and b their own groups
    std::optional<double> seconds = parse_seconds(value);
    if (!seconds) return;
    std::optional<double>& delay = out_.groups_.back().crawl_delay;
    delay = std::max(delay.value_or(0.0), *seconds);
  }

  void on_sitemap(std::string_view value) {
    if (!parse_url(value).ok()) return;  // only absolute http(s) URLs
    std::string url(value);
    if (seen_sitemaps_.insert(url).second) out_.sitemaps_.push_back(std::move(url));
  }

  // A group listing the same agent twice must not be searched twice.
  static void add_once(std::vector<size_t>& indexes, size_t index) {
    if (indexes.empty() || indexes.back() != index) indexes.push_back(index);
  }

  RobotsTxt& out_;
  bool in_agent_lines_ = false;  // the current group has only user-agent lines so far
  std::unordered_set<std::string> seen_sitemaps_;
};

RobotsTxt RobotsTxt::parse(std::string_view bytes) {
  RobotsTxt robots;
  Parser parser(robots);
  std::string_view text = skip_bom(within_limit(bytes, kMaxBytes));
  int line_number = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    parser.parse_line(line_number, text.substr(pos, end - pos));
    pos = end + 1;
    if (end < text.size() && text[end] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    ++line_number;
  }
  return robots;
}

RobotsTxt RobotsTxt::allow_all() {
  RobotsTxt robots;
  robots.availability_ = Availability::kUnavailable;
  return robots;
}

RobotsTxt RobotsTxt::disallow_all() {
  RobotsTxt robots;
  robots.availability_ = Availability::kUnreachable;
  return robots;
}

// ---- matching -------------------------------------------------------------------------------

std::vector<const RobotsTxt::Group*> RobotsTxt::groups_for(const std::string& token) const {
  const std::vector<size_t>* indexes = &global_groups_;
  if (!token.empty()) {
    auto it = groups_by_agent_.find(token);
    if (it != groups_by_agent_.end()) indexes = &it->second;
  }
  std::vector<const Group*> groups;
  groups.reserve(indexes->size());
  for (size_t index : *indexes) groups.push_back(&groups_[index]);
  return groups;
}

RobotsTxt::Decision RobotsTxt::check(std::string_view user_agent, std::string_view url) const {
  Decision decision;
  std::string path = normalize_robots_path(path_and_query(url));
  if (is_robots_txt(path)) {
    decision.note = kRobotsTxtItself;
    return decision;
  }
  if (availability_ != Availability::kParsed) {
    decision.allowed = availability_ == Availability::kUnavailable;
    decision.note = decision.allowed ? kUnavailable : kUnreachable;
    return decision;
  }
  std::vector<const Group*> groups = groups_for(ascii::lowercase(robots_product_token(user_agent)));
  if (groups.empty()) {
    decision.note = kNoGroup;
    return decision;
  }

  // The most specific rule wins (most octets in its pattern; an allow wins a tie; between equals
  // the first in the file). Rules that could not win are not matched at all.
  const Rule* best = nullptr;
  const Group* best_group = nullptr;
  for (const Group* group : groups) {
    for (const Rule& rule : group->rules) {
      if (best != nullptr) {
        bool longer = rule.pattern.size() > best->pattern.size();
        bool allow_tie = rule.pattern.size() == best->pattern.size() && rule.allow && !best->allow;
        if (!longer && !allow_tie) continue;
      }
      if (robots_pattern_matches(rule.pattern, path)) {
        best = &rule;
        best_group = group;
      }
    }
  }
  if (best == nullptr) {
    for (const Group* group : groups) join_agents(group->agents, decision.group_agents);
    decision.note = kNoMatchingRule;
    return decision;
  }
  decision.allowed = best->allow;
  decision.line = best->line;
  decision.rule = (best->allow ? "Allow: " : "Disallow: ") + best->written;
  join_agents(best_group->agents, decision.group_agents);
  return decision;
}

bool RobotsTxt::allowed(std::string_view user_agent, std::string_view url) const {
  return check(user_agent, url).allowed;
}

std::optional<double> RobotsTxt::crawl_delay_seconds(std::string_view user_agent) const {
  std::optional<double> delay;
  for (const Group* group : groups_for(ascii::lowercase(robots_product_token(user_agent)))) {
    if (group->crawl_delay) delay = std::max(delay.value_or(0.0), *group->crawl_delay);
  }
  return delay;
}

std::string_view robots_product_token(std::string_view user_agent) {
  size_t n = 0;
  while (n < user_agent.size()) {
    char c = user_agent[n];
    if (!ascii::is_alpha(c) && !ascii::is_digit(c) && c != '_' && c != '-') break;
    ++n;
  }
  return user_agent.substr(0, n);
}

std::string normalize_robots_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(path[i]);
    int decoded = percent_decoded_at(path, i);
    if (decoded >= 0) {
      if (is_unreserved(static_cast<char>(decoded))) {
        out += static_cast<char>(decoded);
      } else {
        append_percent_encoded(out, static_cast<unsigned char>(decoded));
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7F) {
      append_percent_encoded(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Greedy segment matching. Split at the `*`s, the pattern is a literal head, middle segments and
// a tail: the head must start the path, each middle segment is taken at its leftmost occurrence
// after the previous one (leftmost leaves the most room, so no alternative needs trying), and the
// tail must occur after them, or end the path when anchored. glibc's memmem (Two-Way) keeps each
// search linear, so a match is O(|pattern| + |path|): no backtracking over `*` at all, which the
// classic two-pointer algorithm needs (O(|pattern| * |path|) on near-misses like "/*aaaaab").
bool robots_pattern_matches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  size_t star = pattern.find('*');
  std::string_view head = pattern.substr(0, star);
  if (star == std::string_view::npos) return anchored ? path == head : path.starts_with(head);
  if (!path.starts_with(head)) return false;
  size_t pos = head.size();
  pattern.remove_prefix(star + 1);
  for (star = pattern.find('*'); star != std::string_view::npos; star = pattern.find('*')) {
    std::string_view segment = pattern.substr(0, star);
    pattern.remove_prefix(star + 1);
    if (segment.empty()) continue;
    size_t found = find_octets(path, segment, pos);
    if (found == std::string_view::npos) return false;
    pos = found + segment.size();
  }
  std::string_view tail = pattern;
  if (anchored) return path.size() - pos >= tail.size() && path.ends_with(tail);
  return find_octets(path, tail, pos) != std::string_view::npos;
}

}  // namespace provarc
