// web/html.h: the one place where text becomes markup.
#include "web/html.h"

#include <gtest/gtest.h>

namespace provarc::web {
namespace {

TEST(HtmlTest, EscapesEveryCharacterThatEndsTextOrAQuotedAttribute) {
  EXPECT_EQ(escape_html("<img src=x onerror=\"alert('1')\"> & đ"),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; đ");
  EXPECT_EQ(escape_html(""), "");
}

TEST(HtmlTest, LiteralsAreMarkupAndStringsAreText) {
  const std::string title = "<script>alert(1)</script>";
  Html html;
  html << "<h1 title=\"" << title << "\">" << title << "</h1>" << int64_t{42} << 7;
  EXPECT_EQ(html.str(),
            "<h1 title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;script&gt;alert(1)&lt;/"
            "script&gt;</h1>427");
  Html outer;
  outer << "<div>" << html << std::string_view("<b>") << "</div>";
  EXPECT_EQ(outer.str(), "<div>" + html.str() + "&lt;b&gt;</div>");
}

TEST(HtmlTest, PercentEncodingLeavesOnlyUnreservedBytes) {
  EXPECT_EQ(percent_encode("đồng tháp&x=1\"/#"), "%C4%91%E1%BB%93ng%20th%C3%A1p%26x%3D1%22%2F%23");
  EXPECT_EQ(percent_encode("a-b.c_d~9"), "a-b.c_d~9");
}

}  // namespace
}  // namespace provarc::web
