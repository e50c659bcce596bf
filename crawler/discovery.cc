#include "crawler/discovery.h"

#include <algorithm>

#include "crawler/links.h"

namespace provarc {
namespace {

int priority_of(PageRole role) {
  switch (role) {
    case PageRole::kSeed: return kPrioritySeed;
    case PageRole::kListing: return kPriorityListing;
    case PageRole::kArticle: return kPriorityArticle;
    case PageRole::kOther: return kPriorityOther;
  }
  return kPriorityOther;
}

bool is_resource(CaptureKind kind) {
  return kind == CaptureKind::kImage || kind == CaptureKind::kAttachment;
}

}  // namespace

SiteDiscovery::SiteDiscovery(const SiteConfig& site, const SiteIdentity& identity)
    : config_(&site), identity_(&identity), scope_(site) {
  std::vector<std::string> raw = site.start_urls;
  raw.insert(raw.end(), site.crawl.listing_urls.begin(), site.crawl.listing_urls.end());
  for (size_t i = 0; i < raw.size(); ++i) {
    auto canonical = identity.canonicalize(raw[i]);
    if (!canonical.ok()) {
      seed_warnings_.push_back(site.id + ": start URL skipped: " + canonical.error());
      continue;
    }
    if (i >= site.start_urls.size()) listing_urls_.insert(*canonical);
    if (!seed_urls_.insert(*canonical).second) continue;
    Discovered seed{entry_for(*canonical), Revisit::kEveryPass, false};
    seed.entry.priority = kPrioritySeed;
    seed.entry.spelling = static_cast<int>(Spelling::kCanonical);
    seeds_.push_back(std::move(seed));
  }
}

FrontierEntry SiteDiscovery::entry_for(const std::string& url) const {
  FrontierEntry entry;
  entry.site = config_->id;
  entry.url = url;
  entry.key = identity_->key_of(url, role_of_url(url)).key;
  return entry;
}

bool SiteDiscovery::article_by_pattern(const std::string& url) const {
  return !config_->crawl.article_url_patterns.empty() && role_of_url(url) == PageRole::kArticle;
}

PageRole SiteDiscovery::role_of_url(const std::string& url) const {
  return seed_urls_.count(url) ? PageRole::kSeed : scope_.role_of(url);
}

std::optional<PageRole> SiteDiscovery::role_of(const FrontierEntry& entry) const {
  if (entry.kind != CaptureKind::kPage) return std::nullopt;
  return role_of_url(entry.url);
}

std::optional<Discovered> SiteDiscovery::page(const std::string& raw_url, int depth,
                                              const std::string& parent,
                                              CaptureKind kind) const {
  auto url = identity_->canonicalize(raw_url);
  if (!url.ok() || !scope_.page_rejection(*url, depth).empty()) return std::nullopt;
  Discovered found{entry_for(*url), Revisit::kEveryPass, false};
  found.entry.kind = kind;
  found.entry.depth = depth;
  found.entry.parent_url = parent;
  if (kind == CaptureKind::kSitemap) {
    found.entry.key = *url;
    found.entry.priority = kPrioritySitemap;
    return found;
  }
  PageRole role = role_of_url(*url);
  found.entry.priority = priority_of(role);
  found.article = role == PageRole::kArticle;
  if (role == PageRole::kArticle || role == PageRole::kOther) found.revisit = Revisit::kWhenStale;
  return found;
}

SiteDiscovery::Links SiteDiscovery::links_of(const FrontierEntry& from, const Capture& capture,
                                             const PageSignals* signals) const {
  Links out;
  const int depth = from.depth + 1;
  if (from.kind == CaptureKind::kSitemap) {
    if (!config_->crawl.use_sitemaps) return out;
    // An ok capture has an error only when its body was cut at the size cap (transport.h).
    SitemapUrls urls = parse_sitemap(capture.body, capture.url, !capture.error.empty());
    out.dropped = urls.dropped;
    for (const std::string& url : urls.sitemaps) {
      auto found = page(url, depth, from.url, CaptureKind::kSitemap);
      if (found) out.links.push_back(std::move(*found));
    }
    for (const std::string& url : urls.pages) {
      auto found = page(url, depth, from.url, CaptureKind::kPage);
      if (found) out.links.push_back(std::move(*found));
    }
    return out;
  }
  if (from.kind != CaptureKind::kPage) return out;
  std::optional<PageSignals> read;
  if (signals == nullptr) {
    std::string content_type = header_value(capture.response_headers, "Content-Type");
    if (!is_html(content_type, capture.body)) return out;
    read = read_page(capture.body, content_type, capture.url);
    signals = &*read;
  }
  out.dropped = signals->links_dropped;
  const PageRole from_role = role_of_url(from.url);
  const bool from_listing = from_role == PageRole::kListing || listing_urls_.count(from.url) > 0;
  const bool pages_a_listing = from_listing || from_role == PageRole::kSeed;
  for (const std::string& raw : signals->links) {
    auto url = identity_->canonicalize(raw);
    if (!url.ok()) continue;
    PageRole role = role_of_url(*url);
    // Pagination is not depth: a listing's pages are all one hop from its articles.
    const bool pagination = role == PageRole::kListing;
    const int link_depth = pagination && pages_a_listing ? from.depth : depth;
    if (!scope_.page_rejection(*url, link_depth).empty()) {
      std::string guard = scope_.trap_guard(*url, link_depth);
      if (!guard.empty()) out.refused.push_back({*url, guard, pagination});
      continue;
    }
    Discovered link{entry_for(*url), Revisit::kWhenStale, role == PageRole::kArticle};
    link.entry.depth = link_depth;
    link.entry.parent_url = from.url;
    link.entry.priority = priority_of(role);
    link.entry.spelling =
        static_cast<int>(from_listing ? Spelling::kFromListing : Spelling::kLinked);
    if (role == PageRole::kSeed) {
      link.revisit = Revisit::kEveryPass;
      link.entry.spelling = static_cast<int>(Spelling::kCanonical);
    }
    (pagination ? out.pagination : out.links).push_back(std::move(link));
  }
  return out;
}

std::vector<Discovered> SiteDiscovery::resources_of(
    const FrontierEntry& from, const std::vector<std::string>& images,
    const std::vector<std::string>& attachments) const {
  std::vector<Discovered> out;
  auto add = [&](const std::vector<std::string>& urls, CaptureKind kind) {
    for (const std::string& raw : urls) {
      auto url = identity_->canonicalize(raw);
      if (!url.ok() || !scope_.resource_rejection(*url).empty()) continue;
      Discovered resource{entry_for(*url), Revisit::kWhenStale, false};
      resource.entry.key = *url;  // an image or a document is its URL
      resource.entry.kind = kind;
      resource.entry.parent_url = from.url;
      resource.entry.depth = from.depth;
      resource.entry.priority = kPriorityResource;
      out.push_back(std::move(resource));
    }
  };
  if (config_->crawl.fetch_images) add(images, CaptureKind::kImage);
  if (config_->crawl.fetch_attachments) add(attachments, CaptureKind::kAttachment);
  return out;
}

std::vector<Discovered> SiteDiscovery::sitemaps_of(const RobotsTxt& rules,
                                                   const std::string& origin,
                                                   const std::string& authority) const {
  std::vector<Discovered> out;
  const auto& hosts = scope_.hosts();
  if (!config_->crawl.use_sitemaps ||
      std::find(hosts.begin(), hosts.end(), authority) == hosts.end()) {
    return out;
  }
  for (const std::string& sitemap : rules.sitemaps()) {
    if (auto found = page(sitemap, 0, origin + "/robots.txt", CaptureKind::kSitemap)) {
      out.push_back(*found);
    }
  }
  return out;
}

SiteDiscovery::Redirect SiteDiscovery::redirect_of(const FrontierEntry& from,
                                                   const std::string& location, int hops) const {
  Redirect out;
  out.hops = hops + 1;
  auto target = identity_->canonicalize(location);
  if (!target.ok()) {
    out.error = "bad redirect: " + target.error();
    return out;
  }
  if (*target == from.url) {
    out.error = "redirect loop: redirects to itself";
    return out;
  }
  if (out.hops > kMaxRedirectHops) {
    out.error = "more than " + std::to_string(kMaxRedirectHops) + " redirects";
    return out;
  }
  bool resource = is_resource(from.kind);
  std::string rejection = resource ? scope_.resource_rejection(*target)
                                   : scope_.page_rejection(*target, from.depth);
  if (!rejection.empty()) return out;  // the capture records where it pointed
  Discovered next{from, Revisit::kWhenStale, false};
  next.entry.id = 0;
  next.entry.url = *target;
  next.entry.attempts = 0;
  next.entry.not_before.clear();
  next.entry.state = FrontierState::kQueued;
  next.entry.last_error.clear();
  next.entry.key = resource ? *target : entry_for(*target).key;
  next.entry.spelling = static_cast<int>(Spelling::kCanonical);
  if (from.priority >= kPriorityListing && !resource) next.revisit = Revisit::kEveryPass;
  out.next = std::move(next);
  return out;
}

std::optional<Discovered> SiteDiscovery::stale_article(const FrontierEntry& page) const {
  if (seed_urls_.count(page.url) || scope_.role_of(page.url) != PageRole::kArticle) {
    return std::nullopt;
  }
  Discovered found{page, Revisit::kEveryPass, true};
  found.entry.id = 0;
  found.entry.priority = kPriorityArticle;
  found.entry.not_before.clear();
  return found;
}

}  // namespace provarc
