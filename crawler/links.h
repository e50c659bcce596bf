// crawler/links.h: discovery: what an HTML page says of itself and links to (through the parsers'
// DOM: its links, its rel=canonical, a fingerprint of its text) and the URLs of a sitemap (XML
// urlset or sitemapindex, or a plain list of URLs).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provarc {

// Links kept per page or sitemap: more is hostile or broken, and the rest is dropped (counted:
// the crawl reports how many per site, with a warning naming the page).
inline constexpr size_t kMaxLinksPerDocument = 50000;

// True when a response with this Content-Type (may be "") and body should be read as HTML.
bool is_html(std::string_view content_type, std::string_view body);

// The navigable links of an HTML page: href of <a> and <area>, src of <frame> and <iframe>,
// resolved against `page_url` and the page's <base href>, fragments dropped, without duplicates,
// in document order, at most kMaxLinksPerDocument. Non-http(s) and malformed links are skipped.
// `dropped`, when given, receives how many links came past the cap (as written: neither resolved
// nor deduplicated). Never fails; thread-safe.
std::vector<std::string> extract_links(std::string_view body, std::string_view content_type,
                                       std::string_view page_url, size_t* dropped = nullptr);

// A fingerprint of a page's visible text without its links' targets (MinHash of its word
// 3-shingles): two pages that differ only in the URLs they link (a session token stamped on every
// link) have the same fingerprint; pages whose text differs by a counter or a clock are near.
struct PageFingerprint {
  static constexpr int kHashes = 32;
  std::array<uint64_t, kHashes> minimum{};
  int shingles = 0;  // 0: no text
  // The share of equal MinHash values (an estimate of the shingle sets' Jaccard similarity): 1.0
  // for the same text, 0.0 when either page has none.
  double similarity(const PageFingerprint& other) const;
};

// What one read of an HTML page gives the crawler.
struct PageSignals {
  std::vector<std::string> links;  // as extract_links() returns them
  // The absolute URL of its first <link rel="canonical" href>, resolved as links are; "" if none.
  std::string canonical;
  PageFingerprint fingerprint;
  size_t links_dropped = 0;  // links past kMaxLinksPerDocument, as extract_links() counts them
};

// Reads `body` once (decode_html, Document::parse) for its links, canonical link and fingerprint.
// Never fails; thread-safe.
PageSignals read_page(std::string_view body, std::string_view content_type,
                      std::string_view page_url);

struct SitemapUrls {
  std::vector<std::string> pages;     // <urlset><url><loc>, or the lines of a text sitemap
  std::vector<std::string> sitemaps;  // <sitemapindex><sitemap><loc>
  size_t dropped = 0;  // URLs past the cap of either kind (as written, not deduplicated)
};

// The URLs a sitemap lists (sitemaps.org 0.9), resolved against `sitemap_url` and deduplicated,
// at most kMaxLinksPerDocument of each kind. XML entities and CDATA in <loc> are decoded. A body that
// is not XML is read as a text sitemap: one absolute URL per line. `cut_off` says the body is the
// start of a longer one (cut at a size cap): a text sitemap's last line, perhaps a part of a URL,
// is then skipped (an XML <loc> without its end tag always is). Never fails; thread-safe.
SitemapUrls parse_sitemap(std::string_view body, std::string_view sitemap_url,
                          bool cut_off = false);

}  // namespace provarc
