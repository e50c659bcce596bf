// web/html.h: the one place where text becomes markup; and how the pages write dates and sizes.
#include "web/html.h"

#include <gtest/gtest.h>

#include "web/pages.h"

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

TEST(FormatTest, DatesTimesSizesAndDurationsReadAsInVietnam) {
  EXPECT_EQ(format_article_date("2023-04-12"), "12/04/2023");
  EXPECT_EQ(format_article_date("2018-07-03T18:29:27+07:00"), "03/07/2018 18:29");
  EXPECT_EQ(format_article_date("tháng 4"), "tháng 4");
  EXPECT_EQ(format_article_date("2023-13-01"), "2023-13-01");
  // Archive times are UTC; Vietnam is UTC+7 (the day turns over at 17:00 UTC).
  EXPECT_EQ(format_archive_time("2026-11-22T01:35:42.330Z"), "22/11/2026 08:35");
  EXPECT_EQ(format_archive_time("2026-12-31T17:00:00.000Z"), "01/01/2027 00:00");
  EXPECT_EQ(format_archive_time("không phải giờ"), "không phải giờ");
  EXPECT_EQ(format_bytes(12), "12 B");
  EXPECT_EQ(format_bytes(1536), "1,5 KB");
  EXPECT_EQ(format_bytes(3 * 1048576), "3,0 MB");
  EXPECT_EQ(format_duration(6600), "6,6 giây");
  EXPECT_EQ(format_duration(65000), "1 phút 5 giây");
  EXPECT_EQ(format_duration(3 * 3600000 + 120000), "3 giờ 2 phút");
}

}  // namespace
}  // namespace provarc::web
