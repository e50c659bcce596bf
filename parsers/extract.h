// parsers/extract.h: turning one HTML page into an Article, by a portal family's rules given as
// values (html/extract_rules.h; config/ builds them from TOML, the parsers know nothing of files).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "html/extract_rules.h"
#include "parsers/article.h"

namespace provarc {

// The program's parser version, e.g. "0.1.0".
std::string parser_program_version();

// The parser_version extract_article() stamps on articles read with `rules`: the program's version
// plus "+" and the first 12 hex digits of the rules' digest (when there is one), so that a config
// change counts as a parser change.
std::string parser_version(const ExtractRules& rules);

// What the crawl knows of a page besides its bytes: evidence the finders weigh with the page's own.
struct ExtractHints {
  // The text of the listing link that led to the article ("" when unknown): one vote for the
  // title (issue 10: title from agreement), never the title on its own against the page.
  std::string anchor_text;
};

// Extracts the article of one page. `bytes` is the raw body as served, `content_type` the HTTP
// Content-Type ("" when unknown), `url` the page URL ("" when unknown: relative links then stay
// unresolved and are dropped). Fails, with a message naming what is missing, when the page has no
// article body (no body rule matched and the generic fallback found no text block).
// Every field is decided from the site's rules and the generic finders together (one parse, one
// rule walk); article.provenance says which decided. Thread-safe: rules are read-only.
Result<Article> extract_article(std::string_view bytes, std::string_view content_type,
                                std::string_view url, const ExtractRules& rules,
                                const ExtractHints& hints);
Result<Article> extract_article(std::string_view bytes, std::string_view content_type,
                                std::string_view url, const ExtractRules& rules);

}  // namespace provarc
