#include "parsers/page.h"

#include <cstdio>
#include <ctime>

#include "common/ascii.h"
#include "parsers/dates.h"
#include "html/text.h"

namespace provarc::internal {

namespace {

// Matches examined per selector: bounds the work on hostile pages (100 000 nested matches).
constexpr size_t kMaxCandidates = 64;

}  // namespace

bool inside_excluded(const GumboNode* node, const NodeSet& excluded) {
  for (const GumboNode* n = node; n != nullptr; n = n->parent) {
    if (excluded.count(n)) return true;
  }
  return false;
}

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
    if ((tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2) && matches.headings.size() < kMaxCandidates) {
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

const GumboNode* first_with_text(const ListMatches& matches, const NodeSet& excluded,
                                 size_t max_bytes, std::string* text, size_t* selector) {
  for (size_t i = 0; i < matches.size(); ++i) {
    for (GumboNode* node : matches[i]) {
      if (inside_excluded(node, excluded)) continue;
      std::string t = visible_text(node, excluded);
      if (t.empty() || t.size() > max_bytes) continue;
      *text = std::move(t);
      if (selector != nullptr) *selector = i;
      return node;
    }
  }
  return nullptr;
}

const GumboNode* find_body_by_rules(const ListMatches& matches, const NodeSet& excluded,
                                    size_t* selector) {
  std::vector<const GumboNode*> candidates;
  for (size_t i = 0; i < matches.size(); ++i) {
    candidates.clear();
    for (const GumboNode* node : matches[i]) {
      if (!inside_excluded(node, excluded)) candidates.push_back(node);
    }
    const GumboNode* best = nullptr;
    if (candidates.size() == 1) {
      // Alone, it wins if it has any text: known at its first letter, without reading it all.
      if (has_visible_text(candidates[0], excluded)) best = candidates[0];
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
      *selector = i;
      return best;
    }
  }
  return nullptr;
}

void mark_chrome(GumboNode* root, const std::unordered_set<const GumboNode*>& chrome,
                 const GumboNode* body, NodeSet* excluded) {
  std::vector<GumboNode*> pending = {root};
  while (!pending.empty()) {
    GumboNode* node = pending.back();
    pending.pop_back();
    if (!is_element(node)) continue;
    if (is_invisible(node) ||
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

std::string title_from_head(const Document& doc) {
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


std::optional<NearText> find_near_body(const GumboNode* body, const NodeSet& excluded, Side side,
                                      bool with_chrome, const TextTest& accept,
                                      NearTexts* cache) {
  static const NodeSet kNothing;
  const GumboNode* node = body;
  for (int level = 0; level < 4 && node != nullptr && node->parent != nullptr; ++level) {
    const GumboNode* parent = node->parent;
    if (!is_element(parent)) break;
    const GumboVector& children = parent->v.element.children;
    int seen = 0;
    for (unsigned i = node->index_within_parent; seen < 6;) {
      if (side == Side::kBefore) {
        if (i == 0) break;
        --i;
      } else if (++i >= children.length) {
        break;
      }
      const GumboNode* sibling = static_cast<const GumboNode*>(children.data[i]);
      if (!is_element(sibling) || is_invisible(sibling)) continue;
      bool chrome = excluded.count(sibling) > 0;
      if (chrome && !with_chrome) continue;
      std::string text;
      if (auto known = cache ? cache->find(sibling) : NearTexts::iterator(); cache && known != cache->end()) {
        text = known->second;
      } else {
        text = visible_text(sibling, chrome ? kNothing : excluded);
        if (cache) cache->emplace(sibling, text);
      }
      if (text.empty()) continue;
      ++seen;
      if (accept(text, sibling)) return NearText{sibling, std::move(text)};
    }
    node = parent;
  }
  return std::nullopt;
}

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

}  // namespace provarc::internal
