// common/identity.h: the vocabulary of URL identity shared by the crawler (which learns it:
// crawler/identity.h), the archive (which keeps it: learned_sessions, aliases) and the CLI (which
// shows it): session parameters learned per host, aliases (a URL that stands for another), and the
// names of the trap guards whose refusals every crawl run counts per site.
#pragma once

#include <string>

namespace provarc {

// A parameter a crawl learned to be a session id on one host: its value is an opaque token that
// changes from page to page, and the content does not depend on it. Canonicalisation drops it for
// that host from then on (unless the site's keep_query_params names it).
struct LearnedSession {
  std::string host;          // the authority ("host" or "host:port"), lowercase
  std::string param;         // the parameter's name, lowercase
  bool path_param = false;   // ";name=value" in a path segment, rather than a query parameter
  std::string evidence;      // what confirmed it, for people: "same page without links as <url> (0.97)"
  std::string learned_at;    // UTC (the archive's format); set by the store
  bool operator==(const LearnedSession& o) const {
    return host == o.host && param == o.param && path_param == o.path_param;
  }
};

// A URL that stands for another: a redirect, a page whose rel=canonical names another URL, a print
// twin, a session or navigation-state variant, a page showing the same article as another URL.
// Captures under an alias are stored and linked to the canonical URL, never made articles.
struct UrlAlias {
  std::string url;            // the alias, as fetched (canonical form)
  std::string canonical_url;  // the URL it stands for
  std::string evidence;       // the signal that decided: "redirect 301", "rel=canonical", ...
};

// The trap guards: each refuses URLs of a shape that never ends, and a run counts per site how many
// distinct URLs each refused (run_sites.guards, the crawl summary, `provarc runs`).
inline constexpr const char* kGuardDepth = "depth";                  // deeper than max_depth
inline constexpr const char* kGuardUrlLength = "url_length";         // longer than max_url_length
inline constexpr const char* kGuardRepeatedSegments = "repeated_segments";
inline constexpr const char* kGuardStep = "step";                    // a number stepping on a page
                                                                     // that showed nothing new
inline constexpr const char* kGuardCalendar = "calendar";            // a date stepping by a day,
                                                                     // week or month (trap_guards.h)
inline constexpr const char* kGuardAliasShape = "alias_shape";       // a URL shape whose fetches
                                                                     // were all aliases of known ones
inline constexpr const char* kGuardDiscoveryCap = "discovery_cap";   // the run's cap on new URLs
inline constexpr const char* kGuardHostile = "hostile";              // blew the size cap or reset
inline constexpr const char* kGuardRepeatedListing = "repeated_listing";  // a listing page that
                                                                     // repeats the page before it

// Every guard that refuses URLs, in the order reports list them (each with 0 when it refused none).
// kGuardHostile is not among them: nothing refuses under it yet (a URL that failed in a pass is
// kept out of it by the frontier's once-a-run rule, uncounted).
inline constexpr const char* kTrapGuards[] = {
    kGuardDepth,    kGuardUrlLength,  kGuardRepeatedSegments, kGuardStep,
    kGuardCalendar, kGuardAliasShape, kGuardDiscoveryCap,     kGuardRepeatedListing};

}  // namespace provarc
