// parsers/blocks.h (internal to parsers/): turning an article body element into ordered text
// blocks, images and attachments, and the Readability-like search for a body on unknown templates.
#pragma once

#include <gumbo.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "parsers/article.h"
#include "parsers/extract.h"

namespace provarc::internal {

// Nodes whose subtrees every reader skips: chrome, hidden elements, and the title/date/author
// elements once they have been read.
using NodeSet = std::unordered_set<const GumboNode*>;

// A block as read from the DOM, before the text rules (chrome lines, author, captions) apply.
struct RawBlock {
  std::string kind;  // paragraph, heading, list_item, table_row, caption (figcaption)
  std::string text;  // collapsed
  bool centered = false;        // text-align:center on the block or an enclosing element
  bool right_aligned = false;
  bool emphasised = false;      // all its text inside <em>/<i>
  bool strong = false;          // all its text inside <strong>/<b>
  bool caption_hint = false;    // matched a caption rule, or an image table's text
  bool image_only = false;      // no text, one or more images (then `images` says which)
  std::vector<size_t> images;   // indexes into BodyContent::images of images in this block
  size_t link_bytes = 0;        // bytes of text inside <a>
  size_t tool_link_bytes = 0;   // of those, inside page-tool links (is_tool_link)
  size_t file_link_bytes = 0;   // of those, inside links to attachments
  bool in_list = false;
};

struct BodyContent {
  std::vector<RawBlock> blocks;
  std::vector<Image> images;
  std::vector<Attachment> attachments;
};

// Reads the subtree of `body`, skipping `excluded`. `base_url` resolves relative links ("" leaves
// them unresolved and drops them). Iterative.
BodyContent read_body(const GumboNode* body, const NodeSet& excluded, const std::string& base_url,
                      const ExtractRules& rules);

// The element most likely to hold the article text, scored by paragraph text and link density
// (in the spirit of Readability), or nullptr when no element holds a real paragraph.
const GumboNode* find_generic_body(const GumboNode* root, const NodeSet& excluded);

// A link to a page tool rather than to a page: a script (`javascript:window.print()`,
// `history.back()`), `mailto:`, or a print or share address (`?print=1`, `/print/`,
// `facebook.com/sharer`, `zalo.me/share`). `href` as written in the page.
bool is_tool_link(std::string_view href);

// Bytes of visible text (white space not counted), and of that text inside links, of a subtree.
std::pair<size_t, size_t> text_and_link_bytes(const GumboNode* node, const NodeSet& excluded);

// Collapsed text of a subtree, skipping `excluded` and invisible elements. Iterative.
std::string visible_text(const GumboNode* node, const NodeSet& excluded);

// True when visible_text(node, excluded) is not empty; reads no further than the first visible
// character. Iterative.
bool has_visible_text(const GumboNode* node, const NodeSet& excluded);

// True for elements a reader never shows: script, style, template, noscript, inline
// display:none / visibility:hidden, the `hidden` attribute.
bool is_invisible(const GumboNode* node);

}  // namespace provarc::internal
