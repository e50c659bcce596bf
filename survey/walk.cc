// survey/walk.cc: the walk over a site and the reading of its evidence (survey.h).
//
// The walk is breadth-first from the start page, at most 3 pages of one URL shape
// (crawler/trap_guards.h's url_shape), listing-like URLs first within a depth, twin- and
// calendar-like ones last; then the best listing's next pages. Every URL is canonicalised by the
// current draft loaded through config/ (its preset's strip_query_params, case rules and
// excludes), with opaque-valued parameters (crawler/session_params.h's looks_opaque) left out.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "common/url.h"
#include "config/config.h"
#include "crawler/links.h"
#include "crawler/scope.h"
#include "crawler/session_params.h"
#include "crawler/trap_guards.h"
#include "crawler/url_canon.h"
#include "parsers/extract.h"
#include "survey/survey.h"

namespace provarc {
namespace {

constexpr int kPerShape = 3;        // pages fetched per URL shape in the breadth-first walk
constexpr int kPaginationPages = 2;  // next pages of the best listing fetched to confirm it
constexpr size_t kMinArticleText = 200;  // characters of body text an article page has at least

struct Seen {
  std::string url;  // canonical, opaque parameters left out
  int depth = 0;
  FetchedPage page;
  std::vector<std::string> links;  // in scope, canonical, opaque parameters left out, in order
  std::string canonical;           // its rel=canonical, canonical ("" when none or itself)
  Result<Article> article = fail("not read");
  bool reads_as_article = false;
};

// `url` with its query parameters sorted.
std::string sorted_query(const std::string& url) {
  size_t q = url.find('?');
  if (q == std::string::npos) return url;
  std::vector<std::string> params = split_query(url.substr(q + 1));
  std::sort(params.begin(), params.end());
  std::string sorted = url.substr(0, q + 1);
  for (size_t i = 0; i < params.size(); ++i) sorted += (i ? "&" : "") + params[i];
  return sorted;
}

// crawler/trap_guards.h's url_shape of `url` with its query parameters sorted: links that differ
// in the order of their parameters have one shape.
std::string shape_of(const std::string& url) { return url_shape(sorted_query(url)); }

bool contains_any(const std::string& url, std::initializer_list<const char*> words) {
  std::string lower = url;
  for (char& c : lower) c = ascii::to_lower(c);
  for (const char* w : words) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}
bool twin_like(const std::string& url) {
  return contains_any(url, {"print", "in-bai", "inbai", "/in/", "viewmode="});
}
bool calendar_like(const std::string& url) {
  return contains_any(url, {"lich", "calendar", "month=", "week=", "thang=", "tuan=", "ngay="});
}
bool listing_like(const std::string& url) {
  return contains_any(url, {"tin-tuc", "tintuc", "news", "danhsach", "danh-sach", "chuyen-muc",
                            "category", "su-kien", "thong-bao"});
}

std::vector<std::string> pagination_of(const std::string& listing,
                                       const std::vector<std::string>& links);

class Walk {
 public:
  Walk(const SurveyOptions& options, PageSource& source) : options_(options), source_(&source) {}
  Result<SurveyFindings> run();

 private:
  Status load_draft();
  std::string clean(const std::string& raw);  // "" when out of scope
  // One spelling per set of query parameters, the first seen; notes a site that shuffles them.
  std::string one_order(const std::string& url);
  // "(?i)" for a server that reads paths without case: the walk's URLs are lowercase there.
  std::string nocase() const { return site_.crawl.case_insensitive_paths ? "(?i)" : ""; }
  Result<bool> fetch(const std::string& url, int depth);
  void read(Seen& seen);
  void walk_breadth_first(int budget);
  void choose_article_shapes();
  void find_aliases();
  void propose_variant_params(const std::string& added, const std::string& of);
  bool is_article_url(const std::string& url) const;
  std::vector<std::string> article_links(const Seen& s) const;
  void choose_article_patterns();
  bool preset_patterns_fit(const std::set<std::string>& articles) const;
  void choose_listings();
  void follow_pagination();
  void find_traps();
  Status learn_from_canonicals();
  std::string what_was_found() const;
  void find_date_order();
  void pick_samples();
  Result<SurveyFindings> finish();

  const SurveyOptions& options_;
  PageSource* source_;
  SurveyFindings f_;
  SiteConfig site_;
  std::vector<Seen> seen_;
  std::set<std::string> asked_;                       // URLs fetched or refused
  std::map<std::string, std::set<std::string>> opaque_values_;  // parameter -> values
  std::map<std::string, std::string> opaque_example_;          // parameter -> a URL
  std::set<std::string> article_shapes_;
  std::set<std::string> alias_urls_;
  std::map<std::string, std::string> spellings_;  // URL with sorted parameters -> first spelling
  bool shuffled_ = false;  // two links named one URL with its parameters in two orders
};

Status Walk::load_draft() {
  std::filesystem::create_directories(options_.work_dir);
  std::string path = options_.work_dir + "/" + options_.id + ".toml";
  std::ofstream(path) << draft_toml(options_, f_);
  auto site = load_site(path, options_.platforms_dir);
  if (!site.ok()) return fail("the draft does not load (a bug in provarc sites new): " + site.error());
  site_ = std::move(*site);
  return Status::Ok();
}

// The URL as the walk keys it: canonical for the current draft, without opaque-valued query
// parameters (recorded as session evidence). "" when out of the draft's scope or no page.
std::string Walk::clean(const std::string& raw) {
  SiteScope scope(site_);
  auto canonical = scope.canonicalize(raw);
  if (!canonical.ok()) return "";
  std::string url = *canonical;
  size_t q = url.find('?');
  if (q != std::string::npos) {
    std::string kept;
    for (const std::string& param : split_query(url.substr(q + 1))) {
      size_t eq = param.find('=');
      if (eq != std::string::npos && looks_opaque(param.substr(eq + 1))) {
        std::string name = param.substr(0, eq);
        opaque_values_[name].insert(param.substr(eq + 1));
        opaque_example_.emplace(name, url);
      } else if (!param.empty()) {
        kept += (kept.empty() ? "" : "&") + param;
      }
    }
    url = url.substr(0, q) + (kept.empty() ? "" : "?" + kept);
    url = one_order(url);
  }
  if (!scope.page_rejection(url, 0).empty()) return "";
  // The server reads paths without case (the preset says so): one spelling per page, lowercase,
  // and the patterns say (?i).
  if (site_.crawl.case_insensitive_paths) url = ascii::lowercase(url);
  return url;
}

std::string Walk::one_order(const std::string& url) {
  auto [it, fresh] = spellings_.emplace(sorted_query(url), url);
  if (!fresh && it->second != url && !shuffled_) {
    shuffled_ = true;
    f_.notes.push_back("the site writes one URL's parameters in several orders (" + it->second +
                       ", " + url + "): patterns match them in any order");
  }
  return it->second;
}

void Walk::read(Seen& seen) {
  const FetchedPage& page = seen.page;
  seen.reads_as_article = false;
  seen.links.clear();
  seen.canonical.clear();
  if (!is_html(page.content_type, page.body)) return;
  PageSignals signals = read_page(page.body, page.content_type, page.url);
  std::set<std::string> unique;
  for (const std::string& link : signals.links) {
    std::string url = clean(link);
    if (!url.empty() && url != seen.url && unique.insert(url).second) seen.links.push_back(url);
  }
  if (!signals.canonical.empty()) {
    std::string canonical = clean(signals.canonical);
    if (canonical != seen.url) seen.canonical = canonical;
  }
  seen.article = extract_article(page.body, page.content_type, page.url, site_.extract);
  if (seen.article.ok()) {
    const Article& a = *seen.article;
    size_t text = a.text().size();
    seen.reads_as_article = !a.title.empty() && text >= kMinArticleText &&
                            (a.published.has_value() || text >= 3 * kMinArticleText);
  }
}

// Fetches `url` (following a redirect within scope as another URL of the walk); true when a page
// was read.
Result<bool> Walk::fetch(const std::string& url, int depth) {
  if (!asked_.insert(url).second || f_.pages_fetched >= options_.max_pages) return false;
  ++f_.pages_fetched;
  auto page = source_->get(url);
  if (!page.ok()) {
    f_.notes.push_back(page.error());
    return page.failure();
  }
  if (page->status >= 300 && page->status < 400 && !page->location.empty()) {
    std::string target = clean(page->location);
    f_.notes.push_back(url + ": HTTP " + std::to_string(page->status) + " to " + page->location);
    if (!target.empty()) {
      alias_urls_.insert(url);
      f_.twins.push_back(url + " redirects to " + target);
      return fetch(target, depth);
    }
    return false;
  }
  if (page->status < 200 || page->status > 299) {
    f_.notes.push_back(url + ": HTTP " + std::to_string(page->status));
    return fail(url + ": HTTP " + std::to_string(page->status));
  }
  Seen seen;
  seen.url = url;
  seen.depth = depth;
  seen.page = std::move(*page);
  read(seen);
  seen_.push_back(std::move(seen));
  return true;
}

void Walk::walk_breadth_first(int budget) {
  std::map<std::string, int> per_shape;
  for (const Seen& s : seen_) ++per_shape[shape_of(s.url)];
  for (size_t next = 0; next < seen_.size() && f_.pages_fetched < budget; ++next) {
    // The links of seen_[next], in the order worth fetching: listing-like first, traps last.
    std::vector<std::string> links = seen_[next].links;
    std::stable_sort(links.begin(), links.end(), [](const std::string& a, const std::string& b) {
      auto rank = [](const std::string& u) {
        return listing_like(u) ? 0 : (twin_like(u) || calendar_like(u)) ? 2 : 1;
      };
      return rank(a) < rank(b);
    });
    int depth = seen_[next].depth + 1;
    for (const std::string& link : links) {
      if (f_.pages_fetched >= budget) break;
      int& count = per_shape[shape_of(link)];
      int cap = (twin_like(link) || calendar_like(link)) ? 1 : kPerShape;
      if (count >= cap || asked_.count(link)) continue;
      ++count;
      (void)fetch(link, depth);  // a failure is a note; the walk goes on
    }
  }
}

Result<SurveyFindings> Walk::run() {
  f_.start_url = options_.start_url;
  auto authority = url_authority(options_.start_url);
  if (!authority.ok()) return fail(options_.start_url + ": not an absolute http(s) URL");
  f_.hosts = {*authority};
  if (Status s = load_draft(); !s.ok()) return s.failure();
  std::string start = clean(options_.start_url);
  if (start.empty()) return fail(options_.start_url + ": not a page URL provarc would crawl");
  // The start page, through redirects to other hosts (http -> https, a www host) too.
  for (int hops = 0;; ++hops) {
    ++f_.pages_fetched;
    asked_.insert(start);
    auto page = source_->get(start);
    if (!page.ok()) return fail("cannot survey " + start + ": " + page.error());
    if (page->status >= 300 && page->status < 400 && !page->location.empty() && hops < 5) {
      auto host = url_authority(page->location);
      if (host.ok() && std::find(f_.hosts.begin(), f_.hosts.end(), *host) == f_.hosts.end()) {
        f_.hosts.push_back(*host);
        if (Status s = load_draft(); !s.ok()) return s.failure();
      }
      f_.notes.push_back(start + ": HTTP " + std::to_string(page->status) + " to " +
                         page->location + " (the draft starts there)");
      start = clean(page->location);
      f_.start_url = start;
      if (start.empty()) return fail(page->location + ": the start URL redirects out of scope");
      continue;
    }
    if (page->status < 200 || page->status > 299) {
      return fail("cannot survey " + start + ": HTTP " + std::to_string(page->status));
    }
    f_.platform = detect_platform({page->body});
    if (Status s = load_draft(); !s.ok()) return s.failure();
    Seen seen;
    seen.url = start;
    seen.page = std::move(*page);
    read(seen);
    seen_.push_back(std::move(seen));
    break;
  }
  walk_breadth_first(std::max(1, options_.max_pages - kPaginationPages));
  // The platform from every page; the pages read again under its preset when it changed.
  std::vector<std::string> bodies;
  for (const Seen& s : seen_) bodies.push_back(s.page.body);
  PlatformGuess all = detect_platform(bodies);
  if (all.platform != f_.platform.platform) {
    f_.platform = all;
    if (Status s = load_draft(); !s.ok()) return s.failure();
    for (Seen& s : seen_) read(s);
  } else {
    f_.platform = all;
  }
  return finish();
}


// Of pages showing one article (one title), the one its other URLs stand for: no print URL, the
// fewest query parameters, the shortest path.
bool better_url(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& u) {
    return std::make_tuple(twin_like(u), std::count(u.begin(), u.end(), '&') +
                                             (u.find('?') == std::string::npos ? 0 : 1),
                           u.size());
  };
  return rank(a) < rank(b);
}

// Pages that are another page's alias: rel=canonical names another URL, or another page has its
// title and a better URL (a print twin, a tracking-parameter or mobile variant). A variant that is
// the better URL plus parameters proposes them for strip_query_params.
void Walk::find_aliases() {
  std::map<std::string, std::vector<const Seen*>> by_title;
  for (const Seen& s : seen_) {
    if (!s.reads_as_article) continue;
    if (!s.canonical.empty()) {
      if (alias_urls_.insert(s.url).second) f_.twins.push_back(s.url + ": rel=canonical names " + s.canonical);
      continue;
    }
    by_title[s.article->title].push_back(&s);
  }
  for (auto& [title, pages] : by_title) {
    if (pages.size() < 2) continue;
    const Seen* best = *std::min_element(pages.begin(), pages.end(), [](const Seen* a, const Seen* b) {
      return better_url(a->url, b->url);
    });
    for (const Seen* s : pages) {
      if (s == best || !alias_urls_.insert(s->url).second) continue;
      f_.twins.push_back(s->url + ": the same title as " + best->url);
      if (s->url.rfind(best->url + (best->url.find('?') == std::string::npos ? "?" : "&"), 0) == 0) {
        propose_variant_params(s->url.substr(best->url.size() + 1), best->url);
      }
    }
  }
}

// "utm_source=x&utm_medium=y" added to `of`: each name proposed for strip_query_params once.
void Walk::propose_variant_params(const std::string& added, const std::string& of) {
  for (const std::string& param : split_query(added)) {
    std::string name = param.substr(0, param.find('='));
    bool known = std::any_of(f_.strip_query_params.begin(), f_.strip_query_params.end(),
                             [&](const Proposal& p) { return p.value == name; });
    if (!name.empty() && !known) {
      f_.strip_query_params.push_back({name, "a URL with it shows the same article as " + of});
    }
  }
}

// The shapes whose fetched pages read as articles (two at least, two thirds of those fetched),
// aliases aside.
void Walk::choose_article_shapes() {
  find_aliases();
  std::map<std::string, std::pair<int, int>> shapes;  // shape -> (articles, pages)
  for (const Seen& s : seen_) {
    if (alias_urls_.count(s.url)) continue;
    auto& [articles, pages] = shapes[shape_of(s.url)];
    ++pages;
    articles += s.reads_as_article ? 1 : 0;
  }
  for (const auto& [shape, counts] : shapes) {
    if (counts.first >= 2 && 3 * counts.first >= 2 * counts.second) article_shapes_.insert(shape);
  }
}

bool Walk::is_article_url(const std::string& url) const {
  return article_shapes_.count(shape_of(url)) > 0 && alias_urls_.count(url) == 0;
}

// The article URLs linked from a page (distinct, in order).
std::vector<std::string> Walk::article_links(const Seen& s) const {
  std::vector<std::string> out;
  for (const std::string& link : s.links) {
    if (is_article_url(link)) out.push_back(link);
  }
  return out;
}

// Patterns per article shape over every article URL seen, kept narrow by the fetched pages of
// that shape that are no articles; the preset's own patterns when they already take exactly the
// articles seen.
void Walk::choose_article_patterns() {
  std::map<std::string, std::vector<std::string>> by_shape, not_articles;
  std::set<std::string> all;
  for (const Seen& s : seen_) {
    if (is_article_url(s.url)) all.insert(s.url);
    for (const std::string& link : article_links(s)) all.insert(link);
  }
  for (const std::string& url : all) by_shape[shape_of(url)].push_back(url);
  for (const Seen& s : seen_) {
    if (!s.reads_as_article && article_shapes_.count(shape_of(s.url))) {
      not_articles[shape_of(s.url)].push_back(s.url);
    }
  }
  f_.articles_seen.assign(all.begin(), all.end());
  for (const Seen& s : seen_) f_.articles_read += s.reads_as_article && is_article_url(s.url);
  if (preset_patterns_fit(all)) return;
  for (auto& [shape, urls] : by_shape) {
    f_.article_patterns.push_back(nocase() + generalise_urls(urls, not_articles[shape], shuffled_));
  }
}

// True when the preset's article_url_patterns take every article seen and none of the other
// pages read: they are kept (they know the family's other URL forms of an article).
bool Walk::preset_patterns_fit(const std::set<std::string>& articles) const {
  const std::vector<Pattern>& preset = site_.crawl.article_url_patterns;
  if (preset.empty()) return false;
  auto matched = [&](const std::string& url) {
    return std::any_of(preset.begin(), preset.end(),
                       [&](const Pattern& p) { return p.matches(url) == Pattern::Found::kYes; });
  };
  if (!std::all_of(articles.begin(), articles.end(), matched)) return false;
  return std::none_of(seen_.begin(), seen_.end(), [&](const Seen& s) {
    return !is_article_url(s.url) && alias_urls_.count(s.url) == 0 && matched(s.url);
  });
}

void Walk::choose_listings() {
  std::vector<std::pair<size_t, const Seen*>> ranked;
  for (const Seen& s : seen_) {
    if (s.reads_as_article && is_article_url(s.url)) continue;
    if (alias_urls_.count(s.url)) continue;
    size_t n = article_links(s).size();
    if (n >= 3) ranked.emplace_back(n, &s);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::set<std::string> paging;  // the next pages of a listing chosen: no listings of their own
  for (const auto& [n, s] : ranked) {
    if (s->url == f_.start_url || f_.listing_urls.size() >= 3 || paging.count(s->url)) continue;
    if (n * 2 < ranked.front().first) break;
    bool pages_one = std::any_of(f_.listing_urls.begin(), f_.listing_urls.end(),
                                 [&](const std::string& l) {
                                   return !pagination_of(l, {s->url}).empty() ||
                                          s->url.rfind(l + "?", 0) == 0 ||
                                          s->url.rfind(l + "&", 0) == 0;
                                 });
    if (pages_one) continue;
    f_.listing_urls.push_back(s->url);
    for (const std::string& p : pagination_of(s->url, s->links)) paging.insert(p);
  }
}

// Links of `listing` that page it: its URL with a number added as a parameter, or one number of
// it stepped.
std::vector<std::string> pagination_of(const std::string& listing,
                                       const std::vector<std::string>& links) {
  std::vector<std::string> out;
  for (const std::string& link : links) {
    bool added = link.size() > listing.size() + 2 && link.rfind(listing, 0) == 0 &&
                 (link[listing.size()] == '?' || link[listing.size()] == '&');
    if (added) {
      // The last parameter added is a page number ("?page=2", "...&_101_INSTANCE_x_cur=2").
      std::string query = link.substr(listing.size() + 1);
      size_t last = query.rfind('&');
      std::string param = last == std::string::npos ? query : query.substr(last + 1);
      size_t eq = param.find('=');
      added = eq != std::string::npos && eq + 1 < param.size() &&
              std::all_of(param.begin() + eq + 1, param.end(),
                          [](char c) { return ascii::is_digit(c); });
    }
    if (added || number_step(listing, link)) out.push_back(link);
  }
  return out;
}

void Walk::follow_pagination() {
  if (f_.listing_urls.empty()) return;
  const std::string& listing = f_.listing_urls.front();
  auto at = std::find_if(seen_.begin(), seen_.end(), [&](const Seen& s) { return s.url == listing; });
  std::vector<std::string> pages = pagination_of(listing, at->links);
  int fetched = 0;
  for (const std::string& page : pages) {
    if (fetched >= kPaginationPages) break;
    if (asked_.count(page) == 0 && fetch(page, at->depth).ok()) ++fetched;
  }
  // The next pages' own pager links too (pages 4, 5 seen from page 3).
  std::set<std::string> all(pages.begin(), pages.end());
  for (const Seen& s : seen_) {
    if (!all.count(s.url)) continue;
    for (const std::string& link : s.links) {
      if (number_step(s.url, link) && !is_article_url(link)) all.insert(link);
    }
  }
  f_.pagination_seen.assign(all.begin(), all.end());
  if (!all.empty()) f_.listing_patterns.push_back(nocase() + generalise_prefix(f_.pagination_seen, shuffled_));
}

// Session parameters (opaque values that change between pages), calendars (a page that is no
// article nor listing linking its own URL with a number stepped both ways) and the shapes of
// print twins and aliases met.
void Walk::find_traps() {
  for (const auto& [name, values] : opaque_values_) {
    bool known = std::any_of(f_.strip_query_params.begin(), f_.strip_query_params.end(),
                             [&](const Proposal& p) { return p.value == name; });
    if (values.size() < 2 || known) continue;
    f_.strip_query_params.push_back(
        {name, std::to_string(values.size()) + " distinct opaque values on the links of the pages "
                                               "read, e.g. " + opaque_example_[name]});
  }
  std::set<std::string> paging(f_.pagination_seen.begin(), f_.pagination_seen.end());
  std::set<std::string> calendar_shapes;
  for (const Seen& s : seen_) {
    bool pages_a_listing = std::any_of(f_.listing_urls.begin(), f_.listing_urls.end(),
                                       [&](const std::string& l) {
                                         return l == s.url || !pagination_of(l, {s.url}).empty();
                                       });
    if (s.reads_as_article || paging.count(s.url) || pages_a_listing ||
        (article_links(s).size() >= 3 && !calendar_like(s.url))) {
      continue;
    }
    std::vector<std::string> steps{s.url};
    bool down = false, up = false;
    for (const std::string& link : s.links) {
      auto step = number_step(s.url, link);
      if (!step || is_article_url(link)) continue;
      (step->to < step->from ? down : up) = true;
      steps.push_back(link);
    }
    if (!down || !up || !calendar_shapes.insert(shape_of(s.url)).second) continue;
    f_.exclude.push_back({nocase() + generalise_prefix(steps, shuffled_),
                          "calendar: " + s.url + " links the periods before and after it" +
                              (calendar_like(s.url) ? ", its URL names a calendar" : "") +
                              " and reads as no article"});
  }
  // Twins and aliases: one exclude per shape, when no article has that shape.
  std::map<std::string, std::vector<std::string>> twin_shapes;
  for (const std::string& url : alias_urls_) {
    if (!article_shapes_.count(shape_of(url))) twin_shapes[shape_of(url)].push_back(url);
  }
  for (const auto& [shape, urls] : twin_shapes) {
    bool redirect = std::any_of(f_.twins.begin(), f_.twins.end(), [&](const std::string& t) {
      return t.rfind(urls.front() + " redirects", 0) == 0;
    });
    if (redirect) continue;  // a redirect costs one request, and the crawl files it as an alias
    std::set<std::string> linked(urls.begin(), urls.end());  // every link of that shape seen
    for (const Seen& s : seen_) {
      for (const std::string& link : s.links) {
        if (shape_of(link) == shape) linked.insert(link);
      }
    }
    std::string pattern = generalise_urls({linked.begin(), linked.end()}, {}, shuffled_);
    if (!pattern.empty() && pattern.back() == '$') pattern.pop_back();
    f_.exclude.push_back({nocase() + pattern, "print twin or alias: " + urls.front() +
                                                       (twin_like(urls.front()) ? " (a print URL)"
                                                                                : "") +
                                                       " shows an article of another URL"});
  }
}

// How the date the extractor found on `s` is printed: 1 when as month/day/year with a day over 12
// ("4/25/2021", .NET en-US), -1 when as day/month/year with a day over 12, 0 when the page does
// not tell (no date, an ambiguous day, neither spelling printed).
int printed_order(const Seen& s, const Article& read) {
  if (!read.published || read.published->size() < 10) return 0;
  int year = std::stoi(read.published->substr(0, 4)), month = std::stoi(read.published->substr(5, 2)),
      day = std::stoi(read.published->substr(8, 2));
  if (day <= 12) return 0;
  auto printed = [&](int first, int second) {
    for (const std::string& a : {std::to_string(first), (first < 10 ? "0" : "") + std::to_string(first)}) {
      std::string text = a + "/" + std::to_string(second) + "/" + std::to_string(year);
      size_t at = s.page.body.find(text);
      if (at != std::string::npos && (at == 0 || !ascii::is_digit(s.page.body[at - 1]))) return true;
      text = a + "/" + (second < 10 ? "0" : "") + std::to_string(second) + "/" + std::to_string(year);
      at = s.page.body.find(text);
      if (at != std::string::npos && (at == 0 || !ascii::is_digit(s.page.body[at - 1]))) return true;
    }
    return false;
  };
  if (printed(month, day)) return 1;
  if (printed(day, month)) return -1;
  return 0;
}

// Month-first dates ("4/25/2021", .NET en-US): the dates the extractor found on the article pages
// (read either way) are printed month/day/year with a day over 12, on one page at least and never
// day/month/year; or pages read again with date_order = "month-first" gain a date and lose none.
void Walk::find_date_order() {
  if (site_.extract.date_order == DateOrder::kMonthFirst) return;
  ExtractRules month_first = site_.extract;
  month_first.date_order = DateOrder::kMonthFirst;
  int printed_month_first = 0, printed_day_first = 0, gained = 0, lost = 0;
  std::string example;
  for (const Seen& s : seen_) {
    if (!s.article.ok() || !is_article_url(s.url)) continue;
    auto again = extract_article(s.page.body, s.page.content_type, s.page.url, month_first);
    bool before = s.article->published.has_value();
    bool after = again.ok() && again->published.has_value();
    gained += !before && after;
    lost += before && !after;
    int order = printed_order(s, before ? *s.article : (again.ok() ? *again : *s.article));
    printed_month_first += order > 0;
    printed_day_first += order < 0;
    if (order > 0 && example.empty() && after) example = *again->published + " at " + s.url;
  }
  if (lost > 0 || printed_day_first > 0 || (printed_month_first == 0 && gained == 0)) return;
  f_.date_order = "month-first";
  f_.date_order_why = std::to_string(printed_month_first) +
                      " article pages print their date month/day/year with a day over 12 (" +
                      example + "), none day/month/year; " + std::to_string(gained) +
                      " gain a date read month-first, none loses one";
}

void Walk::pick_samples() {
  for (const Seen& s : seen_) {
    if (f_.samples.size() >= 3) break;
    if (s.reads_as_article && is_article_url(s.url)) f_.samples.push_back({s.url, *s.article});
  }
}

// Says what the walk found when it found no article.
std::string Walk::what_was_found() const {
  int html = 0, extracted = 0;
  for (const Seen& s : seen_) {
    html += is_html(s.page.content_type, s.page.body) ? 1 : 0;
    extracted += s.reads_as_article ? 1 : 0;
  }
  std::string out = std::to_string(seen_.size()) + " pages read (" + std::to_string(html) +
                    " HTML), " + std::to_string(extracted) +
                    " with an article's title, text and date, but never two of one URL shape";
  if (!seen_.empty()) out += "; the start page links " + std::to_string(seen_.front().links.size()) + " pages in scope";
  return out;
}

// Parameters a page's rel=canonical drops from its own URL (same path) and whose values change
// from page to page: session-like, whatever their length (Liferay's 8-character p_auth). Proposed
// for strip_query_params; the pages are then read again under the draft that strips them.
Status Walk::learn_from_canonicals() {
  std::map<std::string, std::set<std::string>> values;
  std::map<std::string, std::string> example;
  for (const Seen& s : seen_) {
    if (s.canonical.empty()) continue;
    size_t q = s.url.find('?');
    if (q == std::string::npos || s.canonical.substr(0, s.canonical.find('?')) != s.url.substr(0, q)) {
      continue;
    }
    std::string kept = s.canonical.find('?') == std::string::npos ? "" : s.canonical.substr(s.canonical.find('?'));
    for (const std::string& param : split_query(s.url.substr(q + 1))) {
      size_t eq = param.find('=');
      if (eq != std::string::npos && kept.find(param) == std::string::npos) {
        values[param.substr(0, eq)].insert(param.substr(eq + 1));
        example.emplace(param.substr(0, eq), s.url + " names " + s.canonical);
      }
    }
  }
  bool learned = false;
  for (const auto& [name, seen_values] : values) {
    bool known = std::any_of(f_.strip_query_params.begin(), f_.strip_query_params.end(),
                             [&](const Proposal& p) { return p.value == name; });
    if (seen_values.size() < 2 || known) continue;
    f_.strip_query_params.push_back(
        {name, "rel=canonical leaves it out and it took " + std::to_string(seen_values.size()) +
                   " values on the pages read, e.g. " + example[name]});
    learned = true;
  }
  if (!learned) return Status::Ok();
  if (Status st = load_draft(); !st.ok()) return st;
  spellings_.clear();
  for (Seen& s : seen_) {
    std::string url = clean(s.page.url);
    if (!url.empty()) s.url = url;
    read(s);
  }
  return Status::Ok();
}

Result<SurveyFindings> Walk::finish() {
  if (Status st = learn_from_canonicals(); !st.ok()) return st.failure();
  choose_article_shapes();
  if (article_shapes_.empty()) {
    return fail("no recognisable articles at " + f_.start_url + ": " + what_was_found());
  }
  choose_article_patterns();
  choose_listings();
  follow_pagination();
  find_traps();
  find_date_order();
  if (!f_.date_order.empty()) {
    if (Status s = load_draft(); !s.ok()) return s.failure();
    for (Seen& s : seen_) read(s);
  }
  pick_samples();
  // The draft as it will be written must load.
  if (Status s = load_draft(); !s.ok()) return s.failure();
  return f_;
}

}  // namespace

Result<SurveyFindings> survey_site(const SurveyOptions& options, PageSource& source) {
  Walk walk(options, source);
  return walk.run();
}

}  // namespace provarc
