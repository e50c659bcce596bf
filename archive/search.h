// archive/search.h: full-text search over the archive's article versions: the request, its
// results, and the query language. Archive::search() and Archive::reindex() (archive/archive.h)
// run them; the index itself (an SQLite FTS5 table, docs/archive.md) is internal to archive/.
//
// Stable (tag `search-api`): every type and function in this header and the Archive methods
// search(), reindex() and search_index_size(). Fields may be added; none will be removed or
// change meaning.
//
// Matching: the index and the query are folded alike (text/fold.h): case, every diacritic and
// đ/Đ, so "dong thap", "Đồng Tháp" and "ĐỒNG THÁP" are the same words. Each article version is
// indexed in three columns (title, author, body text); the rank is FTS5's bm25 with the title
// weighted 5, the author 2 and the body 1.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace provarc {

// The query language: FTS5's, made safe for what people type.
//   dong thap           both words, anywhere (AND is implicit; `AND` may be written)
//   "dong thap"         the phrase: these words in this order
//   chuyen doi OR so    either side; OR binds looser than AND: (chuyen AND doi) OR so
//   vien thong NOT 5G   the left side without the right; NOT binds tighter than AND, and needs a
//                       left side (FTS5 has no NOT on its own)
//   (a OR b) c          grouping
//   thong*              words starting with "thong"
// Operators are upper case (lower-case "or" is a word). Anything else in a word (hyphens, dots,
// colons) separates words inside it, as in the text: `COVID-19` searches the phrase "covid 19".
// A word with no letters or digits (a lone "-") is ignored.
//
// Fails with ErrorCode::kInvalidInput and a message saying what is wrong and where, when the
// query has an unbalanced quote or parenthesis, an operator without its operands (a bare NOT, a
// trailing OR), empty parentheses or phrase, or no word at all. Archive::search() fails the same
// way for such a query (and for a bad date, limit or offset), so a caller tells a bad request
// (HTTP 400) from a failing archive (500) by the code; or checks the query with this first.
Status check_search_query(std::string_view query);

struct SearchRequest {
  std::string query{};   // see check_search_query
  std::string site{};    // only this site's articles; "" for every site
  // Only versions published on or after `since` and on or before `until` (dates YYYY-MM-DD,
  // compared with the date part of `published`; "" for no bound). A version without a
  // publication date is left out when either bound is given.
  std::string since{};
  std::string until{};
  int limit = 20;      // at most this many hits, 1..10000
  int offset = 0;      // skip the first `offset` hits (paging)
  // false: search each article's latest version (what the article says now).
  // true: search every version; an article matches when any of its versions does, and its hit
  // shows its best-ranked matching version (so an article is listed once, found by words it
  // no longer has).
  bool all_versions = false;
};

// A piece of a snippet: text exactly as stored (not escaped), and whether it is a word the query
// matched. Kept apart so that a caller can escape the text and mark the matches without
// ambiguity (see render_snippet).
struct SnippetPart {
  std::string text;
  bool matched = false;
};

struct SearchHit {
  int64_t article_id = 0;
  std::string url;
  std::string site;
  // The matched version: the latest one unless the request was all_versions.
  int64_t version_id = 0;
  int version_number = 0;  // 1 for the article's first version
  int version_count = 0;   // the article's versions in all
  std::string title;
  std::optional<std::string> published;  // as extracted: "2023-04-12", "2018-12-03T10:10+07:00"
  // About 24 words of the body around the best cluster of matches, in order; "…" (a plain part)
  // where the excerpt cuts the text; each run of white space (paragraph breaks) as one space.
  // The start of the body when only the title or author matched.
  std::vector<SnippetPart> snippet;
  double score = 0;  // relevance: bm25, higher is better; comparable within one search only
};

struct SearchResults {
  int64_t total = 0;             // articles matching the request, before limit and offset
  std::vector<SearchHit> hits;   // best first
};

// The snippet as one string: each part's text passed through `escape` (identity when null), the
// matched ones between `open` and `close`. For HTML: escape with an HTML escaper and mark with
// "<mark>", "</mark>"; the markers are never escaped and never confused with the text.
std::string render_snippet(const std::vector<SnippetPart>& snippet, std::string_view open,
                           std::string_view close,
                           const std::function<std::string(std::string_view)>& escape = nullptr);

// What the index costs, for `provarc stats` and bench/search.
struct SearchIndexSize {
  int64_t versions = 0;     // versions indexed
  int64_t text_bytes = 0;   // UTF-8 bytes of their title, author and body text
  int64_t index_bytes = 0;  // bytes of the index's pages in the file (the text is not copied)
};

// Progress of Archive::reindex(): `done` of `total` versions indexed.
using ReindexProgress = std::function<void(int64_t done, int64_t total)>;

}  // namespace provarc
