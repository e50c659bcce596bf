// tests/selector_test.cc: the CSS selector parser (grammar, errors, limits) and matcher.

#include "html/selector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "html/dom.h"
#include "tests/support/deep_tree.h"

namespace provarc {
namespace {

Selector must_parse(std::string_view text) {
  auto selector = Selector::parse(text);
  EXPECT_TRUE(selector.ok()) << text << ": " << selector.error();
  if (!selector.ok()) return Selector::parse("*").value();
  return selector.value();
}

std::string parse_error(std::string_view text) {
  auto selector = Selector::parse(text);
  EXPECT_FALSE(selector.ok()) << "\"" << text << "\" should not parse";
  return selector.ok() ? "" : selector.error();
}

// The ids of the elements `selector` finds in `html`, in document order; elements without an
// id show as their tag name.
std::vector<std::string> ids(std::string_view selector, const std::string& html) {
  auto doc = Document::parse(html);
  std::vector<std::string> found;
  for (GumboNode* node : must_parse(selector).select_all(doc->root())) {
    std::string id = attr(node, "id");
    found.push_back(id.empty() ? tag_name(node) : id);
  }
  return found;
}

using Ids = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Grammar, one feature at a time

TEST(Selector, TypeAndUniversal) {
  const std::string page = "<div id=a><p id=b></p><span id=c></span></div>";
  EXPECT_EQ(ids("p", page), Ids({"b"}));
  EXPECT_EQ(ids("span", page), Ids({"c"}));
  EXPECT_EQ(ids("div *", page), Ids({"b", "c"}));
  EXPECT_EQ(ids("*", "<p id=x>").size(), 4u);  // html, head, body, p
  EXPECT_EQ(ids("my-widget", "<my-widget id=w></my-widget><other-widget id=o>"), Ids({"w"}));
}

TEST(Selector, IdAndClass) {
  const std::string page =
      "<div id=main class='news  detail'></div><div id=other class=news-detail></div>";
  EXPECT_EQ(ids("#main", page), Ids({"main"}));
  EXPECT_EQ(ids(".news", page), Ids({"main"}));
  EXPECT_EQ(ids(".news.detail", page), Ids({"main"}));
  EXPECT_EQ(ids("div.news-detail", page), Ids({"other"}));
  EXPECT_EQ(ids(".news.other", page), Ids({}));
  EXPECT_EQ(ids("#main.detail", page), Ids({"main"}));
  EXPECT_EQ(ids("#main#other", page), Ids({}));
}

TEST(Selector, AttributePresenceAndOperators) {
  const std::string page =
      "<a id=a1 href='/files/report.PDF' lang=vi-VN rel='nofollow noopener' data-x></a>"
      "<a id=a2 href='https://example.vn/tin-tuc' lang=vi rel=nofollow-ish></a>"
      "<a id=a3></a>";
  EXPECT_EQ(ids("[href]", page), Ids({"a1", "a2"}));
  EXPECT_EQ(ids("[data-x]", page), Ids({"a1"}));
  EXPECT_EQ(ids("[lang=vi]", page), Ids({"a2"}));
  EXPECT_EQ(ids("[rel~=nofollow]", page), Ids({"a1"}));
  EXPECT_EQ(ids("[rel~=noopener]", page), Ids({"a1"}));
  EXPECT_EQ(ids("[href^='https://']", page), Ids({"a2"}));
  EXPECT_EQ(ids("[href$='.PDF']", page), Ids({"a1"}));
  EXPECT_EQ(ids("[href*=tin]", page), Ids({"a2"}));
  EXPECT_EQ(ids("[lang|=vi]", page), Ids({"a1", "a2"}));
  EXPECT_EQ(ids("[lang|=VI]", page), Ids({}));
}

TEST(Selector, EmptyOrSpacedValuesMatchNothingWhereCssSaysSo) {
  const std::string page = "<p id=p class='a b' title=''></p>";
  EXPECT_EQ(ids("[title='']", page), Ids({"p"}));
  EXPECT_EQ(ids("[title^='']", page), Ids({}));
  EXPECT_EQ(ids("[class$='']", page), Ids({}));
  EXPECT_EQ(ids("[class*='']", page), Ids({}));
  EXPECT_EQ(ids("[class~='']", page), Ids({}));
  EXPECT_EQ(ids("[class~='a b']", page), Ids({}));
}

TEST(Selector, QuotedAndBareValues) {
  const std::string page =
      "<div id=d1 title='say \"hi\"'></div><div id=d2 title=\"it's\"></div>"
      "<div id=d3 title='a]b'></div><div id=d4 data-n=2></div>";
  EXPECT_EQ(ids("[title='say \"hi\"']", page), Ids({"d1"}));
  EXPECT_EQ(ids("[title=\"say \\\"hi\\\"\"]", page), Ids({"d1"}));
  EXPECT_EQ(ids("[title=\"it's\"]", page), Ids({"d2"}));
  EXPECT_EQ(ids("[title='a]b']", page), Ids({"d3"}));
  EXPECT_EQ(ids("[data-n=2]", page), Ids({"d4"}));
  EXPECT_EQ(ids("[title$=b]", page), Ids({"d3"}));
  EXPECT_EQ(ids("[ data-n = '2' ]", page), Ids({"d4"}));
}

TEST(Selector, EscapesInIdentifiersAndValues) {
  const std::string page =
      "<section id=s class='asa.portlet'></section><div id=123></div>"
      "<div id=d class='a:b'></div><p id=v title='Tin tức'></p>";
  EXPECT_EQ(ids(".asa\\.portlet", page), Ids({"s"}));
  EXPECT_EQ(ids("#\\31 23", page), Ids({"123"}));  // hex escape, the space ends it
  EXPECT_EQ(ids(".a\\:b", page), Ids({"d"}));
  EXPECT_EQ(ids("[title='Tin t\\1ee9 c']", page), Ids({"v"}));
  EXPECT_EQ(ids("[title=Tin\\ tức]", page), Ids({"v"}));
}

TEST(Selector, CaseInsensitiveValueFlag) {
  const std::string page = "<a id=a href='/Files/Report.PDF'></a><a id=b href='/x.pdf'></a>";
  EXPECT_EQ(ids("[href$='.pdf']", page), Ids({"b"}));
  EXPECT_EQ(ids("[href$='.pdf' i]", page), Ids({"a", "b"}));
  EXPECT_EQ(ids("[href$='.pdf'i]", page), Ids({"a", "b"}));
  EXPECT_EQ(ids("[href$=.pdf I]", page), Ids({"a", "b"}));
  EXPECT_EQ(ids("[href*=files i]", page), Ids({"a"}));
}

TEST(Selector, Not) {
  const std::string page =
      "<p id=a class=x></p><p id=b></p><div id=c class=x></div><p id=d title=t></p>";
  EXPECT_EQ(ids("p:not(.x)", page), Ids({"b", "d"}));
  EXPECT_EQ(ids("body > :not(p)", page), Ids({"c"}));
  EXPECT_EQ(ids("p:not(#b)", page), Ids({"a", "d"}));
  EXPECT_EQ(ids("p:not([title])", page), Ids({"a", "b"}));
  EXPECT_EQ(ids("body > :not(div.x)", page), Ids({"a", "b", "d"}));
  EXPECT_EQ(ids("p:not(.x):not(#d)", page), Ids({"b"}));
  EXPECT_EQ(ids("p:NOT( .x )", page), Ids({"b", "d"}));
}

TEST(Selector, FirstAndLastChildIgnoreTextAndComments) {
  const std::string page =
      "<ul id=l> text <!-- c --> <li id=i1></li> <li id=i2></li> <li id=i3></li> x </ul>"
      "<div id=only><span id=s></span></div>";
  EXPECT_EQ(ids("li:first-child", page), Ids({"i1"}));
  EXPECT_EQ(ids("li:last-child", page), Ids({"i3"}));
  EXPECT_EQ(ids("span:first-child:last-child", page), Ids({"s"}));
  EXPECT_EQ(ids("li:not(:first-child)", page), Ids({"i2", "i3"}));
}

TEST(Selector, Combinators) {
  const std::string page =
      "<div id=outer><div id=inner><p id=p1></p> text <!-- c --> <p id=p2></p>"
      "<span id=s1></span><p id=p3></p></div><p id=p4></p></div>";
  EXPECT_EQ(ids("#outer p", page), Ids({"p1", "p2", "p3", "p4"}));
  EXPECT_EQ(ids("#outer > p", page), Ids({"p4"}));
  EXPECT_EQ(ids("div > div > p", page), Ids({"p1", "p2", "p3"}));
  EXPECT_EQ(ids("#p1 + p", page), Ids({"p2"}));
  EXPECT_EQ(ids("#p1+p", page), Ids({"p2"}));
  EXPECT_EQ(ids("#p2 + p", page), Ids({}));  // the span comes between
  EXPECT_EQ(ids("#p1 ~ p", page), Ids({"p2", "p3"}));
  EXPECT_EQ(ids("#p1~*", page), Ids({"p2", "s1", "p3"}));
  EXPECT_EQ(ids("#inner + p", page), Ids({"p4"}));
  EXPECT_EQ(ids("body div p ~ span", page), Ids({"s1"}));
  EXPECT_EQ(ids("#outer\t>\n#inner  p", page), Ids({"p1", "p2", "p3"}));
}

// "a > b c" needs backtracking: the first <b> ancestor of <c> has no <a> parent, a higher one does.
TEST(Selector, DescendantCombinatorBacktracks) {
  const std::string page =
      "<section id=top><article id=art1><div><article id=art2><p id=x></p></article></div>"
      "</article></section>";
  EXPECT_EQ(ids("section > article p", page), Ids({"x"}));
  EXPECT_EQ(ids("section > article > p", page), Ids({}));
  EXPECT_EQ(ids("div > article > p", page), Ids({"x"}));
  EXPECT_EQ(ids("section > article ~ p", page), Ids({}));
}

TEST(Selector, ListsReturnEachElementOnceInDocumentOrder) {
  const std::string page = "<h1 id=a></h1><p id=b class=x></p><h2 id=c></h2>";
  EXPECT_EQ(ids("h2, h1", page), Ids({"a", "c"}));
  EXPECT_EQ(ids("p, .x, #b", page), Ids({"b"}));
  EXPECT_EQ(ids(" h1 ,h2 ", page), Ids({"a", "c"}));
}

TEST(Selector, CaseRules) {
  const std::string page = "<DIV ID=Main CLASS=Content data-Kind=News></DIV>";
  // Type and attribute names: case-insensitive.
  EXPECT_EQ(ids("DIV", page), Ids({"Main"}));
  EXPECT_EQ(ids("dIv[ID=Main]", page), Ids({"Main"}));
  EXPECT_EQ(ids("[DATA-KIND=News]", page), Ids({"Main"}));
  // Class and id: case-sensitive; so are attribute values without ` i`.
  EXPECT_EQ(ids("#main", page), Ids({}));
  EXPECT_EQ(ids("#Main", page), Ids({"Main"}));
  EXPECT_EQ(ids(".content", page), Ids({}));
  EXPECT_EQ(ids(".Content", page), Ids({"Main"}));
  EXPECT_EQ(ids("[data-kind=news]", page), Ids({}));
  EXPECT_EQ(ids("[data-kind=news i]", page), Ids({"Main"}));
  // Pseudo-class names: case-insensitive.
  EXPECT_EQ(ids("div:First-Child", page), Ids({"Main"}));
}

TEST(Selector, MatchesAndSelectFirst) {
  auto doc = Document::parse("<p id=a class=x></p><div><p id=b class=x></p></div>");
  Selector selector = must_parse("p.x");
  GumboNode* first = selector.select_first(doc->root());
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(attr(first, "id"), "a");
  EXPECT_TRUE(selector.matches(first));
  EXPECT_FALSE(selector.matches(doc->body()));
  EXPECT_FALSE(selector.matches(nullptr));
  EXPECT_EQ(must_parse("table").select_first(doc->root()), nullptr);
  // The subtree searched includes its root; ancestors above it still count for combinators.
  GumboNode* div = must_parse("div").select_first(doc->root());
  EXPECT_EQ(must_parse("body p").select_all(div).size(), 1u);
  EXPECT_EQ(must_parse("div").select_all(div).size(), 1u);
}

TEST(Selector, CopiesShareTheParsedSelector) {
  Selector original = must_parse("div > p.lead");
  Selector copy = original;
  Selector moved = std::move(original);
  EXPECT_EQ(copy.source(), "div > p.lead");
  EXPECT_EQ(moved.source(), "div > p.lead");
  auto doc = Document::parse("<div><p class=lead>x</p></div>");
  EXPECT_EQ(copy.select_all(doc->root()).size(), 1u);
  EXPECT_EQ(moved.select_all(doc->root()).size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// The selectors of docs/portals.md, on small pages shaped like the portals

TEST(PortalSelectors, SharePointRichHtmlField) {
  const std::string page =
      "<div id='s4-workspace'><div id='s4-bodyContainer'><div id='contentRow'>"
      "<div id='ctl00_PlaceHolderMain_ctl01_label' style='display:none'>Page Content</div>"
      "<div id='ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField' "
      "class='ms-rtestate-field' style='display:inline'><p>Ngày 06/4/2023</p></div>"
      "<div id='ctl00_PlaceHolderMain_ctl02__ControlWrapper_RichHtmlField'>no class</div>"
      "<span id='x__ControlWrapper_RichHtmlField' class='ms-rtestate-field'>span</span>"
      "</div></div></div>";
  EXPECT_EQ(ids("div[id$=\"__ControlWrapper_RichHtmlField\"].ms-rtestate-field", page),
            Ids({"ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField"}));
  EXPECT_EQ(ids("#s4-workspace #contentRow", page), Ids({"contentRow"}));
  EXPECT_EQ(ids("[style*=\"display:none\"]", page), Ids({"ctl00_PlaceHolderMain_ctl01_label"}));
}

TEST(PortalSelectors, WebSphereAndLiferay) {
  const std::string page =
      "<table><tr><td class='wpsPortletBorderTitle'>Tin tức</td>"
      "<td id=icons class='wpsPortletIcons'><a href='#skip'>Skip portlet</a></td></tr></table>"
      "<div id=p1 class='portlet-boundary portlet-boundary_101_'>"
      "<section id=sec class='portlet asa.portlet'>"
      "<header id=top1 class='portlet-topper'><h1>Tin tức - Sự kiện</h1></header>"
      "<div class='portlet-content'><header id=top2 class='portlet-topper'></header></div>"
      "</section></div>"
      "<section class=portlet><header id=top3 class=portlet-topper></header></section>";
  EXPECT_EQ(ids("td.wpsPortletIcons", page), Ids({"icons"}));
  EXPECT_EQ(ids(".asa\\.portlet", page), Ids({"sec"}));
  EXPECT_EQ(ids("div.portlet-boundary > section.portlet .portlet-topper", page),
            Ids({"top1", "top2"}));
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(SelectorErrors, NameTheSelectorTheColumnAndWhatWasExpected) {
  EXPECT_EQ(parse_error(""), "selector \"\": at column 1: expected a selector");
  EXPECT_EQ(parse_error("   "), "selector \"   \": at column 4: expected a selector");
  EXPECT_EQ(parse_error("div[id"),
            "selector \"div[id\": at column 7: expected ']' to close the attribute selector "
            "opened at column 4");
  EXPECT_EQ(parse_error("div[id=\"x\""),
            "selector \"div[id=\"x\"\": at column 11: expected ']' to close the attribute "
            "selector opened at column 4");
  EXPECT_EQ(parse_error("div >"), "selector \"div >\": at column 6: expected a selector after '>'");
  EXPECT_EQ(parse_error("div ~ , p"),
            "selector \"div ~ , p\": at column 7: expected a selector after '~'");
  EXPECT_EQ(parse_error("a:hover"),
            "selector \"a:hover\": at column 2: unknown pseudo-class ':hover'; expected :not(), "
            ":first-child or :last-child");
  EXPECT_EQ(parse_error("li:nth-child(2)"),
            "selector \"li:nth-child(2)\": at column 3: unknown pseudo-class ':nth-child()'; "
            "expected :not(), :first-child or :last-child");
  EXPECT_EQ(parse_error("p,"), "selector \"p,\": at column 3: expected a selector after ','");
}

TEST(SelectorErrors, CountColumnsInCharacters) {
  // "ư" and "ứ" take two and three bytes; the '$' is the 5th character and the 8th byte.
  EXPECT_EQ(parse_error("[lưứ$x]"),
            "selector \"[lưứ$x]\": at column 5: unexpected '$'; expected ']' or an operator "
            "(=, ~=, ^=, $=, *=, |=)");
}

TEST(SelectorErrors, RejectMalformedSelectors) {
  const std::vector<std::string> bad = {
      ">",        "> p",       "p >> a",      "a,,b",        ",a",          "div.",
      "#",        "[",         "[]",          "[=x]",        "[a=]",        "[a='x]",
      "[a==b]",   "[a=b c]",   "[a=b i x]",   "a:",          "a::before",   ":not(",
      ":not(p",   ":not(a b)", ":not(:not(a))", "p)",        "div*",        ".a div#",
      "[a]div",   "a\\",       "p!",          "a | b",       "ns|div",      "::after",
  };
  for (const std::string& text : bad) {
    auto selector = Selector::parse(text);
    EXPECT_FALSE(selector.ok()) << "\"" << text << "\" should not parse";
    if (!selector.ok()) {
      EXPECT_EQ(selector.error().rfind("selector \"" + text + "\": at column ", 0), 0u)
          << selector.error();
    }
  }
}

TEST(SelectorErrors, BoundLengthAndComplexity) {
  std::string long_text(4097, 'a');
  std::string error = parse_error(long_text);
  EXPECT_NE(error.find("longer than 4096 bytes"), std::string::npos) << error;
  EXPECT_LT(error.size(), 200u);

  std::string deep = "div";
  for (int i = 1; i < 64; ++i) deep += " div";
  EXPECT_TRUE(Selector::parse(deep).ok());  // 64 compounds: the limit
  error = parse_error(deep + " div");
  EXPECT_NE(error.find("more than 64 compound selectors"), std::string::npos) << error;

  std::string list = "a";
  for (int i = 1; i < 65; ++i) list += ",a";
  EXPECT_FALSE(Selector::parse(list).ok());
}

// ---------------------------------------------------------------------------------------------
// Deep trees: 100 000 nested elements, built by hand (Document caps nesting at 512).

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(SelectorDeep, SelectAllIsIterativeAndLinear) {
  const size_t kDepth = 100000;
  testing::DeepTree tree(kDepth, GUMBO_TAG_DIV, "x");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(must_parse("div").select_all(tree.root()).size(), kDepth);
  EXPECT_EQ(must_parse("div div").select_all(tree.root()).size(), kDepth - 1);
  EXPECT_EQ(must_parse("#top > div").select_all(tree.root()).size(), 1u);
  EXPECT_EQ(must_parse("#top .level").select_all(tree.root()).size(), kDepth - 1);
  EXPECT_EQ(must_parse("div:first-child:last-child").select_all(tree.root()).size(), kDepth);
  // No ancestor matches: a naive matcher walks 100 000 ancestors for each of 100 000 elements.
  EXPECT_TRUE(must_parse("#absent div").select_all(tree.root()).empty());
  EXPECT_TRUE(must_parse("p div, span .level div").select_all(tree.root()).empty());
  EXPECT_TRUE(must_parse("#absent ~ div").select_all(tree.root()).empty());
  EXPECT_EQ(must_parse("div").select_first(tree.root()), tree.root());
  EXPECT_EQ(must_parse("div:not(.level), .level .level .level").select_first(tree.root()),
            static_cast<GumboNode*>(
                static_cast<GumboNode*>(tree.root()->v.element.children.data[0])
                    ->v.element.children.data[0]));
  EXPECT_LT(seconds_since(start), 10.0);
}

TEST(SelectorDeep, MatchesAtTheBottomOfADeepTree) {
  testing::DeepTree tree(100000, GUMBO_TAG_SPAN, "x");
  EXPECT_TRUE(must_parse("#top span").matches(tree.innermost()));
  EXPECT_TRUE(must_parse("#top > span ~ span, #top span").matches(tree.innermost()));
  EXPECT_FALSE(must_parse("#absent span").matches(tree.innermost()));
  EXPECT_FALSE(must_parse("div span").matches(tree.innermost()));
}

}  // namespace
}  // namespace provarc
