// parsers/article.h: the extracted article, the one model shared by `parse`, the archive and
// exports, and its JSON form (the keys are a public contract: see README "provarc parse").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace provarc {

struct Block {
  // "paragraph", "heading", "caption", "list_item" or "table_row" (cells joined by " | ").
  std::string kind;
  std::string text;  // collapsed, NFC, never empty
  bool operator==(const Block&) const = default;
};

struct Image {
  std::string url;      // absolute
  std::string caption;  // "" when none
  bool operator==(const Image&) const = default;
};

struct Attachment {
  std::string url;   // absolute
  std::string text;  // the link text, collapsed
  bool operator==(const Attachment&) const = default;
};

// Which rule or finder decided each field: the extractor's own trace (docs/extraction.md
// "Provenance"). Each is "" when the field was not found, else one of
//   "rule:<selector>"     a site rule (platform preset or site file) decided;
//   "generic:<finder>"    a generic finder decided a field the rules do not cover;
//   "fallback:<finder>"   the rules cover the field but their answer was missing or implausible,
//                         and a generic finder decided (a template change shows here first).
// Finders: body "density"; title "og:title", "before-body", "title-class", "heading", "body-first-line",
// "head-title", "anchor"; dates "in-title", "beside-title", "before-body", "body-date-line",
// "meta", "beside-published"; author "labelled", "closing-line"; lead "summary".
struct Provenance {
  std::string body, title, published, updated, author, lead;
  // The names of the fields decided by "fallback:" sources, in the order above.
  std::vector<std::string> fallbacks() const;
  bool operator==(const Provenance&) const = default;
};

struct Article {
  std::string site;                      // site id, or "" when parsed with --platform
  std::string url;                       // the page URL, "" when unknown
  std::string title;                     // "" when none found (JSON null)
  std::optional<std::string> published;  // ISO 8601, see dates.h
  std::optional<std::string> updated;
  std::optional<std::string> author;
  std::vector<Block> blocks;
  std::vector<Image> images;
  std::vector<Attachment> attachments;
  std::string parser_version;
  // What the extraction left out for its caps (ExtractRules::max_images, max_attachments), e.g.
  // "kept 2000 of 80000 attachments (the cap)"; "" when nothing. Diagnostic: not part of the
  // JSON, nor of the content hash.
  std::string truncated;
  // How each field was found. In the JSON after parser_version, and like it outside the content
  // hash: a new way of finding the same article is no new version of it.
  Provenance provenance;

  // The blocks' texts joined by a blank line ("\n\n").
  std::string text() const;
  bool operator==(const Article&) const = default;
};

// The JSON object of the CLI contract, keys in this order: site, url, title, published, updated,
// author, blocks [{kind,text}], text, images [{url,caption}], attachments [{url,text}],
// parser_version, provenance {body,title,published,updated,author,lead}. Missing values are null
// (strings) or [] (arrays). UTF-8, not ASCII-escaped.
// `indent` < 0 gives one line.
std::string article_to_json(const Article& article, int indent = 2);

// Parses what article_to_json() wrote. Fails naming the key that is missing or of the wrong type.
// `provenance` may be absent (goldens and articles archived before it existed): then empty.
Result<Article> article_from_json(std::string_view json);

}  // namespace provarc
