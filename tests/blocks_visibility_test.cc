// is_invisible() reads `hidden` and inline styles in place, from their colons (parsers/blocks.cc,
// style_holds): it is held to the former reading, which lowercased a copy of the style without its
// white space, over random styles and attribute spellings.
#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>

#include "html/dom.h"
#include "parsers/blocks.h"

namespace provarc {
namespace {

// The former rule: `hidden`, or a style that once compacted holds display:none or
// visibility:hidden.
bool reference_invisible(const GumboNode* node) {
  if (has_attr(node, "hidden")) return true;
  if (!has_attr(node, "style")) return false;
  std::string compact;
  for (char c : attr(node, "style")) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      compact += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return compact.find("display:none") != std::string::npos ||
         compact.find("visibility:hidden") != std::string::npos;
}

TEST(IsInvisible, ReadsStylesAsTheCompactedCopyDid) {
  static const std::vector<std::string> kPieces = {
      "display", "DISPLAY", "Display", ":", " : ", "none", "NONE", "No ne", "visibility", "hidden",
      "Hid\tden", ";", " ", "\n", "\xC2\xA0", "color:red", "displa", "y", "d", "n", "isplay:none",
      "&quot;", "'", "\"", "-", "x", "::", "e:", ":n", "visibility :hidden", "display: none"};
  std::mt19937 rng(3);
  std::uniform_int_distribution<size_t> length(0, 8), piece(0, kPieces.size() - 1);
  size_t invisible = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string style;
    for (size_t n = length(rng); n > 0; --n) style += kPieces[piece(rng)];
    std::string escaped;
    for (char c : style) escaped += c == '"' ? std::string("&quot;") : std::string(1, c);
    std::string name = round % 3 == 0 ? "STYLE" : "style";
    std::string extra = round % 7 == 0 ? " hidden" : (round % 11 == 0 ? " HIDDEN=x" : "");
    auto doc = Document::parse("<p id=a" + extra + " " + name + "=\"" + escaped + "\">t</p>");
    GumboNode* p = nullptr;
    walk(doc->root(), [&](GumboNode* node) {
      if (p == nullptr && is_element(node) && node->v.element.tag == GUMBO_TAG_P) p = node;
      return true;
    });
    ASSERT_NE(p, nullptr);
    bool expected = reference_invisible(p);
    ASSERT_EQ(internal::is_invisible(p), expected) << style;
    invisible += expected;
  }
  EXPECT_GT(invisible, 200u);  // both answers occur
  EXPECT_LT(invisible, 3800u);
}

TEST(IsInvisible, TagsAndPlainElements) {
  auto doc = Document::parse(
      "<div id=a style='Display : None'>x</div><div id=b style='display:block'>y</div>"
      "<script>z</script><span id=c hidden>w</span>");
  int invisible = 0, visible = 0;
  walk(doc->root(), [&](GumboNode* node) {
    if (!is_element(node)) return true;
    std::string id = attr(node, "id");
    if (id == "a" || id == "c" || node->v.element.tag == GUMBO_TAG_SCRIPT) {
      EXPECT_TRUE(internal::is_invisible(node)) << tag_name(node) << " " << id;
      ++invisible;
    } else if (id == "b") {
      EXPECT_FALSE(internal::is_invisible(node));
      ++visible;
    }
    return true;
  });
  EXPECT_EQ(invisible, 3);
  EXPECT_EQ(visible, 1);
}

}  // namespace
}  // namespace provarc
