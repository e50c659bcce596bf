// Tests for common/ascii.h: the byte-wise ASCII helpers every module shares.
#include "common/ascii.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

TEST(Ascii, CaseFoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii::lowercase("Content-TYPE: Text/HTML"), "content-type: text/html");
  // UTF-8 bytes are never letters: "Đ" and "É" stay as they are.
  EXPECT_EQ(ascii::lowercase("\xC4\x90\xC3\x89-ABC"), "\xC4\x90\xC3\x89-abc");
  EXPECT_EQ(ascii::to_lower('@'), '@');
  EXPECT_EQ(ascii::to_lower('['), '[');
  EXPECT_EQ(ascii::to_upper('z'), 'Z');
  EXPECT_EQ(ascii::to_upper('{'), '{');
}

TEST(Ascii, CaseInsensitiveComparison) {
  EXPECT_TRUE(ascii::iequals("User-Agent", "user-agent"));
  EXPECT_FALSE(ascii::iequals("User-Agent", "user-agents"));
  EXPECT_FALSE(ascii::iequals("\xC3\xA9", "\xC3\x89"));  // é and É differ: not ASCII
  EXPECT_TRUE(ascii::iequals("", ""));
  EXPECT_TRUE(ascii::istarts_with("HTTPS://x/", "https://"));
  EXPECT_FALSE(ascii::istarts_with("http", "https://"));
  EXPECT_TRUE(ascii::istarts_with("anything", ""));
}

TEST(Ascii, DigitsAndHex) {
  for (char c = '0'; c <= '9'; ++c) EXPECT_TRUE(ascii::is_digit(c));
  EXPECT_FALSE(ascii::is_digit('a'));
  EXPECT_FALSE(ascii::is_digit('\xD9'));  // a UTF-8 byte, whatever the locale says
  EXPECT_EQ(ascii::hex_value('0'), 0);
  EXPECT_EQ(ascii::hex_value('9'), 9);
  EXPECT_EQ(ascii::hex_value('a'), 10);
  EXPECT_EQ(ascii::hex_value('F'), 15);
  EXPECT_EQ(ascii::hex_value('g'), -1);
  EXPECT_EQ(ascii::hex_value('G'), -1);
  EXPECT_EQ(ascii::hex_value('/'), -1);
  EXPECT_TRUE(ascii::is_hex_digit('c'));
  EXPECT_FALSE(ascii::is_hex_digit(' '));
  EXPECT_TRUE(ascii::is_alnum('Z'));
  EXPECT_FALSE(ascii::is_alnum('_'));
}

TEST(Ascii, ThreeKindsOfWhiteSpace) {
  for (char c : std::string_view(" \t\n\v\f\r")) EXPECT_TRUE(ascii::is_space(c)) << int(c);
  EXPECT_FALSE(ascii::is_space('\x1C'));
  EXPECT_FALSE(ascii::is_space('\xA0'));  // NBSP's second UTF-8 byte is not space
  EXPECT_FALSE(ascii::is_html_space('\v'));  // WHATWG: no vertical tab
  EXPECT_TRUE(ascii::is_html_space('\f'));
  EXPECT_TRUE(ascii::is_http_space('\t'));
  EXPECT_FALSE(ascii::is_http_space('\r'));
}

TEST(Ascii, Trim) {
  EXPECT_EQ(ascii::trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(ascii::trim("   "), "");
  EXPECT_EQ(ascii::trim(""), "");
  EXPECT_EQ(ascii::trim("\v x \v", ascii::is_html_space), "\v x \v");
  EXPECT_EQ(ascii::trim(" x\r", ascii::is_http_space), "x\r");
}

}  // namespace
}  // namespace provarc
