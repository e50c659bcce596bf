// crawler/session_params.h: session parameters learned, not listed (issue 12). A site that keeps
// a cookieless session writes a token into every link of every page it serves; a crawler, sending
// no cookie, gets a new one on each page, and every page it fetched links every other page under a
// new URL. Each host's parameters are watched as pages are read:
//
//  1. shape: its values are opaque tokens (looks_opaque(): 16 or more characters, hex or a mix of
//     letters and digits, no words);
//  2. behaviour: on one page a value is stamped on links to several targets (the URL without it),
//     and a target linked from two pages carries two values: the value names the page view, not
//     the target;
//  3. content: a probe confirms it: the page at a URL carrying it has rel=canonical to the URL
//     without it, or the same text as that URL's page once links are left out.
//
// 1 and 2 make a candidate; the crawl loop (site_crawl.h) runs its probe while URLs carrying it
// wait; 3 confirms or rejects. What a candidate was confirmed by is its evidence
// (common/identity.h's LearnedSession).
//
// Bounded: at most a few hosts, parameters and targets are remembered. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace provarc {

// True when `value` looks like a token rather than a word, number or path: 16 to 512 characters
// of [A-Za-z0-9._~+=:-] (percent escapes allowed) that are all hex digits, or that mix at least two
// of lowercase, uppercase and digits with digits or uppercase making up a fifth of them at least.
bool looks_opaque(std::string_view value);

struct SessionParam {
  std::string host;         // authority, lowercase
  std::string param;        // lowercase
  bool path_param = false;  // ";name=value" in a path segment
  bool operator<(const SessionParam& o) const {
    return std::tie(host, param, path_param) < std::tie(o.host, o.param, o.path_param);
  }
  bool operator==(const SessionParam& o) const {
    return host == o.host && param == o.param && path_param == o.path_param;
  }
};

class SessionLearner {
 public:
  // Reads the links of the page at `page_url` (canonical URLs as the site's identity writes them
  // now; links to other hosts are ignored unless in `hosts`). Returns the parameters that became
  // candidates with this page.
  std::vector<SessionParam> observe(const std::string& page_url,
                                    const std::vector<std::string>& links,
                                    const std::vector<std::string>& hosts);

  // The candidate `url` carries (awaiting its probe), if any.
  std::optional<SessionParam> candidate_in(const std::string& url) const;
  bool has_candidates() const { return !candidates_.empty(); }

  // A few links seen carrying `param`, first seen first (for choosing a probe).
  std::vector<std::string> examples(const SessionParam& param) const;

  // The probe decided: `param` is no candidate any more; a rejected one never becomes one again
  // in this run.
  void settle(const SessionParam& param, bool confirmed);

 private:
  struct Target {
    std::string value;  // the value last seen
    std::string page;   // on which page
  };
  struct Stats {
    int opaque = 0;          // occurrences with an opaque value
    int plain = 0;           // occurrences with another value
    bool stamped = false;    // one page put one value on links to two targets or more
    int churned = 0;         // targets linked from two pages with two values
    int stable = 0;          // targets linked from two pages with one value
    std::map<std::string, Target> targets;  // by the URL without the parameter
    std::vector<std::string> examples;
  };
  // Values of each parameter on one page, and the targets each was stamped on.
  using PageValues = std::map<SessionParam, std::map<std::string, std::set<std::string>>>;
  void count(const SessionParam& p, const std::string& page, const std::string& link,
             const std::string& value, PageValues& on_page);
  bool is_candidate(const Stats& stats) const;

  std::map<SessionParam, Stats> stats_;
  std::set<SessionParam> candidates_;
  std::set<SessionParam> settled_;
};

}  // namespace provarc
