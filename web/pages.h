// web/pages.h: the reader's pages, each a function from the archive and the request's parameters
// to a Reply; web/reader.cc routes to them and adds the security headers. Internal to web/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/archive.h"
#include "web/html.h"

namespace provarc::web {

// Which rules a reply is served under (web/reader.cc security_headers()).
enum class Served {
  kReader,    // the reader's own pages: no script, nothing from outside, never framed
  kArchived,  // an archived body: CSP sandbox (an opaque origin, no script), framed by the reader
  kDownload,  // an archived body the browser must not render: a download, sandboxed as well
};

struct Reply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  Served served = Served::kReader;
  std::string location;  // for a redirect (3xx): a path of the reader
  std::string filename;  // for kDownload: the attachment's file name ([A-Za-z0-9._-] only)
};

// ---- The frame and the formats every page shares (web/layout.cc)

// A whole reader page: the head (title, the stylesheet), the header with navigation and the
// search form (holding `query`), `content`, and the footer.
Reply page(std::string_view title, const Html& content, std::string_view query = "");
// A page saying what went wrong, with `status`.
Reply error_page(int status, std::string_view message);
// The reader's stylesheet, served at /static/reader.css.
std::string_view stylesheet();

// "03/07/2018 18:29" from an article date as printed ("2018-07-03T18:29:27+07:00", "2023-04-12":
// "12/04/2023"); the text as it is when it is no such date.
std::string format_article_date(std::string_view iso);
// An archive time ("2026-11-22T01:35:42.330Z", UTC) in Vietnam's time: "22/11/2026 08:35".
std::string format_archive_time(std::string_view utc);
// "1,2 MB", "340 KB", "12 B".
std::string format_bytes(int64_t bytes);
// "1 phút 5 giây", "6,6 giây" from milliseconds.
std::string format_duration(int64_t ms);

// ---- Pages (web/pages.cc)

Reply sites_page(Archive& archive);
Reply site_page(Archive& archive, std::string_view site, int64_t page_number);
// `version` 0: the latest.
Reply article_page(Archive& archive, int64_t article_id, int version);
Reply diff_page(Archive& archive, int64_t article_id, int from, int to);
Reply runs_page(Archive& archive, int64_t before_run_id);

// ---- Search (web/search_page.cc)

// A search as the page's form and links spell it: /search?q=&site=&since=&until=&versions=all
// &page=N. The values are as received; Archive::search() judges them.
struct SearchParams {
  std::string query;
  std::string site;    // "" for every site
  std::string since;   // YYYY-MM-DD or ""
  std::string until;   // YYYY-MM-DD or ""
  bool all_versions = false;
  int64_t page = 1;    // 20 hits a page
};

// The search form, and for a query its results (Archive::search(): the folding, query language
// and ranking of `provarc search`), each snippet's matched words in <mark>, and the pager. Without
// a query: the form and how to write one. A malformed query or date: 400 with the archive's
// reason; an archive that cannot be searched: 500.
Reply search_page(Archive& archive, const SearchParams& params);

// ---- Captures as archived (web/capture_pages.cc)

// The reader's page about a capture: what was fetched, when, its answer, and the body itself in
// a sandboxed frame (pages), as a picture (images) or a download link.
Reply capture_page(Archive& archive, int64_t capture_id);
// The body of a capture for that frame: an HTML page rewritten (web/archived.h), a stylesheet
// rewritten, an image as it is; anything else as a download. Served kArchived.
Reply archived_body(Archive& archive, int64_t capture_id);
// The body as stored, for images and attachments: safe picture types and CSS as themselves,
// everything else as a download.
Reply raw_body(Archive& archive, int64_t capture_id);
// A redirect to the capture page of `url`'s newest capture with a body, or a page saying the
// archive does not hold it.
Reply url_page(Archive& archive, std::string_view url);

// The capture of `url` the reader serves: its newest with the body of a 2xx answer; else, when
// the newest capture of `url` (or of its canonical form) is a redirect, its target's, a few
// hops at most. 0 when none.
int64_t find_archived(Archive& archive, const std::string& url);

}  // namespace provarc::web
