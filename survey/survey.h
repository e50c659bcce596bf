// survey/survey.h: a site file drafted from the site itself (`provarc sites new`, issue 14).
//
// Owns: walking a few dozen pages of one site for evidence, and what that evidence says: the
// platform (and which markers said so), the listing pages and their pagination, the article URL
// patterns (anchored ICU regexes generalised over ids and slugs, as narrow as the pages seen
// allow), the traps and session parameters met (calendars, opaque tokens, print twins), sample
// articles with the extractor's per-field provenance; and the commented site TOML that says it.
//
// Does not own: fetching (a PageSource does it: cli/ gives crawler/fetch_one.h's PoliteFetcher,
// robots.txt first and the site's delay kept; tests give pages in memory), canonical URLs, links,
// URL shapes and number steps (crawler/), the presets and the validation of the draft (config/:
// every intermediate draft is loaded with load_site, so the walk canonicalises and scopes URLs
// exactly as a crawl with that file would), extraction (parsers/extract.h).
//
// Failure: survey_site() fails, naming the URL, when the start page cannot be fetched (host
// unreachable, robots.txt unreachable or refusing it, an HTTP error), and when no page seen reads
// as an article (the message says what was found instead). Pure functions below never fail.
// Nothing here is thread-safe beyond the pure functions, which are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "parsers/article.h"

namespace provarc {

// ---- The port the walk fetches through

struct FetchedPage {
  std::string url;           // the URL asked for (canonical)
  int status = 0;            // HTTP status
  std::string content_type;  // its Content-Type header ("" when none)
  std::string location;      // a 3xx's Location, resolved ("" otherwise)
  std::string body;
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  // One GET, politely. Fails (naming the URL) when nothing came back: robots.txt refuses it or
  // cannot be read, the host does not answer, the body is over the cap.
  virtual Result<FetchedPage> get(const std::string& url) = 0;
};

// ---- Pure pieces (unit-tested)

// A platform preset chosen from markers in pages, and the markers that chose it
// ("`__VIEWSTATE` on 5 of 9 pages").
struct PlatformGuess {
  std::string platform = "generic";
  std::vector<std::string> evidence;  // empty for generic: what was looked for and not found
};
// Every page is searched for each family's markers (SharePoint: `_layouts/`, `__REQUESTDIGEST`,
// `MicrosoftAjax`, the generator meta; WebSphere: `/wps/portal`, `wpsPortlet`, `/wps/wcm/`;
// Liferay: `/web/guest`, `p_p_id`, `Liferay.`; ASP.NET WebForms: `__VIEWSTATE`, `.aspx`,
// `WebResource.axd`). A family needs two distinct markers; SharePoint, WebSphere and Liferay,
// which run on or beside ASP.NET and Java, win over ASP.NET's markers; most markers wins.
PlatformGuess detect_platform(const std::vector<std::string>& bodies);

// One anchored ICU pattern matching every URL of `urls` (canonical absolute URLs of one shape:
// crawler/trap_guards.h's url_shape), generalised per path segment and query value: a value
// common to all stays literal; numbers become \d+; slugs [a-z0-9-]+ (wider classes when the
// values need them), a common suffix (".html", "-<digits>") kept. "^https?://[^/]+" stands for
// the origin (hosts are in scope already); the pattern ends in "$", so a print twin
// ("?print=1") or another variant is not matched. `not_matching` are URLs of that shape that are
// no articles (a listing page beside the articles): each is kept out by a negative lookahead.
// With `any_order` (the site was seen shuffling its parameters), the query is matched in any
// order: a lookahead per parameter, and no parameter but these.
std::string generalise_urls(const std::vector<std::string>& urls,
                            const std::vector<std::string>& not_matching = {},
                            bool any_order = false);

// The same for URLs that differ in numbers only (pagination, calendar periods), without "$":
// "^https?://[^/]+/tin-tuc\?page=\d+".
std::string generalise_prefix(const std::vector<std::string>& urls, bool any_order = false);

// The "name=value" pieces of a query string (without its '?'), split at '&', in order; empty
// pieces kept.
std::vector<std::string> split_query(const std::string& query);

// ICU pattern syntax escaped: `text` matched literally.
std::string regex_escape(const std::string& text);

// ---- The walk

struct SurveyOptions {
  std::string id;                 // the site id ([a-z0-9-]+)
  std::string start_url;          // absolute http(s)
  std::string name, province;     // "" when not given: a placeholder the draft says to replace
  std::string contact_url;        // "" : the placeholder the shipped sites use, commented
  std::string platforms_dir;      // the presets
  std::string work_dir;           // where intermediate drafts are written to be loaded
  int max_pages = 40;             // pages fetched, the start page included (robots.txt aside)
  int64_t delay_ms = 1000;        // written into the draft's [crawl] delay
};

// A proposed exclude or strip_query_params line and the evidence for it.
struct Proposal {
  std::string value;  // the pattern or parameter name
  std::string why;    // "calendar: /LichCongTac.aspx?month=66 links month 65 and 67, lists no article"
};

struct SampleArticle {
  std::string url;
  Article article;  // with its provenance
};

struct SurveyFindings {
  PlatformGuess platform;
  std::vector<std::string> hosts;       // the authorities the start URL answered on
  std::string start_url;                // after in-host redirects
  std::vector<std::string> listing_urls;
  std::vector<std::string> listing_patterns;  // pagination
  std::vector<std::string> pagination_seen;   // pagination URLs seen on the listings
  std::vector<std::string> article_patterns;
  std::vector<std::string> articles_seen;     // URLs matching article_patterns, seen in links
  int articles_read = 0;                      // pages fetched that read as articles
  std::vector<Proposal> exclude;
  std::vector<Proposal> strip_query_params;
  std::vector<std::string> twins;             // print twins and aliases met (URL -> of)
  std::string date_order;                     // "month-first" when the dates said so, else ""
  std::string date_order_why;
  std::vector<SampleArticle> samples;         // up to three
  int pages_fetched = 0;
  std::vector<std::string> notes;             // what else the walk met (errors, redirects)
};

// Walks the site from options.start_url through `source` (at most options.max_pages GETs) and
// reads the evidence. Fails as the header says.
Result<SurveyFindings> survey_site(const SurveyOptions& options, PageSource& source);

// The commented site TOML for the findings.
std::string draft_toml(const SurveyOptions& options, const SurveyFindings& findings);

// The short summary `sites new` prints: platform and why, listings, patterns, proposals, three
// sample articles with title, date, author and the provenance of each field.
std::string survey_summary(const SurveyFindings& findings);

}  // namespace provarc
