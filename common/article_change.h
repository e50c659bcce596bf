// common/article_change.h: what storing and parsing a capture did to its article: the one outcome
// the archive reports (Archive::record_parse), ingest passes on, and the crawler and runs count.
#pragma once

namespace provarc {

enum class ArticleChange {
  kNone,       // nothing parsed: not an article page, or nothing to parse (redirect, 304, error,
               // non-2xx); the capture was stored
  kNew,        // the article's first version was written
  kChanged,    // a new version of a known article was written
  kUnchanged,  // parsed: the content is a version the capture, or the one before it, reads as
  kFailed,     // parsed: extraction failed (recorded; `reparse` retries with a newer parser)
};

// True for the changes that mean the page was parsed (kNew, kChanged, kUnchanged, kFailed).
constexpr bool was_parsed(ArticleChange change) { return change != ArticleChange::kNone; }

// True when a version was written (kNew, kChanged).
constexpr bool wrote_version(ArticleChange change) {
  return change == ArticleChange::kNew || change == ArticleChange::kChanged;
}

}  // namespace provarc
