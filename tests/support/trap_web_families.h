// tests/support/trap_web_families.h: the portal families of the trap web (trap_web.h), internal
// to it: each family's URL scheme (what targets it builds for a page, and the URL forms it
// answers) and its markup (docs/portals.md). The behaviours common to all (session tokens,
// calendars, the gzip bomb, robots.txt, epochs, classification) live in trap_web.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/trap_web.h"

namespace provarc::testing::trapweb {

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// One article at one epoch.
struct Article {
  int number = 0;    // 1-based order of publication on its site
  int id = 0;        // the family's numeric id (ASP.NET ID=, SharePoint ItemID, Trà Vinh id)
  std::string slug;  // ASCII name (SharePoint page, WCM content, Liferay urlTitle, CMS slug)
  std::string title;
  std::string author;
  CivilTime published;
  std::vector<std::string> paragraphs;  // the text at the epoch (the byline is not one)
  bool image = false;                   // a photo with a caption after the first paragraph
};

// Where a page links an article from: families with aliases use a different URL form in each.
enum class LinkPlace {
  kListing,   // the category listing: the canonical URL
  kFeatured,  // the home page's featured box
  kLatest,    // the home page's latest-news box
  kRelated,   // "Các tin khác" / "Tin đã đưa" on an article page
};

// A link of the side boxes every page shows (calendar, the bomb's page, ...).
struct SideLink {
  std::string href;  // already escaped
  std::string text;
};

// What one page is rendered with. `link` turns a target into an href with this page's session
// token (when the site has one) and escapes it; `plain` escapes it without a token.
struct Page {
  const TrapSiteSpec* spec = nullptr;
  std::string origin;  // "http://127.0.0.1:<port>"
  std::string token;   // this page's session token ("" when the site has none)
  std::string token2;  // its second token (TrapSiteSpec::session2), "" when none
  uint64_t serial = 0;  // which page served this is: the order shuffle_params gives its links
  // A listing permutation this page shows ("SortField=Title&SortDir=Asc"): added to the links
  // whose path is `carry_path` (its pager) and that name no permutation of their own.
  std::string carry, carry_path;
  std::vector<std::string> carry_names;  // every permutation's parameter names
  std::vector<SideLink> side;
  std::string link(const std::string& target) const;
  std::string with_token(const std::string& target) const;  // the same, not escaped
  std::string plain(const std::string& target) const;
  std::string absolute(const std::string& target) const { return origin + target; }
  std::string site_name() const;  // "Sở Thông tin và Truyền thông tỉnh <province>"
};

// One URL form a family answers, matched against a target whose session token was removed and
// whose path and query were percent-decoded. Parameters not named are allowed (servers ignore
// them) but make the target a variant of the resource's canonical URL.
struct UrlForm {
  enum class Key { kNone, kArticleId, kArticleSlug, kNumber };
  HitKind kind = HitKind::kUnknown;
  std::regex path;  // the whole path; capture 1 is the key when key_param is empty
  std::vector<std::pair<std::string, std::regex>> params;  // required: name, whole value
  Key key = Key::kNone;
  std::string key_param;  // the key is capture 1 of this parameter's value
  int redirect = 0;       // 301 or 302: an alias that redirects to the canonical URL
};

// A portal family: URL scheme and markup. Targets are paths with queries, as in an href.
class Family {
 public:
  virtual ~Family() = default;

  // ---- URL scheme
  virtual std::string home() const = 0;
  virtual std::string listing(int page) const = 0;  // 1-based, canonical
  virtual std::string article(const Article& a, LinkPlace place) const = 0;
  virtual std::string print(const Article& a) const = 0;
  virtual std::string about() const = 0;
  virtual std::string bomb() const = 0;
  // The forms it answers (the most specific is chosen when several match).
  virtual std::vector<UrlForm> forms() const = 0;
  // Targets it links that are aliases of its home or listing pages (the ground truth lists them).
  virtual std::vector<std::string> page_aliases() const { return {}; }
  virtual bool case_insensitive() const { return false; }  // IIS: paths and names in any case
  virtual std::vector<std::string> robots_disallow() const = 0;

  // ---- Dates, as pages print them and as ISO 8601 at that precision (+07:00)
  virtual std::string printed_date(const CivilTime& t) const = 0;
  virtual std::string iso_date(const CivilTime& t) const = 0;
  virtual std::string listed_date(const CivilTime& t) const = 0;  // in listings and boxes

  // ---- Markup. Lists of articles are newest first.
  virtual std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                                const std::vector<const Article*>& latest) const = 0;
  virtual std::string listing_page(const Page& page, int number, int last_page,
                                   const std::vector<const Article*>& items) const = 0;
  virtual std::string article_page(const Page& page, const Article& a,
                                   const std::vector<const Article*>& related) const = 0;
  virtual std::string print_page(const Page& page, const Article& a) const = 0;
  // Any other page (about, calendar, not found) in the site's chrome.
  virtual std::string shell(const Page& page, const std::string& title,
                            const std::string& inner_html) const = 0;
};

std::unique_ptr<Family> make_family(const TrapSiteSpec& spec);

// ---- Shared by the families

// How a family prints its pager: patterns with {n} (a page number) and {href} (its link).
struct PagerMarkup {
  std::string current;  // the page shown
  std::string link;     // another page
  std::string next;     // "next page"
};

// The pager of listing page `number`: pages two before to two after (three after, past
// `last_page`, when the site's pager runs on), then "next" unless this is the last page.
// `target` gives a page's URL.
std::string pager_html(const Page& page, int number, int last_page, const PagerMarkup& markup,
                       const std::function<std::string(int)>& target);

std::string two_digits(int n);
std::string day_month_year(const CivilTime& t);  // "03/07/2018"
std::string iso_day(const CivilTime& t);         // "2018-07-03"
std::string iso_minutes(const CivilTime& t);     // "2018-07-03T18:29+07:00"
std::string iso_seconds(const CivilTime& t);     // "2018-07-03T18:29:27+07:00"
// "Thứ Tư" for the day of `t`.
std::string vietnamese_weekday(const CivilTime& t);
// The article's body paragraphs as <p> elements (`style` on each), the photo after the first.
std::string body_paragraphs(const Article& a, const std::string& image_src,
                            const std::string& style);

}  // namespace provarc::testing::trapweb
