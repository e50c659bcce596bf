#include "parsers/fields.h"

#include <cstring>
#include <functional>

#include "common/ascii.h"
#include "parsers/dates.h"
#include "parsers/lines.h"
#include "html/text.h"

namespace provarc::internal {

namespace {

// Longest title we believe; beyond it a selector has caught a container, not a headline.
constexpr size_t kMaxTitleBytes = 600;
constexpr size_t kMaxAuthorBytes = 120;
// A date element or line longer than this is a list or a paragraph, not a date line.
constexpr size_t kMaxDateLineBytes = 200;

Candidate rule_candidate(std::string value, std::string raw, const GumboNode* node,
                         const Selector& selector) {
  return Candidate{std::move(value), std::move(raw), node, selector.source(), true};
}

Candidate generic_candidate(std::string value, std::string raw, const GumboNode* node,
                            const char* finder) {
  return Candidate{std::move(value), std::move(raw), node, finder, false};
}

// True when the class or id of `node` holds one of `words` (ASCII, case-insensitive).
bool names_contain(const GumboNode* node, std::initializer_list<const char*> words) {
  for (const char* name : {"class", "id"}) {
    const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
    if (a == nullptr) continue;
    for (const char* word : words) {
      if (strcasestr(a->value, word) != nullptr) return true;
    }
  }
  return false;
}

// The first element of `root`'s subtree (root included, document order, at most 200 looked at)
// that `accept` takes; nullptr when none.
const GumboNode* first_in_subtree(const GumboNode* root,
                                  const std::function<bool(const GumboNode*)>& accept) {
  std::vector<const GumboNode*> pending = {root};
  for (int looked = 0; !pending.empty() && looked < 200; ++looked) {
    const GumboNode* node = pending.back();
    pending.pop_back();
    if (!is_element(node)) continue;
    if (accept(node)) return node;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      pending.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
  return nullptr;
}

// Words holding a letter: a headline is made of them, a date line ("8/14/2018 10:05:12 AM" read
// day-first is no date) is not.
size_t letter_words(const std::string& text) {
  size_t words = 0;
  bool letter = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ') {
      words += letter;
      letter = false;
    } else {
      letter = letter || ascii::is_alpha(text[i]) || static_cast<unsigned char>(text[i]) >= 0x80;
    }
  }
  return words;
}

// A meta row or a widget, not a headline: two labelled fields ("Danh mục: … Được đăng ngày: …",
// "Đang truy cập: 37 Hôm nay: 1.208"), or a byline or view-count label inside.
bool reads_as_meta_row(const std::string& text) {
  size_t colons = 0;
  for (size_t at = text.find(": "); at != std::string::npos; at = text.find(": ", at + 1)) {
    ++colons;
  }
  for (const char* label : {"ngày:", "đăng:", "nhật:", "lúc:"}) {
    if (text.find(label) != std::string::npos) return true;  // a date label
  }
  return colons >= 2 || text.find("Viết bởi") != std::string::npos ||
         text.find("Tác giả:") != std::string::npos || text.find("Lượt xem") != std::string::npos;
}

bool plausible_title(const std::string& title, const ExtractRules& rules, size_t min_words) {
  std::string iso;
  size_t words = letter_words(title);
  return !title.empty() && title.size() <= kMaxTitleBytes && has_letter(title) &&
         words >= min_words && !is_date_line(title, rules, &iso) &&
         !is_chrome_line(title, rules) && !is_related_heading(title, rules) &&
         !is_tools_row(title, rules) && !has_byline_label(title) && !is_breadcrumb(title, 0) &&
         !reads_as_meta_row(title);
}

// How many <a> elements `node` holds, counting up to 2: a headline may be one link to its own
// page (a listing template reused), breadcrumbs and menus hold several.
int links_in(const GumboNode* node) {
  int links = 0;
  first_in_subtree(node, [&](const GumboNode* n) {
    links += n->v.element.tag == GUMBO_TAG_A;
    return links > 1;
  });
  return links;
}

// True when the class or id names a title: hAtom's entry-title, "headline", and the Vietnamese
// "tiêu đề" spelt as templates spell it (tieude, tieu-de, tde).
bool named_as_title(const GumboNode* node) {
  return names_contain(node, {"title", "tieude", "tieu-de", "tieu_de", "headline"});
}

// A line before the body that reads as a headline: not a sentence, no date left once the title's
// own trailing date is stripped, no link (breadcrumbs and menus hold links).
bool reads_as_headline(const std::string& text, const GumboNode* element,
                       const ExtractRules& rules) {
  // Meta rows are named so: Joomla's dl.article-info, WordPress's entry-meta, "newsInfo".
  const GumboNode* n = element;
  for (int level = 0; level < 2 && n != nullptr && is_element(n); ++level, n = n->parent) {
    if (names_contain(n, {"info", "meta"})) return false;
  }
  // Tested before the title patterns run (ICU, the costliest test here): strip_title only removes
  // text, so fewer than three words stay fewer, and the element's links do not change.
  if (count_words(text) < 3 || links_in(element) > 1) return false;
  std::string title = strip_title(text, rules);
  size_t words = count_words(title);
  return words >= 3 && words <= 40 && !ends_sentence(title) &&
         !find_labelled_date(title, rules.date_order) && plausible_title(title, rules, 3);
}

// True when one of the first six child elements of `element` is a block (a cell, div, paragraph
// or list item) holding only a date line: a header row printing the headline and its date side by
// side ("<tr><td>headline</td><td>03/10/2022</td></tr>"), read then child by child so that the
// date is neither part of the title nor lost (it is then the title's "beside-title" date). A
// date inline in the headline's own element ("headline <span>(03/09/2018 08:15 AM)</span>") is
// no block and stays the title's.
bool holds_date_block(const GumboNode* element, const NodeSet& excluded,
                      const ExtractRules& rules) {
  std::vector<GumboNode*> children = element_children(element);
  for (size_t i = 0; i < children.size() && i < 6; ++i) {
    switch (children[i]->v.element.tag) {
      case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_DIV: case GUMBO_TAG_P:
      case GUMBO_TAG_LI: case GUMBO_TAG_DD:
        break;
      default:
        continue;
    }
    if (excluded.count(children[i])) continue;
    std::string text = visible_text(children[i], excluded);
    std::string iso;
    if (!text.empty() && text.size() <= kMaxDateLineBytes && is_date_line(text, rules, &iso)) {
      return true;
    }
  }
  return false;
}

// True when `a` and `b` name the same headline: equal, or `b` is a <title> or og:title holding
// `a` between its separators ("headline - department").
bool agrees(const Candidate& a, const Candidate& b) {
  if (a.value == b.value) return true;
  bool b_is_page_title = b.finder == "head-title" || b.finder == "og:title";
  return b_is_page_title && a.value.size() >= 12 && b.raw.find(a.value) != std::string::npos;
}

// The text right after `node` up to the next block element (at most 200 bytes): where a template
// prints "<strong>headline</strong> (20/11/2023)".
std::string text_after(const GumboNode* node, const NodeSet& excluded) {
  std::string text;
  const GumboNode* parent = node->parent;
  if (parent == nullptr || !is_element(parent)) return text;
  const GumboVector& siblings = parent->v.element.children;
  for (unsigned i = node->index_within_parent + 1; i < siblings.length && text.size() < 200; ++i) {
    const GumboNode* next = static_cast<const GumboNode*>(siblings.data[i]);
    if (next->type == GUMBO_NODE_TEXT || next->type == GUMBO_NODE_WHITESPACE) {
      text += next->v.text.text;
    } else if (is_element(next)) {
      GumboTag tag = next->v.element.tag;
      bool inline_tag = tag == GUMBO_TAG_SPAN || tag == GUMBO_TAG_EM || tag == GUMBO_TAG_I ||
                        tag == GUMBO_TAG_B || tag == GUMBO_TAG_STRONG || tag == GUMBO_TAG_FONT ||
                        tag == GUMBO_TAG_SMALL || tag == GUMBO_TAG_BR;
      if (!inline_tag) break;
      text += " " + visible_text(next, excluded);
    }
  }
  return collapse_whitespace(text);
}

std::optional<std::string> date_in(const std::string& text, const ExtractRules& rules,
                                   bool labelled_only) {
  if (auto found = find_labelled_date(text, rules.date_order)) return found->iso;
  if (labelled_only) return std::nullopt;
  if (auto found = find_date(text, rules.date_order)) return found->iso;
  return std::nullopt;
}

}  // namespace

std::string provenance_of(const Candidate* chosen, bool rules_cover) {
  if (chosen == nullptr) return "";
  if (chosen->rule) return "rule:" + chosen->finder;
  return (rules_cover ? "fallback:" : "generic:") + chosen->finder;
}

// ---------------------------------------------------------------------------------------------
// Body

BodyChoice choose_body(GumboNode* root, const ExtractRules& rules, const RuleMatches& matches,
                       NodeSet* excluded) {
  size_t selector = 0;
  const GumboNode* by_rule = find_body_by_rules(matches.of(&ExtractRules::body), *excluded, &selector);
  mark_chrome(root, matches.chrome, by_rule, excluded);
  BodyChoice rule_choice;
  if (by_rule != nullptr) {
    rule_choice = BodyChoice{by_rule, "rule:" + rules.body[selector].source()};
  }
  if (!rules.generic_fallback) return rule_choice;
  const GumboNode* generic = find_generic_body(root, *excluded);
  if (by_rule != nullptr) {
    auto [rule_bytes, rule_links] = text_and_link_bytes(by_rule, *excluded);
    bool mostly_links = rule_links * 2 > rule_bytes;
    bool elsewhere_smaller = false;
    if (generic != nullptr && !contains(by_rule, generic) && !contains(generic, by_rule)) {
      // Measured on the fifth held-out round: a rule that caught a side element (a counter, a
      // caption field) holds a few lines, the article elsewhere ten times more.
      auto [generic_bytes, generic_links] = text_and_link_bytes(generic, *excluded);
      elsewhere_smaller = rule_bytes * 3 < generic_bytes - generic_links;
    }
    if ((!mostly_links && !elsewhere_smaller) || generic == nullptr) return rule_choice;
  }
  if (generic == nullptr) return {};
  return BodyChoice{generic, (rules.body.empty() ? "generic:" : "fallback:") + std::string("density")};
}

// ---------------------------------------------------------------------------------------------
// Title

std::vector<Candidate> find_titles(const PageContext& page) {
  const ExtractRules& rules = page.rules;
  std::vector<Candidate> found;
  std::string text;
  size_t selector = 0;
  if (const GumboNode* node =
          first_with_text(page.matches.of(&ExtractRules::title), page.excluded, kMaxTitleBytes, &text, &selector)) {
    found.push_back(rule_candidate(strip_title(text, rules), text, node, rules.title[selector]));
  }
  // og:title naming the site (equal to og:site_name) is the site's name, not a headline.
  if (std::string og = meta_content(page.doc, {"og:title"});
      !og.empty() && og != meta_content(page.doc, {"og:site_name"})) {
    found.push_back(generic_candidate(strip_title(og, rules), og, nullptr, "og:title"));
  }
  // The headline printed at the top of the body, before its first paragraph: an h1, or an element
  // whose class names a title.
  int looked = 0;
  const GumboNode* named = first_in_subtree(page.body, [&](const GumboNode* n) {
    GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_UL || ++looked > 40) {
      return true;  // the text has begun: stop
    }
    return n != page.body && (named_as_title(n) || tag == GUMBO_TAG_H1) && !page.excluded.count(n);
  });
  if (named != nullptr && (named_as_title(named) || named->v.element.tag == GUMBO_TAG_H1) &&
      named != page.body) {
    std::string t = visible_text(named, page.excluded);
    if (reads_as_headline(t, named, rules)) {
      found.push_back(generic_candidate(strip_title(t, rules), t, named, "title-class"));
    }
  }
  // A header element holding the headline and a meta row ("Đăng ngày: … Tác giả: …") is read
  // child by child, nearest first.
  NearText headline;
  if (find_near_body(page.body, page.excluded, Side::kBefore, false,
                     [&](const std::string& t, const GumboNode* element) {
                       if (reads_as_headline(t, element, rules) &&
                           !holds_date_block(element, page.excluded, rules)) {
                         headline = NearText{element, t};
                         return true;
                       }
                       std::vector<GumboNode*> children = element_children(element);
                       for (size_t i = children.size(); i-- > 0 && children.size() - i <= 6;) {
                         if (page.excluded.count(children[i])) continue;
                         std::string child = visible_text(children[i], page.excluded);
                         if (!child.empty() && reads_as_headline(child, children[i], rules)) {
                           headline = NearText{children[i], child};
                           return true;
                         }
                       }
                       return false;
                     },
                     page.near_texts)) {
    const std::optional<NearText> near = headline;
    found.push_back(
        generic_candidate(strip_title(near->text, rules), near->text, near->element, "before-body"));
    // A headline printed twice (a page-title copy and the headline) is one title, two votes.
    if (auto twice = find_near_body(near->element, page.excluded, Side::kBefore, false,
                                    [&](const std::string& t, const GumboNode*) {
                                      // strip_title only removes words: a shorter text is no copy.
                                      return count_words(t) >= count_words(found.back().value) &&
                                             strip_title(t, rules) == found.back().value;
                                    },
                                    page.near_texts)) {
      found.push_back(generic_candidate(found.back().value, twice->text, twice->element,
                                        "before-body"));
    }
  }
  for (GumboTag tag : {GUMBO_TAG_H1, GUMBO_TAG_H2}) {
    for (const GumboNode* h : page.matches.headings) {
      // A heading inside the body is a subheading (the one at its top is read above).
      if (h->v.element.tag != tag || inside_excluded(h, page.excluded) ||
          contains(page.body, h)) {
        continue;
      }
      std::string t = visible_text(h, page.excluded);
      if (!t.empty() && t.size() <= kMaxTitleBytes) {
        found.push_back(generic_candidate(strip_title(t, rules), t, h, "heading"));
      }
    }
  }
  std::string head = title_from_head(page.doc);
  if (!head.empty()) {
    found.push_back(generic_candidate(strip_title(head, rules), head, nullptr, "head-title"));
    if (page.doc.head() != nullptr) {
      for (GumboNode* child : element_children(page.doc.head())) {
        if (child->v.element.tag == GUMBO_TAG_TITLE) {
          found.back().raw = collapse_whitespace(text_content(child));
          break;
        }
      }
    }
  }
  if (!page.hints.anchor_text.empty()) {
    std::string anchor = collapse_whitespace(page.hints.anchor_text);
    found.push_back(generic_candidate(strip_title(anchor, rules), anchor, nullptr, "anchor"));
  }
  return found;
}

Choice decide_title(const std::vector<Candidate>& candidates, const ExtractRules& rules) {
  Choice choice;
  for (const Candidate& c : candidates) {
    if (!c.rule) continue;
    if (plausible_title(c.value, rules, 1)) {
      choice.chosen = &c;
      return choice;
    }
    choice.rule_rejected = true;
  }
  // Generic: the most agreed-with; the <title> and the anchor text vote but are chosen only when
  // nothing on the page itself reads as the headline.
  // og:title and <title> are one source (templates fill one from the other, often with the
  // site's name on every page): they vote for what the page prints, not for each other, and
  // og:title wins a tie only against nothing printed.
  auto metadata = [](const Candidate& c) {
    return c.finder == "og:title" || c.finder == "head-title";
  };
  int best_votes = -1;
  for (const Candidate& c : candidates) {
    bool last_resort = c.finder == "head-title" || c.finder == "anchor";
    if (c.rule || last_resort || !plausible_title(c.value, rules, 2)) continue;
    int votes = 0;
    for (const Candidate& other : candidates) {
      if (&other != &c && !other.rule && (other.node != c.node || other.node == nullptr) &&
          !(metadata(c) && metadata(other)) && agrees(c, other)) {
        ++votes;
      }
    }
    bool printed_ties_metadata =
        votes == best_votes && choice.chosen != nullptr && metadata(*choice.chosen);
    if (votes > best_votes || printed_ties_metadata) {
      best_votes = votes;
      choice.chosen = &c;
    }
  }
  if (choice.chosen != nullptr) return choice;
  for (const char* finder : {"anchor", "head-title"}) {
    for (const Candidate& c : candidates) {
      if (c.finder == finder && !c.value.empty()) {
        choice.chosen = &c;
        return choice;
      }
    }
  }
  return choice;
}

// ---------------------------------------------------------------------------------------------
// Dates

std::vector<Candidate> find_published(const PageContext& page, const Candidate* title) {
  const ExtractRules& rules = page.rules;
  std::vector<Candidate> found;
  std::string text;
  size_t selector = 0;
  if (const GumboNode* node = first_with_text(page.matches.of(&ExtractRules::date), page.excluded, 400, &text,
                                              &selector)) {
    std::optional<std::string> iso = date_in(text, rules, false);
    // Only a time printed: the element may carry the whole date for machines.
    if (!iso) iso = machine_date(node, text, rules.date_order);
    found.push_back(rule_candidate(iso.value_or(""), text, node, rules.date[selector]));
  }
  if (title != nullptr) {
    if (auto iso = date_in(title->raw, rules, true)) {
      found.push_back(generic_candidate(*iso, title->raw, title->node, "in-title"));
    }
    // Nghệ An prints "Title (03/12/2018 10:10 AM)"; others put the date in the title's parent or
    // in the element after it.
    const GumboNode* node = title->node;
    if (node != nullptr) {
      std::string after = text_after(node, page.excluded);
      if (auto iso = date_in(after, rules, true)) {
        found.push_back(generic_candidate(*iso, after, nullptr, "beside-title"));
      }
    }
    // The next date line, chrome or not: Liferay's asset metadata (chrome) holds the date below a
    // headline printed inside the body element (the before-body finder looks outside the body).
    if (node != nullptr) {
      if (auto next = find_near_body(node, page.excluded, Side::kAfter, true,
                                     [&](const std::string& t, const GumboNode*) {
                                       std::string iso;
                                       return t.size() <= kMaxDateLineBytes &&
                                              is_date_line(t, rules, &iso);
                                     },
                                     page.near_texts)) {
        std::string iso;
        is_date_line(next->text, rules, &iso);
        found.push_back(generic_candidate(iso, next->text, next->element, "beside-title"));
      }
    }
    // The title's parent, when it is a short header (not a container of lists with dates).
    if (node != nullptr && node->parent != nullptr && !contains(node->parent, page.body)) {
      std::string around = visible_text(node->parent, page.excluded);
      std::optional<std::string> iso;
      if (around.size() <= title->raw.size() + kMaxDateLineBytes) iso = date_in(around, rules, true);
      if (iso) found.push_back(generic_candidate(*iso, around, node->parent, "beside-title"));
    }
  }
  if (auto near = find_near_body(page.body, page.excluded, Side::kBefore, true,
                                 [&](const std::string& t, const GumboNode* element) {
                                   std::string iso;
                                   if (t.size() > kMaxDateLineBytes) return false;
                                   if (is_date_line(t, rules, &iso)) return true;
                                   return !page.excluded.count(element) &&
                                          find_labelled_date(t, rules.date_order).has_value();
                                 },
                                 page.near_texts)) {
    std::optional<std::string> iso = date_in(near->text, rules, true);
    std::string line_iso;
    if (is_date_line(near->text, rules, &line_iso)) iso = line_iso;
    found.push_back(generic_candidate(iso.value_or(""), near->text, near->element, "before-body"));
  }
  return found;
}

std::optional<Candidate> meta_published(const PageContext& page) {
  std::string meta = meta_content(page.doc, {"article:published_time", "datePublished", "pubdate",
                                             "dcterms.created", "DC.date.issued"});
  if (auto iso = iso_from_meta(meta)) return generic_candidate(*iso, meta, nullptr, "meta");
  return std::nullopt;
}

Choice decide_first(const std::vector<Candidate>& candidates) {
  Choice choice;
  for (const Candidate& c : candidates) {
    if (!c.value.empty()) {
      choice.chosen = &c;
      return choice;
    }
    choice.rule_rejected = choice.rule_rejected || c.rule;
  }
  return choice;
}

std::optional<Candidate> find_updated(const PageContext& page, const Candidate* published) {
  const ExtractRules& rules = page.rules;
  std::string text;
  size_t selector = 0;
  const GumboNode* node =
      first_with_text(page.matches.of(&ExtractRules::updated), page.excluded, 400, &text, &selector);
  if (node != nullptr && (published == nullptr || node != published->node)) {
    if (auto iso = date_in(text, rules, false)) {
      return rule_candidate(*iso, text, node, rules.updated[selector]);
    }
  }
  if (published == nullptr || published->finder == "meta") return std::nullopt;
  // "Ngày đăng: 09/03/2021 10:20 | Cập nhật: 11/03/2021 08:00": one text, both dates. Only a
  // labelled second date counts; an event date after the first is not an update.
  auto first = find_labelled_date(published->raw, rules.date_order);
  if (!first) first = find_date(published->raw, rules.date_order);
  if (!first) return std::nullopt;
  std::string_view rest = std::string_view(published->raw).substr(first->end);
  if (auto second = find_labelled_date(rest, rules.date_order)) {
    Candidate c = generic_candidate(second->iso, published->raw, nullptr, "beside-published");
    if (published->rule) {  // the rule's element printed it: the rule decided
      c.rule = true;
      c.finder = published->finder;
    }
    return c;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Byline

std::vector<Candidate> find_bylines(const PageContext& page) {
  const ExtractRules& rules = page.rules;
  std::vector<Candidate> found;
  std::string text;
  size_t selector = 0;
  if (const GumboNode* node = first_with_text(page.matches.of(&ExtractRules::author), page.excluded,
                                              kMaxAuthorBytes, &text, &selector)) {
    strip_glued_chrome(&text, rules);
    found.push_back(rule_candidate(strip_byline_label(text), text, node, rules.author[selector]));
  }
  // Readability's byline test (class or id naming the author), and the labelled field.
  auto byline_in = [&](const GumboNode* element) -> const GumboNode* {
    return first_in_subtree(element, [&](const GumboNode* n) {
      return !page.excluded.count(n) && !names_contain(n, {"comment"}) &&
             names_contain(n, {"author", "byline", "tacgia", "tac-gia"});
    });
  };
  for (Side side : {Side::kAfter, Side::kBefore}) {
    auto near = find_near_body(page.body, page.excluded, side, false,
                               [&](const std::string& t, const GumboNode* element) {
                                 if (t.size() <= kMaxAuthorBytes && has_byline_label(t) &&
                                     !t.starts_with("Nguồn")) {
                                   return true;
                                 }
                                 return byline_in(element) != nullptr;
                               },
                               page.near_texts);
    if (!near) continue;
    std::string t = near->text;
    if (const GumboNode* inner = byline_in(near->element)) t = visible_text(inner, page.excluded);
    strip_glued_chrome(&t, rules);
    found.push_back(generic_candidate(strip_byline_label(t), t, near->element, "labelled"));
  }
  return found;
}

namespace {

// A CMS account rather than a person ("quantri", "admin", "bientap01"): one token of lowercase
// ASCII letters, digits and . _ -. Vietnamese names are written with capitals and most carry
// diacritics; initials ("T.H", "NT") are capitals. WordPress and Drupal print the account in the
// author element when no display name is set, while the signature closes the text.
bool is_account_name(const std::string& name) {
  bool letter = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') letter = true;
    else if (!ascii::is_digit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return letter;
}

}  // namespace

Choice decide_author(const std::vector<Candidate>& candidates, const ExtractRules& rules) {
  Choice choice;
  for (const Candidate& c : candidates) {
    const std::string& name = c.value;
    std::string iso;
    size_t words = count_words(name);
    // A remainder that opens or closes on a separator ("In tin |") is what is left of a row of
    // tools or fields once chrome was cut from it: never a name.
    bool torn = !name.empty() && (name.front() == '|' || name.back() == '|' ||
                                  name.back() == '/' || name.back() == '-');
    bool plausible = !name.empty() && !torn && !is_account_name(name) &&
                     name.size() <= kMaxAuthorBytes && words <= 12 &&
                     has_letter(name) && !is_chrome_line(name, rules) &&
                     !is_tools_row(name, rules) && !is_date_line(name, rules, &iso);
    if (plausible) {
      choice.chosen = &c;
      return choice;
    }
    choice.rule_rejected = choice.rule_rejected || c.rule;
  }
  return choice;
}

// ---------------------------------------------------------------------------------------------
// Lead

std::optional<Candidate> find_lead(const PageContext& page, bool* rule_rejected) {
  const ExtractRules& rules = page.rules;
  std::string text;
  size_t selector = 0;
  const GumboNode* node = first_with_text(page.matches.of(&ExtractRules::lead), page.excluded, 4000, &text, &selector);
  if (node != nullptr) {
    if (!contains(page.body, node) && !contains(node, page.body)) {
      return rule_candidate(text, text, node, rules.lead[selector]);
    }
    *rule_rejected = true;
  }
  auto near = find_near_body(page.body, page.excluded, Side::kBefore, false,
                             [&](const std::string& t, const GumboNode* element) {
                               return names_contain(element, {"sapo", "summary"}) &&
                                      count_words(t) >= 12;
                             },
                             page.near_texts);
  if (!near) return std::nullopt;
  return generic_candidate(near->text, near->text, near->element, "summary");
}

}  // namespace provarc::internal
