// Search folding (text/fold.h): every precomposed Vietnamese letter, upper and lower, each typed
// precomposed and decomposed (in both mark orders), đ/Đ, other scripts, and the word boundaries
// of the index.
#include "text/fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace provarc {
namespace {

// The 12 Vietnamese vowels with their six tones (none, grave, acute, hook above, tilde, dot
// below), written out, so that the test does not lean on ICU to make what ICU must fold.
struct VowelRow {
  const char* base;        // the plain letter the row folds to
  const char* vowel_mark;  // the combining mark that makes the vowel ("" for a, e, i, o, u, y)
  const char* lower[6];
  const char* upper[6];
};

const VowelRow kRows[] = {
    {"a", "", {"a", "à", "á", "ả", "ã", "ạ"}, {"A", "À", "Á", "Ả", "Ã", "Ạ"}},
    {"a", "\u0306", {"ă", "ằ", "ắ", "ẳ", "ẵ", "ặ"}, {"Ă", "Ằ", "Ắ", "Ẳ", "Ẵ", "Ặ"}},
    {"a", "\u0302", {"â", "ầ", "ấ", "ẩ", "ẫ", "ậ"}, {"Â", "Ầ", "Ấ", "Ẩ", "Ẫ", "Ậ"}},
    {"e", "", {"e", "è", "é", "ẻ", "ẽ", "ẹ"}, {"E", "È", "É", "Ẻ", "Ẽ", "Ẹ"}},
    {"e", "\u0302", {"ê", "ề", "ế", "ể", "ễ", "ệ"}, {"Ê", "Ề", "Ế", "Ể", "Ễ", "Ệ"}},
    {"i", "", {"i", "ì", "í", "ỉ", "ĩ", "ị"}, {"I", "Ì", "Í", "Ỉ", "Ĩ", "Ị"}},
    {"o", "", {"o", "ò", "ó", "ỏ", "õ", "ọ"}, {"O", "Ò", "Ó", "Ỏ", "Õ", "Ọ"}},
    {"o", "\u0302", {"ô", "ồ", "ố", "ổ", "ỗ", "ộ"}, {"Ô", "Ồ", "Ố", "Ổ", "Ỗ", "Ộ"}},
    {"o", "\u031B", {"ơ", "ờ", "ớ", "ở", "ỡ", "ợ"}, {"Ơ", "Ờ", "Ớ", "Ở", "Ỡ", "Ợ"}},
    {"u", "", {"u", "ù", "ú", "ủ", "ũ", "ụ"}, {"U", "Ù", "Ú", "Ủ", "Ũ", "Ụ"}},
    {"u", "\u031B", {"ư", "ừ", "ứ", "ử", "ữ", "ự"}, {"Ư", "Ừ", "Ứ", "Ử", "Ữ", "Ự"}},
    {"y", "", {"y", "ỳ", "ý", "ỷ", "ỹ", "ỵ"}, {"Y", "Ỳ", "Ý", "Ỷ", "Ỹ", "Ỵ"}},
};
// Combining grave, acute, hook above, tilde, dot below: the tones of columns 1..5.
const char* const kToneMarks[6] = {"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"};

// The number of code points in valid UTF-8.
size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string to_upper_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(c - ('a' <= c && c <= 'z' ? 32 : 0));
  return s;
}

// Every word of `text` as "fold@begin-end".
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  SearchWordReader reader(text);
  for (SearchWord w; reader.next(&w);) {
    out.push_back(std::string(w.folded) + "@" + std::to_string(w.begin) + "-" +
                  std::to_string(w.end));
  }
  return out;
}

TEST(TextFoldTest, EveryPrecomposedVietnameseLetterFoldsToItsPlainLetter) {
  int precomposed = 0;
  for (const VowelRow& row : kRows) {
    for (int tone = 0; tone < 6; ++tone) {
      for (const char* letter : {row.lower[tone], row.upper[tone]}) {
        const std::string s = letter;
        ASSERT_EQ(code_points(s), 1u) << s;
        precomposed += static_cast<unsigned char>(s[0]) >= 0x80;
        EXPECT_EQ(fold_for_search(s), row.base) << s;
        EXPECT_EQ(words(s), std::vector<std::string>{std::string(row.base) + "@0-" +
                                                     std::to_string(s.size())})
            << s;
      }
    }
  }
  for (const char* d : {"đ", "Đ"}) {
    EXPECT_EQ(fold_for_search(d), "d") << d;
    ++precomposed;
  }
  EXPECT_EQ(precomposed, 134) << "67 lower-case letters with marks, and their capitals";
  EXPECT_EQ(fold_for_search("D"), "d");
}

TEST(TextFoldTest, DecomposedLettersFoldLikePrecomposedOnesInEitherMarkOrder) {
  for (const VowelRow& row : kRows) {
    for (int tone = 0; tone < 6; ++tone) {
      for (const std::string& base : {std::string(row.base), to_upper_ascii(row.base)}) {
        // NFD order puts the dot below (ccc 220) before the circumflex and breve (230); the horn
        // (216) first. Typed input comes in any order: both fold alike.
        const std::string marks[2] = {std::string(row.vowel_mark) + kToneMarks[tone],
                                      std::string(kToneMarks[tone]) + row.vowel_mark};
        for (const std::string& m : marks) {
          const std::string decomposed = base + m;
          EXPECT_EQ(fold_for_search(decomposed), row.base) << decomposed;
          EXPECT_EQ(words("x " + decomposed + " y"),
                    (std::vector<std::string>{"x@0-1",
                                              std::string(row.base) + "@2-" +
                                                  std::to_string(2 + decomposed.size()),
                                              "y@" + std::to_string(3 + decomposed.size()) + "-" +
                                                  std::to_string(4 + decomposed.size())}))
              << decomposed;
        }
      }
    }
  }
}

TEST(TextFoldTest, PlaceNamesFoldTheSameWhateverTheirForm) {
  const std::string nfc = "Đồng Tháp";
  const std::string nfd = "\u0110o\u0302\u0300ng Tha\u0301p";
  const std::string caps = "ĐỒNG THÁP";
  for (const std::string& s : {nfc, nfd, caps}) EXPECT_EQ(fold_for_search(s), "dong thap") << s;
  EXPECT_EQ(fold_for_search("Sở Thông tin và Truyền thông tỉnh Bắc Kạn"),
            "so thong tin va truyen thong tinh bac kan");
  EXPECT_EQ(fold_for_search("Nghệ An, Trà Vinh, Hậu Giang, Quảng Ngãi, Thừa Thiên Huế"),
            "nghe an, tra vinh, hau giang, quang ngai, thua thien hue");
  EXPECT_EQ(words(nfd), (std::vector<std::string>{"dong@0-9", "thap@10-16"}));
}

TEST(TextFoldTest, OtherScriptsFoldCaseAndMarksAndKeepTheirLetters) {
  EXPECT_EQ(fold_for_search("Straße"), "strasse");                  // full case folding
  EXPECT_EQ(fold_for_search("İstanbul"), "istanbul");               // İ -> i + dot, dot removed
  EXPECT_EQ(fold_for_search("Crème brûlée, Ångström"), "creme brulee, angstrom");
  EXPECT_EQ(fold_for_search("МОСКВА Москва"), "москва москва");    // Cyrillic case
  EXPECT_EQ(fold_for_search("Ελληνικά ΆΣ"), "ελληνικα ασ");         // tonos removed
  EXPECT_EQ(fold_for_search("北京 東京"), "北京 東京");             // no case, no marks
  EXPECT_EQ(fold_for_search("ĐBSCL và Hà Nội – 北京"), "dbscl va ha noi – 北京");
  EXPECT_EQ(words("Đà Nẵng 北京 Москва"),
            (std::vector<std::string>{"da@0-4", "nang@5-11", "北京@12-18", "москва@19-31"}));
}

TEST(TextFoldTest, WordsAreRunsOfLettersDigitsAndMarks) {
  EXPECT_EQ(words("Chuyển đổi số: COVID-19, 4.0!"),
            (std::vector<std::string>{"chuyen@0-8", "doi@9-15", "so@16-20", "covid@22-27",
                                      "19@28-30", "4@32-33", "0@34-35"}));
  // A soft hyphen (format character) inside a word is skipped, not a break.
  EXPECT_EQ(words("Thông\u00ADtin"), (std::vector<std::string>{"thongtin@0-11"}));
  // Ill-formed bytes separate words and never fail.
  EXPECT_EQ(words("ab\xFF\xFE" "cd\xE1\xBB"), (std::vector<std::string>{"ab@0-2", "cd@4-6"}));
  EXPECT_EQ(fold_for_search("a\xFF"), "a\uFFFD");
  // A mark with nothing before it folds to nothing: no word.
  EXPECT_EQ(words(" \u0301 x"), (std::vector<std::string>{"x@4-5"}));
  EXPECT_TRUE(words("").empty());
  EXPECT_TRUE(words(" ,.;–— ").empty());
}

}  // namespace
}  // namespace provarc
