// SelectorSet: the compiled set that tests every element against many selectors at once must
// answer exactly what the selectors answer one by one, on real pages and on edge cases (ids,
// classes, attribute keys in any case, unknown tags, :not, combinators), and stay linear on deep
// trees.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "html/dom.h"
#include "html/selector.h"
#include "tests/support/deep_tree.h"
#include "tests/support/fixtures.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

Selector must_parse(const std::string& text) {
  auto selector = Selector::parse(text);
  EXPECT_TRUE(selector.ok()) << selector.error();
  return selector.ok() ? *selector : *Selector::parse("never-matches-anything");
}

std::vector<Selector> parse_all(const std::vector<std::string>& texts) {
  std::vector<Selector> selectors;
  for (const std::string& text : texts) selectors.push_back(must_parse(text));
  return selectors;
}

// Every element of the tree under `root`, in document order.
std::vector<GumboNode*> elements_of(GumboNode* root) {
  std::vector<GumboNode*> elements;
  walk(root, [&](GumboNode* node) {
    if (is_element(node)) elements.push_back(node);
    return true;
  });
  return elements;
}

// Checks that one Matcher, walked over every element in document order, gives for each exactly
// the selectors that match it one by one. Returns how many (element, selector) matches it saw.
size_t expect_same_answers(const std::vector<Selector>& selectors, GumboNode* root,
                           const std::string& where) {
  SelectorSet set;
  set.add_all(selectors);
  EXPECT_EQ(set.size(), selectors.size());
  SelectorSet::Matcher matcher(set);
  std::vector<size_t> matched;
  size_t matches = 0;
  for (GumboNode* node : elements_of(root)) {
    std::vector<size_t> expected;
    for (size_t i = 0; i < selectors.size(); ++i) {
      if (selectors[i].matches(node)) expected.push_back(i);
    }
    matcher.match(node, &matched);
    EXPECT_EQ(matched, expected) << where << ": <" << tag_name(node) << " id=\""
                                 << attr(node, "id") << "\" class=\"" << attr(node, "class")
                                 << "\">";
    EXPECT_EQ(matcher.matches_any(node), !expected.empty()) << where;
    matches += expected.size();
  }
  return matches;
}

// The selectors of every shipped preset and site, and of the test-only province.
std::vector<Selector> all_rule_selectors() {
  std::vector<Selector> all;
  for (const char* site : {"", "bac-kan", "nghe-an", "dong-thap", "tra-vinh", "hau-giang"}) {
    ExtractRules rules = testing::rules_for(site);
    for (const auto* list : {&rules.remove, &rules.body, &rules.title, &rules.date, &rules.updated,
                             &rules.author, &rules.captions, &rules.lead}) {
      all.insert(all.end(), list->begin(), list->end());
    }
  }
  return all;
}

TEST(SelectorSet, AgreesWithEachSelectorOnEveryFixturePage) {
  std::vector<Selector> selectors = all_rule_selectors();
  ASSERT_GT(selectors.size(), 50u);
  size_t matches = 0;
  for (const testing::FixturePage& page : testing::all_fixture_pages()) {
    auto doc = Document::parse(testing::read_file(page.path));
    matches += expect_same_answers(selectors, doc->root(), page.folder + "/" + page.file);
  }
  EXPECT_GT(matches, 1000u);  // the comparison is not vacuous
}

TEST(SelectorSet, AgreesOnEdgeCases) {
  const std::string html =
      "<html><head><title>t</title></head><body>"
      "<div id=main class='a  b\tc'><p class=a>1</p><p class='A'>2</p><span class='a a'>3</span>"
      "<my-tag data-x=1>4</my-tag><MY-TAG>5</MY-TAG><p id=main>6</p>"
      "<svg viewBox='0 0 1 1'><rect class=r /></svg>"
      "<ul><li>x</li><li class=b hidden>y</li><li style='DISPLAY: none'>z</li></ul>"
      "<div id=TurnOn1></div><div id=turnon2></div><input type=hidden name=q></div>"
      "<template><p class=a>in template</p></template>"
      "</body></html>";
  std::vector<Selector> selectors = parse_all({
      "#main", ".a", ".A", ".b.c", "p.a", "span.a", "my-tag", "[data-x]", "[data-x='1']",
      "[viewbox]", "[VIEWBOX^='0 ']", "svg rect.r", "li:first-child", "li:last-child",
      "li:not(.b)", "ul > li + li", "li ~ li[hidden]", "[style*='display: none' i]",
      "[id^=TurnOn]", "[id^=turnon i]", "*", "div *", "p:not(#main):not(.a)", "input[type=hidden]",
      "#main > p, #main span", "body p.a", ".a, .a", "#absent p", "div#main.b[class~=c]",
  });
  auto doc = Document::parse(html);
  EXPECT_GT(expect_same_answers(selectors, doc->root(), "edge cases"), 40u);
}

TEST(SelectorSet, NumbersSelectorsInTheOrderAdded) {
  auto doc = Document::parse("<div class=x id=y><p>t</p></div>");
  GumboNode* div = elements_of(doc->root())[3];  // html, head, body, div
  ASSERT_EQ(tag_name(div), "div");
  SelectorSet set;
  set.add(must_parse("p"));
  set.add(must_parse("#y"));
  set.add(must_parse("span, .x"));
  set.add(must_parse("div.x"));
  SelectorSet::Matcher matcher(set);
  std::vector<size_t> matched = {42};
  matcher.match(div, &matched);
  EXPECT_EQ(matched, (std::vector<size_t>{1, 2, 3}));
  GumboNode* text = static_cast<GumboNode*>(elements_of(div)[1]->v.element.children.data[0]);
  matcher.match(text, &matched);  // not an element
  EXPECT_TRUE(matched.empty());
  SelectorSet empty;
  SelectorSet::Matcher nothing(empty);
  EXPECT_FALSE(nothing.matches_any(div));
}

// A whole walk with one Matcher stays linear on 100 000 nested elements, even for rules whose
// left part matches no ancestor (a matcher without memory would walk 100 000 ancestors each time).
TEST(SelectorSet, WalkOverADeepTreeIsLinear) {
  const size_t kDepth = 100000;
  testing::DeepTree tree(kDepth, GUMBO_TAG_DIV, "x");
  SelectorSet set;
  set.add_all(parse_all({"#absent div", "p .level", "#top > div", "#absent ~ div", ".level .level"}));
  SelectorSet::Matcher matcher(set);
  auto start = std::chrono::steady_clock::now();
  std::vector<size_t> matched;
  size_t child_of_top = 0, nested = 0;
  GumboNode* node = tree.root();
  while (node != nullptr && is_element(node)) {
    matcher.match(node, &matched);
    for (size_t selector : matched) {
      if (selector == 2) ++child_of_top;
      if (selector == 4) ++nested;
      EXPECT_TRUE(selector == 2 || selector == 4);
    }
    node = static_cast<GumboNode*>(node->v.element.children.data[0]);
  }
  EXPECT_EQ(child_of_top, 1u);
  EXPECT_EQ(nested, kDepth - 1);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
}

}  // namespace
}  // namespace provarc
