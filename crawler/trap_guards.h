// crawler/trap_guards.h: traps bounded by their shape, not only by depth (issue 12): a link that
// only steps a number of the page it is on (calendars, pagers past the end) gets a small budget
// per pattern once its page showed nothing new; a link that only steps a date of the page it is on
// by a day, a week or a month (a calendar nobody configured) gets that budget whatever the page
// showed; a URL shape whose fetches all turned out to be
// aliases of resources already known (print twins, legacy redirects) stops being fetched; a
// listing page that links only the articles of the page before it is remembered for comparison
// (ListingArticles; SiteCrawl also compares the two pages' text); and
// every URL a guard refuses is counted once per guard (common/identity.h names them).
//
// Pure state per site and run, used from the crawl loop's thread: not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

namespace provarc {

// `to` differs from `from` (both canonical URLs) only in the value of one number (a run of
// digits in the path or in a query value): the pattern is `to` with that number as '#', so
// "month=65" and "month=67" seen from "month=66" share one pattern.
struct NumberStep {
  std::string pattern;
  int64_t from = 0;
  int64_t to = 0;
};
std::optional<NumberStep> number_step(const std::string& from, const std::string& to);

// The budget of number steps per pattern from pages that showed nothing new, per site and run.
inline constexpr int kStepBudget = 2;

// `to` differs from `from` (both canonical URLs) only in one date, written the same way in both
// (a query value or a run of path segments: 2026-12-07, 07/12/2026, 20261207, 2026/12, 12-2026,
// as Vietnamese portals print them; years 1990 to 2100, real days), and by one calendar step: a
// day, a week or a month. The pattern is `to` with the date as "{date}", so every day of one
// calendar shares one pattern. A day calendar's month and year boundaries (2026-12-31 to
// 2027-01-01), which number_step() cannot see, are steps here.
struct DateStep {
  std::string pattern;
  std::string from;  // the dates as written
  std::string to;
  std::string unit;  // "day", "week", "month"
};
std::optional<DateStep> date_step(const std::string& from, const std::string& to);
// True when a run of digits and separators of `url` reads as a date as date_step() reads them:
// the cheap first test of a calendar page.
bool carries_date(const std::string& url);

class StepGuard {
 public:
  // True when a new URL of `pattern`, found on a page that showed nothing new, may still be
  // followed; false once kStepBudget of them were.
  bool has_budget(const std::string& pattern) const;
  // One URL of `pattern` was followed (it was new to the frontier).
  void spend(const std::string& pattern) { ++spent_[pattern]; }

 private:
  std::map<std::string, int> spent_;
};

// The shape of a canonical URL: its origin, its path with numbers as '#' and slug-like or
// token-like segments as '*', and its parameter names with their values' kind (numbers '#', short
// words as they are, the rest '*'), sorted: a new order of the same parameters is no new shape.
// "/print/1501/637201/hoi-nghi-..." and "/print/1501/637215/tap-huan-..." have one shape; the
// articles they print another.
std::string url_shape(const std::string& url);

// Learns which shapes lead only to what the crawl already has.
class AliasShapeGuard {
 public:
  // Fetches of one shape that must all have been aliases of known resources before the shape is
  // refused.
  static constexpr int kLearnAfter = 3;

  // A fetch of `url` turned out to stand for a resource the frontier already knew (a redirect or
  // rel=canonical to it, the same content), when `alias_of_known`; else a resource of its own, or
  // the only way to a new one (the shape is then never refused).
  void observe(const std::string& url, bool alias_of_known);
  // True when `url`'s shape was fetched kLearnAfter times or more, always as an alias of a known
  // resource.
  bool refuses(const std::string& url) const;

 private:
  struct Count {
    int aliases = 0;
    int own = 0;
  };
  std::map<std::string, Count> shapes_;
};

// Remembers the article links of listing pages fetched in this run, so that a listing page can be
// compared with the page before it (its parent in the frontier): a pager that runs past the end
// and shows the last page again links only the articles its parent linked.
class ListingArticles {
 public:
  // Pages remembered per site and run (the oldest are forgotten first).
  static constexpr size_t kMaxPages = 512;

  // Remembers the article links (canonical URLs) listing page `url` showed.
  void remember(const std::string& url, std::set<std::string> articles);
  // True when `previous` is remembered and every one of `articles` was among its article links
  // (also when `articles` is empty); false when `previous` is not known.
  bool all_on(const std::string& previous, const std::set<std::string>& articles) const;

 private:
  std::map<std::string, std::set<std::string>> pages_;
  std::deque<std::string> order_;
};

// Counts the distinct URLs each guard refused (up to a memory cap, beyond which each refusal
// counts).
class RefusalCounter {
 public:
  // Counts `url` under `guard` unless it was counted there before; returns true when new.
  bool count(const std::string& guard, const std::string& url, std::map<std::string, int64_t>& into);

 private:
  static constexpr size_t kMaxRemembered = 200000;
  std::unordered_set<uint64_t> seen_;
};

}  // namespace provarc
