// unified_diff and word_diff: the text diffs `provarc history` prints and the web reader marks.
#include "archive/text_diff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
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

// The two texts a word diff's pieces put back together.
std::pair<std::string, std::string> sides(const std::vector<DiffPiece>& pieces) {
  std::string before, after;
  for (const DiffPiece& p : pieces) {
    if (p.op != DiffOp::kInsert) before += p.text;
    if (p.op != DiffOp::kDelete) after += p.text;
  }
  return {before, after};
}

TEST(WordDiffTest, EqualTextsAreOneEqualPiece) {
  EXPECT_EQ(word_diff("Một hai", "Một hai"), (std::vector<DiffPiece>{{DiffOp::kEqual, "Một hai"}}));
  EXPECT_TRUE(word_diff("", "").empty());
}

TEST(WordDiffTest, AnAddedSentenceIsOneInsertion) {
  const std::string before = "Sáng nay, Sở tổ chức hội nghị.\n\nĐoạn hai giữ nguyên.";
  const std::string after =
      "Sáng nay, Sở tổ chức hội nghị. Câu này được thêm vào.\n\nĐoạn hai giữ nguyên.";
  EXPECT_EQ(word_diff(before, after),
            (std::vector<DiffPiece>{{DiffOp::kEqual, "Sáng nay, Sở tổ chức hội nghị."},
                                    {DiffOp::kInsert, " Câu này được thêm vào."},
                                    {DiffOp::kEqual, "\n\nĐoạn hai giữ nguyên."}}));
}

TEST(WordDiffTest, AReplacedWordIsADeletionThenAnInsertion) {
  EXPECT_EQ(word_diff("ngày 12/4/2023 tại Hà Nội", "ngày 13/4/2023 tại Hà Nội"),
            (std::vector<DiffPiece>{{DiffOp::kEqual, "ngày "},
                                    {DiffOp::kDelete, "12/4/2023"},
                                    {DiffOp::kInsert, "13/4/2023"},
                                    {DiffOp::kEqual, " tại Hà Nội"}}));
}

TEST(WordDiffTest, ARemovedParagraphIsOneDeletion) {
  EXPECT_EQ(word_diff("Một.\n\nHai.\n\nBa.", "Một.\n\nBa."),
            (std::vector<DiffPiece>{{DiffOp::kEqual, "Một.\n\n"},
                                    {DiffOp::kDelete, "Hai.\n\n"},
                                    {DiffOp::kEqual, "Ba."}}));
}

TEST(WordDiffTest, PiecesAlwaysGiveBackBothTexts) {
  std::mt19937 random(15);
  const char* const words[] = {"một", "hai", "ba", "\n\n", " ", "đ", "Đồng", "Tháp"};
  for (int round = 0; round < 300; ++round) {
    std::string a, b;
    for (int i = random() % 40; i > 0; --i) a += words[random() % 8];
    for (int i = random() % 40; i > 0; --i) b += words[random() % 8];
    std::vector<DiffPiece> pieces = word_diff(a, b);
    EXPECT_EQ(sides(pieces), std::make_pair(a, b)) << a << " | " << b;
    for (size_t i = 1; i < pieces.size(); ++i) {
      EXPECT_NE(pieces[i].op, pieces[i - 1].op) << "adjacent pieces of one kind are merged";
      EXPECT_FALSE(pieces[i - 1].op == DiffOp::kInsert && pieces[i].op == DiffOp::kDelete)
          << "a deletion comes before the insertion that replaces it";
    }
  }
}

TEST(WordDiffTest, HugeRewritesAreBoundedInTime) {
  std::string a, b;
  for (int i = 0; i < 20000; ++i) {
    a += "cũ" + std::to_string(i) + " ";
    b += "mới" + std::to_string(i) + " ";
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<DiffPiece> pieces = word_diff(a, b);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(sides(pieces), std::make_pair(a, b));
}

TEST(WordDiffTest, OneChangeInALongTextIsFoundWordByWord) {
  std::string a;
  for (int i = 0; i < 5000; ++i) a += "Đoạn " + std::to_string(i) + " của bài viết.\n\n";
  std::string b = a;
  b.replace(b.find("Đoạn 2500 "), 10, "Đoạn hai nghìn rưỡi ");
  std::vector<DiffPiece> pieces = word_diff(a, b);
  ASSERT_EQ(pieces.size(), 4u);  // equal, deleted, inserted, equal
  EXPECT_EQ(pieces[1].op, DiffOp::kDelete);
  EXPECT_EQ(pieces[1].text.rfind("2500", 0), 0u);
  EXPECT_EQ(pieces[2].op, DiffOp::kInsert);
  EXPECT_EQ(pieces[2].text.rfind("hai nghìn rưỡi", 0), 0u);
  EXPECT_EQ(sides(pieces), std::make_pair(a, b));
}

}  // namespace
}  // namespace provarc
