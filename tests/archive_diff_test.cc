// unified_diff: the text diffs `provarc history` prints.
#include "archive/text_diff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace provarc {
namespace {

std::string numbered_lines(int from, int to, const std::string& prefix = "dòng ") {
  std::string text;
  for (int i = from; i <= to; ++i) text += prefix + std::to_string(i) + "\n";
  return text;
}

void replace_line(std::string& text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
}

TEST(TextDiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(unified_diff("a\nb", "a\nb", "v1", "v2"), "");
  EXPECT_EQ(unified_diff("", "", "v1", "v2"), "");
  EXPECT_EQ(unified_diff("a\nb\n", "a\nb", "v1", "v2"), "");  // a final newline is no line
}

TEST(TextDiffTest, OneChangedLineWithContext) {
  std::string a = numbered_lines(1, 10);
  std::string b = a;
  replace_line(b, "dòng 5\n", "dòng năm\n");
  EXPECT_EQ(unified_diff(a, b, "version 1", "version 2"),
            "--- version 1\n+++ version 2\n"
            "@@ -2,7 +2,7 @@\n"
            " dòng 2\n dòng 3\n dòng 4\n-dòng 5\n+dòng năm\n dòng 6\n dòng 7\n dòng 8\n");
}

TEST(TextDiffTest, FromNothingEverythingIsAdded) {
  EXPECT_EQ(unified_diff("", "một\nhai", "/dev/null", "version 1"),
            "--- /dev/null\n+++ version 1\n@@ -0,0 +1,2 @@\n+một\n+hai\n");
  EXPECT_EQ(unified_diff("một", "", "version 1", "version 2"),
            "--- version 1\n+++ version 2\n@@ -1 +0,0 @@\n-một\n");
}

TEST(TextDiffTest, DistantChangesAreSeparateHunksAndNearOnesMerge) {
  std::string a = numbered_lines(1, 30);
  std::string far = a;
  replace_line(far, "dòng 2\n", "X\n");
  replace_line(far, "dòng 28\n", "Y\n");
  std::string diff = unified_diff(a, far, "a", "b");
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n dòng 1\n-dòng 2\n+X\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -25,6 +25,6 @@\n"), std::string::npos) << diff;

  std::string near = a;
  replace_line(near, "dòng 10\n", "X\n");
  replace_line(near, "dòng 16\n", "Y\n");  // 5 equal lines between: one hunk
  diff = unified_diff(a, near, "a", "b");
  EXPECT_EQ(diff.find("@@ -"), diff.rfind("@@ -")) << diff;  // a single hunk
  EXPECT_NE(diff.find("@@ -7,13 +7,13 @@\n"), std::string::npos) << diff;
}

TEST(TextDiffTest, InsertionsAndDeletionsAreMinimal) {
  std::string diff = unified_diff("a\nb\nc\nd", "a\nc\nd\ne", "1", "2", /*context=*/0);
  EXPECT_EQ(diff, "--- 1\n+++ 2\n@@ -2 +1,0 @@\n-b\n@@ -4,0 +4 @@\n+e\n");
}

TEST(TextDiffTest, HugeRewritesAreBoundedInTime) {
  // 20 000 lines against 20 000 different ones: no quadratic table, still a correct diff.
  std::string a = numbered_lines(1, 20000, "cũ ");
  std::string b = numbered_lines(1, 20000, "mới ");
  auto start = std::chrono::steady_clock::now();
  std::string diff = unified_diff(a, b, "a", "b");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(diff.rfind("--- a\n+++ b\n@@ -1,20000 +1,20000 @@\n-cũ 1\n", 0), 0u);
  EXPECT_NE(diff.find("\n-cũ 20000\n"), std::string::npos);
  EXPECT_NE(diff.find("\n+mới 1\n"), std::string::npos);
}

}  // namespace
}  // namespace provarc
