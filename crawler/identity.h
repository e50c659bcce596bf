// crawler/identity.h: URL identity: which URLs of a site name one resource. A site's canonical
// form of a URL (url_canon.h with its configured parameters and the session parameters learned
// for its hosts), and the identity key frontier entries, aliases and articles are compared by: an
// article's content key (the site's article_key), page 1 of a configured listing, else the
// canonical URL (with path case folded where the server ignores it). Discovery (which URLs are
// new), the crawl loop (variants collapse as sessions are learned) and the archive's alias records
// (cli/crawl_command.cc) all use this one module.
//
// Every key says which signal made it (IdentityKey::signal), and every alias carries its evidence
// (common/identity.h): an identity decision is never silent.
//
// Not thread-safe: a SiteIdentity learns (learn()) while the crawl loop uses it; one per site and
// run, used from the loop's thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/identity.h"
#include "common/result.h"
#include "config/config.h"
#include "crawler/scope.h"
#include "crawler/url_canon.h"

namespace provarc {

// How good a spelling of a resource is when several URLs name it; the frontier keeps the best one
// it was offered while the entry waits to be fetched.
enum class Spelling : int {
  kLinked = 0,       // a link found on a page
  kFromListing = 1,  // a link found on a listing page: where a CMS prints each item's own URL
  kCanonical = 2,    // a start or listing URL, a page's rel=canonical, a session-free form
};

struct IdentityKey {
  std::string key;     // equal keys name one resource; the canonical URL when nothing else decides
  std::string signal;  // what decided: "url", "path case", "article_key <pattern>", "page 1 of <url>"
};

class SiteIdentity {
 public:
  // `site` must outlive it.
  explicit SiteIdentity(const SiteConfig& site);

  // The site's canonical form of `url`: canonicalize_url() without the site's strip_query_params,
  // the built-in session names and the session parameters learned for the URL's host, keeping
  // keep_query_params. Fails, naming the URL, when it is not an absolute http(s) URL.
  Result<std::string> canonicalize(std::string_view url) const;

  // The identity key of the canonical URL `url`, whose role on the site is `role`:
  //  - an article page matching one of article_key: "key:" and the pattern's captures
  //    (percent-decoded, joined by '|'; lowercased when paths are case-insensitive);
  //  - a listing page whose only difference from a start or listing URL is a parameter set to 1
  //    (the pager's explicit link to page 1): that URL's key;
  //  - else the URL itself, its path and parameter names lowercased when the site's server ignores
  //    case (case_insensitive_paths).
  IdentityKey key_of(const std::string& url, PageRole role) const;

  // The canonical start and listing URLs.
  const std::set<std::string>& seeds() const { return seeds_; }

  // Learns that `session.param` is a session id on `session.host`: canonicalize() drops it there
  // from now on. False (nothing learned) when keep_query_params names it or it is already known.
  bool learn(const LearnedSession& session);
  // True when `param` (any case) is already dropped on `host`: configured or learned (the
  // built-in session names never reach a canonical URL).
  bool drops(const std::string& host, const std::string& param, bool path_param) const;
  // True when keep_query_params names `param` (any case).
  bool keeps(const std::string& param) const;
  const std::vector<LearnedSession>& learned() const { return learned_; }

 private:
  const CanonRules& rules_for(const std::string& host) const;
  std::string folded(const std::string& url) const;

  const SiteConfig* site_;
  CanonRules base_;                              // the configured rules
  std::map<std::string, CanonRules> per_host_;   // base_ plus what was learned, by host
  std::vector<LearnedSession> learned_;
  std::set<std::string> seeds_;
};

// The URL without its query parameter `param` (any case) or path parameter ";param=...", as
// canonicalize_url() writes it; `url` unchanged when it has none. Used to compare a URL with its
// session-free twin.
std::string without_param(const std::string& url, const std::string& param, bool path_param);

// The value of query parameter `param` (any case) of `url`, or of path parameter ";param=";
// nullopt-like "" with `found` false when absent.
std::string param_value(const std::string& url, const std::string& param, bool path_param,
                        bool* found);

// True when `a` and `b` (canonical) have the same origin and path and differ only in their query.
bool differs_only_in_query(const std::string& a, const std::string& b);

// What in the canonical URL `url` marks it as a print or mobile rendering of a page, for people
// ("path segment /m/", "page Print.aspx", "parameter layout=print", "host m.example.vn"); "" when
// nothing does. The markers are those the portals print (docs/portals.md, docs/crawl-identity.md):
// a path segment m, mobile, print, in, in-bai, ban-in or amp; a page whose name starts or ends
// with "print" or is InBai/InTin; print=, printview= or mobile= set to 1/true; a parameter layout,
// view, mode, format, p_p_mode or presentationtemplate whose value names print (print, pop_up is
// not enough) or "InBai"; a host starting "m.". A marker is one signal, never a decision alone:
// the crawl files such a page as an alias only when its article also equals a known one
// (crawl_store.h Hints), and follows such links after the articles that may be their originals.
std::string twin_marker(const std::string& url);

}  // namespace provarc
