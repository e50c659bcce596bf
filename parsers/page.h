// parsers/page.h (internal to parsers/): one parsed page as the field finders see it — what the
// site's rules match (found in one walk), which elements are chrome, and the neighbourhood of the
// body element where templates print the headline, the date, the byline and the lead. Every walk
// here is iterative and bounded. Not thread-safe per page; distinct pages may be read in parallel.
#pragma once

#include <gumbo.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "parsers/blocks.h"
#include "html/dom.h"
#include "parsers/extract.h"

namespace provarc::internal {

// Per selector of a rule list, in the list's order: the first 64 elements it matches, in
// document order (the cap bounds the work on hostile pages: 100 000 nested matches).
using ListMatches = std::vector<std::vector<GumboNode*>>;

// What the rules match, found in one walk of the document that tests every element against all
// of them at once (a walk per selector cost more than the rest of the extraction's lookups).
using SelectorList = std::vector<Selector> ExtractRules::*;

struct RuleMatches {
  // Per field rule of kExtractRules (body, title, date, ...), in the table's order.
  std::vector<std::pair<SelectorList, ListMatches>> fields;
  std::vector<GumboNode*> headings;            // the first 64 h1 and h2, in document order
  std::unordered_set<const GumboNode*> chrome;  // every element a chrome (`remove`) rule matches

  // The matches of the field rule `list`, e.g. &ExtractRules::title.
  const ListMatches& of(SelectorList list) const {
    for (const auto& [field, found] : fields) {
      if (field == list) return found;
    }
    static const ListMatches kNone;
    return kNone;
  }
};

RuleMatches find_rule_matches(GumboNode* root, const ExtractRules& rules);

// True when `node` or one of its ancestors is in `excluded`.
bool inside_excluded(const GumboNode* node, const NodeSet& excluded);

// The first element matched by the list's selectors (tried in order) that is not chrome and has
// visible text no longer than `max_bytes`; its text in *text and its selector's index in
// *selector (may be nullptr). nullptr when none.
const GumboNode* first_with_text(const ListMatches& matches, const NodeSet& excluded,
                                 size_t max_bytes, std::string* text, size_t* selector);

// The body element by the rules: the first selector that matches an element with text wins;
// among its matches, the one holding the most text (portals: several rich-text fields). Its
// selector's index in *selector. nullptr when no selector matches an element with text.
const GumboNode* find_body_by_rules(const ListMatches& matches, const NodeSet& excluded,
                                    size_t* selector);

// Marks every element matched by a `remove` rule (`chrome`), except those that contain the body
// (a chrome rule must never take the article with it), and every invisible element; their
// subtrees are not looked into.
void mark_chrome(GumboNode* root, const std::unordered_set<const GumboNode*>& chrome,
                 const GumboNode* body, NodeSet* excluded);

// "<title>" text: the longest part between " - ", " | ", " – " and " — " separators, which drops
// a site-name prefix or suffix ("… - Sở Thông tin và Truyền thông Đồng Tháp").
std::string title_from_head(const Document& doc);

// The collapsed `content` of the first <meta> in <head> whose property, name or itemprop is one of
// `names` (tried in order), or "".
std::string meta_content(const Document& doc, std::initializer_list<std::string_view> names);

// An ISO 8601 timestamp from a <meta> tag, rewritten in +07:00 when it has a time and an offset.
std::optional<std::string> iso_from_meta(const std::string& value);

// The machine-readable date of a date element whose text holds none: Blogger prints only "10:25"
// in <abbr itemprop="datePublished" title="2017-09-14T10:25:00+07:00">, and <time datetime> and
// schema.org `content` do the same. Read at the precision the text shows: seconds only when it
// prints them.
std::optional<std::string> machine_date(const GumboNode* node, const std::string& visible,
                                        DateOrder order);

// The elements beside the body, nearest first: up to six elements with text before (or after) the
// body and before (after) each of its three nearest ancestors — where templates print the
// headline, the date line, the byline and the tools. `accept` says whether a text is the one
// sought. Chrome elements are skipped unless `with_chrome` (then their whole text is offered:
// Liferay prints the publication date in its asset metadata, which is chrome).
enum class Side { kBefore, kAfter };
struct NearText {
  const GumboNode* element = nullptr;
  std::string text;
};
using TextTest = std::function<bool(const std::string& text, const GumboNode* element)>;
// The visible text of the elements find_near_body() has read, for the finders that read the same
// neighbourhood after it (title, dates, byline and lead each read the body's): valid only while
// the excluded set it was filled with is unchanged. Reading the texts again cost 9 M
// instructions of the 156-page profile (bench/README.md).
using NearTexts = std::unordered_map<const GumboNode*, std::string>;
std::optional<NearText> find_near_body(const GumboNode* body, const NodeSet& excluded, Side side,
                                      bool with_chrome, const TextTest& accept,
                                      NearTexts* cache = nullptr);

}  // namespace provarc::internal
