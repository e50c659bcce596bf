// html/text.h: bytes to UTF-8 NFC (ICU), and the whitespace rules every extracted string obeys.
// Nothing here fails: invalid input becomes U+FFFD, never a crash.
#pragma once

#include <string>
#include <string_view>

namespace provarc {

struct DecodedText {
  std::string utf8;     // valid UTF-8, NFC
  std::string charset;  // canonical ICU name of the charset used, e.g. "UTF-8", "windows-1258"
  std::string source;   // how it was chosen: "bom", "http", "meta", "detected" or "default"
};

// Decodes an HTML document. Order (HTML5 "encoding sniffing", simplified): a byte-order mark,
// then the charset parameter of `content_type` (the HTTP header, may be empty), then a <meta>
// prescan of the first 1024 bytes, then ICU's charset detector, then UTF-8. A label ICU does not
// know is skipped, not fatal. Invalid sequences become U+FFFD. The result is NFC-normalised.
DecodedText decode_html(std::string_view bytes, std::string_view content_type);

// NFC normalisation of UTF-8 text (Vietnamese typed in decomposed form comes out composed).
// Invalid UTF-8 is repaired with U+FFFD first.
std::string to_nfc(std::string_view utf8);

// to_nfc() in place: `*text` becomes its NFC. Text already in NFC in the common way (ASCII,
// Latin, precomposed Vietnamese, punctuation) is checked in one pass and left as it is, uncopied.
void normalize_nfc(std::string* text);

// The whitespace rule for extracted text: every run of white space (ASCII, NBSP U+00A0, the
// Unicode Zs spaces, tabs, newlines) becomes one ASCII space; zero-width characters (U+200B,
// U+200C, U+200D, U+FEFF, U+2060) are removed; leading and trailing space is trimmed.
std::string collapse_whitespace(std::string_view utf8);

// True when the text holds nothing but white space and zero-width characters (e.g. "&nbsp;").
bool is_blank(std::string_view utf8);

// Length of the well-formed UTF-8 sequence at p[0..avail) (1 for ASCII), or 0 when it is
// ill-formed; then *bad_length is its maximal subpart: the bytes one U+FFFD replaces, per Unicode
// ch. 3 and WHATWG (and nlohmann's replace handler). `avail` must be at least 1.
size_t utf8_sequence_length(const unsigned char* p, size_t avail, size_t* bad_length);

// Appends the UTF-8 encoding of `code_point` to `out`. 0, surrogates and values above U+10FFFF
// become U+FFFD, as CSS escapes and XML character references say.
void append_utf8(unsigned long code_point, std::string* out);

// Number of words (runs separated by white space) in already-collapsed text.
size_t count_words(std::string_view collapsed);

}  // namespace provarc
