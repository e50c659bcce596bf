// tests/support/fixture_sites.h: the fixture pages of a tests/fixtures/<family>/ directory served
// as a small web site on a FixtureHost, each at the path and query of the real URL its
// manifest.json records, with listing pages linking them. Used by the province test and by the
// local mirror scripts/demo crawls (tests/fixture_sites_main.cc).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "tests/support/fixture_web.h"

namespace provarc::testing {

// One page of a fixture family, as its manifest.json lists it.
struct MirroredPage {
  std::string file;          // file name inside the family's directory
  std::string url;           // the real URL it was saved from
  std::string content_type;  // the Content-Type it was served with
  std::string target;        // where the fixture web serves it: the canonical URL's path and query
};

// Reads `<dir>/manifest.json` ([{file, url, content_type}, ...]). Fails naming the file and the
// entry at fault.
Result<std::vector<MirroredPage>> read_fixture_manifest(const std::string& dir);

// Serves on `host`: every page of `pages` (files of `dir`) at its target with its Content-Type;
// each of `listing_targets` as a listing page linking every page, in manifest order; a
// robots.txt allowing everything; and small images and documents for any other target with such
// an extension (resource_route()). Fails naming a page file that cannot be read.
Status serve_fixture_site(FixtureHost& host, const std::string& dir,
                          const std::vector<MirroredPage>& pages,
                          const std::vector<std::string>& listing_targets);

// The path and query of an absolute URL ("/a/b?c=1"), "/" for a bare origin; "" when it is not
// an absolute http(s) URL.
std::string target_of(const std::string& url);

// `text` with &, <, > and " escaped for an HTML attribute or text.
std::string html_escape(const std::string& text);

}  // namespace provarc::testing
