// Tests of html/text.h: charset sniffing and decoding, NFC, and the whitespace rules.
#include "html/text.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

namespace provarc {
namespace {

// "Thông tin và Truyền thông" and "Sở", NFC (ề = U+1EC1, ở = U+1EDF).
const std::string kTtttNfc = "Th\u00F4ng tin v\u00E0 Truy\u1EC1n th\u00F4ng";
const std::string kSoNfc = "S\u1EDF";
// The same in windows-1258, which has no precomposed ề or ở: base letter + combining mark
// (0xCC = U+0300 grave, 0xD2 = U+0309 hook above).
const std::string kTtttCp1258 = "Th\xF4ng tin v\xE0 Truy\xEA\xCCn th\xF4ng";
const std::string kSoCp1258 = "S\xF5\xD2";

// True when `s` is well-formed UTF-8 (checked independently of the code under test).
bool is_well_formed_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t extra = c < 0x80                 ? 0
                   : c >= 0xC2 && c <= 0xDF ? 1
                   : c >= 0xE0 && c <= 0xEF ? 2
                   : c >= 0xF0 && c <= 0xF4 ? 3
                                            : 99;
    if (extra == 99 || s.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

TEST(DecodeHtml, Windows1258ComesOutComposed) {
  DecodedText d = decode_html(kTtttCp1258 + " " + kSoCp1258, "text/html; charset=windows-1258");
  EXPECT_EQ(d.utf8, kTtttNfc + " " + kSoNfc);
  EXPECT_EQ(d.charset, "windows-1258");
  EXPECT_EQ(d.source, "http");
}

TEST(DecodeHtml, DecomposedUtf8BecomesNfc) {
  // "Truyền" typed as e + U+0302 circumflex + U+0300 grave (old Unikey "Unicode tổ hợp").
  std::string nfd =
      "Truy"
      "e\xCC\x82\xCC\x80"
      "n";
  DecodedText d = decode_html(nfd, "text/html; charset=utf-8");
  EXPECT_EQ(d.utf8, "Truy\u1EC1n");
  EXPECT_EQ(d.charset, "UTF-8");
}

TEST(DecodeHtml, Utf8BomWinsOverHeader) {
  DecodedText d = decode_html("\xEF\xBB\xBF" + kSoNfc, "text/html; charset=windows-1252");
  EXPECT_EQ(d.utf8, kSoNfc);  // the BOM itself is dropped
  EXPECT_EQ(d.charset, "UTF-8");
  EXPECT_EQ(d.source, "bom");
}

TEST(DecodeHtml, Utf16BomsAreRead) {
  DecodedText le = decode_html(std::string("\xFF\xFE"
                                           "S\0\xDF\x1E",
                                           6),
                               "");
  EXPECT_EQ(le.utf8, kSoNfc);
  EXPECT_EQ(le.charset, "UTF-16LE");
  EXPECT_EQ(le.source, "bom");
  DecodedText be = decode_html(std::string("\xFE\xFF\0S\x1E\xDF", 6), "text/html; charset=utf-8");
  EXPECT_EQ(be.utf8, kSoNfc);
  EXPECT_EQ(be.charset, "UTF-16BE");
  EXPECT_EQ(be.source, "bom");
}

TEST(DecodeHtml, HeaderWinsOverMeta) {
  std::string page = "<html><head><meta charset=\"utf-8\"></head><body>" + kTtttCp1258;
  DecodedText d = decode_html(page, "text/html;charset=\"windows-1258\"");
  EXPECT_EQ(d.source, "http");
  EXPECT_EQ(d.charset, "windows-1258");
  EXPECT_NE(d.utf8.find(kTtttNfc), std::string::npos);
}

TEST(DecodeHtml, MetaCharsetAttribute) {
  for (const std::string& meta :
       {std::string("<meta charset=windows-1258>"), std::string("<META CHARSET='Windows-1258' />"),
        std::string("<meta\tname=x charset = \"windows-1258\">")}) {
    DecodedText d = decode_html("<html><head>" + meta + "</head><p>" + kSoCp1258, "text/html");
    EXPECT_EQ(d.source, "meta") << meta;
    EXPECT_EQ(d.charset, "windows-1258") << meta;
    EXPECT_EQ(d.utf8.substr(d.utf8.size() - kSoNfc.size()), kSoNfc) << meta;
  }
}

TEST(DecodeHtml, MetaHttpEquivContentType) {
  for (const std::string& meta :
       {std::string(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">"),
        std::string("<META HTTP-EQUIV=content-type CONTENT='text/html;CHARSET=\"windows-1258\"'>"),
        std::string(
            "<meta content=\"text/html; charset=windows-1258\" http-equiv=\"content-type\"/>")}) {
    DecodedText d = decode_html("<head>" + meta + "</head>" + kSoCp1258, "");
    EXPECT_EQ(d.source, "meta") << meta;
    EXPECT_EQ(d.charset, "windows-1258") << meta;
  }
}

TEST(DecodeHtml, MetaWithoutHttpEquivIsIgnored) {
  // A content attribute naming a charset means nothing without http-equiv=Content-Type.
  DecodedText d = decode_html("<meta content=\"charset=windows-1258\"><p>" + kSoNfc, "");
  EXPECT_EQ(d.source, "detected");
  EXPECT_EQ(d.charset, "UTF-8");
}

TEST(DecodeHtml, MetaInsideCommentOrAttributeIsSkipped) {
  std::string page =
      "<!-- <meta charset=\"koi8-r\"> --><div title='<meta charset=koi8-r>'>"
      "<meta charset=\"windows-1258\"></div>" +
      kSoCp1258;
  DecodedText d = decode_html(page, "");
  EXPECT_EQ(d.source, "meta");
  EXPECT_EQ(d.charset, "windows-1258");
}

TEST(DecodeHtml, MetaBeyond1024BytesIsNotSeen) {
  std::string page = "<html><head><title>" + std::string(1100, 'x') +
                     "</title><meta charset=\"windows-1258\"></head>" + kSoNfc;
  DecodedText d = decode_html(page, "");
  EXPECT_EQ(d.source, "detected");  // valid UTF-8
  EXPECT_EQ(d.utf8.substr(d.utf8.size() - kSoNfc.size()), kSoNfc);
}

TEST(DecodeHtml, UnknownLabelsAreSkipped) {
  // TCVN3 is not in ICU: the header is skipped, the meta is next.
  DecodedText d =
      decode_html("<meta charset=\"windows-1258\">" + kSoCp1258, "text/html; charset=TCVN3");
  EXPECT_EQ(d.source, "meta");
  EXPECT_EQ(d.charset, "windows-1258");
  // An unknown meta label is skipped and the prescan goes on to the next <meta>.
  DecodedText e = decode_html("<meta charset=x-bogus><meta charset=windows-1258>" + kSoCp1258, "");
  EXPECT_EQ(e.source, "meta");
  EXPECT_EQ(e.charset, "windows-1258");
  // A label carrying ICU converter options is not a label.
  DecodedText f = decode_html("abc", "text/html; charset=\"ibm-1047,swaplfnl\"");
  EXPECT_NE(f.source, "http");
  EXPECT_EQ(f.utf8, "abc");
}

TEST(DecodeHtml, Latin1AndAsciiMeanWindows1252) {
  for (const char* label : {"iso-8859-1", "ISO-8859-1", "latin1", "us-ascii"}) {
    DecodedText d = decode_html("\x80 5", std::string("text/html; charset=") + label);
    EXPECT_EQ(d.charset, "windows-1252") << label;
    EXPECT_EQ(d.utf8, "\u20AC 5") << label;  // 0x80 is the euro sign, not a C1 control
  }
}

TEST(DecodeHtml, Utf16InMetaMeansUtf8) {
  DecodedText d = decode_html("<meta charset=\"utf-16\"><p>" + kSoNfc, "");
  EXPECT_EQ(d.source, "meta");
  EXPECT_EQ(d.charset, "UTF-8");
  EXPECT_EQ(d.utf8, "<meta charset=\"utf-16\"><p>" + kSoNfc);
}

TEST(DecodeHtml, InvalidUtf8BecomesReplacementCharacter) {
  DecodedText d = decode_html(
      "a\xFF"
      "b\xE1\xBB"
      "c\xC0\xAF"
      "d",
      "text/html; charset=UTF-8");
  // One U+FFFD per maximal ill-formed subpart: \xFF; the truncated \xE1\xBB; \xC0 and \xAF.
  EXPECT_EQ(d.utf8, "a\uFFFDb\uFFFDc\uFFFD\uFFFDd");
}

TEST(DecodeHtml, NulBecomesReplacementCharacter) {
  DecodedText d = decode_html(std::string("a\0b", 3), "text/html; charset=utf-8");
  EXPECT_EQ(d.utf8, "a\uFFFDb");
}

TEST(DecodeHtml, ValidUtf8IsDetectedAndInvalidGoesToIcu) {
  DecodedText ascii = decode_html("<p>plain</p>", "");
  EXPECT_EQ(ascii.source, "detected");
  EXPECT_EQ(ascii.charset, "UTF-8");
  // Undeclared bytes that are not UTF-8: ICU's detector picks a legacy charset.
  std::string cyrillic =
      "\xD0\xF3\xF1\xF1\xEA\xE8\xE9 \xFF\xE7\xFB\xEA \xFF\xE2\xEB\xFF\xE5\xF2\xF1\xFF "
      "\xE3\xEE\xF1\xF3\xE4\xE0\xF0\xF1\xF2\xE2\xE5\xED\xED\xFB\xEC \xFF\xE7\xFB\xEA\xEE\xEC "
      "\xD0\xEE\xF1\xF1\xE8\xE9\xF1\xEA\xEE\xE9 \xD4\xE5\xE4\xE5\xF0\xE0\xF6\xE8\xE8.";
  DecodedText legacy = decode_html(cyrillic, "");
  EXPECT_EQ(legacy.source, "detected");
  EXPECT_NE(legacy.charset, "UTF-8");
  EXPECT_TRUE(is_well_formed_utf8(legacy.utf8));
}

TEST(DecodeHtml, EmptyInput) {
  DecodedText d = decode_html("", "");
  EXPECT_EQ(d.utf8, "");
  EXPECT_EQ(d.charset, "UTF-8");
  EXPECT_EQ(d.source, "default");
}

TEST(DecodeHtml, RandomBytesNeverCrashAndGiveNfcUtf8) {
  std::mt19937 rng(1258);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(rng() % 5000, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    const char* headers[] = {"", "text/html; charset=utf-8", "text/html; charset=windows-1258",
                             "text/html; charset=utf-16", "text/html; charset=shift_jis"};
    DecodedText d = decode_html(bytes, headers[round % 5]);
    ASSERT_TRUE(is_well_formed_utf8(d.utf8)) << "round " << round;
    EXPECT_EQ(d.utf8.find('\0'), std::string::npos) << "round " << round;
    EXPECT_EQ(to_nfc(d.utf8), d.utf8) << "round " << round;  // already NFC and valid
  }
}

TEST(DecodeHtml, FiftyMegabytesInReasonableTime) {
  std::string para = "<p>Sở Thông tin và Truyền thông tổ chức Hội nghị sơ kết, 12/04/2023.</p>\n";
  std::string big;
  while (big.size() < 50u * 1024 * 1024) big += para;
  auto start = std::chrono::steady_clock::now();
  DecodedText d = decode_html(big, "text/html; charset=utf-8");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(d.utf8.size(), big.size());  // already NFC: unchanged
  EXPECT_LT(seconds, 20.0);

  // The same through a legacy converter (every ề decomposed on the way in).
  std::string legacy;
  while (legacy.size() < 50u * 1024 * 1024) legacy += kTtttCp1258 + "\n";
  start = std::chrono::steady_clock::now();
  DecodedText l = decode_html(legacy, "text/html; charset=windows-1258");
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(l.utf8.substr(0, kTtttNfc.size() + 1), kTtttNfc + "\n");
  EXPECT_EQ(l.utf8.size(), legacy.size() / (kTtttCp1258.size() + 1) * (kTtttNfc.size() + 1));
  EXPECT_LT(seconds, 30.0);
}

TEST(ToNfc, ComposesAndRepairs) {
  EXPECT_EQ(to_nfc("Vie\xCC\xA3\xCC\x82t"), "Vi\u1EC7t");  // e + dot below + circumflex
  EXPECT_EQ(to_nfc("Vie\xCC\x82\xCC\xA3t"), "Vi\u1EC7t");  // marks in the other order
  EXPECT_EQ(to_nfc(kTtttNfc), kTtttNfc);
  EXPECT_EQ(to_nfc("x\xE2\x82"), "x\uFFFD");
  EXPECT_EQ(to_nfc(""), "");
}

TEST(ToNfc, HostileRunOfCombiningMarksIsLinear) {
  // ICU reorders a run of marks in quadratic time; 200 000 alternating marks (400 KB) would take
  // minutes. The run is cut with U+034F COMBINING GRAPHEME JOINER (UAX #15 Stream-Safe format).
  std::string hostile = "a";
  for (int i = 0; i < 200000; ++i) hostile += (i % 2) ? "\u0323" : "\u0301";
  auto start = std::chrono::steady_clock::now();
  std::string out = to_nfc(hostile);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE(is_well_formed_utf8(out));
  EXPECT_NE(out.find("\u034F"), std::string::npos);
  EXPECT_EQ(to_nfc(out), out);
  // Real text, a letter with two marks, is left alone.
  EXPECT_EQ(to_nfc("Vie\xCC\x82\xCC\xA3t"), "Vi\u1EC7t");
}

TEST(CollapseWhitespace, RunsBecomeOneSpaceAndEndsAreTrimmed) {
  EXPECT_EQ(collapse_whitespace("  a \t\n b  "), "a b");
  EXPECT_EQ(collapse_whitespace("\u00A0Cập nhật lúc: 12/04/2023 \u00A0"),
            "Cập nhật lúc: 12/04/2023");
  // The Đồng Tháp Word-paste indentation.
  EXPECT_EQ(collapse_whitespace("\u00A0 \u00A0 \u00A0 Thảo luận"), "Thảo luận");
  EXPECT_EQ(collapse_whitespace("1\u00A02\u00A03\u00A0\u00A0...\u00A0\u00A0"), "1 2 3 ...");
  EXPECT_EQ(collapse_whitespace("a\u2003b\u3000c\u202Fd\u205Fe\u1680f\u2028g\u2029h\u0085i\r\x0bj"),
            "a b c d e f g h i j");
}

TEST(CollapseWhitespace, ZeroWidthCharactersAreRemoved) {
  EXPECT_EQ(collapse_whitespace("Sở\u200B TT\u200C&\u200DTT\uFEFF\u2060"), "Sở TT&TT");
  EXPECT_EQ(collapse_whitespace("a \u200B b"), "a b");  // not two spaces
  EXPECT_EQ(collapse_whitespace("\u200B\u00A0\u200B"), "");
}

TEST(CollapseWhitespace, OtherTextIsUntouched) {
  std::string vietnamese = "Đồng chí Hoàng Văn Thiên – Giám đốc Sở “TT&TT” phát biểu…";
  EXPECT_EQ(collapse_whitespace(vietnamese), vietnamese);
  // Characters whose UTF-8 shares a lead byte with a space: U+2010 hyphen, U+2026, U+3001, U+FEFE.
  EXPECT_EQ(collapse_whitespace("\u2010\u2026\u3001\uFEFE\u00A9"),
            "\u2010\u2026\u3001\uFEFE\u00A9");
  EXPECT_EQ(collapse_whitespace(std::string("a\xE2\x80", 3)), std::string("a\xE2\x80", 3));
}

TEST(CollapseWhitespace, IsFast) {
  std::string big;
  while (big.size() < 20u * 1024 * 1024) big += "Trong 6 tháng\u00A0 đầu năm,\u200B  \n";
  auto start = std::chrono::steady_clock::now();
  std::string out = collapse_whitespace(big);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(out.starts_with("Trong 6 tháng đầu năm, Trong 6 tháng")) << out.substr(0, 80);
  EXPECT_LT(seconds, 5.0);
}

TEST(IsBlank, OnlySpaceAndZeroWidth) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank("\u00A0"));
  EXPECT_TRUE(is_blank(" \t\n\u200B\u00A0\uFEFF\u3000"));
  EXPECT_FALSE(is_blank("\u00A0.\u00A0"));
  EXPECT_FALSE(is_blank("|"));
  EXPECT_FALSE(is_blank("\xFF"));
}

TEST(CountWords, CountsRuns) {
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(count_words("NT"), 1u);
  EXPECT_EQ(count_words("Bế Thị Thanh Hoài"), 4u);
  EXPECT_EQ(count_words("Hoàng Thăng Long - Sở TT&TT"), 6u);
  EXPECT_EQ(count_words(" a  b\u00A0c "), 3u);  // robust even if not collapsed
}

}  // namespace
}  // namespace provarc
