// parsers/fields.h (internal to parsers/): one finder per field — body, title, dates, byline,
// lead — each returning its candidates with their evidence and where they came from, and the
// small decisions that pick one. The rules' answer is used when it is plausible; otherwise the
// generic finders' answer, picked by agreement (title) or by a fixed order of evidence (dates,
// byline). Every decision says which rule or finder decided (Article::provenance). Issue 10.
// Pure functions of the page; thread-safe across pages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parsers/extract.h"
#include "parsers/page.h"

namespace provarc::internal {

// One possible value of a field and its evidence.
struct Candidate {
  std::string value;                // the field's value: title text, ISO date, or name
  std::string raw;                  // the text it was read from (the title before strip_title)
  const GumboNode* node = nullptr;  // the element, or nullptr (meta, hints, body blocks)
  std::string finder;               // the selector's source when `rule`, else a generic finder
  bool rule = false;                // from the site's rules
};

// The page as every finder reads it: the body element is already decided.
struct PageContext {
  const Document& doc;
  const ExtractRules& rules;
  const RuleMatches& matches;
  const NodeSet& excluded;  // chrome and invisible elements
  const GumboNode* body;
  const ExtractHints& hints;
  NearTexts* near_texts = nullptr;  // find_near_body's cache, while `excluded` is unchanged
};

// The pick among a field's candidates. `chosen` points into the candidates given, or is nullptr;
// `rule_rejected` says the rules answered but their answer was implausible (or held no value).
struct Choice {
  const Candidate* chosen = nullptr;
  bool rule_rejected = false;
};

// The provenance of a chosen candidate: "rule:<selector>", or "fallback:<finder>" when
// `rules_cover` (the rules should have answered), else "generic:<finder>". "" for nullptr.
std::string provenance_of(const Candidate* chosen, bool rules_cover);

// Body. The rules' element unless it is missing or implausible — mostly links (a menu or a list,
// not an article), or under a third of the text of a generic body found elsewhere on the page —
// else the densest element by text and link density (Readability-like). Marks the chrome
// around it in *excluded. `provenance` as Article::provenance.body.
struct BodyChoice {
  const GumboNode* node = nullptr;
  std::string provenance;
};
BodyChoice choose_body(GumboNode* root, const ExtractRules& rules, const RuleMatches& matches,
                       NodeSet* excluded);

// Title candidates, in the order of preference when no two agree: the rules' element, og:title,
// the nearest headline-like line before the body ("before-body"), an element at the top of the
// body whose class names a title ("title-class": entry-title, tieude), the h1 then h2 headings, the
// <title> minus its site part ("head-title"), the crawl's anchor text ("anchor"). The caller
// appends the body's first line when it is a heading or bold ("body-first-line").
std::vector<Candidate> find_titles(const PageContext& page);
// The rules' plausible element, else the generic candidate that most others agree with (a
// headline printed twice counts twice; <title> agrees when it contains it); ties by order.
Choice decide_title(const std::vector<Candidate>& candidates, const ExtractRules& rules);

// Publication-date candidates, in order of trust: the rules' element ("rule"), a labelled or
// parenthesised date inside the chosen title ("in-title"), a date line beside it
// ("beside-title"), a date line or labelled date just before the body ("before-body"; Liferay's
// asset metadata counts though it is chrome). The caller adds the date line at the top of the body
// ("body-date-line") and then meta ("meta": article:published_time, datePublished, ...).
// List and event dates inside the body are never candidates.
std::vector<Candidate> find_published(const PageContext& page, const Candidate* title);
std::optional<Candidate> meta_published(const PageContext& page);
// The first candidate holding a date; the rule's when it has one.
Choice decide_first(const std::vector<Candidate>& candidates);

// The update date: the rules' `updated` element (not the published element itself: WordPress
// classes an unmodified post's one date "published updated"), else a labelled second date in the
// text the publication date was read from ("beside-published": "Ngày đăng: A | Cập nhật: B").
std::optional<Candidate> find_updated(const PageContext& page, const Candidate* published);

// Byline candidates: the rules' element, then an element near the body whose class or id names
// an author or byline (Readability's byline test: author, byline, tacgia) or whose text is
// labelled "Tác giả:" / "Viết bởi" ("labelled"). The caller adds the body's closing line
// ("closing-line"). Values have their label removed.
std::vector<Candidate> find_bylines(const PageContext& page);
// The first plausible one: 1 to 12 words, at most 120 bytes, a letter, not chrome, not a date.
Choice decide_author(const std::vector<Candidate>& candidates, const ExtractRules& rules);

// The lead printed outside the body: the rules' element, else the element just before the body
// whose class or id says summary or sapo (Vietnamese newsrooms' name for the lead). nullopt when
// none, or when it is inside the body or holds it.
std::optional<Candidate> find_lead(const PageContext& page, bool* rule_rejected);

}  // namespace provarc::internal
