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

  // Which body rule matched: the selector's source text, or "generic" for the fallback.
  // Diagnostic only: not part of the JSON, nor of the content hash.
  std::string body_rule;
  // What the extraction left out for its caps (ExtractRules::max_images, max_attachments), e.g.
  // "kept 2000 of 80000 attachments (the cap)"; "" when nothing. Diagnostic like body_rule.
  std::string truncated;

  // The blocks' texts joined by a blank line ("\n\n").
  std::string text() const;
  bool operator==(const Article&) const = default;
};

// The JSON object of the CLI contract, keys in this order: site, url, title, published, updated,
// author, blocks [{kind,text}], text, images [{url,caption}], attachments [{url,text}],
// parser_version. Missing values are null (strings) or [] (arrays). UTF-8, not ASCII-escaped.
// `indent` < 0 gives one line.
std::string article_to_json(const Article& article, int indent = 2);

// Parses what article_to_json() wrote. Fails naming the key that is missing or of the wrong type.
Result<Article> article_from_json(std::string_view json);

}  // namespace provarc
