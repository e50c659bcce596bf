// Archived pages re-written for the reader: a Gumbo parse serialized again element by element
// (the HTML5 fragment serialization algorithm, with an allow-list of what passes), so that what
// the browser parses is what was checked here. The reader also serves the result with a CSP
// that forbids scripts and outside requests (web/reader.cc): this is the first of two walls.
#include "web/archived.h"

#include <map>
#include <vector>

#include "common/ascii.h"
#include "common/url.h"
#include "html/dom.h"
#include "web/html.h"

namespace provarc::web {
namespace {

std::string_view trim_html_space(std::string_view text) {
  return ascii::trim(text, ascii::is_html_space);
}

// Names the serializer writes as they are: a letter, then letters, digits and - _ : . (custom
// elements, data-*, aria-*). Anything else a lenient tokenizer let through is not written.
bool is_plain_name(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z'))) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == ':' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Elements removed with everything inside them: what runs, embeds, fetches on its own, sets the
// document's base or policies, or is parsed as raw text a second serialization could misread.
bool is_removed(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_FRAME: case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET: case GUMBO_TAG_PARAM: case GUMBO_TAG_BASE: case GUMBO_TAG_META:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_BGSOUND:
      return true;
    default:
      return false;
  }
}

bool is_void(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BR: case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_HR: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR: case GUMBO_TAG_KEYGEN: case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND: case GUMBO_TAG_FRAME:
      return true;
    default:
      return false;
  }
}

// Attributes removed wherever they are: they fetch, navigate, submit or name a resource the
// rewriting does not follow. (Event handlers, on*, are removed by their prefix.)
bool is_removed_attribute(std::string_view name) {
  static const char* const kRemoved[] = {
      "action", "formaction", "formtarget", "ping", "srcset", "imagesrcset", "sizes", "cite",
      "longdesc", "lowsrc", "dynsrc", "manifest", "profile", "codebase", "classid", "archive",
      "data", "srcdoc", "http-equiv", "integrity", "nonce", "download", "target", "xmlns",
      "usemap", "itemtype", "itemid", "attributionsrc", "referrerpolicy"};
  if (name.size() > 2 && name.substr(0, 2) == "on") return true;
  for (const char* removed : kRemoved) {
    if (name == removed) return true;
  }
  return name.substr(0, 4) == "xml:" || name.substr(0, 6) == "xlink:";
}

// The attribute of `node` named `name`, nullptr when absent.
const GumboAttribute* find(const GumboNode* node, std::string_view name) {
  const GumboVector& attributes = node->v.element.attributes;
  for (unsigned i = 0; i < attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
    if (name == attribute->name) return attribute;
  }
  return nullptr;
}

class Rewriter {
 public:
  Rewriter(std::string_view page_url, const ArchiveLookup& lookup, RewriteCounts& counts)
      : base_(page_url), lookup_(lookup), counts_(counts) {}

  std::string run(GumboNode* root);

  // The reader's URL for the resource at `ref` (an image, a stylesheet), "" when the archive
  // does not hold it. Counts it.
  std::string resource(std::string_view ref) { return archived(ref, "/raw/"); }

 private:
  enum class Action { kKeep, kUnwrap, kRemove };

  struct Frame {
    GumboNode* node;
    unsigned next = 0;
    bool write_tags = true;
  };

  void find_base(GumboNode* root);
  Action action_for(GumboNode* element, std::string* name);
  void write_start_tag(GumboNode* element, const std::string& name);
  void write_attribute(std::string_view name, std::string_view value);
  void write_style_element(GumboNode* element);
  void write_child(GumboNode* child, std::vector<Frame>& stack);
  // The reader URL (`prefix` + capture id) of `ref`, "" when not archived; counts it.
  std::string archived(std::string_view ref, const char* prefix);
  // The value to write for a URL attribute of `element` (`name` is its name), "" to drop it.
  std::string url_attribute(GumboNode* element, std::string_view name, std::string_view value);

  std::string base_;
  const ArchiveLookup& lookup_;
  RewriteCounts& counts_;
  std::map<std::string, int64_t> seen_;  // absolute URL -> capture id (0: not archived)
  std::string out_;
};

void Rewriter::find_base(GumboNode* root) {
  GumboNode* found = nullptr;
  walk(root, [&](GumboNode* node) {
    if (found != nullptr || !is_element(node)) return false;
    if (node->v.element.tag == GUMBO_TAG_BASE && find(node, "href") != nullptr) {
      found = node;
      return false;
    }
    return true;
  });
  if (found == nullptr) return;
  Result<std::string> base = resolve_url(base_, trim_html_space(find(found, "href")->value));
  if (base.ok()) base_ = *base;
}

std::string Rewriter::archived(std::string_view ref, const char* prefix) {
  ref = trim_html_space(ref);
  Result<std::string> absolute = resolve_url(base_, ref);
  int64_t id = 0;
  if (absolute.ok()) {
    // The fragment names a place in the page, not another capture.
    std::string url = absolute->substr(0, absolute->find('#'));
    auto [it, fresh] = seen_.emplace(url, 0);
    if (fresh) it->second = lookup_(url);
    id = it->second;
  }
  if (id == 0) {
    ++counts_.dead;
    return "";
  }
  ++counts_.archived;
  return prefix + std::to_string(id);
}

std::string Rewriter::url_attribute(GumboNode* element, std::string_view name,
                                    std::string_view value) {
  const GumboTag tag = element->v.element.tag;
  if (name == "href") {
    if (tag != GUMBO_TAG_A && tag != GUMBO_TAG_AREA) return "";
    std::string_view ref = trim_html_space(value);
    if (!ref.empty() && ref[0] == '#') return std::string(ref);  // within the page
    return archived(ref, "/capture/");
  }
  if (name == "background") return resource(value);
  if (name == "poster") return tag == GUMBO_TAG_VIDEO ? resource(value) : "";
  // src
  const bool media = tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_VIDEO || tag == GUMBO_TAG_AUDIO ||
                     tag == GUMBO_TAG_SOURCE || tag == GUMBO_TAG_TRACK ||
                     (tag == GUMBO_TAG_INPUT && ascii::iequals(attr(element, "type"), "image"));
  return media ? resource(value) : "";
}

Rewriter::Action Rewriter::action_for(GumboNode* element, std::string* name) {
  const GumboTag tag = element->v.element.tag;
  if (element->type == GUMBO_NODE_TEMPLATE || is_removed(tag)) return Action::kRemove;
  if (element->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return Action::kRemove;
  if (tag == GUMBO_TAG_LINK) {
    // Only a stylesheet the archive holds stays.
    std::string rel = ascii::lowercase(attr(element, "rel"));
    if (rel.find("stylesheet") == std::string::npos || rel.find("alternate") != std::string::npos) {
      return Action::kRemove;
    }
  }
  *name = tag_name(element);
  if (tag == GUMBO_TAG_UNKNOWN || !is_plain_name(*name)) return Action::kUnwrap;
  return Action::kKeep;
}

void Rewriter::write_attribute(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += escape_html(value);
  out_ += '"';
}

// A lazy-loaded image keeps its picture in data-src or data-original (its scripts would swap it
// in): the URL to use as its src when its own is missing or a data: placeholder, else "".
std::string_view lazy_image_source(GumboNode* img) {
  const GumboAttribute* src = find(img, "src");
  std::string_view current = src != nullptr ? trim_html_space(src->value) : "";
  if (!current.empty() && !ascii::istarts_with(current, "data:")) return "";
  for (const char* lazy : {"data-src", "data-original", "data-lazy-src"}) {
    const GumboAttribute* a = find(img, lazy);
    if (a != nullptr && !trim_html_space(a->value).empty()) return trim_html_space(a->value);
  }
  return "";
}

void Rewriter::write_start_tag(GumboNode* element, const std::string& name) {
  const GumboTag tag = element->v.element.tag;
  std::vector<std::pair<std::string_view, std::string>> written;
  std::string_view lazy_src = tag == GUMBO_TAG_IMG ? lazy_image_source(element) : "";
  if (!lazy_src.empty() && find(element, "src") == nullptr) written.emplace_back("src", "");
  const GumboVector& attributes = element->v.element.attributes;
  for (unsigned i = 0; i < attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
    std::string_view attr_name = attribute->name;
    if (attribute->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE || !is_plain_name(attr_name) ||
        is_removed_attribute(attr_name)) {
      continue;
    }
    written.emplace_back(attr_name, attribute->value);
  }
  std::string dead_url;
  bool has_title = false;
  out_ += '<';
  out_ += name;
  for (auto& [attr_name, value] : written) {
    if (attr_name == "style") {
      std::optional<std::string> css = rewrite_archived_css(value, base_, lookup_, &counts_);
      if (css && !css->empty()) write_attribute(attr_name, *css);
      continue;
    }
    if (attr_name == "href" || attr_name == "src" || attr_name == "poster" ||
        attr_name == "background") {
      std::string_view ref = attr_name == "src" && !lazy_src.empty() ? lazy_src : value;
      std::string rewritten = url_attribute(element, attr_name, ref);
      if (rewritten.empty()) {
        if (dead_url.empty()) dead_url = std::string(trim_html_space(ref));
        continue;
      }
      write_attribute(attr_name, rewritten);
      if (attr_name == "href" && rewritten[0] == '/') write_attribute("target", "_top");
      continue;
    }
    has_title = has_title || attr_name == "title";
    write_attribute(attr_name, value);
  }
  if (!dead_url.empty()) {
    // The original URL, as text for a person: the attribute fetches nothing.
    if (!has_title) write_attribute("title", "Không có trong kho lưu trữ: " + dead_url);
    write_attribute("data-provarc", "dead");
  }
  out_ += '>';
  if (tag == GUMBO_TAG_HEAD) out_ += "<meta charset=\"utf-8\">";
  // The parser drops one newline after these start tags: keep a leading one of the content.
  if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TEXTAREA || tag == GUMBO_TAG_LISTING) out_ += '\n';
}

void Rewriter::write_style_element(GumboNode* element) {
  std::string css;
  const GumboVector& children = element->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    auto* child = static_cast<GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE) {
      css += child->v.text.text;
    }
  }
  std::optional<std::string> rewritten = rewrite_archived_css(css, base_, lookup_, &counts_);
  // Style is raw text: its content is written as it is, so it must not be able to end the
  // element (the tokenizer ends it at "</style" whatever follows).
  if (!rewritten || ascii::lowercase(*rewritten).find("</style") != std::string::npos) {
    ++counts_.removed;
    return;
  }
  out_ += "<style>";
  out_ += *rewritten;
  out_ += "</style>";
}

void Rewriter::write_child(GumboNode* child, std::vector<Frame>& stack) {
  switch (child->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
      out_ += escape_html(child->v.text.text);
      return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE: {
      std::string name;
      Action action = action_for(child, &name);
      if (action == Action::kRemove) {
        ++counts_.removed;
        return;
      }
      if (action == Action::kKeep && child->v.element.tag == GUMBO_TAG_STYLE) {
        write_style_element(child);
        return;
      }
      if (action == Action::kKeep && child->v.element.tag == GUMBO_TAG_LINK) {
        std::string href = resource(attr(child, "href"));
        if (href.empty()) {
          ++counts_.removed;
          return;
        }
        out_ += "<link rel=\"stylesheet\"";
        write_attribute("href", href);
        out_ += '>';
        return;
      }
      if (action == Action::kKeep) write_start_tag(child, name);
      if (action == Action::kKeep && is_void(child->v.element.tag)) return;
      stack.push_back(Frame{child, 0, action == Action::kKeep});
      return;
    }
    default:  // comments, CDATA (only in the removed svg and math), the document
      return;
  }
}

std::string Rewriter::run(GumboNode* root) {
  find_base(root);
  out_ = "<!DOCTYPE html>";
  std::vector<Frame> stack;
  write_child(root, stack);
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector& children = top.node->v.element.children;
    if (top.next < children.length) {
      write_child(static_cast<GumboNode*>(children.data[top.next++]), stack);
      continue;
    }
    if (top.write_tags) {
      out_ += "</";
      out_ += tag_name(top.node);
      out_ += '>';
    }
    stack.pop_back();
  }
  return std::move(out_);
}

// Reads a url( argument at css[i] (just after "url("): returns the URL and sets *end past the
// closing parenthesis; nullopt when it does not close.
std::optional<std::string> read_url_argument(std::string_view css, size_t i, size_t* end) {
  while (i < css.size() && ascii::is_html_space(css[i])) ++i;
  if (i < css.size() && (css[i] == '"' || css[i] == '\'')) {
    const char quote = css[i];
    size_t close = css.find(quote, i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string url(css.substr(i + 1, close - i - 1));
    i = close + 1;
    while (i < css.size() && ascii::is_html_space(css[i])) ++i;
    if (i >= css.size() || css[i] != ')') return std::nullopt;
    *end = i + 1;
    return url;
  }
  size_t close = css.find(')', i);
  if (close == std::string_view::npos) return std::nullopt;
  *end = close + 1;
  return std::string(trim_html_space(css.substr(i, close - i)));
}

}  // namespace

std::optional<std::string> rewrite_archived_css(std::string_view css, std::string_view base_url,
                                                const ArchiveLookup& lookup,
                                                RewriteCounts* counts) {
  const std::string low = ascii::lowercase(css);
  // Escapes can spell url( or @import unrecognisably; @import and image-set() take bare
  // strings as URLs. None is worth a CSS parser in an archived news page.
  if (low.find('\\') != std::string::npos || low.find("@import") != std::string::npos ||
      low.find("image-set(") != std::string::npos) {
    return std::nullopt;
  }
  RewriteCounts ignored;
  Rewriter resolver(base_url, lookup, counts != nullptr ? *counts : ignored);
  std::string out;
  size_t i = 0;
  for (;;) {
    size_t at = low.find("url(", i);
    if (at == std::string::npos) {
      out.append(css.substr(i));
      return out;
    }
    out.append(css.substr(i, at - i));
    size_t end = 0;
    std::optional<std::string> url = read_url_argument(css, at + 4, &end);
    if (!url) return std::nullopt;
    std::string target = url->empty() ? "" : resolver.resource(*url);
    out += target.empty() ? std::string("none") : "url(\"" + target + "\")";
    i = end;
  }
}

std::string rewrite_archived_page(std::string_view utf8, std::string_view page_url,
                                  const ArchiveLookup& lookup, RewriteCounts* counts) {
  RewriteCounts ignored;
  std::unique_ptr<Document> document = Document::parse(utf8);
  Rewriter rewriter(page_url, lookup, counts != nullptr ? *counts : ignored);
  return rewriter.run(document->root());
}

}  // namespace provarc::web
