#include "parsers/blocks.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "common/ascii.h"
#include "common/url.h"
#include "html/dom.h"
#include "html/text.h"

namespace provarc::internal {
namespace {


// True when the characters of `style` before `end`, white space skipped and letters lowercased,
// end with `word`.
bool spelled_before(std::string_view style, size_t end, std::string_view word) {
  size_t i = end;
  for (size_t k = word.size(); k > 0; --k) {
    while (i > 0 && ascii::is_space(style[i - 1])) --i;
    if (i == 0 || ascii::to_lower(style[i - 1]) != word[k - 1]) return false;
    --i;
  }
  return true;
}

// True when the characters of `style` from `begin`, white space skipped and letters lowercased,
// start with `word`.
bool spelled_after(std::string_view style, size_t begin, std::string_view word) {
  size_t i = begin;
  for (char wanted : word) {
    while (i < style.size() && ascii::is_space(style[i])) ++i;
    if (i == style.size() || ascii::to_lower(style[i]) != wanted) return false;
    ++i;
  }
  return true;
}

// True when the inline style `style`, with its white space removed and its letters lowercased,
// holds `property` ":" `value` (both lowercase, no white space): "Display : None" holds
// display:none. Such a match can only sit on one of the style's colons, so the style is read in
// place from each colon: no lowercased copy per element.
bool style_holds(std::string_view style, std::string_view property, std::string_view value) {
  for (size_t colon = style.find(':'); colon != std::string_view::npos;
       colon = style.find(':', colon + 1)) {
    if (spelled_before(style, colon, property) && spelled_after(style, colon + 1, value)) {
      return true;
    }
  }
  return false;
}

// The value of the attribute `name` of `node`, or nullptr.
const char* attribute_value(const GumboNode* node, std::string_view name) {
  const GumboAttribute* attribute = find_attribute(node, name);
  return attribute != nullptr ? attribute->value : nullptr;
}

bool is_text_node(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
         node->type == GUMBO_NODE_CDATA;
}

bool is_heading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 ||
         tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// Elements that start and end a block of text.
bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_LI: case GUMBO_TAG_TABLE: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_HR: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_MARQUEE: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
      return true;
    default:
      return false;
  }
}

// Iterative pre-order visit with an exit callback, skipping subtrees the visitor declines.
// `enter` returns false to skip the node's children (then `leave` is not called for it).
template <typename Enter, typename Leave>
void visit(const GumboNode* root, Enter enter, Leave leave) {
  struct Frame {
    const GumboNode* node;
    bool leaving;
  };
  std::vector<Frame> stack;
  stack.push_back({root, false});
  while (!stack.empty()) {
    Frame frame = stack.back();
    stack.pop_back();
    if (frame.leaving) {
      leave(frame.node);
      continue;
    }
    if (!enter(frame.node)) continue;
    if (frame.node->type != GUMBO_NODE_ELEMENT && frame.node->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    stack.push_back({frame.node, true});
    const GumboVector& children = frame.node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false});
    }
  }
}

size_t visible_bytes(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if (!ascii::is_space(c)) ++n;
  }
  return n;
}

bool is_tracking_or_icon(const GumboNode* img, const std::string& src) {
  std::string l = ascii::lowercase(src);
  if (l.find("/_layouts/") != std::string::npos) return true;  // SharePoint file-type icons
  for (const char* name : {"dot.gif", "spacer.gif", "blank.gif", "pixel.gif", "transparent.gif"}) {
    size_t n = std::strlen(name);
    if (l.size() >= n && l.compare(l.size() - n, n, name) == 0) return true;
  }
  std::string w = attr(img, "width"), h = attr(img, "height");
  auto at_most = [](const std::string& v, int n) {
    return !v.empty() && std::atoi(v.c_str()) > 0 && std::atoi(v.c_str()) <= n;
  };
  // Tracking pixels (1x1, 2x2), and icons declared at icon size on both sides: file-type icons
  // before attachment links are 16x16 (portals.md §2, the held-out rounds); no article photo is
  // printed at 24 pixels or less.
  return at_most(w, 2) || at_most(h, 2) || (at_most(w, 24) && at_most(h, 24));
}

// The extension of the last dot in any path segment, lowercased ("" when none). Liferay puts the
// file name in a middle segment: /documents/<group>/<folder>/<name.pdf>/<uuid>?t=...
std::vector<std::string> path_extensions(const std::string& url) {
  std::vector<std::string> exts;
  auto parts = parse_url(url);
  if (!parts.ok()) return exts;
  const std::string& path = parts->path;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    size_t dot = segment.rfind('.');
    if (dot != std::string::npos && dot + 1 < segment.size()) {
      exts.push_back(ascii::lowercase(segment.substr(dot + 1)));
    }
    start = end + 1;
  }
  return exts;
}

bool is_attachment_url(const std::string& url, const ExtractRules& rules) {
  for (const std::string& ext : path_extensions(url)) {
    if (std::find(rules.attachment_extensions.begin(), rules.attachment_extensions.end(), ext) !=
        rules.attachment_extensions.end()) {
      return true;
    }
  }
  return url.find("/document_library/get_file") != std::string::npos;  // Liferay 6.0 files
}

// False when no URL resolved from (or against) `ref` can be an attachment by is_attachment_url():
// an extension is a path segment's text after its last dot, so ".<ext>" must already be in `ref`
// or its base (resolving joins and drops whole segments, and lowercasing is done here); so must
// Liferay's "document_library/get_file". A percent sign may hide a dot ("%2E"): then it may.
bool may_name_attachment(std::string_view ref, const ExtractRules& rules) {
  const std::string lower = ascii::lowercase(ref);
  if (lower.find('%') != std::string::npos ||
      lower.find("document_library/get_file") != std::string::npos) {
    return true;
  }
  for (size_t dot = lower.find('.'); dot != std::string::npos; dot = lower.find('.', dot + 1)) {
    for (const std::string& ext : rules.attachment_extensions) {
      if (lower.compare(dot + 1, ext.size(), ext) == 0) return true;
    }
  }
  return false;
}

// Rows of `table` (not of tables nested in it).
std::vector<const GumboNode*> table_rows(const GumboNode* table) {
  std::vector<const GumboNode*> rows;
  visit(
      table,
      [&](const GumboNode* n) {
        if (!is_element(n)) return false;
        if (n != table && n->v.element.tag == GUMBO_TAG_TABLE) return false;
        if (n->v.element.tag == GUMBO_TAG_TR) {
          rows.push_back(n);
          return false;
        }
        return true;
      },
      [](const GumboNode*) {});
  return rows;
}

std::vector<std::string> row_cells(const GumboNode* row, const NodeSet& excluded) {
  std::vector<std::string> cells;
  for (GumboNode* cell : element_children(row)) {
    GumboTag tag = cell->v.element.tag;
    if (tag != GUMBO_TAG_TD && tag != GUMBO_TAG_TH) continue;
    std::string text = visible_text(cell, excluded);
    if (!text.empty()) cells.push_back(std::move(text));
  }
  return cells;
}

enum class TableKind { kData, kImage, kLayout };

// A data table holds text in rows of two or more cells; an image table holds an image and its
// caption; anything else (one-cell wrappers, nested layout) is read as plain containers.
TableKind classify_table(const GumboNode* table, const NodeSet& excluded) {
  // Tables nest up to the parser's depth cap; bounding each look keeps a page of hundreds of
  // nested tables linear. A table too big to look at is read as layout.
  constexpr size_t kMaxElementsExamined = 20000;
  size_t examined = 0;
  bool has_image = false, has_nested_table = false;
  visit(
      table,
      [&](const GumboNode* n) {
        if (!is_element(n) || excluded.count(n)) return false;
        if (++examined > kMaxElementsExamined) {
          has_nested_table = true;
          return false;
        }
        if (n->v.element.tag == GUMBO_TAG_IMG) has_image = true;
        if (n != table && n->v.element.tag == GUMBO_TAG_TABLE) has_nested_table = true;
        return true;
      },
      [](const GumboNode*) {});
  if (has_image) return TableKind::kImage;
  if (has_nested_table) return TableKind::kLayout;
  for (const GumboNode* row : table_rows(table)) {
    if (row_cells(row, excluded).size() >= 2) return TableKind::kData;
  }
  return TableKind::kLayout;
}

struct Context {
  std::string kind = "paragraph";
  bool centered = false;
  bool right_aligned = false;
  bool caption_hint = false;
  bool in_list = false;
};

// Reads blocks, images and attachments from a body subtree.
class BodyReader {
 public:
  BodyReader(const NodeSet& excluded, const std::string& base_url, const ExtractRules& rules)
      : excluded_(excluded), base_url_(base_url), rules_(rules), captions_(compile(rules.captions)),
        caption_matcher_(*captions_), base_may_name_attachment_(may_name_attachment(base_url, rules)) {
    contexts_.push_back(Context{});
  }

  BodyContent read(const GumboNode* body) {
    visit(
        body, [this](const GumboNode* n) { return enter(n); },
        [this](const GumboNode* n) { leave(n); });
    flush();
    return std::move(content_);
  }

 private:
  bool enter(const GumboNode* node) {
    if (is_text_node(node)) {
      append_text(node->v.text.text);
      return false;
    }
    if (!is_element(node)) return false;
    if (excluded_.count(node) || is_invisible(node)) return false;
    GumboTag tag = node->v.element.tag;
    switch (tag) {
      case GUMBO_TAG_BR:
        flush();
        return false;
      case GUMBO_TAG_IMG:
        add_image(node);
        return false;
      case GUMBO_TAG_A:
        links_.push_back(add_link(node));
        return true;
      case GUMBO_TAG_EM: case GUMBO_TAG_I:
        ++em_depth_;
        return true;
      case GUMBO_TAG_STRONG: case GUMBO_TAG_B:
        ++strong_depth_;
        return true;
      case GUMBO_TAG_TABLE: {
        TableKind kind = classify_table(node, excluded_);
        if (kind == TableKind::kData) {
          flush();
          read_data_table(node);
          return false;
        }
        push_block(node, kind == TableKind::kImage);
        return true;
      }
      default:
        break;
    }
    if (is_block(tag)) {
      push_block(node, false);
      return true;
    }
    return true;  // inline element: its text joins the current block
  }

  void leave(const GumboNode* node) {
    GumboTag tag = node->v.element.tag;
    switch (tag) {
      case GUMBO_TAG_A: links_.pop_back(); return;
      case GUMBO_TAG_EM: case GUMBO_TAG_I: --em_depth_; return;
      case GUMBO_TAG_STRONG: case GUMBO_TAG_B: --strong_depth_; return;
      default: break;
    }
    if (tag == GUMBO_TAG_TABLE || is_block(tag)) {
      flush();
      if (contexts_.size() > 1) contexts_.pop_back();
    }
  }

  void push_block(const GumboNode* node, bool image_table) {
    flush();
    const Context& parent = contexts_.back();
    Context ctx = parent;
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_LI || tag == GUMBO_TAG_DT || tag == GUMBO_TAG_DD) {
      ctx.kind = "list_item";
      ctx.in_list = true;
    } else if (is_heading(tag)) {
      ctx.kind = "heading";
    } else if (tag == GUMBO_TAG_FIGCAPTION || tag == GUMBO_TAG_CAPTION) {
      ctx.kind = "caption";
      ctx.caption_hint = true;
    } else if (parent.kind != "list_item" && parent.kind != "caption" && parent.kind != "heading") {
      ctx.kind = "paragraph";
    }
    if (image_table) ctx.caption_hint = true;
    if (caption_matcher_.matches_any(node)) ctx.caption_hint = true;
    const char* style_value = attribute_value(node, "style");
    std::string_view style = style_value != nullptr ? style_value : "";
    std::string align = ascii::lowercase(attr(node, "align"));
    if (tag == GUMBO_TAG_CENTER || style_holds(style, "text-align", "center") ||
        align == "center") {
      ctx.centered = true;
      ctx.right_aligned = false;
    } else if (style_holds(style, "text-align", "right") || align == "right") {
      ctx.right_aligned = true;
      ctx.centered = false;
    } else if (style_holds(style, "text-align", "") || align == "left" || align == "justify") {
      ctx.centered = ctx.right_aligned = false;
    }
    contexts_.push_back(std::move(ctx));
  }

  void append_text(const char* text) {
    std::string_view t(text);
    size_t n = visible_bytes(t);
    current_.text.append(t);
    total_bytes_ += n;
    if (em_depth_ > 0) em_bytes_ += n;
    if (strong_depth_ > 0) strong_bytes_ += n;
    if (links_.empty()) return;
    current_.link_bytes += n;
    // The innermost link decides (a tool link nested in another link is the tool).
    if (links_.back() == LinkKind::kTool) current_.tool_link_bytes += n;
    if (links_.back() == LinkKind::kFile) current_.file_link_bytes += n;
  }

  void add_image(const GumboNode* img) {
    std::string src = attr(img, "src");
    if (src.empty() || src.rfind("data:", 0) == 0) src = attr(img, "data-src");
    if (src.empty() || is_tracking_or_icon(img, src)) return;
    auto url = resolve(src);
    if (url.empty()) return;
    current_.images.push_back(content_.images.size());
    content_.images.push_back(Image{url, ""});
  }

  enum class LinkKind { kPlain, kTool, kFile };

  // Keeps a link to an attachment; says what the link leads to.
  LinkKind add_link(const GumboNode* a) {
    std::string href = attr(a, "href");
    if (href.empty()) return LinkKind::kPlain;
    if (is_tool_link(href)) return LinkKind::kTool;
    // Most links name no document: resolving them (libcurl) cost 10 M instructions of the
    // 156-page profile for nothing (bench/README.md).
    if (!base_may_name_attachment_ && !may_name_attachment(href, rules_)) return LinkKind::kPlain;
    std::string url = resolve(href);
    if (url.empty() || !is_attachment_url(url, rules_)) return LinkKind::kPlain;
    content_.attachments.push_back(Attachment{url, visible_text(a, excluded_)});
    return LinkKind::kFile;
  }

  std::string resolve(const std::string& ref) const {
    if (base_url_.empty()) {
      auto parts = parse_url(ref);
      return parts.ok() ? ref : "";
    }
    auto url = resolve_url(base_url_, ref);
    return url.ok() ? *url : "";
  }

  void read_data_table(const GumboNode* table) {
    for (const GumboNode* row : table_rows(table)) {
      std::vector<std::string> cells = row_cells(row, excluded_);
      if (cells.empty()) continue;
      std::string text;
      for (const std::string& cell : cells) {
        if (!text.empty()) text += " | ";
        text += cell;
      }
      RawBlock block;
      block.kind = "table_row";
      block.text = std::move(text);
      content_.blocks.push_back(std::move(block));
    }
    // Links and images inside data tables still count as attachments.
    visit(
        table,
        [&](const GumboNode* n) {
          if (!is_element(n) || excluded_.count(n) || is_invisible(n)) return false;
          if (n->v.element.tag == GUMBO_TAG_A) add_link(n);
          return true;
        },
        [](const GumboNode*) {});
  }

  void flush() {
    RawBlock block = std::move(current_);
    current_ = RawBlock{};
    size_t total = total_bytes_, em = em_bytes_, strong = strong_bytes_;
    total_bytes_ = em_bytes_ = strong_bytes_ = 0;
    block.text = collapse_whitespace(block.text);
    if (block.text.empty() && block.images.empty()) return;
    const Context& ctx = contexts_.back();
    block.kind = ctx.kind;
    block.centered = ctx.centered;
    block.right_aligned = ctx.right_aligned;
    block.caption_hint = ctx.caption_hint;
    block.in_list = ctx.in_list;
    block.emphasised = total > 0 && em == total;
    block.strong = total > 0 && strong == total;
    if (block.text.empty()) {
      block.image_only = true;
    } else if (!block.images.empty()) {
      // Text and images in one block: keep the images as a block of their own before the text,
      // so that a caption rule can look at "the block after an image".
      RawBlock images;
      images.image_only = true;
      images.images = std::move(block.images);
      block.images.clear();
      content_.blocks.push_back(std::move(images));
    }
    content_.blocks.push_back(std::move(block));
  }

  static std::unique_ptr<SelectorSet> compile(const std::vector<Selector>& selectors) {
    auto set = std::make_unique<SelectorSet>();
    set->add_all(selectors);
    return set;
  }

  const NodeSet& excluded_;
  const std::string& base_url_;
  const ExtractRules& rules_;
  std::unique_ptr<SelectorSet> captions_;  // rules.captions, tested on every block element
  SelectorSet::Matcher caption_matcher_;
  std::vector<Context> contexts_;
  BodyContent content_;
  RawBlock current_;
  size_t total_bytes_ = 0, em_bytes_ = 0, strong_bytes_ = 0;
  int em_depth_ = 0, strong_depth_ = 0;
  std::vector<LinkKind> links_;  // the links the reader is inside, innermost last
  const bool base_may_name_attachment_;
};

// Readability's class/id weights: names that suggest content or chrome.
int class_weight(const GumboNode* node) {
  std::string names = ascii::lowercase(attr(node, "class") + " " + attr(node, "id"));
  int weight = 0;
  for (const char* good : {"article", "content", "detail", "entry", "post", "news-body", "main",
                           "body", "text", "chitiet", "noidung", "chi-tiet", "noi-dung"}) {
    if (names.find(good) != std::string::npos) {
      weight += 25;
      break;
    }
  }
  for (const char* bad : {"comment", "sidebar", "footer", "menu", "nav", "related", "other",
                          "widget", "banner", "share", "social", "tinkhac", "lienquan", "ads",
                          "breadcrumb", "pager", "paging", "counter", "thongke"}) {
    if (names.find(bad) != std::string::npos) {
      weight -= 25;
      break;
    }
  }
  return weight;
}

// Readability's "unlikely candidates": an element whose class or id names a widget that is never
// the article (a visitor counter, a related-articles box, comments, a sidebar) and nothing that
// suggests content is not searched for paragraphs. Found by the fifth held-out round: WebSphere's
// visitor-counter portlet ("Số lượt truy cập: 1.204.377") outscored a body of three paragraphs.
bool unlikely_candidate(const GumboNode* node) {
  GumboTag tag = node->v.element.tag;
  // WordPress classes <body> "… comments-open has-sidebar": the page, not a widget.
  if (tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_MAIN ||
      tag == GUMBO_TAG_ARTICLE) {
    return false;
  }
  if (!has_attr(node, "class") && !has_attr(node, "id")) return false;
  std::string names = ascii::lowercase(attr(node, "class") + " " + attr(node, "id"));
  bool chrome = false;
  for (const char* bad : {"comment", "sidebar", "footer", "menu", "banner", "share", "social",
                          "tinkhac", "tin-khac", "lienquan", "lien-quan", "related",
                          "breadcrumb", "pager", "paging", "counter", "thongke", "thong-ke"}) {
    chrome = chrome || names.find(bad) != std::string::npos;
  }
  if (!chrome) return false;
  for (const char* good : {"article", "content", "detail", "chitiet", "noidung", "main"}) {
    if (names.find(good) != std::string::npos) return false;
  }
  return true;
}

// Elements with a block element somewhere below them, found in one post-order pass (a test per
// element would be quadratic on deeply nested pages).
std::unordered_set<const GumboNode*> elements_with_block_descendants(const GumboNode* root) {
  std::unordered_set<const GumboNode*> found;
  visit(
      root, [](const GumboNode* n) { return is_element(n); },
      [&](const GumboNode* n) {
        if ((is_block(n->v.element.tag) || found.count(n)) && n->parent != nullptr) {
          found.insert(n->parent);
        }
      });
  return found;
}

// The text a div or cell holds outside its block children ("text<br><br>text<div>…</div>"): the
// paragraphs a <br>-separated body never wraps in <p> (Readability wraps such runs in <p> before
// scoring). Its bytes inside links in *link_bytes. Reads each child once.
std::string loose_text(const GumboNode* node, const NodeSet& excluded,
                       const std::unordered_set<const GumboNode*>& has_blocks, size_t* link_bytes) {
  std::string text;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT) {
      text += child->v.text.text;
    } else if (is_element(child) && !is_block(child->v.element.tag) && !has_blocks.count(child) &&
               !excluded.count(child) && !is_invisible(child)) {
      text += ' ' + visible_text(child, excluded) + ' ';
      *link_bytes += text_and_link_bytes(child, excluded).second;
    }
  }
  return collapse_whitespace(text);
}

using ByteSums = std::unordered_map<const GumboNode*, std::pair<size_t, size_t>>;

// text_and_link_bytes(), taking the sums of the elements in `known` (other than `node`) as found
// instead of walking them. An element's link bytes are those under an <a> at or below it, so one
// inside a link of the walk counts whole as link text, as a walk into it would count it.
std::pair<size_t, size_t> sum_text_and_link_bytes(const GumboNode* node, const NodeSet& excluded,
                                                  const ByteSums* known) {
  size_t text = 0, link = 0;
  int link_depth = 0;
  visit(
      node,
      [&](const GumboNode* n) {
        if (is_text_node(n)) {
          size_t bytes = visible_bytes(n->v.text.text);
          text += bytes;
          if (link_depth > 0) link += bytes;
          return false;
        }
        if (!is_element(n) || excluded.count(n) || is_invisible(n)) return false;
        if (known != nullptr && n != node) {
          if (auto found = known->find(n); found != known->end()) {
            text += found->second.first;
            link += link_depth > 0 ? found->second.first : found->second.second;
            return false;
          }
        }
        if (n->v.element.tag == GUMBO_TAG_A) ++link_depth;
        return true;
      },
      [&](const GumboNode* n) {
        if (n->v.element.tag == GUMBO_TAG_A) --link_depth;
      });
  return {text, link};
}

// text_and_link_bytes() of every candidate, the deepest first, each walk adding up the sums
// already found for candidates inside it instead of walking them again: the candidates are the
// parents and grandparents of paragraphs, nested in one another up to the page's <body>, and
// walking each cost 18 M instructions of the 156-page profile (bench/README.md).
ByteSums candidate_text_and_link_bytes(std::vector<const GumboNode*> nodes,
                                       const NodeSet& excluded) {
  auto depth = [](const GumboNode* n) {
    size_t d = 0;
    for (; n->parent != nullptr; n = n->parent) ++d;
    return d;
  };
  std::vector<std::pair<size_t, const GumboNode*>> deepest_first;
  for (const GumboNode* n : nodes) deepest_first.emplace_back(depth(n), n);
  std::stable_sort(deepest_first.begin(), deepest_first.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  ByteSums sums;
  for (const auto& [unused, node] : deepest_first) {
    sums.emplace(node, sum_text_and_link_bytes(node, excluded, &sums));
  }
  return sums;
}

const GumboNode* block_ancestor(const GumboNode* node) {
  for (const GumboNode* p = node->parent; p != nullptr; p = p->parent) {
    if (is_element(p) && is_block(p->v.element.tag)) return p;
  }
  return nullptr;
}

}  // namespace

bool is_tool_link(std::string_view href) {
  std::string h = ascii::lowercase(collapse_whitespace(href));
  if (h.starts_with("javascript:") || h.starts_with("mailto:")) return true;
  for (std::string_view part : {"?print", "&print=", "/print/", "/print?", "/sharer", "/share?",
                                "/share.php", "zalo.me/share", "twitter.com/intent"}) {
    if (h.find(part) != std::string::npos) return true;
  }
  return false;
}

std::pair<size_t, size_t> text_and_link_bytes(const GumboNode* node, const NodeSet& excluded) {
  return sum_text_and_link_bytes(node, excluded, nullptr);
}

bool is_invisible(const GumboNode* node) {
  if (!is_element(node)) return false;
  switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_HEAD: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
      return true;
    default:
      break;
  }
  if (attribute_value(node, "hidden") != nullptr) return true;
  const char* style = attribute_value(node, "style");
  return style != nullptr &&
         (style_holds(style, "display", "none") || style_holds(style, "visibility", "hidden"));
}

std::string visible_text(const GumboNode* node, const NodeSet& excluded) {
  std::string text;
  visit(
      node,
      [&](const GumboNode* n) {
        if (is_text_node(n)) {
          text += n->v.text.text;
          return false;
        }
        if (!is_element(n) || excluded.count(n) || is_invisible(n)) return false;
        if (n->v.element.tag == GUMBO_TAG_BR || is_block(n->v.element.tag)) text += ' ';
        return true;
      },
      [&](const GumboNode* n) {
        if (is_block(n->v.element.tag)) text += ' ';
      });
  return collapse_whitespace(text);
}

bool has_visible_text(const GumboNode* node, const NodeSet& excluded) {
  bool found = false;
  visit(
      node,
      [&](const GumboNode* n) {
        if (found) return false;  // drains what is left without looking
        if (is_text_node(n)) {
          found = !is_blank(n->v.text.text);
          return false;
        }
        return is_element(n) && !excluded.count(n) && !is_invisible(n);
      },
      [](const GumboNode*) {});
  return found;
}

BodyContent read_body(const GumboNode* body, const NodeSet& excluded, const std::string& base_url,
                      const ExtractRules& rules) {
  BodyReader reader(excluded, base_url, rules);
  return reader.read(body);
}

const GumboNode* find_generic_body(const GumboNode* root, const NodeSet& excluded) {
  // Score paragraphs into their parent (full) and grandparent (half), as Readability does.
  const auto has_blocks = elements_with_block_descendants(root);
  std::unordered_map<const GumboNode*, double> scores;
  std::vector<const GumboNode*> order;  // first-scored first, so ties resolve the same every run
  auto add_score = [&](const GumboNode* node, double score) {
    auto [it, inserted] = scores.emplace(node, 0.0);
    if (inserted) order.push_back(node);
    it->second += score;
  };
  // Text a div or cell holds beside its blocks is a paragraph of that element (a windows-1258 PHP
  // page of 2010 puts its whole body in one cell as "text<br><br>text", then a signature <div>).
  auto score_loose_text = [&](const GumboNode* n) {
    size_t link = 0;
    std::string text = loose_text(n, excluded, has_blocks, &link);
    if (text.size() < 25 || link * 2 > text.size()) return;
    double score = 1.0 + static_cast<double>(std::count(text.begin(), text.end(), ','));
    score += std::min(3.0, static_cast<double>(text.size()) / 100.0);
    add_score(n, score);
    if (const GumboNode* parent = block_ancestor(n)) add_score(parent, score / 2);
  };
  visit(
      root,
      [&](const GumboNode* n) {
        if (!is_element(n) || excluded.count(n) || is_invisible(n)) return false;
        if (n != root && unlikely_candidate(n)) return false;
        GumboTag tag = n->v.element.tag;
        bool paragraph = tag == GUMBO_TAG_P || tag == GUMBO_TAG_PRE;
        if (tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_TD) {
          // A div or cell holding text directly (no block descendants) reads as a paragraph.
          paragraph = !has_blocks.count(n);
          if (!paragraph) score_loose_text(n);
        }
        if (!paragraph) return true;
        std::string text = visible_text(n, excluded);
        if (text.size() < 25) return tag != GUMBO_TAG_P;
        auto [bytes, link] = text_and_link_bytes(n, excluded);
        if (bytes > 0 && link * 2 > bytes) return false;  // a link, not a paragraph
        double score = 1.0 + static_cast<double>(std::count(text.begin(), text.end(), ','));
        score += std::min(3.0, static_cast<double>(text.size()) / 100.0);
        // Inline wrappers (<font>, <span>) are not containers: score the block ancestors.
        const GumboNode* parent = block_ancestor(n);
        if (parent != nullptr) {
          add_score(parent, score);
          const GumboNode* grand = block_ancestor(parent);
          if (grand != nullptr) add_score(grand, score / 2);
        }
        return false;
      },
      [](const GumboNode*) {});
  const auto sizes = candidate_text_and_link_bytes(order, excluded);
  const GumboNode* best = nullptr;
  double best_score = 0;
  for (const GumboNode* node : order) {
    double score = scores[node];
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML) continue;
    auto [bytes, link] = sizes.at(node);
    double density = bytes ? static_cast<double>(link) / static_cast<double>(bytes) : 1.0;
    double final_score = (score + class_weight(node)) * (1.0 - density);
    if (tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN) final_score += 10;
    if (best == nullptr || final_score > best_score) {
      best = node;
      best_score = final_score;
    }
  }
  return best_score > 0 ? best : nullptr;
}

}  // namespace provarc::internal
