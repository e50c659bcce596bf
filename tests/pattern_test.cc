// Tests of html/pattern.h: ICU regular expressions over UTF-8 with byte offsets and time limits.
#include "html/pattern.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace provarc {
namespace {

Pattern compiled(const std::string& source) {
  Result<Pattern> p = Pattern::compile(source);
  EXPECT_TRUE(p.ok()) << p.error();
  return p.ok() ? p.value() : Pattern::compile("x").value();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(Pattern, CompileErrorNamesPatternIcuErrorAndOffset) {
  Result<Pattern> p = Pattern::compile("Cập nhật lúc: (\\d+");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(
      p.error().rfind("regex \"Cập nhật lúc: (\\d+\": U_REGEX_MISMATCHED_PAREN at offset ", 0), 0u)
      << p.error();

  Result<Pattern> q = Pattern::compile("ab[");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().rfind("regex \"ab[\": U_REGEX_", 0), 0u) << q.error();
  EXPECT_NE(q.error().find(" at offset "), std::string::npos) << q.error();

  Result<Pattern> r = Pattern::compile("a{2,1}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("U_REGEX_"), std::string::npos) << r.error();
}

TEST(Pattern, OffsetInErrorCountsBytesOfTheSource) {
  // "ậ" is 3 bytes in UTF-8 but 1 UTF-16 unit; the error is at the '*' after it.
  Result<Pattern> p = Pattern::compile("ậ{*");
  Result<Pattern> ascii = Pattern::compile("a{*");
  ASSERT_FALSE(p.ok());
  ASSERT_FALSE(ascii.ok());
  size_t at = p.error().rfind(' ');
  size_t ascii_at = ascii.error().rfind(' ');
  EXPECT_EQ(std::stoul(p.error().substr(at + 1)),
            std::stoul(ascii.error().substr(ascii_at + 1)) + 2);
}

TEST(Pattern, SearchGivesByteOffsetsAndGroups) {
  Pattern p = compiled("Cập nhật lúc:\\s*(\\d{1,2})/(\\d{1,2})/(\\d{4})");
  std::string text = "( \u00A0Cập nhật lúc: 12/04/2023 \u00A0)";
  std::optional<Pattern::Match> m = p.search(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->begin, text.find("Cập"));
  EXPECT_EQ(m->end, text.find(" \u00A0)"));
  ASSERT_EQ(m->groups.size(), 4u);
  EXPECT_EQ(m->groups[0], "Cập nhật lúc: 12/04/2023");
  EXPECT_EQ(m->groups[1], "12");
  EXPECT_EQ(m->groups[2], "04");
  EXPECT_EQ(m->groups[3], "2023");
  EXPECT_EQ(text.substr(m->begin, m->end - m->begin), m->groups[0]);
}

TEST(Pattern, UnicodeAwareClasses) {
  // \w and \s know Vietnamese letters and NBSP; '.' is one code point, not one byte.
  Pattern word = compiled("^(\\w+)\\s(\\w+)$");
  std::optional<Pattern::Match> m = word.search("Truyền\u00A0thông");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->groups[1], "Truyền");
  EXPECT_EQ(m->groups[2], "thông");
  EXPECT_TRUE(compiled("^S.$").full_match("Sở"));
}

TEST(Pattern, AbsentGroupIsEmpty) {
  Pattern p = compiled("(a)|(b)");
  std::optional<Pattern::Match> m = p.search("xb");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->begin, 1u);
  EXPECT_EQ(m->end, 2u);
  EXPECT_EQ(m->groups, (std::vector<std::string>{"b", "", "b"}));
}

TEST(Pattern, NoMatch) {
  EXPECT_FALSE(compiled("\\d{4}").search("quý I/ II"));
  EXPECT_FALSE(compiled("x").search(""));
}

TEST(Pattern, CaseSensitiveUnlessFlagged) {
  EXPECT_FALSE(compiled("cập nhật").search("CẬP NHẬT LÚC"));
  std::optional<Pattern::Match> m = compiled("(?i)cập nhật").search("-- CẬP NHẬT LÚC");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->begin, 3u);
  EXPECT_EQ(m->groups[0], "CẬP NHẬT");
}

TEST(Pattern, FullMatch) {
  Pattern pager = compiled("[\\d\\u00a0 .…]+");
  EXPECT_TRUE(pager.full_match("1\u00A02\u00A03\u00A04\u00A05\u00A0\u00A0...\u00A0\u00A0"));
  EXPECT_FALSE(pager.full_match("1 2 3 Tin khác"));
  EXPECT_FALSE(compiled("abc").full_match("abcd"));
  EXPECT_TRUE(compiled("a*").full_match(""));
}

TEST(Pattern, ReplaceAll) {
  Pattern date_suffix = compiled("\\s*\\((\\d{2}/\\d{2}/\\d{4}) \\d{1,2}:\\d{2} [AP]M\\)$");
  EXPECT_EQ(date_suffix.replace_all("Giao ban Cụm 2 năm 2018 (03/12/2018 10:10 AM)", ""),
            "Giao ban Cụm 2 năm 2018");
  EXPECT_EQ(date_suffix.replace_all("Giao ban (03/12/2018 10:10 AM)", "[$1]"),
            "Giao ban[03/12/2018]");
  EXPECT_EQ(compiled("\\s+").replace_all("a  b\u00A0\u00A0c", " "), "a b c");
  EXPECT_EQ(compiled("z").replace_all("Sở", "y"), "Sở");
}

TEST(Pattern, ReplaceAllWithBadGroupLeavesTextUnchanged) {
  EXPECT_EQ(compiled("(a)").replace_all("banana", "$5"), "banana");
}

TEST(Pattern, CatastrophicBacktrackingGivesUpQuickly) {
  Pattern evil = compiled("^(a+)+$");
  std::string text = std::string(40, 'a') + "b";
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(evil.search(text));
  EXPECT_FALSE(evil.full_match(text));
  EXPECT_EQ(evil.replace_all(text, "x"), text);
  EXPECT_LT(seconds_since(start), 10.0);
}

TEST(Pattern, MatchesTellsGivingUpApartFromNoMatch) {
  Pattern evil = compiled("^(a+)+$");
  EXPECT_EQ(evil.matches(std::string(40, 'a') + "b"), Pattern::Found::kGaveUp);
  EXPECT_EQ(evil.matches("aaaa"), Pattern::Found::kYes);
  EXPECT_EQ(evil.matches("b"), Pattern::Found::kNo);
  EXPECT_EQ(compiled("/lich/").matches("http://a.vn/lich/1"), Pattern::Found::kYes);
}

TEST(Pattern, LongLegitimateSearchIsNotCutShort) {
  // The time limit must not stop an ordinary search through a large page (2 MB of text; the limit
  // counts engine steps, so this does not depend on the machine's speed).
  std::string page;
  while (page.size() < 2u * 1024 * 1024)
    page += "Trong 6 tháng đầu năm, Sở đã ban hành 75 quyết định. ";
  page += "Cập nhật lúc: 12/04/2023";
  Pattern p = compiled("(?i)cập\\s+nhật\\s+lúc:\\s*(\\d{1,2}/\\d{1,2}/\\d{4})");
  std::optional<Pattern::Match> m = p.search(page);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->groups[1], "12/04/2023");
  EXPECT_EQ(m->end, page.size());
  Pattern lazy = compiled("^.*?(\\d{2}/\\d{2}/\\d{4})");
  std::optional<Pattern::Match> n = lazy.search(page);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->groups[1], "12/04/2023");
}

TEST(Pattern, InvalidUtf8TextDoesNotCrash) {
  std::string text =
      "a\xFF\xFE"
      "b\xE1\xBB"
      "12/04/2023\xC0";
  std::optional<Pattern::Match> m = compiled("\\d+/\\d+/\\d+").search(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->groups[0], "12/04/2023");
  EXPECT_EQ(m->begin, text.find("12/"));
}

TEST(Pattern, CopiesShareTheCompiledPatternAndOutliveTheOriginal) {
  std::optional<Pattern> copy;
  {
    Pattern original = compiled("(\\d+)");
    copy = original;
    Pattern moved = std::move(original);
    EXPECT_EQ(moved.source(), "(\\d+)");
  }
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->source(), "(\\d+)");
  EXPECT_EQ(copy->search("số 1907")->groups[1], "1907");
}

TEST(Pattern, ConcurrentSearchesOnOnePattern) {
  const Pattern p = compiled("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
  std::vector<std::thread> threads;
  std::vector<int> correct(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::string text =
            "Ngày " + std::to_string(1 + (t + i) % 28) + "/4/" + std::to_string(2000 + t);
        std::optional<Pattern::Match> m = p.search(text);
        if (m && m->groups[1] == std::to_string(1 + (t + i) % 28) &&
            m->groups[3] == std::to_string(2000 + t) &&
            m->begin == text.find('/') - m->groups[1].size()) {
          ++correct[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(correct[t], 500) << "thread " << t;
}

}  // namespace
}  // namespace provarc
