// crawler/discovery.h: which URLs a site's answers add to its frontier, with what priority, and
// when a URL the frontier already knows is queued again: seeds, the links of pages and sitemaps
// (pagination last), robots.txt's sitemaps, an article's images and attachments, redirect
// targets, and the stale articles a new pass revalidates.
//
// Pure: every function maps what was fetched to frontier entries with their revisit rule, their
// identity key and spelling (crawler/identity.h), and touches no store; the crawl loop offers them
// to the frontier (crawler/admission.h). Pagination is not depth: a listing's next pages keep the
// listing's depth, so depth counts link hops away from listings and start URLs (issue 13). One
// SiteDiscovery per site and run, over the site's SiteIdentity (which learns as the run goes):
// use it from the crawl loop's thread only.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/capture.h"
#include "common/frontier.h"
#include "config/config.h"
#include "crawler/identity.h"
#include "crawler/links.h"
#include "crawler/robots.h"
#include "crawler/scope.h"

namespace provarc {

// Claim priorities (higher first): seeds and sitemaps feed discovery; an article's images and
// attachments complete its record before more articles are fetched.
inline constexpr int kPrioritySeed = 50;
inline constexpr int kPrioritySitemap = 45;
inline constexpr int kPriorityListing = 40;
inline constexpr int kPriorityResource = 35;
inline constexpr int kPriorityArticle = 30;
inline constexpr int kPriorityOther = 10;

// A chain of redirects longer than this is given up.
inline constexpr int kMaxRedirectHops = 5;

// When a URL completed in an earlier pass is queued again in this one.
enum class Revisit {
  kEveryPass,  // seeds, sitemaps, and listing pages linked from a page that showed new articles
  kWhenStale,  // once its last fetch is older than the site's revisit interval
  kNever,      // listing pages linked from a page that showed no new article (see links_of)
};

// A URL to offer to the frontier.
struct Discovered {
  // id 0; site, url (canonical), key and spelling (crawler/identity.h), kind, parent_url, depth,
  // priority set
  FrontierEntry entry;
  Revisit revisit = Revisit::kWhenStale;
  bool article = false;  // the site takes it for an article page
};

class SiteDiscovery {
 public:
  // `site` and `identity` must outlive it.
  SiteDiscovery(const SiteConfig& site, const SiteIdentity& identity);

  const SiteConfig& config() const { return *config_; }
  const SiteScope& scope() const { return scope_; }
  const SiteIdentity& identity() const { return *identity_; }

  // The start and listing URLs, canonical, in config order (priority kPrioritySeed, every pass).
  const std::vector<Discovered>& seeds() const { return seeds_; }
  // One line per start or listing URL that is not a URL (it is skipped), for the log.
  const std::vector<std::string>& seed_warnings() const { return seed_warnings_; }

  // The role of a page entry (kSeed for a start or listing URL); nullopt for other kinds.
  std::optional<PageRole> role_of(const FrontierEntry& entry) const;
  bool is_article(const FrontierEntry& entry) const { return role_of(entry) == PageRole::kArticle; }
  PageRole role_of_url(const std::string& url) const;
  // True when an explicit article_url_patterns match made `url` an article (a site without them
  // takes every page for one).
  bool article_by_pattern(const std::string& url) const;

  // The frontier entry for the canonical page URL `url` with its identity key.
  FrontierEntry entry_for(const std::string& url) const;

  // The links found in `capture`, the 2xx answer to `from`: a sitemap's pages and sitemaps, or the
  // in-scope links of an HTML page (`page`: what read_page() found in it), one level deeper, but
  // for a listing's pagination, which keeps the listing's depth. Those that the site's listing
  // patterns match (its pagination) come apart, to be offered after the others with
  // pagination_revisit(). Links a trap guard refuses are named with the guard.
  struct Refused {
    std::string url;
    std::string guard;   // common/identity.h
    bool pagination = false;
  };
  struct Links {
    std::vector<Discovered> links;
    std::vector<Discovered> pagination;  // revisit still to be set
    std::vector<Refused> refused;
    size_t dropped = 0;  // links past the cap of one document (crawler/links.h), not read
  };
  // `page` may be null: the capture is then read here.
  Links links_of(const FrontierEntry& from, const Capture& capture,
                 const PageSignals* page = nullptr) const;

  // A listing is paged through again only while its pages show articles never seen before: past
  // the first page of known ones, the rest is old news (known articles are revalidated on their
  // own, see stale_article). Pagination never fetched is followed whatever the page showed, so a
  // first pass, or one cut short, still reaches every page.
  static Revisit pagination_revisit(bool shows_new_articles) {
    return shows_new_articles ? Revisit::kEveryPass : Revisit::kNever;
  }

  // The images and attachments an article page `from` shows (absolute URLs), as the site's rules
  // fetch them (fetch_images, fetch_attachments; any host, within resource_rejection()).
  std::vector<Discovered> resources_of(const FrontierEntry& from,
                                       const std::vector<std::string>& images,
                                       const std::vector<std::string>& attachments) const;

  // The Sitemap: lines of `origin`'s robots.txt, when the site reads sitemaps and crawls that
  // host (`authority`).
  std::vector<Discovered> sitemaps_of(const RobotsTxt& rules, const std::string& origin,
                                      const std::string& authority) const;

  // Where a 3xx answer to `from` with Location `location` leads, `hops` redirects having led to
  // `from`: `error` when the redirect is given up (malformed, to itself, more than
  // kMaxRedirectHops); else `next` when the target is in scope (nullopt: the capture records
  // where it pointed, nothing more is fetched). `hops` is the count for the target.
  struct Redirect {
    std::string error;
    std::optional<Discovered> next;
    int hops = 0;
  };
  Redirect redirect_of(const FrontierEntry& from, const std::string& location, int hops) const;

  // A completed page of an earlier pass, fetched longer than the revisit interval ago: queued
  // again (revalidated with a conditional GET) when it is an article, linked or not, so that a
  // removed article is seen answering 404 or 410. nullopt for other pages.
  std::optional<Discovered> stale_article(const FrontierEntry& page) const;

 private:
  // A page or sitemap URL found at `depth`, or nullopt when it is out of scope.
  std::optional<Discovered> page(const std::string& raw_url, int depth, const std::string& parent,
                                 CaptureKind kind) const;

  const SiteConfig* config_;
  const SiteIdentity* identity_;
  SiteScope scope_;
  std::vector<Discovered> seeds_;
  std::vector<std::string> seed_warnings_;
  std::unordered_set<std::string> seed_urls_;
  std::unordered_set<std::string> listing_urls_;  // the configured listing URLs, canonical
};

}  // namespace provarc
