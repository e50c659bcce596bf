// html/extract_rules.h: the rules that read one portal family's pages, as values, and the one table
// naming them: config/ builds them from TOML by it, parsers/ applies them, the digest covers it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "html/pattern.h"
#include "html/selector.h"

namespace provarc {

// How to read an all-numeric a/b/yyyy date. Day-first is the Vietnamese default; month-first is
// only for sites whose config says so (the .NET en-US "M/d/yyyy h:mm:ss tt" of Đồng Tháp).
enum class DateOrder { kDayFirst, kMonthFirst };

// The rules that read one portal family's pages (platform preset plus site overrides).
// Selector lists are tried in order; the first that matches a non-empty element wins.
struct ExtractRules {
  std::string platform;  // "sharepoint", "websphere", "aspnet", "liferay", "generic", ...

  // Chrome removed from the whole document before anything is read.
  std::vector<Selector> remove;

  std::vector<Selector> body;      // the article body element
  std::vector<Selector> title;     // title element; falls back to <title> minus title_strip
  std::vector<Selector> date;      // element whose text holds the published date
  std::vector<Selector> updated;   // element whose text holds the updated date (optional)
  std::vector<Selector> author;    // byline element (removed from the body when inside it)
  std::vector<Selector> captions;  // elements inside the body that are image captions
  // A lead (sapo, summary) printed outside the body element: read as the body's first paragraph.
  std::vector<Selector> lead;

  // Lines (text blocks after whitespace collapse) dropped wherever they appear: exact strings,
  // and patterns that must match the whole line.
  std::vector<std::string> chrome_lines;
  std::vector<Pattern> chrome_patterns;
  // The body ends at the first block equal to one of these ("Tin khác", "Tin đã đưa:").
  std::vector<std::string> stop_lines;
  // Removed from the title (a trailing "(03/12/2018 10:10 AM)", a " - Sở ..." suffix).
  std::vector<Pattern> title_strip;

  DateOrder date_order = DateOrder::kDayFirst;

  // When no `author` element matches: take the body's last block as the byline if it is short
  // (at most author_max_words words, no final period) and not a caption.
  bool author_from_last_block = true;
  int author_max_words = 8;

  // Links in the body whose path ends with one of these (lowercase, no dot) are attachments.
  std::vector<std::string> attachment_extensions = {"pdf", "doc", "docx", "xls", "xlsx", "ppt",
                                                    "pptx", "zip", "rar", "7z", "odt", "ods"};

  // When no body selector matches, find the body by text and link density (Readability-like).
  bool generic_fallback = true;
  // Limits per page, not read from config files (a hostile page must not cost more than this):
  // the first max_images images and max_attachments distinct attachments are kept, the rest
  // counted in Article::truncated; an extraction still running after time_budget_ms (0: 10 s plus
  // 1 s per MiB of page, the parse budget of html/dom.h) fails the page, naming the budget. The
  // time is checked between the extraction's stages, so a stage in progress finishes first.
  size_t max_images = 1000;
  size_t max_attachments = 2000;
  int64_t time_budget_ms = 0;

  // Identifies these rules in parser_version: rules_digest(), set by config/ when it loads them.
  std::string digest;
};

// What kind of value a rule holds, and for selectors, what the extractor does with them.
enum class RuleKind {
  kFieldElements,   // selectors: the element holding one field of the article (body, title,
                    // date, ...), found in the extractor's one walk; `sites try` shows them
  kChromeElements,  // selectors: elements skipped as chrome before anything is read (remove)
  kBodyElements,    // selectors: elements with a role inside the body (captions)
  kPatterns,        // ICU regexes
  kLines,           // text lines, compared after NFC and white-space collapse
  kExtensions,      // file extensions: lowercase letters and digits, no dot
  kDateOrder,       // "day-first" or "month-first"
  kFlag,            // true or false
  kCount,           // a whole number within [min, max]
};

// One rule of ExtractRules: its key under [extract] (also its name in the digest, in `sites try`
// and in error messages), its kind, and the member holding it (the one member for its kind).
struct RuleField {
  std::string_view key;
  RuleKind kind;
  std::vector<Selector> ExtractRules::*selectors = nullptr;   // the three element kinds
  std::vector<Pattern> ExtractRules::*patterns = nullptr;     // kPatterns
  std::vector<std::string> ExtractRules::*strings = nullptr;  // kLines, kExtensions
  DateOrder ExtractRules::*date_order = nullptr;              // kDateOrder
  bool ExtractRules::*flag = nullptr;                         // kFlag
  int ExtractRules::*count = nullptr;                         // kCount
  int min = 0;                                                // kCount's bounds
  int max = 0;

  // True for the rules that hold a list ([extract.append] may add to these).
  constexpr bool is_list() const {
    return kind != RuleKind::kDateOrder && kind != RuleKind::kFlag && kind != RuleKind::kCount;
  }
};

namespace rule_fields {
constexpr RuleField elements(std::string_view key, RuleKind kind,
                             std::vector<Selector> ExtractRules::*member) {
  return {.key = key, .kind = kind, .selectors = member};
}
constexpr RuleField patterns(std::string_view key, std::vector<Pattern> ExtractRules::*member) {
  return {.key = key, .kind = RuleKind::kPatterns, .patterns = member};
}
constexpr RuleField strings(std::string_view key, RuleKind kind,
                            std::vector<std::string> ExtractRules::*member) {
  return {.key = key, .kind = kind, .strings = member};
}
}  // namespace rule_fields

// Every rule of ExtractRules, in the order docs/config.md and the loader's messages list them.
// Adding a rule is adding its member and its row here: the loader then reads its key in [extract]
// (and [extract.append] for a list), the digest covers it, and for field elements the extractor's
// one walk finds their matches and `sites try` shows them. `platform` and `digest` are not rules.
inline constexpr std::array kExtractRules = {
    rule_fields::elements("remove", RuleKind::kChromeElements, &ExtractRules::remove),
    rule_fields::elements("body", RuleKind::kFieldElements, &ExtractRules::body),
    rule_fields::elements("title", RuleKind::kFieldElements, &ExtractRules::title),
    rule_fields::elements("date", RuleKind::kFieldElements, &ExtractRules::date),
    rule_fields::elements("updated", RuleKind::kFieldElements, &ExtractRules::updated),
    rule_fields::elements("author", RuleKind::kFieldElements, &ExtractRules::author),
    rule_fields::elements("captions", RuleKind::kBodyElements, &ExtractRules::captions),
    rule_fields::strings("chrome_lines", RuleKind::kLines, &ExtractRules::chrome_lines),
    rule_fields::strings("stop_lines", RuleKind::kLines, &ExtractRules::stop_lines),
    rule_fields::patterns("chrome_patterns", &ExtractRules::chrome_patterns),
    rule_fields::patterns("title_strip", &ExtractRules::title_strip),
    rule_fields::strings("attachment_extensions", RuleKind::kExtensions,
                         &ExtractRules::attachment_extensions),
    rule_fields::elements("lead", RuleKind::kFieldElements, &ExtractRules::lead),
    RuleField{.key = "date_order", .kind = RuleKind::kDateOrder,
              .date_order = &ExtractRules::date_order},
    RuleField{.key = "author_from_last_block", .kind = RuleKind::kFlag,
              .flag = &ExtractRules::author_from_last_block},
    RuleField{.key = "author_max_words", .kind = RuleKind::kCount,
              .count = &ExtractRules::author_max_words, .min = 1, .max = 50},
    RuleField{.key = "generic_fallback", .kind = RuleKind::kFlag,
              .flag = &ExtractRules::generic_fallback},
};

// The row of kExtractRules for `key`, or nullptr.
const RuleField* find_rule(std::string_view key);

// The rules as text, one "key=value" line per value (lists keep their order: the first selector
// that matches wins), and its SHA-256 hex: the digest in parser_version, so that any change of a
// rule, in the preset or the site, is a parser change. The lines are sorted by key, except that
// `lead` stands right after `date` (where it was added before the order was written down; moving
// it would change every stored parser_version), and `platform` is among them.
std::string canonical_rules(const ExtractRules& rules);
std::string rules_digest(const ExtractRules& rules);

}  // namespace provarc
