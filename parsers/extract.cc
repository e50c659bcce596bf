#include "parsers/extract.h"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <ctime>
#include <functional>
#include <unordered_set>

#include "common/ascii.h"
#include "html/dom.h"
#include "html/text.h"
#include "parsers/blocks.h"
#include "parsers/dates.h"

namespace provarc {

using internal::BodyContent;
using internal::NodeSet;
using internal::RawBlock;
using internal::visible_text;

namespace {

// Matches examined per selector: bounds the work on hostile pages (100 000 nested matches).
constexpr size_t kMaxCandidates = 64;
// Longest title we believe; beyond it a selector has caught a container, not a headline.
constexpr size_t kMaxTitleBytes = 600;
constexpr size_t kMaxAuthorBytes = 120;

bool inside_excluded(const GumboNode* node, const NodeSet& excluded) {
  for (const GumboNode* n = node; n != nullptr; n = n->parent) {
    if (excluded.count(n)) return true;
  }
  return false;
}

// Per selector of a rule list, in the list's order: the first kMaxCandidates elements it
// matches, in document order.
using ListMatches = std::vector<std::vector<GumboNode*>>;

using SelectorList = std::vector<Selector> ExtractRules::*;

// What the rules match, found in one walk of the document that tests every element against all
// of them at once (a walk per selector cost more than the rest of the extraction's lookups).
struct RuleMatches {
  // Per field rule of kExtractRules (body, title, date, ...), in the table's order.
  std::vector<std::pair<SelectorList, ListMatches>> fields;
  std::vector<GumboNode*> headings;            // every h1 and h2, when there are no title rules
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

RuleMatches find_rule_matches(GumboNode* root, const ExtractRules& rules) {
  RuleMatches matches;
  SelectorSet set;
  for (const RuleField& field : kExtractRules) {
    if (field.kind != RuleKind::kFieldElements) continue;
    matches.fields.push_back({field.selectors, {}});
    set.add_all(rules.*field.selectors);
  }
  const size_t first_chrome_rule = set.size();  // the chrome rules come last
  for (const RuleField& field : kExtractRules) {
    if (field.kind == RuleKind::kChromeElements) set.add_all(rules.*field.selectors);
  }
  ListMatches found(first_chrome_rule);
  const bool want_headings = rules.title.empty();
  SelectorSet::Matcher matcher(set);
  std::vector<size_t> matched;
  std::vector<GumboNode*> pending = {root};
  while (!pending.empty()) {
    GumboNode* node = pending.back();
    pending.pop_back();
    if (!is_element(node)) continue;
    matcher.match(node, &matched);
    for (size_t selector : matched) {
      if (selector >= first_chrome_rule) {
        matches.chrome.insert(node);
      } else if (found[selector].size() < kMaxCandidates) {
        found[selector].push_back(node);
      }
    }
    GumboTag tag = node->v.element.tag;
    if (want_headings && (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2)) {
      matches.headings.push_back(node);
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      pending.push_back(static_cast<GumboNode*>(children.data[i - 1]));
    }
  }
  size_t next = 0;  // the set numbers the lists' selectors one list after another
  for (auto& [field, list_matches] : matches.fields) {
    for (size_t i = 0; i < (rules.*field).size(); ++i) {
      list_matches.push_back(std::move(found[next++]));
    }
  }
  return matches;
}

// The first element matched by the list's selectors (tried in order) that is not chrome and
// has visible text no longer than `max_bytes`.
const GumboNode* first_with_text(const ListMatches& matches, const NodeSet& excluded,
                                 size_t max_bytes, std::string* text) {
  for (const std::vector<GumboNode*>& nodes : matches) {
    for (GumboNode* node : nodes) {
      if (inside_excluded(node, excluded)) continue;
      std::string t = visible_text(node, excluded);
      if (t.empty() || t.size() > max_bytes) continue;
      *text = std::move(t);
      return node;
    }
  }
  return nullptr;
}

// The body element by the rules: the first selector that matches an element with text wins;
// among its matches, the one holding the most text (portals: several rich-text fields).
const GumboNode* find_body_by_rules(const ExtractRules& rules, const ListMatches& matches,
                                    const NodeSet& excluded, std::string* rule) {
  std::vector<const GumboNode*> candidates;
  for (size_t i = 0; i < matches.size(); ++i) {
    candidates.clear();
    for (const GumboNode* node : matches[i]) {
      if (!inside_excluded(node, excluded)) candidates.push_back(node);
    }
    const GumboNode* best = nullptr;
    if (candidates.size() == 1) {
      // Alone, it wins if it has any text: known at its first letter, without reading it all.
      if (internal::has_visible_text(candidates[0], excluded)) best = candidates[0];
    } else {
      size_t best_size = 0;
      for (const GumboNode* node : candidates) {
        size_t size = visible_text(node, excluded).size();
        if (size > best_size) {
          best = node;
          best_size = size;
        }
      }
    }
    if (best != nullptr) {
      *rule = rules.body[i].source();
      return best;
    }
  }
  return nullptr;
}

// Marks every element matched by a `remove` rule (`chrome`), except those that contain the body
// (a chrome rule must never take the article with it), and every invisible element; their
// subtrees are not looked into.
void mark_chrome(GumboNode* root, const std::unordered_set<const GumboNode*>& chrome,
                 const GumboNode* body, NodeSet* excluded) {
  std::vector<GumboNode*> pending = {root};
  while (!pending.empty()) {
    GumboNode* node = pending.back();
    pending.pop_back();
    if (!is_element(node)) continue;
    if (internal::is_invisible(node) ||
        (chrome.count(node) && (body == nullptr || !contains(node, body)))) {
      excluded->insert(node);
      continue;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      pending.push_back(static_cast<GumboNode*>(children.data[i - 1]));
    }
  }
}

// "<title>" text: the longest part between " - ", " | " and " – " separators, which drops a
// site-name prefix or suffix ("… - Sở Thông tin và Truyền thông Đồng Tháp").
std::string title_from_head(const Document& doc, const NodeSet& excluded) {
  if (doc.head() == nullptr) return "";
  std::string title;
  for (GumboNode* child : element_children(doc.head())) {
    if (child->v.element.tag == GUMBO_TAG_TITLE) {
      title = collapse_whitespace(text_content(child));
      break;
    }
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t best = std::string::npos, sep_len = 0;
    for (std::string_view sep : {" - ", " | ", " – ", " — "}) {
      size_t at = title.find(sep, start);
      if (at < best) {
        best = at;
        sep_len = sep.size();
      }
    }
    parts.push_back(
        title.substr(start, best == std::string::npos ? std::string::npos : best - start));
    if (best == std::string::npos) break;
    start = best + sep_len;
  }
  std::string longest;
  for (const std::string& p : parts) {
    if (p.size() > longest.size()) longest = p;
  }
  return longest;
}

std::string meta_content(const Document& doc, std::initializer_list<std::string_view> names) {
  if (doc.head() == nullptr) return "";
  for (std::string_view name : names) {
    for (GumboNode* child : element_children(doc.head())) {
      if (child->v.element.tag != GUMBO_TAG_META) continue;
      if (attr(child, "property") == name || attr(child, "name") == name ||
          attr(child, "itemprop") == name) {
        std::string content = collapse_whitespace(attr(child, "content"));
        if (!content.empty()) return content;
      }
    }
  }
  return "";
}

// An ISO 8601 timestamp from a <meta> tag, rewritten in +07:00 when it has a time and an offset.
std::optional<std::string> iso_from_meta(const std::string& value) {
  int y, mo, d, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(value.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) {
    return std::nullopt;
  }
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  char buf[64];
  if (value.size() == 10) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    return std::string(buf);
  }
  int more = 0;
  if (value[10] != 'T' && value[10] != ' ') return std::nullopt;
  if (std::sscanf(value.c_str() + 11, "%2d:%2d%n", &h, &mi, &more) != 2) return std::nullopt;
  const char* rest = value.c_str() + 11 + more;
  if (*rest == ':') {
    int n = 0;
    std::sscanf(rest + 1, "%2d%n", &s, &n);
    rest += 1 + n;
  }
  while (*rest == '.' || (*rest >= '0' && *rest <= '9')) ++rest;  // fractions of a second
  int offset_minutes = 7 * 60;  // no offset given: local time of the site
  if (*rest == 'Z') {
    offset_minutes = 0;
  } else if (*rest == '+' || *rest == '-') {
    int oh = 0, om = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &oh, &om) < 1) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (*rest == '-' ? -1 : 1);
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  time_t t = timegm(&tm) - offset_minutes * 60 + 7 * 3600;
  std::tm local{};
  gmtime_r(&t, &local);
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", local.tm_year + 1900,
                local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec);
  return std::string(buf);
}

std::string strip_title(std::string title, const ExtractRules& rules) {
  for (const Pattern& p : rules.title_strip) title = p.replace_all(title, "");
  title = collapse_whitespace(title);
  // A trailing parenthesised date ("… (03/12/2018 10:10 AM)") belongs to the date, not the title.
  if (!title.empty() && title.back() == ')') {
    size_t open = title.rfind('(');
    if (open != std::string::npos && find_labelled_date(title.substr(open), rules.date_order)) {
      title = collapse_whitespace(title.substr(0, open));
    }
  }
  return title;
}

// The name of a byline without its label: "Tác giả: Minh Khang", "Viết bởi Lò Thị Thanh Hà".
std::string strip_byline_label(std::string text) {
  static constexpr std::string_view kLabels[] = {
      "Tác giả:",    "Tác giả",   "Viết bởi", "Người viết:", "Bài và ảnh:", "Bài, ảnh:", "Bài:",
      "Tin và ảnh:", "Tin, ảnh:", "Tin:",     "bởi",         "By",          "by",
  };
  for (std::string_view label : kLabels) {
    if (text.size() > label.size() + 1 && text.compare(0, label.size(), label) == 0 &&
        (text[label.size()] == ' ' || label.back() == ':')) {
      return collapse_whitespace(text.substr(label.size()));
    }
  }
  return text;
}

bool ends_sentence(const std::string& text) {
  if (text.empty()) return false;
  char last = text.back();
  return last == '.' || last == ';' || last == ':' || last == '?' || last == '!' || last == ',';
}

bool has_letter(const std::string& text) {
  for (char c : text) {
    if (ascii::is_alpha(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

bool is_chrome_line(const std::string& text, const ExtractRules& rules) {
  for (const std::string& line : rules.chrome_lines) {
    if (text == line) return true;
  }
  for (const Pattern& p : rules.chrome_patterns) {
    if (p.full_match(text)) return true;
  }
  return false;
}

// Chrome glued to the end of a text block by markup with no block break
// ("T.HThống kê truy cập"): cut it. Only long chrome strings, so a word is never clipped.
void strip_glued_chrome(std::string* text, const ExtractRules& rules) {
  for (const std::vector<std::string>* lines : {&rules.chrome_lines, &rules.stop_lines}) {
    for (const std::string& line : *lines) {
      if (line.size() < 10 || text->size() <= line.size()) continue;
      if (text->compare(text->size() - line.size(), line.size(), line) == 0) {
        *text = collapse_whitespace(text->substr(0, text->size() - line.size()));
        return;
      }
    }
  }
}

// True when `rest` holds nothing but a weekday, "ngày" and punctuation: what may stand around an
// unlabelled date on a line of its own ("Thứ Tư, ngày 19/06/2019 - 08:45").
bool only_weekday_words(const std::string& rest) {
  static constexpr std::string_view kWords[] = {
      "Thứ", "thứ", "Hai", "hai",  "Ba",   "ba", "Tư",   "tư",   "Năm", "năm", "Sáu", "sáu", "Bảy",
      "bảy", "Chủ", "chủ", "Nhật", "nhật", "CN", "Ngày", "ngày", "-",   "|",   ",",   "(",   ")",
  };
  std::string_view words = rest;
  while (!words.empty()) {
    size_t space = words.find(' ');
    std::string_view word = words.substr(0, space);
    words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
    while (!word.empty() && (word.back() == ',' || word.back() == ':')) word.remove_suffix(1);
    if (word.empty()) continue;
    bool known = false;
    for (std::string_view w : kWords) known = known || word == w;
    if (!known) return false;
  }
  return true;
}

// A block that is only a publication-date line: labelled ("Ngày đăng: 15/03/2021 08:30"),
// parenthesised ("(12/04/2023)"), or a bare date with at most its weekday ("Thứ Tư, ngày
// 19/06/2019 - 08:45"). "Sáng 19/06/2019" is not one: it begins a sentence of the body.
bool is_date_line(const std::string& text, const ExtractRules& rules, std::string* iso) {
  if (auto found = find_labelled_date(text, rules.date_order)) {
    std::string rest = text.substr(0, found->begin) + " " + text.substr(found->end);
    if (count_words(collapse_whitespace(rest)) > 5) return false;
    *iso = found->iso;
    return true;
  }
  auto found = find_date(text, rules.date_order);
  if (!found) return false;
  if (!only_weekday_words(text.substr(0, found->begin) + " " + text.substr(found->end))) {
    return false;
  }
  *iso = found->iso;
  return true;
}

// Related-article lists inside a body: three or more consecutive list items that are all links.
void drop_link_lists(std::vector<RawBlock>* blocks) {
  auto is_link_item = [](const RawBlock& b) {
    if (!b.in_list || b.text.empty()) return false;
    size_t visible = 0;
    for (char c : b.text) {
      if (c != ' ') ++visible;
    }
    return b.link_bytes * 10 >= visible * 8;
  };
  std::vector<bool> drop(blocks->size(), false);
  size_t i = 0;
  while (i < blocks->size()) {
    size_t j = i;
    while (j < blocks->size() && is_link_item((*blocks)[j])) ++j;
    if (j - i >= 3) std::fill(drop.begin() + i, drop.begin() + j, true);
    i = j > i ? j : i + 1;
  }
  std::vector<RawBlock> kept;
  for (size_t k = 0; k < blocks->size(); ++k) {
    if (!drop[k]) kept.push_back(std::move((*blocks)[k]));
  }
  *blocks = std::move(kept);
}

// The first text, nearest first, of the elements just before the body: the six elements before
// it and before each of its three nearest ancestors, where templates put the headline and the
// date. `accept` says whether a text is the one sought; returns it, or nullopt.
using TextTest = std::function<bool(const std::string& text, const GumboNode* element)>;
std::optional<std::string> text_before_body(const GumboNode* body, const NodeSet& excluded,
                                            const TextTest& accept) {
  const GumboNode* node = body;
  for (int level = 0; level < 4 && node != nullptr && node->parent != nullptr; ++level) {
    const GumboNode* parent = node->parent;
    if (!is_element(parent)) break;
    int seen = 0;
    for (unsigned i = node->index_within_parent; i-- > 0 && seen < 6;) {
      const GumboNode* sibling = static_cast<const GumboNode*>(parent->v.element.children.data[i]);
      if (!is_element(sibling) || excluded.count(sibling)) continue;
      std::string text = visible_text(sibling, excluded);
      if (text.empty()) continue;
      ++seen;
      if (accept(text, sibling)) return text;
    }
    node = parent;
  }
  return std::nullopt;
}

// A publication date printed near the body, as templates put it between the headline and the
// text: a labelled or parenthesised date just before the body. Long elements (news lists with
// dates) are skipped.
std::optional<std::string> date_near_body(const GumboNode* body, const NodeSet& excluded,
                                          DateOrder order) {
  std::optional<std::string> iso;
  text_before_body(body, excluded, [&](const std::string& text, const GumboNode*) {
    if (text.size() > 200) return false;
    if (auto found = find_labelled_date(text, order)) iso = found->iso;
    return iso.has_value();
  });
  return iso;
}

// The machine-readable date of a date element whose text holds none: Blogger prints only "10:25"
// in <abbr itemprop="datePublished" title="2017-09-14T10:25:00+07:00">, and <time datetime> and
// schema.org `content` do the same. Read at the precision the text shows: seconds only when it
// prints them.
std::optional<std::string> machine_date(const GumboNode* node, const std::string& visible,
                                        DateOrder order) {
  for (const char* name : {"datetime", "content", "title"}) {
    const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
    if (attribute == nullptr) continue;
    std::optional<FoundDate> found = find_date(attribute->value, order);
    if (!found) continue;
    std::string iso = found->iso;
    auto digit = [&](size_t i) { return ascii::is_digit(visible[i]); };
    bool shows_seconds = false;  // "H:MM:SS"
    for (size_t i = 0; i + 3 < visible.size() && !shows_seconds; ++i) {
      shows_seconds = visible[i] == ':' && digit(i + 1) && digit(i + 2) && visible[i + 3] == ':';
    }
    // "2017-09-14T10:25:00+07:00": the seconds are at 16..18.
    if (!shows_seconds && iso.size() == 25 && iso[16] == ':') iso.erase(16, 3);
    return iso;
  }
  return std::nullopt;
}

// True when `node` holds a link: breadcrumbs and menus do, a headline printed as text does not.
bool holds_link(const GumboNode* node) {
  std::vector<const GumboNode*> stack{node};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (!is_element(n)) continue;
    if (n->v.element.tag == GUMBO_TAG_A) return true;
    const GumboVector& children = n->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
  }
  return false;
}

// For a template with no heading (old table layouts print the headline as bold <font> text in a
// cell): the nearest short line before the body that reads as a headline, not a date, a sentence
// or a row of links.
std::optional<std::string> title_near_body(const GumboNode* body, const NodeSet& excluded,
                                           const ExtractRules& rules) {
  return text_before_body(body, excluded, [&](const std::string& text, const GumboNode* element) {
    std::string iso;
    size_t words = count_words(text);
    return text.size() <= kMaxTitleBytes && words >= 3 && words <= 40 && !ends_sentence(text) &&
           !is_date_line(text, rules, &iso) && !holds_link(element);
  });
}

// Puts every text field of `article` in NFC, as article.h promises. Text read from the DOM is not
// NFC by construction even though decode_html() normalised the page: Gumbo decodes character
// references ("&#835;") afterwards, and text joined across nodes can put a combining mark right
// after its base ("e</b>&#769;").
void normalize_text_to_nfc(Article& article) {
  normalize_nfc(&article.title);
  if (article.author) normalize_nfc(&*article.author);
  for (Block& block : article.blocks) normalize_nfc(&block.text);
  for (Image& image : article.images) normalize_nfc(&image.caption);
  for (Attachment& attachment : article.attachments) normalize_nfc(&attachment.text);
}

}  // namespace

std::string parser_program_version() { return PROVARC_VERSION; }

std::string parser_version(const ExtractRules& rules) {
  std::string version = parser_program_version();
  if (!rules.digest.empty()) version += "+" + rules.digest.substr(0, 12);
  return version;
}

namespace {

// The extraction's time budget (ExtractRules::time_budget_ms).
struct Deadline {
  std::chrono::steady_clock::time_point at;
  int64_t budget_ms = 0;
};

Deadline deadline_for(size_t page_bytes, const ExtractRules& rules) {
  int64_t ms = rules.time_budget_ms > 0
                   ? rules.time_budget_ms
                   : 10'000 + 1'000 * static_cast<int64_t>(page_bytes / (1024 * 1024));
  return {std::chrono::steady_clock::now() + std::chrono::milliseconds(ms), ms};
}

Status over_budget(const Deadline& deadline, const char* stage) {
  if (std::chrono::steady_clock::now() <= deadline.at) return Status::Ok();
  return fail("extraction took longer than its time budget of " +
              std::to_string(deadline.budget_ms) + " ms (while " + stage + ")");
}

// Keeps the first max_images images and max_attachments attachments of distinct URLs (a hash
// set: a page of 80 000 document links took 15 s with a linear search per link) and says in
// article->truncated what was left out.
void keep_media(BodyContent content, const ExtractRules& rules, Article* article) {
  std::string truncated;
  const size_t images = content.images.size();
  if (images > rules.max_images) {
    content.images.resize(rules.max_images);
    truncated = "kept " + std::to_string(rules.max_images) + " of " + std::to_string(images) +
                " images";
  }
  article->images = std::move(content.images);
  std::unordered_set<std::string_view> seen;  // views of content.attachments, left unchanged
  size_t distinct = 0;
  for (const Attachment& a : content.attachments) {
    if (!seen.insert(a.url).second) continue;
    ++distinct;
    if (article->attachments.size() < rules.max_attachments) article->attachments.push_back(a);
  }
  if (distinct > rules.max_attachments) {
    truncated += (truncated.empty() ? "kept " : "; kept ") +
                 std::to_string(rules.max_attachments) + " of " + std::to_string(distinct) +
                 " attachments";
  }
  if (!truncated.empty()) article->truncated = truncated + " (the extraction's caps)";
}

}  // namespace

Result<Article> extract_article(std::string_view bytes, std::string_view content_type,
                                std::string_view url, const ExtractRules& rules) {
  const Deadline deadline = deadline_for(bytes.size(), rules);
  DecodedText decoded = decode_html(bytes, content_type);
  std::unique_ptr<Document> doc = Document::parse(decoded.utf8);
  if (doc->exceeded_budget()) {
    return fail("page too complex to parse: Gumbo exceeded its memory or time budget on " +
                std::to_string(bytes.size()) + " bytes");
  }
  if (Status late = over_budget(deadline, "parsing"); !late.ok()) return late.failure();
  GumboNode* root = doc->root();
  const std::string base = document_base_url(*doc, url);

  Article article;
  article.url = std::string(url);
  article.parser_version = parser_version(rules);

  // 1. The body by the family's rules, then the chrome around and inside it.
  NodeSet excluded;
  std::string body_rule;
  const RuleMatches matches = find_rule_matches(root, rules);
  const GumboNode* body =
      find_body_by_rules(rules, matches.of(&ExtractRules::body), excluded, &body_rule);
  mark_chrome(root, matches.chrome, body, &excluded);
  if (body == nullptr && rules.generic_fallback) {
    body = internal::find_generic_body(root, excluded);
    body_rule = "generic";
  }
  if (body == nullptr) {
    return fail(rules.body.empty() ? "no article body: the generic fallback found no paragraph"
                                   : "no article body: no body rule of platform \"" +
                                         rules.platform + "\" matched" +
                                         (rules.generic_fallback
                                              ? " and the generic fallback found no paragraph"
                                              : ""));
  }
  article.body_rule = body_rule;
  if (Status late = over_budget(deadline, "finding the body"); !late.ok()) return late.failure();

  // 2. Title, dates and byline; their elements are then kept out of the body text.
  std::string text;
  const GumboNode* title_node =
      first_with_text(matches.of(&ExtractRules::title), excluded, kMaxTitleBytes, &text);
  if (title_node == nullptr && rules.title.empty()) {
    // Unknown template: the first heading whose text the <title> repeats, else the first <h1>.
    std::string head_title = title_from_head(*doc, excluded);
    for (GumboNode* h : matches.headings) {
      if (inside_excluded(h, excluded)) continue;
      std::string t = visible_text(h, excluded);
      if (t.empty() || t.size() > kMaxTitleBytes) continue;
      if (head_title.find(t) != std::string::npos ||
          (title_node == nullptr && h->v.element.tag == GUMBO_TAG_H1)) {
        title_node = h;
        text = t;
        if (head_title.find(t) != std::string::npos) break;
      }
    }
  }
  if (title_node != nullptr) {
    article.title = strip_title(text, rules);
  }
  if (article.title.empty()) {
    std::string og = meta_content(*doc, {"og:title"});
    std::optional<std::string> near;
    if (og.empty() && rules.title.empty()) near = title_near_body(body, excluded, rules);
    article.title = strip_title(
        !og.empty() ? og : near ? *near : title_from_head(*doc, excluded), rules);
  }

  std::string date_text;
  std::optional<std::string> updated_beside_published;
  const GumboNode* date_node =
      first_with_text(matches.of(&ExtractRules::date), excluded, 400, &date_text);
  if (date_node != nullptr) {
    auto found = find_labelled_date(date_text, rules.date_order);
    if (!found) found = find_date(date_text, rules.date_order);
    if (!found) {
      // Only a time printed: the element may carry the whole date for machines.
      if (std::optional<std::string> iso = machine_date(date_node, date_text, rules.date_order)) {
        article.published = *iso;
      }
    } else {
      article.published = found->iso;
      // "Ngày đăng: 09/03/2021 10:20 | Cập nhật: 11/03/2021 08:00": one element, both dates. Only
      // a labelled second date counts; an event date after the first is not an update.
      std::string_view rest = std::string_view(date_text).substr(found->end);
      if (auto second = find_labelled_date(rest, rules.date_order)) {
        updated_beside_published = second->iso;
      }
    }
  }
  if (!article.published && title_node != nullptr) {
    // Nghệ An prints "Title (03/12/2018 10:10 AM)"; others put the date beside the title.
    const GumboNode* near = title_node->parent ? title_node->parent : title_node;
    if (auto found = find_labelled_date(visible_text(title_node, excluded), rules.date_order)) {
      article.published = found->iso;
    } else if (!contains(near, body)) {
      if (auto f = find_labelled_date(visible_text(near, excluded), rules.date_order)) {
        article.published = f->iso;
      }
    }
  }
  if (!article.published) {
    if (auto near = date_near_body(body, excluded, rules.date_order)) article.published = *near;
  }
  std::string updated_text;
  const GumboNode* updated_node =
      first_with_text(matches.of(&ExtractRules::updated), excluded, 400, &updated_text);
  // WordPress marks an unmodified post's one date "published updated": that is no update.
  if (updated_node != nullptr && updated_node != date_node) {
    auto found = find_labelled_date(updated_text, rules.date_order);
    if (!found) found = find_date(updated_text, rules.date_order);
    if (found) article.updated = found->iso;
  }
  if (!article.updated) article.updated = updated_beside_published;

  std::string author_text;
  const GumboNode* author_node =
      first_with_text(matches.of(&ExtractRules::author), excluded, kMaxAuthorBytes, &author_text);
  if (author_node != nullptr) article.author = strip_byline_label(author_text);

  // A lead paragraph printed outside the body element (WCM summaries, sapo).
  std::string lead_text;
  const GumboNode* lead_node =
      first_with_text(matches.of(&ExtractRules::lead), excluded, 4000, &lead_text);
  if (lead_node != nullptr && (contains(body, lead_node) || contains(lead_node, body))) {
    lead_node = nullptr;
  }

  for (const GumboNode* node : {title_node, date_node, updated_node, author_node, lead_node}) {
    if (node != nullptr && !contains(node, body)) excluded.insert(node);
  }

  // 3. The body's blocks, then the text rules.
  BodyContent content = internal::read_body(body, excluded, base, rules);
  std::vector<RawBlock>& raw = content.blocks;
  if (lead_node != nullptr) {
    RawBlock lead;
    lead.kind = "paragraph";
    lead.text = lead_text;
    raw.insert(raw.begin(), std::move(lead));
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    for (const std::string& stop : rules.stop_lines) {
      if (raw[i].text == stop) {
        raw.resize(i);
        break;
      }
    }
  }
  drop_link_lists(&raw);

  std::vector<RawBlock> kept;
  for (RawBlock& block : raw) {
    if (!block.image_only) {
      strip_glued_chrome(&block.text, rules);
      if (block.text.empty() || is_chrome_line(block.text, rules)) continue;
      // The headline repeated inside the body (Liferay templates, WCM title elements).
      if (kept.size() < 3 && !article.title.empty() &&
          (block.text == article.title ||
           (block.text.rfind(article.title, 0) == 0 &&
            strip_title(block.text, rules) == article.title))) {
        continue;
      }
      std::string iso;
      if (kept.size() < 4 && is_date_line(block.text, rules, &iso)) {
        if (!article.published) article.published = iso;
        continue;
      }
    }
    kept.push_back(std::move(block));
  }

  // Captions: the text right after an image, when it reads as one.
  for (size_t i = 1; i < kept.size(); ++i) {
    RawBlock& block = kept[i];
    const RawBlock& previous = kept[i - 1];
    if (block.image_only || !previous.image_only || previous.images.empty()) continue;
    bool looks_like_caption = block.kind == "caption" || block.emphasised || block.centered ||
                              block.caption_hint;
    if (!looks_like_caption || count_words(block.text) > 60) continue;
    block.kind = "caption";
    Image& image = content.images[previous.images.back()];
    if (image.caption.empty()) image.caption = block.text;
  }

  // The byline as the body's closing line, when no author element was found.
  if (!article.author && rules.author_from_last_block) {
    for (size_t i = kept.size(); i-- > 0;) {
      if (kept[i].image_only) continue;
      const RawBlock& last = kept[i];
      bool short_line = count_words(last.text) <= static_cast<size_t>(rules.author_max_words) &&
                        last.text.size() <= kMaxAuthorBytes;
      bool styled = last.right_aligned || last.strong || last.emphasised ||
                    count_words(last.text) <= 4;
      if (i > 0 && last.kind == "paragraph" && short_line && styled && !ends_sentence(last.text) &&
          has_letter(last.text)) {
        article.author = strip_byline_label(last.text);
        kept.erase(kept.begin() + static_cast<long>(i));
      }
      break;
    }
  }

  for (RawBlock& block : kept) {
    if (block.image_only) continue;
    article.blocks.push_back(Block{block.kind, std::move(block.text)});
  }
  if (article.blocks.empty()) {
    return fail("no article body: the body element (" + body_rule + ") holds no text");
  }
  keep_media(std::move(content), rules, &article);
  if (Status late = over_budget(deadline, "reading the body"); !late.ok()) return late.failure();
  if (!article.published) {
    std::string meta = meta_content(*doc, {"article:published_time", "datePublished", "pubdate",
                                           "dcterms.created", "DC.date.issued"});
    if (auto iso = iso_from_meta(meta)) article.published = *iso;
  }
  normalize_text_to_nfc(article);
  return article;
}

}  // namespace provarc
