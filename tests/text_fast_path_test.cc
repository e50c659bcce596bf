// The fast paths of html/text.cc. to_nfc() answers most text without ICU (is_inert_utf8): these
// tests hold it to ICU's own NFC over every code point, alone and next to combining marks, and over
// random mixes of composed and decomposed Vietnamese, invalid bytes and NULs. collapse_whitespace()
// copies runs of visible characters at once: it is held to a character-by-character reference.
#include <gtest/gtest.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

#include <random>
#include <string>

#include "html/text.h"

namespace provarc {
namespace {

std::string utf8_of(UChar32 c) {
  char buffer[4];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, c);
  return std::string(buffer, length);
}

// ICU's NFC of valid UTF-8 with no NUL: what to_nfc must give.
std::string icu_nfc(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  nfc->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
                     nullptr, status);
  EXPECT_TRUE(U_SUCCESS(status));
  return out;
}

TEST(ToNfc, AgreesWithIcuOnEveryCodePointAndItsNeighbours) {
  const std::string acute = "\xCC\x81";       // U+0301, combines with a preceding letter
  const std::string dot_below = "\xCC\xA3";   // U+0323, ccc 220: reordered before U+0301
  for (UChar32 c = 1; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // not encodable in UTF-8
    if (c > 0x3000 && c < 0x1D000 && c % 7 != 0) continue;  // sample the large scripts
    std::string ch = utf8_of(c);
    for (const std::string& text : {ch, "a" + ch + "b", ch + acute, "e" + acute + ch,
                                    "o" + acute + dot_below + ch, ch + dot_below + acute}) {
      ASSERT_EQ(to_nfc(text), icu_nfc(text)) << "U+" << std::hex << c;
    }
  }
}

TEST(ToNfc, ComposesDecomposedVietnamese) {
  // "Nghệ An" typed with combining marks: e + U+0323 + U+0302, and the composed form unchanged.
  EXPECT_EQ(to_nfc("Nghe\xCC\xA3\xCC\x82 An"), "Ngh\xE1\xBB\x87 An");
  EXPECT_EQ(to_nfc("Ngh\xE1\xBB\x87 An"), "Ngh\xE1\xBB\x87 An");
  // Singletons: U+2000 EN QUAD is not inert, its NFC is U+2002.
  EXPECT_EQ(to_nfc("a\xE2\x80\x80" "b"), "a\xE2\x80\x82" "b");
}

TEST(ToNfc, RandomVietnameseMixesAgreeWithIcu) {
  static const std::vector<std::string> kPieces = {
      "a", "e", "o", "u", "y", " ", "<p class=\"x\">", "ệ", "ư", "ơ", "đ", "Đ", "ạ", "ỹ", "—",
      "“", "…", "\xC2\xA0", "\xCC\x81", "\xCC\x80", "\xCC\x83", "\xCC\x89", "\xCC\xA3", "\xCC\x82",
      "\xCC\x86", "\xCC\x9B", "\xE2\x80\x80", "Ω", "\xE2\x84\xA6", "가", "\xE1\x84\x80\xE1\x85\xA1",
      "😀", "abcdefgh", "01234567"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> length(0, 40), piece(0, kPieces.size() - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (size_t n = length(rng); n > 0; --n) text += kPieces[piece(rng)];
    std::string expected = icu_nfc(text);
    ASSERT_EQ(to_nfc(text), expected) << text;
    normalize_nfc(&text);
    ASSERT_EQ(text, expected);
  }
}

TEST(ToNfc, InvalidBytesAndNulsStillBecomeReplacementCharacters) {
  EXPECT_EQ(to_nfc(std::string("abcdefgh\0ijklmnop", 17)), "abcdefgh\xEF\xBF\xBDijklmnop");
  EXPECT_EQ(to_nfc("abcdefgh\x80ijklmnop"), "abcdefgh\xEF\xBF\xBDijklmnop");
  EXPECT_EQ(to_nfc("\xE1\xBB"), "\xEF\xBF\xBD");
  EXPECT_EQ(to_nfc("ab\xED\xA0\x80"), "ab\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  std::string in_place("Nghe\xCC\xA3\xCC\x82 \x80", 10);
  normalize_nfc(&in_place);
  EXPECT_EQ(in_place, "Ngh\xE1\xBB\x87 \xEF\xBF\xBD");
}

// The whitespace rule of text.h, one code point at a time: the reference for collapse_whitespace.
std::string reference_collapse(const std::string& s) {
  std::string out;
  bool pending_space = false;
  size_t i = 0;
  while (i < s.size()) {
    int32_t next = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), next, static_cast<int32_t>(s.size()), c);
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
                 c == 0xA0 || c == 0x85 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
                 c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    bool zero_width = (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
    if (c < 0) next = static_cast<int32_t>(i) + 1;  // an invalid byte is kept, one at a time
    if (space) {
      pending_space = !out.empty();
    } else if (!zero_width) {
      if (pending_space) out += ' ';
      pending_space = false;
      out.append(s, i, next - i);
    }
    i = next;
  }
  return out;
}

TEST(CollapseWhitespace, AgreesWithACharacterByCharacterReference) {
  static const std::vector<std::string> kPieces = {
      "a", "ệ", "Đ", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\xC2\xA0", "\xC2\x85",
      "\xC2\xA9", "\xE1\x9A\x80", "\xE1\xBB\x87", "\xE2\x80\x80", "\xE2\x80\x8A",
      "\xE2\x80\x8B", "\xE2\x80\x8D", "\xE2\x80\x94", "\xE2\x80\xA8", "\xE2\x80\xAF",
      "\xE2\x81\x9F", "\xE2\x81\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF", "\xEF\xBC\x81",
      "\xC2", "\xE2\x80", "\xE1", "\xEF\xBB", "\x80", "\xFF", std::string(1, '\0'), "x."};
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> length(0, 30), piece(0, kPieces.size() - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (size_t n = length(rng); n > 0; --n) text += kPieces[piece(rng)];
    ASSERT_EQ(collapse_whitespace(text), reference_collapse(text)) << text;
  }
  EXPECT_EQ(collapse_whitespace(" \xC2\xA0Ng\xE1\xBB\x87\xE2\x80\x8B An\t\n "), "Ngệ An");
}

}  // namespace
}  // namespace provarc
