// crawler/scope.h: which URLs belong to a site's crawl (hosts, include and exclude patterns, trap
// guards) and what role a page plays in it (listing, article, other).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config.h"

namespace provarc {

enum class PageRole {
  kSeed,     // a start URL or a configured listing URL: fetched at every pass
  kListing,  // matches listing_url_patterns (pagination of a listing): fetched at every pass
  kArticle,  // matches article_url_patterns (or, when the site has none, any other page)
  kOther,    // another in-scope page, followed for its links
};

// A site's scope, built once from its config. Immutable (but for the process-wide set of
// patterns already warned about, guarded by a mutex): thread-safe.
class SiteScope {
 public:
  explicit SiteScope(const SiteConfig& site);

  // The site's canonical form of `url` (canonicalize_url with its strip_query_params).
  Result<std::string> canonicalize(std::string_view url) const;

  // When ICU gives up on a pattern (parsers/pattern.h), the scope fails closed: an exclude
  // pattern that gives up excludes the URL, an include pattern that gives up does not include
  // it, a listing or article pattern that gives up does not match. Each such pattern is named,
  // with the file and line it was configured at, in one warning on stderr per process.

  // Why the canonical page URL `url`, found at link depth `depth`, is outside the crawl, or ""
  // when it is inside: host not in the site's hosts, not included, excluded, not a page (a
  // stylesheet, script, image or document by its extension), deeper than max_depth, longer than
  // max_url_length, or a path segment repeated more than max_repeated_segments times (a trap).
  std::string page_rejection(const std::string& url, int depth) const;

  // The trap guard (common/identity.h: depth, url_length, repeated_segments) that refuses the
  // canonical page URL `url` at `depth`, or "" when none does or the URL is out of scope anyway
  // (another host, excluded or not included, not a page).
  std::string trap_guard(const std::string& url, int depth) const;

  // Why the image or attachment `url` (canonical) of an article is not fetched, or "" when it is:
  // excluded, longer than max_url_length. Any host is allowed: the archive keeps what an article
  // shows even when a CDN serves it (politely, under that host's robots.txt).
  std::string resource_rejection(const std::string& url) const;

  // The role of an in-scope page (seeds are known to the caller; this never returns kSeed).
  PageRole role_of(const std::string& url) const;

  const std::vector<std::string>& hosts() const { return hosts_; }

 private:
  bool host_allowed(const std::string& url) const;
  bool any_matches(const std::vector<Pattern>& patterns, const std::string& url,
                   std::string_view list, bool gave_up_matches) const;

  CrawlRules rules_;               // a copy: patterns share their compiled form
  std::vector<std::string> hosts_;  // lowercase authorities
};

// True when a path segment of `url` occurs more than `max_repeats` times ("/a/b/a/b/a/b/...").
bool has_repeated_segments(std::string_view url, int max_repeats);

// True when the path of `url` ends in an extension that never names an HTML page: stylesheets,
// scripts, images, media, fonts, archives and office documents.
bool looks_like_non_page(std::string_view url);

}  // namespace provarc
