// tests/support/trap_web.h: held-out webs of six portal sites on 127.0.0.1 for URL identity and
// crawl traps (issue 12; issue 14 reuses it). default_trap_sites() is the first web;
// trap_web2_sites() a second one, written later and never shown to the identity fix's authors:
// other URL schemes per family and other traps (see docs/crawl-identity.md). One site per family
// of docs/portals.md (SharePoint, WebSphere WCM, ASP.NET `ChiTietTin.aspx?ID=`, the ASP.NET path
// portal of Trà Vinh, Liferay) and one CMS of no preset, each in its family's markup with
// listings and pagination, and each with behaviours no site config mentions: session tokens
// re-issued on every page served, print twins, 301/302 and case aliases, navigation-state and
// portlet-parameter variants of one article, calendars and pagers that step on forever, a gzip
// bomb.
//
// The server knows what every request asked for: classify() maps a target to the resource it
// names (an article, a listing page, a calendar month, ...) and the variant it came through (a
// session token, a print twin, an alias), and every request is logged with that. So a crawl is
// judged from the server's log and the archive alone, without knowing how the crawler works.
//
// Two epochs: at epoch 2 each site edits some articles' text, publishes 5 new articles and
// removes 2 (their pages answer 404 and leave the listings). The content is a pure function of
// the site, the article and the epoch: pages are made on request.
//
// Written without reading crawler/, archive/, cli/ or parsers/: from docs/portals.md and the
// README only. Depends on fixture_web.h, html_escape() (fixture_sites.h), nlohmann/json (the ground
// truth) and zlib (the gzip bomb).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/fixture_web.h"

namespace provarc::testing {

namespace trapweb {
struct Article;
struct Page;
struct Target;
}

enum class PortalFamily { kSharePoint, kWebSphere, kAspNet, kAspNetPath, kLiferay, kNoPreset };

// "sharepoint", "websphere", "aspnet", "aspnet-path", "liferay", "no-preset".
std::string family_name(PortalFamily family);

// How a site writes session tokens into its links: every page it serves carries a fresh token in
// all its links (a cookieless session that a crawler, sending no cookie, starts again each time).
struct SessionTokens {
  // kPathPrefix: ASP.NET's cookieless session, a first path segment `/(S(<token>))/` (prefix
  // "(S(", suffix "))"; the name is only a label).
  enum class Where { kNone, kQuery, kPathParameter, kPathPrefix };
  Where where = Where::kNone;
  std::string name;      // the query parameter ("sid") or path parameter ("jsessionid")
  std::string prefix;    // printed before the random part (WebSphere's "0000")
  std::string alphabet;  // the random part's characters
  int length = 0;        // the random part's length
  std::string suffix;    // printed after it (WebSphere's clone id ":17ig2ib8s")
};

// A "Lịch công tác" page linking the period before and after it, for every period. Shapes:
//   kNumber     `path`?`param`=N (N an integer: "month", "week")
//   kDate       `path`?`param`=YYYY-MM-DD, a day (N counts days since 1970-01-01)
//   kPathMonth  `path`/YYYY/MM (N counts months since year 0)
struct CalendarTrap {
  enum class Shape { kNumber, kDate, kPathMonth };
  std::string path;   // empty: no calendar
  std::string param;  // "month", "week", "ngay" (not used by kPathMonth)
  std::string title;  // its heading
  int current = 1;    // the period every page links
  Shape shape = Shape::kNumber;
};

// How an article page names its canonical URL.
enum class CanonicalLink {
  kFamily,    // as the family's markup does (docs/crawl-identity.md's first web)
  kNone,      // no <link rel="canonical"> on article pages (print twins keep theirs)
  kRelative,  // a root-relative href ("/tin-tuc/...")
  kAbsolute,  // an absolute href, added where the family has none
};

// One site: its family's URL scheme and markup, and which behaviours it has. Family-specific
// behaviours are named after the family that has them; the family's code reads its own.
struct TrapSiteSpec {
  std::string id;  // the site file's id (tests/fixtures/trapweb/sites/<id>.toml)
  PortalFamily family = PortalFamily::kNoPreset;
  std::string real_host;  // the host the site file names, rewritten to 127.0.0.1:<port>
  std::string province;
  int seed = 0;            // varies titles, dates and authors between sites
  int articles = 48;       // true articles at epoch 1 (5 more at epoch 2, 2 of the first removed)
  int per_page = 10;       // articles per listing page
  bool robots_txt = true;  // false: /robots.txt answers 404 (everything allowed)
  int crawl_delay_s = 0;   // robots.txt "Crawl-delay:" (0: none)
  SessionTokens session = {};
  bool print_twins = false;       // every article links its print version (canonical link inside)
  CalendarTrap calendar = {};     // linked from every page
  bool gzip_bomb = false;         // a page linked from every page that inflates to bomb_bytes
  bool pager_beyond_end = false;  // the pager links the next page even past the last one
  // SharePoint
  bool redirect_aliases = false;  // Default.aspx?ItemID= (301) and chi-tiet-tin.aspx?ItemID= (302)
  bool case_variants = false;     // /pages/... (IIS serves any case) linked from the home page
  bool page_one_link = false;     // the pager's "1" links ?Page=1, the listing itself
  // WebSphere
  bool navigation_states = false;  // !ut/p/ states: home, listing and "Tin đã đưa" link one item
                                   // through three different portal URLs
  // Liferay
  bool portlet_variants = false;  // p_p_id/p_p_state/p_p_mode variants of one article's URL

  // ---- The second web's behaviours (trap_web2_sites()), all off in the first web
  int scheme = 1;                 // 2: the family's second URL scheme (trap_web_families.cc)
  // Scheme 2: the home page and related boxes link the family's other URL forms of an article
  // (list item, share link with utm_*, navigation state, old Default.aspx, asset publisher form).
  bool place_aliases = false;
  SessionTokens session2 = {};    // a second token in every link (p_auth, fbclid), new per page
  bool shuffle_params = false;    // each link's query parameters in another order on every page
  bool mobile_twins = false;      // every article links `/m<its path>`, the same article (200)
  CanonicalLink canonical = CanonicalLink::kFamily;
  bool beyond_repeats_last = false;  // a listing page past the last shows the last page again
  bool soft_404 = false;  // a page that does not exist answers 200 with "not found" in the chrome
  int dead_links = 0;     // every page links this many article-shaped URLs of no article
  // Sort and filter permutations of the listing ("SortField=Title&SortDir=Asc", "nam=2022"):
  // every listing page links each at its page 1; its pager keeps it. Odd ones list oldest first.
  std::vector<std::string> listing_variants;
};

// The six sites of the held-out web, as issue 12 describes them (see docs/crawl-identity.md).
std::vector<TrapSiteSpec> default_trap_sites();
// The same six sites without a trap or an alias, but with a print link on every article: issue
// 12's "plain sites with print links".
std::vector<TrapSiteSpec> plain_trap_sites();
// The second held-out web: six other sites of the same families, other URL schemes and other
// traps (a cookieless session in the path, `;jsessionid=` with a second token, tracking
// parameters, parameter order shuffled per page, mobile twins, date and path calendars, pagers
// that repeat the last page, soft 404s, sort and filter permutations, canonical links absent,
// relative or absolute).
std::vector<TrapSiteSpec> trap_web2_sites();
// The second web's sites without traps or aliases, with a print link on every article.
std::vector<TrapSiteSpec> plain_trap_web2_sites();

struct TrapWebOptions {
  int articles = 0;  // > 0: every site has this many articles at epoch 1 (3..110)
  int per_page = 0;  // > 0: every site's listing page size
  size_t bomb_bytes = size_t{1} << 30;  // what the gzip bomb inflates to
  int crawl_delay_s = -1;               // >= 0: replaces the Crawl-delay of sites that have one
  int epoch = 1;                        // the epoch served first
  std::string log_path;  // not empty: every request appended there (see log_header())
};

// What one request asked for, as the server answered it.
enum class HitKind {
  // What a crawler has to fetch:
  kRobots,
  kHome,
  kListing,
  kArticle,
  kGone,
  kResource,
  kPage,
  // Traps (a request for one of these is spent in a trap):
  kTwin,      // a print version of an article
  kAlias,     // another URL of a resource: a redirect, a case variant, a navigation state, ...
  kCalendar,  // a calendar period
  kBomb,      // the gzip bomb
  kBeyond,    // a listing page past the last one
  kSort,      // a sort or filter permutation of a listing page
  kUnknown,   // nothing: 404 (or 200 on a site with soft 404s)
};
std::string hit_kind_name(HitKind kind);

struct Hit {
  HitKind kind = HitKind::kUnknown;
  // The resource, the same for every URL of it: "article:17", "listing:2", "home", "robots",
  // "calendar:5", "bomb", "page:about", "resource:/path", "beyond:9", "sort:<variant>:2",
  // "unknown:/target". A print
  // twin or an alias of an article names the article ("article:17").
  std::string resource;
  int article = 0;       // the article's number (1-based) when the resource is an article
  int page = 0;          // the listing page or the calendar period
  bool session = false;  // the target carried a session token
  std::string variant;   // how it differs from the resource's canonical URL ("" when it is it)
  std::string redirect;  // a redirect alias: the target it redirects to
  // Spent in a trap: a trap kind, a session variant, or an alias.
  bool trap() const;
};

// One true article at an epoch, as the ground truth gives it.
struct TrueArticle {
  int number = 0;
  std::string url;  // canonical, absolute (http://127.0.0.1:<port>/...)
  std::string title;
  std::string published;  // ISO 8601 at the precision the page prints
  std::string author;
  bool edited = false;  // its text changed at this epoch
  bool fresh = false;   // published at this epoch
};

// One request as the trap web logged it.
struct TrapRequest {
  RequestRecord record;
  std::string site;
  int epoch = 0;
  Hit hit;
};

class TrapWeb {
 public:
  // Starts one host per site. Throws std::runtime_error when a port cannot be bound or the log
  // file cannot be opened, std::invalid_argument for options out of range.
  explicit TrapWeb(TrapWebOptions options = {},
                   std::vector<TrapSiteSpec> sites = default_trap_sites());
  ~TrapWeb();
  TrapWeb(const TrapWeb&) = delete;
  TrapWeb& operator=(const TrapWeb&) = delete;

  const std::vector<TrapSiteSpec>& sites() const;  // as served (options applied)
  FixtureHost& host(const std::string& site_id);
  FixtureWeb& web();

  int epoch() const;
  void set_epoch(int epoch);  // 1 or 2; takes effect for the next request

  // What `target` (path and query as a client sends it) names on `site_id` at the current
  // epoch. Percent-encoding, query order and (on IIS families) case are taken as servers take
  // them. Thread-safe.
  Hit classify(const std::string& site_id, const std::string& target) const;

  // "http://127.0.0.1:<port>": where the site is served.
  std::string origin(const std::string& site_id) const;
  // The site's start URL and listing URL (absolute, as the site file gives them).
  std::string start_url(const std::string& site_id) const;
  std::string listing_url(const std::string& site_id) const;

  std::vector<TrueArticle> true_articles(const std::string& site_id, int epoch) const;
  // Articles listed at epoch 1 whose pages answer 404 at `epoch`.
  std::vector<TrueArticle> removed_articles(const std::string& site_id, int epoch) const;

  // The ground truth of `epoch` as JSON: per site its family, host, start and listing URLs, true
  // articles, removed articles, and every kind of variant with an example and what it stands for.
  std::string ground_truth_json(int epoch) const;

  // Every request so far, in arrival order, classified at the epoch it arrived in.
  std::vector<TrapRequest> requests() const;
  std::vector<TrapRequest> requests_to(const std::string& site_id) const;

  // The log file's first line: the tab-separated column names.
  static std::string log_header();

  // A host named "control" for programs: GET /epoch (the epoch), /epoch?set=N (switch),
  // /classify?site=ID&target=T (classify() as JSON), /truth?epoch=N (ground_truth_json()).
  FixtureHost& add_control_host();

 private:
  struct Site;
  Site& site(const std::string& site_id) const;
  Hit classify(const Site& site, const std::string& target, int epoch) const;
  Hit classify_target(const Site& site, const trapweb::Target& target, int epoch) const;
  std::optional<FixtureResponse> answer(Site& site, const std::string& target) const;
  trapweb::Page new_page(Site& site) const;
  std::string calendar_html(Site& site, const trapweb::Page& page, int period) const;
  void add_article_side_links(const Site& site, const trapweb::Article& a,
                              const std::vector<const trapweb::Article*>& related,
                              trapweb::Page* page) const;
  FixtureResponse article_response(Site& site, const Hit& hit, int epoch) const;
  FixtureResponse listing_response(Site& site, const Hit& hit, int epoch) const;
  const std::string& gzip_bomb_body() const;  // made on first use
  std::string traps_json(const Site& site, int epoch) const;
  void record(const RequestRecord& record);

  TrapWebOptions options_;
  std::vector<TrapSiteSpec> specs_;
  std::vector<std::unique_ptr<Site>> sites_;
  FixtureWeb web_;
  mutable std::mutex log_mutex_;
  std::vector<TrapRequest> log_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> log_file_{nullptr, &std::fclose};
  std::atomic<int> epoch_{1};
  mutable std::once_flag bomb_once_;
  mutable std::string bomb_;
};

// A gzip stream (RFC 1952) that inflates to `size` zero bytes, about size / 1000 bytes long
// (zlib's best ratio, one megabyte compressed once and repeated after full flushes).
std::string gzip_bomb(size_t size);

}  // namespace provarc::testing
