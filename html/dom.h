// html/dom.h: the Gumbo document (RAII) and the tree helpers its readers share.
// Every walk here is iterative, so 100 000 nested elements cannot overflow the stack.
#pragma once

#include <gumbo.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace provarc {

class ParseArena;  // dom.cc: the memory Gumbo allocates for one Document

// An HTML5 document parsed by Gumbo from UTF-8 text. Owns the tree; nodes handed out are valid
// while the Document lives. Not thread-safe; distinct Documents may be used from distinct threads.
class Document {
 public:
  // Parses `utf8` (must be valid UTF-8, as decode_html() gives). Never fails: Gumbo builds a
  // tree from any input. Two guards keep hostile pages cheap (see dom.cc for why):
  // - no element is nested deeper than 512: deeper ones become siblings of the innermost, as in
  //   browsers (Gumbo's parse time grows with the square of the depth);
  // - a parse that outgrows its memory or time budget is abandoned, and the Document is then an
  //   empty page with exceeded_budget() true.
  static std::unique_ptr<Document> parse(std::string_view utf8);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  GumboNode* root() const;  // the <html> element
  GumboNode* head() const;  // nullptr when absent
  GumboNode* body() const;  // nullptr when absent

  // True when the page outgrew the parse budget and this Document is an empty page instead.
  bool exceeded_budget() const { return exceeded_budget_; }

 private:
  Document();
  std::string text_;  // Gumbo points into it
  std::unique_ptr<ParseArena> arena_;  // owns every block Gumbo allocated, detached nodes too
  GumboOutput* output_ = nullptr;      // allocated in arena_
  bool exceeded_budget_ = false;
};

// True for GUMBO_NODE_ELEMENT and GUMBO_NODE_TEMPLATE.
bool is_element(const GumboNode* node);
// Lowercase tag name ("div", "p"; for unknown tags the original name lowercased), "" for text.
std::string tag_name(const GumboNode* node);
// The attribute of an element named `name` (compared case-insensitively: SVG keeps "viewBox"), or
// nullptr when it has none or `node` is no element.
const GumboAttribute* find_attribute(const GumboNode* node, std::string_view name);
// Attribute value, "" when absent.
std::string attr(const GumboNode* node, std::string_view name);
bool has_attr(const GumboNode* node, std::string_view name);
// True when `class` holds `name` as one of its whitespace-separated tokens.
bool has_class(const GumboNode* node, std::string_view name);

// Element children of `node`, in order.
std::vector<GumboNode*> element_children(const GumboNode* node);

// Visits `node` and its descendants in document order (pre-order). The visitor returns false to
// skip the node's subtree. Iterative.
void walk(GumboNode* node, const std::function<bool(GumboNode*)>& visit);

// Concatenated text of the subtree (text, CDATA and whitespace nodes), skipping <script>,
// <style>, <noscript>, <template> and comments. Not collapsed: see collapse_whitespace().
std::string text_content(const GumboNode* node);

// The URL the page's relative links are resolved against: the HTML standard's document base URL.
// That is the href of the first <base> element with an href attribute in tree order (wherever it
// stands), parsed against `page_url` (its "frozen base URL"), or `page_url` itself when there is
// no such element or its href does not resolve to an http(s) URL. With no page URL (""), only an
// absolute href can be the base. Leading and trailing C0 controls and spaces of the href are
// ignored, as the URL standard says.
std::string document_base_url(const Document& doc, std::string_view page_url);

// Detaches `node` from its parent. The node and its subtree stay valid until their Document is
// destroyed, which frees them: removing every node of a select_all() result, where some contain
// others, is therefore safe. A no-op on nodes already detached (and on nullptr).
void remove_node(GumboNode* node);

// True when `ancestor` is `node` or one of its ancestors.
bool contains(const GumboNode* ancestor, const GumboNode* node);

}  // namespace provarc
