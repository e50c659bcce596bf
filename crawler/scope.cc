#include "crawler/scope.h"

#include <algorithm>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "common/ascii.h"
#include "common/identity.h"
#include "common/url.h"
#include "crawler/url_canon.h"

namespace provarc {
namespace {

// Warns on stderr, once per process for each pattern, that ICU gave up on it and what the
// crawl took that to mean. Patterns come from config files, so the message names where.
void warn_gave_up(const CrawlRules& rules, const Pattern& pattern, std::string_view list,
                  std::string_view meaning, const std::string& url) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  auto origin = rules.pattern_origins.find(pattern.source());
  const std::string where =
      origin == rules.pattern_origins.end() ? std::string("config") : origin->second;
  std::lock_guard<std::mutex> lock(mutex);
  if (!warned.insert(std::string(list) + "\n" + where + "\n" + pattern.source()).second) return;
  std::cerr << "provarc: warning: " << where << ": " << list << " pattern \"" << pattern.source()
            << "\" gave up (ICU's step or stack limit) on " << url.substr(0, 200) << "; " << meaning
            << " (reported once per pattern)\n";
}

}  // namespace

// The crawl's URL patterns decide what ICU giving up means (parsers/pattern.h): a list is
// matched when a pattern matches, or when one gives up and `gave_up_matches`.
bool SiteScope::any_matches(const std::vector<Pattern>& patterns, const std::string& url,
                            std::string_view list, bool gave_up_matches) const {
  for (const Pattern& p : patterns) {
    switch (p.matches(url)) {
      case Pattern::Found::kYes: return true;
      case Pattern::Found::kNo: break;
      case Pattern::Found::kGaveUp:
        warn_gave_up(rules_, p, list,
                     gave_up_matches ? "such URLs are treated as matching it"
                                     : "such URLs are treated as not matching it",
                     url);
        if (gave_up_matches) return true;
        break;
    }
  }
  return false;
}

namespace {

// The path of an absolute URL without its query, "" when the URL does not parse.
std::string path_of(std::string_view url) {
  auto parts = parse_url(url);
  return parts.ok() ? parts->path : "";
}

}  // namespace

bool has_repeated_segments(std::string_view url, int max_repeats) {
  std::string path = path_of(url);
  std::map<std::string_view, int> counts;
  std::string_view rest(path);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (++counts[segment] > max_repeats) return true;
  }
  return false;
}

bool looks_like_non_page(std::string_view url) {
  static const char* const kExtensions[] = {
      "css", "js", "mjs", "json", "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif",
      "tiff", "mp3", "mp4", "m4a", "wav", "avi", "mov", "wmv", "flv", "webm", "ogg", "woff",
      "woff2", "ttf", "eot", "otf", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip",
      "rar", "7z", "gz", "tgz", "odt", "ods", "odp", "exe", "msi", "apk", "iso", "swf"};
  std::string path = path_of(url);
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  std::string extension = ascii::lowercase(std::string_view(path).substr(dot + 1));
  return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                     [&](const char* e) { return extension == e; });
}

SiteScope::SiteScope(const SiteConfig& site) : rules_(site.crawl) {
  for (const std::string& host : site.hosts) hosts_.push_back(ascii::lowercase(host));
  if (hosts_.empty()) {
    // A site without `hosts` is the authorities of its start URLs.
    for (const std::string& url : site.start_urls) {
      auto authority = url_authority(url);
      if (authority.ok()) hosts_.push_back(*authority);
    }
  }
}

Result<std::string> SiteScope::canonicalize(std::string_view url) const {
  return canonicalize_url(url, rules_.strip_query_params);
}

bool SiteScope::host_allowed(const std::string& url) const {
  auto authority = url_authority(url);
  if (!authority.ok()) return false;
  return std::find(hosts_.begin(), hosts_.end(), *authority) != hosts_.end();
}

std::string SiteScope::page_rejection(const std::string& url, int depth) const {
  if (static_cast<int64_t>(url.size()) > rules_.max_url_length) {
    return "URL longer than " + std::to_string(rules_.max_url_length) + " characters";
  }
  if (!host_allowed(url)) return "host not in the site's hosts";
  if (depth > rules_.max_depth) {
    return "deeper than max_depth " + std::to_string(rules_.max_depth);
  }
  if (any_matches(rules_.exclude, url, "exclude", true)) return "matches an exclude pattern";
  if (!rules_.include.empty() && !any_matches(rules_.include, url, "include", false)) {
    return "matches no include pattern";
  }
  if (has_repeated_segments(url, rules_.max_repeated_segments)) {
    return "a path segment repeats more than " + std::to_string(rules_.max_repeated_segments) +
           " times";
  }
  if (looks_like_non_page(url)) return "not a page";
  return "";
}

std::string SiteScope::trap_guard(const std::string& url, int depth) const {
  if (!host_allowed(url) || looks_like_non_page(url) ||
      any_matches(rules_.exclude, url, "exclude", true) ||
      (!rules_.include.empty() && !any_matches(rules_.include, url, "include", false))) {
    return "";
  }
  if (static_cast<int64_t>(url.size()) > rules_.max_url_length) return kGuardUrlLength;
  if (depth > rules_.max_depth) return kGuardDepth;
  if (has_repeated_segments(url, rules_.max_repeated_segments)) return kGuardRepeatedSegments;
  return "";
}

std::string SiteScope::resource_rejection(const std::string& url) const {
  if (static_cast<int64_t>(url.size()) > rules_.max_url_length) {
    return "URL longer than " + std::to_string(rules_.max_url_length) + " characters";
  }
  if (any_matches(rules_.exclude, url, "exclude", true)) return "matches an exclude pattern";
  return "";
}

PageRole SiteScope::role_of(const std::string& url) const {
  if (any_matches(rules_.listing_url_patterns, url, "listing_url_patterns", false)) {
    return PageRole::kListing;
  }
  if (rules_.article_url_patterns.empty()) return PageRole::kArticle;
  if (any_matches(rules_.article_url_patterns, url, "article_url_patterns", false)) {
    return PageRole::kArticle;
  }
  return PageRole::kOther;
}

}  // namespace provarc
