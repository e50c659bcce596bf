// tests/dom_test.cc: Document parsing (and its guards against hostile pages) and the tree helpers.

#include "html/dom.h"

#include <gtest/gtest.h>
#include <limits.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "tests/support/deep_tree.h"

namespace provarc {
namespace {

using Clock = std::chrono::steady_clock;

std::string repeat(std::string_view piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// Element nodes under `root` (root included), in document order.
std::vector<GumboNode*> all_elements(GumboNode* root) {
  std::vector<GumboNode*> elements;
  walk(root, [&](GumboNode* node) {
    if (is_element(node)) elements.push_back(node);
    return true;
  });
  return elements;
}

GumboNode* element_by_id(const Document& doc, std::string_view id) {
  for (GumboNode* node : all_elements(doc.root())) {
    if (attr(node, "id") == id) return node;
  }
  return nullptr;
}

// Number of element ancestors of `node`.
size_t element_depth(const GumboNode* node) {
  size_t depth = 0;
  for (const GumboNode* p = node->parent; is_element(p); p = p->parent) ++depth;
  return depth;
}

size_t max_element_depth(GumboNode* root) {
  size_t deepest = 0;
  for (GumboNode* node : all_elements(root)) deepest = std::max(deepest, element_depth(node));
  return deepest;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------------
// Document

TEST(Document, FindsRootHeadAndBody) {
  auto doc = Document::parse(
      "<!DOCTYPE html><html lang=vi><head><title>Tiêu đề</title></head>"
      "<body class=v4master><p>Xin chào</p></body></html>");
  ASSERT_NE(doc->root(), nullptr);
  EXPECT_EQ(tag_name(doc->root()), "html");
  EXPECT_EQ(attr(doc->root(), "lang"), "vi");
  ASSERT_NE(doc->head(), nullptr);
  EXPECT_EQ(text_content(doc->head()), "Tiêu đề");
  ASSERT_NE(doc->body(), nullptr);
  EXPECT_TRUE(has_class(doc->body(), "v4master"));
  EXPECT_EQ(text_content(doc->body()), "Xin chào");
  EXPECT_FALSE(doc->exceeded_budget());
}

TEST(Document, ImpliesHtmlHeadAndBodyForAFragment) {
  auto doc = Document::parse("<p>one</p><p>two");
  ASSERT_NE(doc->head(), nullptr);
  ASSERT_NE(doc->body(), nullptr);
  EXPECT_EQ(element_children(doc->body()).size(), 2u);
  EXPECT_EQ(text_content(doc->body()), "onetwo");
}

TEST(Document, FramesetPageHasNoBody) {
  auto doc = Document::parse("<html><head></head><frameset><frame src=a></frameset></html>");
  EXPECT_NE(doc->head(), nullptr);
  EXPECT_EQ(doc->body(), nullptr);
}

TEST(Document, SurvivesBrokenInput) {
  const std::vector<std::string> pages = {
      "",
      std::string("<p>nul\0byte</p>", 15),
      "<div class=\"unterminated",
      "<!-- never closed <div>",
      "<script>var s = '<div>';",
      "</div></div></p></br><p>",
      "<table><tr><td>a<td>b</table></td></tr>",
      "<svg><path d='M0'/><title>x</title></svg><math><mi>x</math>",
      "< a <1 <> </> <!> <? ?> <a href='x>y'>link</a>",
  };
  for (const std::string& page : pages) {
    auto doc = Document::parse(page);
    ASSERT_NE(doc->root(), nullptr) << page;
    EXPECT_NE(doc->body(), nullptr) << page;
    text_content(doc->root());
  }
}

TEST(Document, QuotedGreaterThanDoesNotEndATag) {
  auto doc = Document::parse("<a href='x>y' id=link>text</a>");
  GumboNode* link = element_by_id(*doc, "link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(attr(link, "href"), "x>y");
}

// 100 000 nested <div>s: Gumbo would need ~10 s (its time grows with depth squared); the
// nesting is capped at 512 before parsing, the text survives and the closing tags still pair up,
// so what follows the deep block stays a child of <body>.
TEST(Document, CapsAbsurdNestingOfDivs) {
  const size_t kDepth = 100000;
  std::string page = "<html><body>" + repeat("<div class=level>", kDepth) + "deep" +
                     repeat("</div>", kDepth) + "<p id=after>after</p></body></html>";
  Clock::time_point start = Clock::now();
  auto doc = Document::parse(page);
  EXPECT_LT(seconds_since(start), 5.0);
  EXPECT_FALSE(doc->exceeded_budget());

  size_t deepest = max_element_depth(doc->root());
  EXPECT_GE(deepest, 500u);
  EXPECT_LE(deepest, 520u);
  EXPECT_EQ(text_content(doc->body()), "deepafter");
  GumboNode* after = element_by_id(*doc, "after");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->parent, doc->body());
}

TEST(Document, CapsAbsurdNestingOfInlineElements) {
  const size_t kDepth = 100000;
  std::string page = "<body>" + repeat("<span>", kDepth) + "x" + repeat("</span>", kDepth) +
                     "<b>" + repeat("<i><u>", kDepth / 2) + "y<p id=end>z</p>";
  Clock::time_point start = Clock::now();
  auto doc = Document::parse(page);
  EXPECT_LT(seconds_since(start), 5.0);
  EXPECT_LE(max_element_depth(doc->root()), 520u);
  EXPECT_EQ(text_content(doc->body()), "xyz");
  EXPECT_NE(element_by_id(*doc, "end"), nullptr);
}

TEST(Document, KeepsNestingBelowTheCapExactly) {
  const size_t kDepth = 400;
  auto doc = Document::parse("<body>" + repeat("<div>", kDepth) + "x" + repeat("</div>", kDepth));
  // html > body > 400 divs: the innermost div has 401 element ancestors.
  EXPECT_EQ(max_element_depth(doc->root()), kDepth + 1);
}

// Real pages are long and sloppy: thousands of unclosed <p>, <li>, <td>, <tr> and <font>, tables
// in cells closed only by </table>, blocks closing 40 unclosed <font>s, markup inside scripts. None of it may count as nesting: after
// it, 450 nested <div>s must keep their exact depth (an over-count of 60 would flatten them).
TEST(Document, SloppyButShallowPagesAreNotFlattened) {
  std::string sloppy = repeat("<p>paragraph", 3000) + "<ul>" + repeat("<li>item", 3000) +
                       "</ul><table>" +
                       repeat("<tr><td><font face=Arial>cell<td><b>bold", 1500) +
                       "<tr><td id=cell><div id=in-cell>x</div></table>" +
                       repeat(repeat("<table><tr><td>cell", 20) + repeat("</table>", 20), 50) +
                       "<dl>" + repeat("<dt>term<dd>definition", 1000) + "</dl><select>" +
                       repeat("<option>choice", 1000) + "</select>" +
                       "<script>" + repeat("document.write('<div>');", 1000) + "</script>" +
                       "<style>" + repeat("div > p { }", 1000) + "</style>" +
                       repeat("<p><font color=red>unclosed font</p>", 1000) +
                       repeat("<div>" + repeat("<font size=2>", 40) + "text</div>", 100);
  std::string page = "<body><div id=content>" + sloppy + "</div><div id=after>" +
                     repeat("<div>", 449) + "<div id=deep>x</div>";
  auto doc = Document::parse(page);
  GumboNode* deep = element_by_id(*doc, "deep");
  ASSERT_NE(deep, nullptr);
  // html, body, div#after and 449 <div>s.
  EXPECT_EQ(element_depth(deep), 452u);
  GumboNode* in_cell = element_by_id(*doc, "in-cell");
  ASSERT_NE(in_cell, nullptr);
  EXPECT_EQ(attr(in_cell->parent, "id"), "cell");
  size_t paragraphs = 0;
  for (GumboNode* node : all_elements(doc->root())) paragraphs += tag_name(node) == "p";
  EXPECT_EQ(paragraphs, 4000u);
}

// Gumbo re-creates unclosed formatting elements in every new block: this 165 kB page would grow
// to 10 million nodes and 3.6 GB. The budget stops it; the Document is then an empty page.
TEST(Document, AbandonsAParseThatOutgrowsItsBudget) {
  std::string page = "<body><div>";
  for (int i = 0; i < 500; ++i) page += "<b id=" + std::to_string(i) + ">";
  page += "</div>" + repeat("<p>x</p>", 20000);
  Clock::time_point start = Clock::now();
  auto doc = Document::parse(page);
  EXPECT_LT(seconds_since(start), 10.0);
  EXPECT_TRUE(doc->exceeded_budget());
  ASSERT_NE(doc->root(), nullptr);
  ASSERT_NE(doc->body(), nullptr);
  EXPECT_EQ(text_content(doc->root()), "");
}

// About 10 MB of ordinary markup parses within the budget, quickly.
TEST(Document, ParsesATenMegabytePage) {
  const std::string item =
      "<div class=\"news-item\"><h3><a href=\"/stttt/Pages/tin-123.aspx\">Hội nghị sơ kết công "
      "tác quý I/2023</a></h3><p style=\"text-align:justify\">Ngày 06/4/2023, Sở Thông tin và "
      "Truyền thông đã tổ chức hội nghị&nbsp;sơ kết.</p><img src=\"/a.jpg\" alt=\"\"><ul><li>a"
      "<li>b</ul></div>\n";
  const size_t kItems = 10 * 1024 * 1024 / item.size();
  std::string page = "<!DOCTYPE html><html><head><title>t</title></head><body>" +
                     repeat(item, kItems) + "</body></html>";
  Clock::time_point start = Clock::now();
  auto doc = Document::parse(page);
  EXPECT_LT(seconds_since(start), 20.0);
  EXPECT_FALSE(doc->exceeded_budget());
  EXPECT_EQ(element_children(doc->body()).size(), kItems);
}

// The arena frees the tree without walking it. Gumbo's own gumbo_destroy_output() recurses
// once per level and crashes on a 16 kB stack at the 512 levels this page is capped to.
TEST(Document, DestroysOnASmallStack) {
  auto doc = Document::parse("<body>" + repeat("<div><span>", 50000) + "x");
  ASSERT_GE(max_element_depth(doc->root()), 500u);
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, std::max<size_t>(16384, PTHREAD_STACK_MIN)), 0);
  pthread_t thread;
  auto destroy = [](void* arg) -> void* {
    delete static_cast<Document*>(arg);
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, destroy, doc.release()), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
}

// ---------------------------------------------------------------------------------------------
// Node helpers

TEST(TagName, LowercasesKnownAndUnknownTags) {
  auto doc = Document::parse("<DIV id=a></DIV><My-Widget id=b></My-Widget>text");
  EXPECT_EQ(tag_name(element_by_id(*doc, "a")), "div");
  EXPECT_EQ(tag_name(element_by_id(*doc, "b")), "my-widget");
  GumboNode* text = static_cast<GumboNode*>(doc->body()->v.element.children.data[2]);
  EXPECT_EQ(text->type, GUMBO_NODE_TEXT);
  EXPECT_EQ(tag_name(text), "");
  EXPECT_EQ(tag_name(nullptr), "");
}

TEST(Attr, ReadsAttributesByCaseInsensitiveName) {
  auto doc = Document::parse("<a id=x HREF='/p?a=1&amp;b=2' data-empty>t</a>");
  GumboNode* a = element_by_id(*doc, "x");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(attr(a, "href"), "/p?a=1&b=2");
  EXPECT_EQ(attr(a, "HREF"), "/p?a=1&b=2");
  EXPECT_EQ(attr(a, "title"), "");
  EXPECT_TRUE(has_attr(a, "data-empty"));
  EXPECT_EQ(attr(a, "data-empty"), "");
  EXPECT_FALSE(has_attr(a, "title"));
  EXPECT_FALSE(has_attr(nullptr, "id"));
}

TEST(HasClass, MatchesWholeCaseSensitiveTokens) {
  auto doc = Document::parse("<div id=x class=' s4-notdlg\tnoindex\nms-rtestate-field '></div>");
  GumboNode* div = element_by_id(*doc, "x");
  EXPECT_TRUE(has_class(div, "s4-notdlg"));
  EXPECT_TRUE(has_class(div, "noindex"));
  EXPECT_TRUE(has_class(div, "ms-rtestate-field"));
  EXPECT_FALSE(has_class(div, "NoIndex"));
  EXPECT_FALSE(has_class(div, "s4"));
  EXPECT_FALSE(has_class(div, ""));
  EXPECT_FALSE(has_class(doc->head(), "noindex"));
}

TEST(ElementChildren, ListsElementsInOrderSkippingText) {
  auto doc = Document::parse("<ul id=l> <li>a</li> text <!-- c --> <li>b</li><li>c</li></ul>");
  std::vector<GumboNode*> items = element_children(element_by_id(*doc, "l"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(text_content(items[0]), "a");
  EXPECT_EQ(text_content(items[2]), "c");
  EXPECT_TRUE(element_children(nullptr).empty());
}

TEST(Walk, VisitsInPreOrderAndSkipsSubtrees) {
  auto doc = Document::parse(
      "<body><div id=a><p id=b><span id=c></span></p><p id=d></p></div><p id=e></p></body>");
  std::vector<std::string> order;
  walk(doc->body(), [&](GumboNode* node) {
    if (!is_element(node)) return true;
    order.push_back(attr(node, "id"));
    return attr(node, "id") != "b";  // skip b's subtree
  });
  EXPECT_EQ(order, (std::vector<std::string>{"", "a", "b", "d", "e"}));
}

TEST(Walk, MayRemoveTheVisitedNode) {
  auto doc = Document::parse("<div class=ad>x</div><p>keep</p><div class=ad>y</div>");
  walk(doc->body(), [](GumboNode* node) {
    if (!has_class(node, "ad")) return true;
    remove_node(node);
    return false;
  });
  EXPECT_EQ(text_content(doc->body()), "keep");
}

TEST(TextContent, SkipsCodeAndCommentsAndTurnsBrIntoNewline) {
  auto doc = Document::parse(
      "<head><style>p{}</style><script>var x;</script></head><body>"
      "<p>Dòng 1<br>Dòng&nbsp;2</p><!-- bình luận --><noscript>bật script</noscript>"
      "<template><p>mẫu</p></template><p>  nhiều   khoảng  </p><![CDATA[ignored in html]]>"
      "</body>");
  EXPECT_EQ(text_content(doc->root()),
            "Dòng 1\nDòng\u00a02  nhiều   khoảng  ");
}

TEST(TextContent, WalksTreesDeeperThanAnyStack) {
  testing::DeepTree tree(100000, GUMBO_TAG_DIV, "tận cùng");
  EXPECT_EQ(text_content(tree.root()), "tận cùng");
  size_t visited = 0;
  walk(tree.root(), [&](GumboNode*) {
    ++visited;
    return true;
  });
  EXPECT_EQ(visited, 100001u);
  EXPECT_TRUE(contains(tree.root(), tree.innermost()));
  EXPECT_FALSE(contains(tree.innermost(), tree.root()));
}

TEST(RemoveNode, DetachesAndRenumbersSiblings) {
  auto doc = Document::parse("<ul id=l><li id=a>a</li><li id=b>b</li><li id=c>c</li></ul>");
  GumboNode* list = element_by_id(*doc, "l");
  GumboNode* b = element_by_id(*doc, "b");
  GumboNode* c = element_by_id(*doc, "c");
  remove_node(b);
  EXPECT_EQ(b->parent, nullptr);
  EXPECT_EQ(text_content(list), "ac");
  ASSERT_EQ(list->v.element.children.length, 2u);
  EXPECT_EQ(list->v.element.children.data[c->index_within_parent], c);
  EXPECT_FALSE(contains(list, b));
  // The removed node stays readable until the Document goes.
  EXPECT_EQ(text_content(b), "b");
  remove_node(b);  // already detached: no-op
  remove_node(nullptr);
  EXPECT_EQ(text_content(list), "ac");
}

TEST(RemoveNode, RemovingNestedNodesInAnyOrderIsSafe) {
  auto doc = Document::parse(
      "<div class=x id=outer>1<div class=x id=inner>2<span class=x>3</span></div></div><p>4</p>");
  std::vector<GumboNode*> marked;
  for (GumboNode* node : all_elements(doc->root())) {
    if (has_class(node, "x")) marked.push_back(node);
  }
  ASSERT_EQ(marked.size(), 3u);
  for (GumboNode* node : marked) remove_node(node);  // outer first: the rest are inside it
  EXPECT_EQ(text_content(doc->body()), "4");
  EXPECT_EQ(text_content(marked[0]), "1");  // inner was detached from outer too
}

std::string base_of(const std::string& html, const std::string& page_url) {
  return document_base_url(*Document::parse(html), page_url);
}

TEST(DocumentBaseUrl, TheFirstBaseWithAnHrefInTreeOrder) {
  const std::string page = "https://s.vn/a/b.aspx";
  EXPECT_EQ(base_of("<p>no base</p>", page), page);
  EXPECT_EQ(base_of("<head><base href='/x/'><base href='/y/'></head>", page), "https://s.vn/x/");
  // A <base> without href (a target only) is passed over; one in the body counts as well.
  EXPECT_EQ(base_of("<head><base target=_blank></head><body><a href=q>q</a><base href='/z/'>",
                    page),
            "https://s.vn/z/");
  EXPECT_EQ(base_of("<base href='https://cdn.vn/img/'>", page), "https://cdn.vn/img/");
  EXPECT_EQ(base_of("<base href='//cdn.vn/'>", page), "https://cdn.vn/");
  EXPECT_EQ(base_of("<base href='c/'>", page), "https://s.vn/a/c/");
  // The URL standard strips C0 controls and spaces around the href.
  EXPECT_EQ(base_of("<base href=' \n/x/\t'>", page), "https://s.vn/x/");
}

TEST(DocumentBaseUrl, AnHrefThatDoesNotResolveLeavesThePageUrl) {
  const std::string page = "https://s.vn/a/b.aspx";
  // Only the first <base href> is read: when it fails, the page URL stands, not the second.
  EXPECT_EQ(base_of("<base href='javascript:void(0)'><base href='/y/'>", page), page);
  EXPECT_EQ(base_of("<base href='data:text/html,x'>", page), page);
  EXPECT_EQ(base_of("<base href='http://[::1'>", page), page);
}

TEST(DocumentBaseUrl, TemplateContentsAndSvgAreNotLookedIn) {
  const std::string page = "https://s.vn/a/b.aspx";
  EXPECT_EQ(base_of("<template><base href='/t/'></template><base href='/real/'>", page),
            "https://s.vn/real/");
  EXPECT_EQ(base_of("<svg><base href='/svg/'></base></svg>", page), page);
}

TEST(DocumentBaseUrl, WithoutAPageUrlOnlyAnAbsoluteHrefCounts) {
  EXPECT_EQ(base_of("<base href='https://s.vn/x/'>", ""), "https://s.vn/x/");
  EXPECT_EQ(base_of("<base href='/x/'>", ""), "");
  EXPECT_EQ(base_of("<p>none</p>", ""), "");
}

TEST(Contains, IsTrueForSelfAndAncestors) {
  auto doc = Document::parse("<div id=a><p id=b>x</p></div><div id=c></div>");
  GumboNode* a = element_by_id(*doc, "a");
  GumboNode* b = element_by_id(*doc, "b");
  GumboNode* c = element_by_id(*doc, "c");
  EXPECT_TRUE(contains(a, a));
  EXPECT_TRUE(contains(a, b));
  EXPECT_TRUE(contains(doc->root(), b));
  EXPECT_FALSE(contains(b, a));
  EXPECT_FALSE(contains(c, b));
  EXPECT_FALSE(contains(nullptr, b));
}

}  // namespace
}  // namespace provarc
