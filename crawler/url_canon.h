// crawler/url_canon.h: URL canonicalisation (curl_url plus our own percent-encoding rules), so that
// every spelling of one resource maps to one frontier entry and one archive identity.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace provarc {

// Canonicalises an absolute http(s) URL:
//  - scheme and host lowercased (ASCII letters: an internationalised host stays in UTF-8), a
//    trailing dot on the host dropped;
//  - the scheme's default port, user info and the fragment dropped; "" path becomes "/";
//  - dot segments removed; percent-encoding normalised: escapes of unreserved characters
//    (A-Z a-z 0-9 - . _ ~) decoded, other escapes in uppercase hex, raw bytes that a URL cannot
//    hold (spaces, controls, non-ASCII such as Vietnamese letters) encoded as UTF-8 escapes, a '%'
//    not starting an escape encoded as %25;
//  - session ids removed: ";jsessionid=..." path parameters, ASP.NET cookieless "(S(...))"
//    segments, and the query parameters jsessionid, phpsessid, aspsessionid*, cfid, cftoken,
//    sessionid, session_id, oscsid, and sid when its value is 32 hex digits (as Heritrix does:
//    Trà Vinh's numeric "sid=1446" is a site id and stays);
//  - query parameters named in `strip_query_params` (case-insensitive) removed, empty ones
//    dropped, the order of the rest kept; an empty query loses its '?'.
// Idempotent: canonicalising a canonical URL returns it unchanged. Fails, naming the URL, when it
// is not an absolute http(s) URL. Thread-safe.
Result<std::string> canonicalize_url(std::string_view url,
                                     const std::vector<std::string>& strip_query_params = {});

// What a site adds to canonicalize_url()'s rules (names compared without case).
struct CanonRules {
  std::vector<std::string> strip_query_params;  // removed, as above
  std::vector<std::string> strip_path_params;   // ";name=..." path parameters removed, as jsessionid
  // Never removed, whatever the rules above or the built-in session names say.
  std::vector<std::string> keep_query_params;
};
// canonicalize_url() under `rules`. Idempotent for the same rules. Thread-safe.
Result<std::string> canonicalize_url(std::string_view url, const CanonRules& rules);

// The path and query of an absolute URL as sent in a request line ("/a/b?x=1"); "/" for a bare
// host. Fails, naming the URL, when it cannot be parsed. Used for robots.txt matching.
Result<std::string> url_path_and_query(std::string_view url);

// "scheme://host[:port]" of an absolute URL: the origin a robots.txt file applies to.
Result<std::string> url_origin(std::string_view url);

// Normalises the percent-encoding of one path or query string as canonicalize_url() does
// (exposed for robots.txt matching and tests). Never fails.
std::string normalize_percent_encoding(std::string_view text);

}  // namespace provarc
