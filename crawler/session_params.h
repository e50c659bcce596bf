// crawler/session_params.h: session parameters learned, not listed (issue 12). A site that keeps
// a cookieless session writes a token into every link of every page it serves; a crawler, sending
// no cookie, gets a new one on each page, and every page it fetched links every other page under a
// new URL. Each host's parameters are watched as pages are read:
//
//  1. shape: its values are opaque tokens (looks_opaque(): 16 or more characters, hex or a mix of
//     letters and digits, no words), or short random ones (looks_short_token(): 6 to 15 letters
//     and digits that mix and alternate, like Liferay's 8-character p_auth);
//  2. behaviour: on one page a value is stamped on links to several targets (the URL without it),
//     and a target linked from two pages carries two values: the value names the page view, not
//     the target. A short value says less than a long one, so a short one must be more: the only
//     value of its parameter on a whole page, stamped on kUniformTargets links or more, on two
//     pages at least, and hardly ever two values on one page (an article id or code differs from
//     link to link on a listing, however alike the links of its own page are),
//     with values of one length (a token generator's) unless the name is one platforms use for
//     sessions (known_session_name(): a supporting signal, never enough alone);
//  3. content: a probe confirms it: the page at a URL carrying it has rel=canonical to the URL
//     without it, or the same text as that URL's page once links are left out.
//
// 1 and 2 make a candidate; the crawl loop (site_crawl.h) runs its probe while URLs carrying it
// wait; 3 confirms or rejects. What a candidate was confirmed by, and which signals made it one
// (signals()), is its evidence (common/identity.h's LearnedSession).
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

// True when `value` looks like a short random token: 6 to 15 ASCII letters and digits that mix at
// least two of lowercase, uppercase and digits and change between them at least twice ("Ab3dE9fG",
// "x7k2m9qp"); not a number, a word, a code like "HG2021" or "tin123", or a slug. With
// `known_name`, letters and digits of any mix but digits alone ("xkqzvbtw").
bool looks_short_token(std::string_view value, bool known_name = false);

// True when `name` (lowercase) is one platforms give session ids or request tokens (jsessionid,
// sid, p_auth, token, csrf, ...). A supporting signal only: it never makes a candidate alone.
bool known_session_name(std::string_view name);

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

  // The signals that made `param` a candidate, for people ("" when it is none): its values'
  // shape, how they were stamped, and whether its name is a known session name.
  std::string signals(const SessionParam& param) const;

  // Links to this many targets or more carrying one value, the only value of the parameter on its
  // page, make the page "uniform" for it (a short token's behaviour signal).
  static constexpr size_t kUniformTargets = 3;

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
    int short_tokens = 0;    // occurrences with a short token (looks_short_token)
    int plain = 0;           // occurrences with another value
    size_t short_length = 0;        // the length of the short tokens seen
    bool one_length = true;         // all of them had that length
    int uniform_pages = 0;   // pages where one short token was its only value, on many links
    int mixed_pages = 0;     // pages where it took two values or more
    bool stamped = false;    // one page put one value on links to two targets or more
    int churned = 0;         // targets linked from two pages with two values
    int stable = 0;          // targets linked from two pages with one value
    std::map<std::string, Target> targets;  // by the URL without the parameter
    std::vector<std::string> examples;
  };
  // Values of each parameter on one page (tokens or not), and the targets each was stamped on.
  using PageValues = std::map<SessionParam, std::map<std::string, std::set<std::string>>>;
  void count(const SessionParam& p, const std::string& page, const std::string& link,
             const std::string& value, PageValues& on_page);
  void observe_page(const SessionParam& p, const std::map<std::string, std::set<std::string>>& values);
  static bool is_long_candidate(const Stats& stats);
  static bool is_short_candidate(const SessionParam& p, const Stats& stats);

  std::map<SessionParam, Stats> stats_;
  std::set<SessionParam> candidates_;
  std::set<SessionParam> settled_;
};

}  // namespace provarc
