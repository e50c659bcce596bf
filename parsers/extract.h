// parsers/extract.h: turning one HTML page into an Article, by a portal family's rules given as
// values (the config module builds them from TOML; the parsers know nothing of files or TOML).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "parsers/article.h"
#include "parsers/dates.h"
#include "parsers/pattern.h"
#include "parsers/selector.h"

namespace provarc {

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
  // 1 s per MiB of page, the parse budget of dom.h) fails the page, naming the budget. The time
  // is checked between the extraction's stages, so a stage in progress finishes first.
  size_t max_images = 1000;
  size_t max_attachments = 2000;
  int64_t time_budget_ms = 0;

  // Identifies these rules in parser_version (the config module sets it from the rules' source).
  std::string digest;
};

// The program's parser version, e.g. "0.1.0".
std::string parser_program_version();

// The parser_version extract_article() stamps on articles read with `rules`: the program's version
// plus "+" and the first 12 hex digits of the rules' digest (when there is one), so that a config
// change counts as a parser change.
std::string parser_version(const ExtractRules& rules);

// Extracts the article of one page. `bytes` is the raw body as served, `content_type` the HTTP
// Content-Type ("" when unknown), `url` the page URL ("" when unknown: relative links then stay
// unresolved and are dropped). Fails, with a message naming what is missing, when the page has no
// article body (no body rule matched and the generic fallback found no text block).
// Thread-safe: rules are read-only.
Result<Article> extract_article(std::string_view bytes, std::string_view content_type,
                                std::string_view url, const ExtractRules& rules);

}  // namespace provarc
