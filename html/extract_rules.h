// html/extract_rules.h: the rules that read one portal family's pages, as values: config/ builds
// them from TOML (a preset plus the site's overrides), parsers/ applies them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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

  // Identifies these rules in parser_version (the config module sets it from the rules' source).
  std::string digest;
};

}  // namespace provarc
