// html/text.cc: charset sniffing and decoding (ICU ucnv/ucsdet), UTF-8 repair, NFC, and the
// whitespace rules. Every function here is total: hostile bytes give U+FFFD, never a failure.
#include "html/text.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>

#include "common/ascii.h"

namespace provarc {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
constexpr size_t kMetaPrescanBytes = 1024;                 // as in the HTML5 prescan
constexpr size_t kDetectorBytes = 64 * 1024;               // enough for ucsdet, and bounded

// ---------------------------------------------------------------------------------------------
// UTF-8 validation and repair


// Index of the first byte that is ill-formed UTF-8 or (when `nul_is_bad`) a NUL, or size().
size_t first_bad_utf8(std::string_view s, bool nul_is_bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    if (p[i] < 0x80) {
      if (p[i] == 0 && nul_is_bad) return i;
      ++i;
      continue;
    }
    size_t bad = 0;
    size_t len = utf8_sequence_length(p + i, s.size() - i, &bad);
    if (len == 0) return i;
    i += len;
  }
  return s.size();
}

bool is_valid_utf8(std::string_view s) { return first_bad_utf8(s, false) == s.size(); }

// Copies `s`, replacing each maximal ill-formed subpart and each NUL with U+FFFD. NUL goes because
// Gumbo and C APIs downstream treat it specially, and a page has no business holding one.
std::string repair_utf8(std::string_view s) {
  size_t good = first_bad_utf8(s, true);
  std::string out(s.substr(0, good));
  if (good == s.size()) return out;
  out.reserve(s.size() + s.size() / 8);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = good;
  while (i < s.size()) {
    if (p[i] < 0x80) {
      if (p[i] == 0) {
        out += kReplacement;
      } else {
        out += static_cast<char>(p[i]);
      }
      ++i;
      continue;
    }
    size_t bad = 0;
    size_t len = utf8_sequence_length(p + i, s.size() - i, &bad);
    if (len == 0) {
      out += kReplacement;
      i += bad;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// NFC

// ICU's UTF-8 APIs take int32_t lengths; normalise in pieces of at most this many bytes.
constexpr size_t kNormalizeChunk = 16 * 1024 * 1024;

// Where to end a piece of `s` that starts at `begin`: before a code point that no earlier text can
// combine with (hasBoundaryBefore), so pieces normalise independently. Gives up after a bounded
// look-back (a hostile run of combining marks) and then just cuts between code points.
size_t piece_end(std::string_view s, size_t begin, const icu::Normalizer2& nfc) {
  if (s.size() - begin <= kNormalizeChunk) return s.size();
  size_t end = begin + kNormalizeChunk;
  while (end > begin && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  size_t fallback = end;
  for (int tries = 0; tries < 4096 && end > begin; ++tries) {
    int32_t i = 0;
    int32_t length = static_cast<int32_t>(std::min<size_t>(4, s.size() - end));
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data() + end), i, length, c);
    if (c >= 0 && nfc.hasBoundaryBefore(c)) return end;
    do {
      --end;
    } while (end > begin && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80);
  }
  return fallback > begin ? fallback : begin + kNormalizeChunk;
}

// A run of more than this many combining marks gets a U+034F COMBINING GRAPHEME JOINER (a
// starter, invisible) inserted, as in UAX #15's Stream-Safe Text Format. ICU puts a run of marks
// in canonical order by insertion, in time quadratic in the run's length: without this, a page of
// 300 KB of alternating marks takes half a minute to normalise. Real text has a few marks at most.
constexpr int kMaxCombiningRun = 30;
constexpr std::string_view kGraphemeJoiner = "\xCD\x8F";

// When valid UTF-8 `s` holds a run of more than kMaxCombiningRun combining marks, sets *safe to
// `s` with a joiner inserted after every kMaxCombiningRun marks of such a run and returns true.
// Returns false, leaving *safe alone, for all real text.
bool make_stream_safe(std::string_view s, std::string* safe) {
  bool inserted = false;
  size_t copied = 0;  // s[0, copied) is in *safe already
  int run = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      run = 0;
      ++i;
      continue;
    }
    int32_t k = 0;
    int32_t length = static_cast<int32_t>(std::min<size_t>(4, s.size() - i));
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data() + i), k, length, c);
    // Below U+0300 and in the precomposed Vietnamese block nothing combines: skip ICU's lookup.
    bool never_combining = c < 0x300 || (c >= 0x1EA0 && c <= 0x1EFF);
    if (c < 0 || never_combining || u_getCombiningClass(c) == 0) {
      run = 0;
    } else if (++run > kMaxCombiningRun) {
      if (!inserted) safe->clear();
      inserted = true;
      safe->append(s.data() + copied, i - copied);
      *safe += kGraphemeJoiner;
      copied = i;
      run = 1;
    }
    i += k;
  }
  if (inserted) safe->append(s.data() + copied, s.size() - copied);
  return inserted;
}

// True for characters whose NFC quick check answer is Yes and whose canonical combining class is
// 0, among those Vietnamese pages are written in: below U+0300 (ASCII, Latin-1, Latin Extended-A
// and -B: â ê ô ơ ư ă đ), U+1E00..U+1EFF (Latin Extended Additional: the precomposed ạ ả ấ ... ỹ)
// and U+2002..U+20CF (spaces, dashes, quotes, ellipsis, currency signs). Text made only of such
// characters is in NFC whatever their order (UAX #15, quick check); tests/text_nfc_test.cc
// compares to_nfc() with ICU over every code point.
bool is_nfc_inert(UChar32 c) {
  return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2002 && c <= 0x20CF);
}

// True when `s` is well-formed UTF-8 with no NUL, made only of NFC-inert characters: then it is
// its own NFC and to_nfc() need not ask ICU, which costs ten times more per byte. Markup is ASCII,
// so eight bytes are checked at a time while they are; the two-byte Latin letters and the
// precomposed Vietnamese ones are recognised by their bytes before decoding anything else.
bool is_inert_utf8(std::string_view s) {
  if (s.size() > INT32_MAX) return false;  // U8_NEXT counts in int32_t
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  constexpr uint64_t kHighBits = 0x8080808080808080u, kLowBits = 0x0101010101010101u;
  int32_t i = 0;
  while (i < n) {
    if (n - i >= 8) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      bool has_nul = ((word - kLowBits) & ~word & kHighBits) != 0;
      if ((word & kHighBits) == 0 && !has_nul) {
        i += 8;
        continue;
      }
    }
    uint8_t lead = p[i];
    if (lead < 0x80) {
      if (lead == 0) return false;
      ++i;
      continue;
    }
    if (lead >= 0xC2 && lead <= 0xCB && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      i += 2;  // U+0080..U+02FF
      continue;
    }
    if (lead == 0xE1 && i + 2 < n && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB &&
        (p[i + 2] & 0xC0) == 0x80) {
      i += 3;  // U+1E00..U+1EFF
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c <= 0 || !is_nfc_inert(c)) return false;  // NUL, ill-formed (c < 0), or not inert
  }
  return true;
}

// NFC of valid UTF-8. If ICU cannot load its normalisation data the text is returned as is: better
// unnormalised text than none.
std::string nfc_of_valid_utf8(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) return std::string(s);
  std::string out;
  out.reserve(s.size());
  icu::StringByteSink<std::string> sink(&out);
  size_t begin = 0;
  while (begin < s.size()) {
    size_t end = piece_end(s, begin, *nfc);
    std::string safe;
    icu::StringPiece piece(s.data() + begin, static_cast<int32_t>(end - begin));
    if (make_stream_safe(std::string_view(piece.data(), piece.size()), &safe)) {
      piece = icu::StringPiece(safe.data(), static_cast<int32_t>(safe.size()));
    }
    status = U_ZERO_ERROR;
    if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
      out.append(piece.data(), piece.size());
    } else {
      size_t before = out.size();
      status = U_ZERO_ERROR;
      nfc->normalizeUTF8(0, piece, sink, nullptr, status);
      if (U_FAILURE(status)) {
        out.resize(before);
        out.append(piece.data(), piece.size());
      }
    }
    begin = end;
  }
  return out;
}

// NFC of any bytes: ill-formed sequences and NULs become U+FFFD first.
std::string nfc_of_repaired_utf8(std::string_view utf8) {
  if (first_bad_utf8(utf8, true) == utf8.size()) return nfc_of_valid_utf8(utf8);
  return nfc_of_valid_utf8(repair_utf8(utf8));
}

// ---------------------------------------------------------------------------------------------
// Charset labels

std::string lowercase_trimmed(std::string_view s) {
  return ascii::lowercase(ascii::trim(s, ascii::is_html_space));
}

// WHATWG labels whose meaning differs from ICU's reading of the same name. Browsers decode
// "iso-8859-1" and "us-ascii" pages as windows-1252, so the 0x80-0x9F bytes (curly quotes, the
// euro sign) that such pages really contain come out right.
std::string whatwg_label(const std::string& label) {
  static const struct {
    const char* label;
    const char* encoding;
  } kAliases[] = {
      {"iso-8859-1", "windows-1252"},
      {"iso8859-1", "windows-1252"},
      {"iso_8859-1", "windows-1252"},
      {"latin1", "windows-1252"},
      {"l1", "windows-1252"},
      {"cp819", "windows-1252"},
      {"ibm819", "windows-1252"},
      {"us-ascii", "windows-1252"},
      {"ascii", "windows-1252"},
      {"iso-8859-9", "windows-1254"},
      {"latin5", "windows-1254"},
      {"tis-620", "windows-874"},
      {"iso-8859-11", "windows-874"},
      {"gb2312", "GBK"},
      {"x-gbk", "GBK"},
      {"utf-16", "UTF-16LE"},
      {"unicode", "UTF-16LE"},
      {"ucs-2", "UTF-16LE"},
  };
  for (const auto& alias : kAliases) {
    if (label == alias.label) return alias.encoding;
  }
  return label;
}

// Encodings ICU knows but no web page is served in; reading ASCII markup with them gives garbage.
bool is_non_web_encoding(std::string_view icu_name) {
  static const char* const kNames[] = {"UTF-7",
                                       "UTF-32",
                                       "UTF-32BE",
                                       "UTF-32LE",
                                       "SCSU",
                                       "BOCU-1",
                                       "CESU-8",
                                       "IMAP-mailbox-name",
                                       "UTF16_OppositeEndian",
                                       "UTF16_PlatformEndian"};
  for (const char* name : kNames) {
    if (icu_name == name) return true;
  }
  return false;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

// Opens the ICU converter for a charset label, or returns null when ICU does not know it (TCVN3
// and VISCII, the old Vietnamese 8-bit encodings, are among those: such pages fall through to
// detection). Only plain label characters are accepted, because ICU reads options such as
// ",swaplfnl" from a converter name.
Converter open_converter(std::string_view label) {
  std::string name = whatwg_label(lowercase_trimmed(label));
  if (name.empty() || name.size() > 40) return nullptr;
  for (char c : name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == ':';
    if (!plain) return nullptr;
  }
  UErrorCode status = U_ZERO_ERROR;
  Converter converter(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status) || !converter) return nullptr;
  const char* icu_name = ucnv_getName(converter.get(), &status);
  if (U_FAILURE(status) || icu_name == nullptr || is_non_web_encoding(icu_name)) return nullptr;
  return converter;
}

// The name a person would recognise: MIME, else IANA ("windows-1258" has no MIME name), else
// ICU's internal one.
std::string display_name(UConverter* converter) {
  UErrorCode status = U_ZERO_ERROR;
  const char* icu_name = ucnv_getName(converter, &status);
  if (U_FAILURE(status) || icu_name == nullptr) return "unknown";
  for (const char* standard : {"MIME", "IANA"}) {
    status = U_ZERO_ERROR;
    const char* name = ucnv_getStandardName(icu_name, standard, &status);
    if (U_SUCCESS(status) && name != nullptr) return name;
  }
  return icu_name;
}

bool is_utf8(UConverter* converter) { return display_name(converter) == "UTF-8"; }
bool is_utf16(UConverter* converter) { return display_name(converter).starts_with("UTF-16"); }

// ---------------------------------------------------------------------------------------------
// Finding the declared charset

// The HTML5 "extract a character encoding from a meta element" algorithm, also used for the
// HTTP Content-Type header: the value after "charset=", quoted or not. Empty when there is none.
std::string charset_parameter(std::string_view s) {
  size_t pos = 0;
  while (true) {
    size_t found = std::string_view::npos;
    for (size_t i = pos; i + 7 <= s.size(); ++i) {
      if (ascii::istarts_with(s.substr(i), "charset")) {
        found = i;
        break;
      }
    }
    if (found == std::string_view::npos) return "";
    pos = found + 7;
    while (pos < s.size() && ascii::is_html_space(s[pos])) ++pos;
    if (pos >= s.size() || s[pos] != '=') continue;  // "charset" without "=": look further on
    ++pos;
    while (pos < s.size() && ascii::is_html_space(s[pos])) ++pos;
    if (pos >= s.size()) return "";
    if (s[pos] == '"' || s[pos] == '\'') {
      size_t close = s.find(s[pos], pos + 1);
      if (close == std::string_view::npos) return "";
      return std::string(s.substr(pos + 1, close - pos - 1));
    }
    size_t end = pos;
    while (end < s.size() && !ascii::is_html_space(s[end]) && s[end] != ';') ++end;
    return std::string(s.substr(pos, end - pos));
  }
}

struct Attribute {
  std::string name;  // lowercase
  std::string value;
};

// The HTML5 "get an attribute" step of the prescan, from `*pos` in `s`. Returns false at '>' or
// at the end of `s`; otherwise fills `attr` and advances `*pos` past it.
bool next_attribute(std::string_view s, size_t* pos, Attribute* attr) {
  size_t i = *pos;
  while (i < s.size() && (ascii::is_html_space(s[i]) || s[i] == '/')) ++i;
  if (i >= s.size() || s[i] == '>') {
    *pos = i;
    return false;
  }
  attr->name.clear();
  attr->value.clear();
  while (i < s.size() && !ascii::is_html_space(s[i]) && s[i] != '/' && s[i] != '>' &&
         !(s[i] == '=' && !attr->name.empty())) {
    attr->name += ascii::to_lower(s[i++]);
  }
  while (i < s.size() && ascii::is_html_space(s[i])) ++i;
  if (i >= s.size() || s[i] != '=') {
    *pos = i;
    return true;  // an attribute without a value
  }
  ++i;
  while (i < s.size() && ascii::is_html_space(s[i])) ++i;
  if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
    char quote = s[i++];
    while (i < s.size() && s[i] != quote) attr->value += s[i++];
    if (i < s.size()) ++i;
  } else {
    while (i < s.size() && !ascii::is_html_space(s[i]) && s[i] != '>') attr->value += s[i++];
  }
  *pos = i;
  return true;
}

// The charset label a <meta> tag at `*pos` (just after "<meta") declares, or "". Leaves `*pos` at
// the tag's end.
std::string meta_charset(std::string_view s, size_t* pos) {
  bool http_equiv_content_type = false;
  std::string content;
  std::string charset;
  Attribute attr;
  while (next_attribute(s, pos, &attr)) {
    if (attr.name == "http-equiv") {
      http_equiv_content_type = lowercase_trimmed(attr.value) == "content-type";
    } else if (attr.name == "content" && content.empty()) {
      content = attr.value;
    } else if (attr.name == "charset" && charset.empty()) {
      charset = attr.value;
    }
  }
  if (!charset.empty()) return charset;
  if (http_equiv_content_type) return charset_parameter(content);
  return "";
}

// Skips a tag that is not <meta> (its name and attributes), from `*pos` just after '<'.
void skip_tag(std::string_view s, size_t* pos) {
  size_t i = *pos;
  while (i < s.size() && !ascii::is_html_space(s[i]) && s[i] != '>') ++i;
  *pos = i;
  Attribute attr;
  while (next_attribute(s, pos, &attr)) {
  }
}

// The HTML5 prescan of the first 1024 bytes, in spirit: skips comments and other tags, reads
// <meta charset> and <meta http-equiv="Content-Type" content="...charset=...">, and returns the
// first label ICU knows (with UTF-16 read as UTF-8: a page whose markup we can read in ASCII is
// not UTF-16). Null when there is none.
Converter prescan_meta(std::string_view bytes) {
  std::string_view s = bytes.substr(0, kMetaPrescanBytes);
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '<') {
      ++i;
    } else if (s.substr(i, 4) == "<!--") {
      size_t end = s.find("-->", i + 4);
      if (end == std::string_view::npos) return nullptr;
      i = end + 3;
    } else if (ascii::istarts_with(s.substr(i), "<meta") && i + 5 < s.size() &&
               (ascii::is_html_space(s[i + 5]) || s[i + 5] == '/')) {
      i += 5;
      std::string label = meta_charset(s, &i);
      if (label.empty()) continue;
      Converter converter = open_converter(label);
      if (converter && is_utf16(converter.get())) converter = open_converter("UTF-8");
      if (converter) return converter;
    } else if (i + 1 < s.size() &&
               (ascii::is_alpha(s[i + 1]) ||
                (s[i + 1] == '/' && i + 2 < s.size() && ascii::is_alpha(s[i + 2])))) {
      ++i;
      skip_tag(s, &i);
    } else if (i + 1 < s.size() && (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
      size_t end = s.find('>', i + 2);
      if (end == std::string_view::npos) return nullptr;
      i = end + 1;
    } else {
      ++i;
    }
  }
  return nullptr;
}

struct DetectorCloser {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};

// ICU's statistical guess from the first kDetectorBytes (markup filtered out), or null.
Converter detect_charset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, DetectorCloser> detector(ucsdet_open(&status));
  if (U_FAILURE(status)) return nullptr;
  std::string_view sample = bytes.substr(0, kDetectorBytes);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  ucsdet_enableInputFilter(detector.get(), true);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  if (U_FAILURE(status) || match == nullptr) return nullptr;
  const char* name = ucsdet_getName(match, &status);
  if (U_FAILURE(status) || name == nullptr) return nullptr;
  return open_converter(name);
}

// ---------------------------------------------------------------------------------------------
// Decoding

// The to-Unicode error callback: every illegal or unmapped byte sequence becomes U+FFFD. (ICU's
// default substitutes U+001A for single bytes in some code pages.)
void substitute_replacement_character(const void*, UConverterToUnicodeArgs* args, const char*,
                                      int32_t, UConverterCallbackReason reason,
                                      UErrorCode* status) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to write
  static const UChar kFffd[] = {0xFFFD};
  *status = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, kFffd, 1, 0, status);
}

// Converts `bytes` from the charset of `from` to UTF-8, streaming through ICU's pivot buffer so
// memory stays linear. The result may hold NULs; repair_utf8 replaces them.
std::string convert_to_utf8(std::string_view bytes, UConverter* from) {
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(from, substitute_replacement_character, nullptr, nullptr, nullptr, &status);
  Converter to(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) return repair_utf8(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  UChar pivot[4096];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  const char* source = bytes.data();
  const char* source_limit = bytes.data() + bytes.size();
  char buffer[16384];
  bool reset = true;
  while (true) {
    char* target = buffer;
    status = U_ZERO_ERROR;
    ucnv_convertEx(to.get(), from, &target, buffer + sizeof buffer, &source, source_limit, pivot,
                   &pivot_source, &pivot_target, pivot + 4096, reset, /*flush=*/true, &status);
    reset = false;
    out.append(buffer, target - buffer);
    if (status != U_BUFFER_OVERFLOW_ERROR) break;  // done, or an error we cannot recover from
  }
  return out;
}

struct Choice {
  Converter converter;
  std::string source;
  size_t skip = 0;  // bytes of byte-order mark to drop
};

Choice choose_charset(std::string_view bytes, std::string_view content_type) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return {open_converter("UTF-8"), "bom", 3};
  if (bytes.starts_with("\xFF\xFE")) return {open_converter("UTF-16LE"), "bom", 2};
  if (bytes.starts_with("\xFE\xFF")) return {open_converter("UTF-16BE"), "bom", 2};
  if (Converter c = open_converter(charset_parameter(content_type))) return {std::move(c), "http"};
  if (Converter c = prescan_meta(bytes)) return {std::move(c), "meta"};
  if (!bytes.empty()) {
    if (is_valid_utf8(bytes)) return {open_converter("UTF-8"), "detected"};
    if (Converter c = detect_charset(bytes)) return {std::move(c), "detected"};
  }
  return {open_converter("UTF-8"), "default"};
}

// ---------------------------------------------------------------------------------------------
// Whitespace

enum class CharClass { kOther, kSpace, kZeroWidth };

// classify() for a character whose lead byte may start a non-ASCII space or zero-width character.
CharClass classify_rare(std::string_view s, size_t i, size_t* len) {
  auto byte = [&](size_t k) -> unsigned char {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  unsigned char b0 = byte(0), b1 = byte(1), b2 = byte(2);
  if (b0 == 0xC2 && (b1 == 0xA0 || b1 == 0x85)) {  // U+00A0 NBSP, U+0085 NEL
    *len = 2;
    return CharClass::kSpace;
  }
  CharClass cls = CharClass::kOther;
  if (b0 == 0xE1 && b1 == 0x9A && b2 == 0x80) cls = CharClass::kSpace;  // U+1680
  if (b0 == 0xE2 && b1 == 0x80) {
    if (b2 >= 0x80 && b2 <= 0x8A) cls = CharClass::kSpace;                // U+2000..U+200A
    if (b2 >= 0x8B && b2 <= 0x8D) cls = CharClass::kZeroWidth;            // U+200B..U+200D
    if (b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) cls = CharClass::kSpace;  // U+2028/9, U+202F
  }
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0x9F) cls = CharClass::kSpace;      // U+205F
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0xA0) cls = CharClass::kZeroWidth;  // U+2060
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) cls = CharClass::kSpace;      // U+3000
  if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) cls = CharClass::kZeroWidth;  // U+FEFF
  *len = cls != CharClass::kOther ? 3 : 1;
  return cls;
}

// Classifies the character at s[i] (i < s.size()) and sets *len to its length in bytes. Only the
// few non-ASCII spaces are recognised by their exact bytes, so no UTF-8 decoding is needed on the
// hot path; anything else (including invalid bytes) is kOther, one byte at a time.
inline CharClass classify(std::string_view s, size_t i, size_t* len) {
  unsigned char b0 = static_cast<unsigned char>(s[i]);
  *len = 1;
  if (b0 < 0x80) {
    return ascii::is_space(static_cast<char>(b0)) ? CharClass::kSpace : CharClass::kOther;
  }
  // Only these lead bytes start a space or zero-width character; the rest of UTF-8 is kOther.
  if (b0 != 0xC2 && b0 != 0xE1 && b0 != 0xE2 && b0 != 0xE3 && b0 != 0xEF) return CharClass::kOther;
  return classify_rare(s, i, len);
}

}  // namespace

size_t utf8_sequence_length(const unsigned char* p, size_t avail, size_t* bad_length) {
  unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) lo = 0xA0;  // no overlong forms
    if (lead == 0xED) hi = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) lo = 0x90;  // no overlong forms
    if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *bad_length = 1;
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    bool in_range = k < avail && p[k] >= (k == 1 ? lo : 0x80) && p[k] <= (k == 1 ? hi : 0xBF);
    if (!in_range) {
      *bad_length = k;
      return 0;
    }
  }
  return need + 1;
}

DecodedText decode_html(std::string_view bytes, std::string_view content_type) {
  Choice choice = choose_charset(bytes, content_type);
  std::string_view body = bytes.substr(choice.skip);
  DecodedText result;
  if (!choice.converter) {  // ICU without its data: UTF-8 is all we can do
    result.charset = "UTF-8";
    result.source = "default";
    result.utf8 = to_nfc(body);
    return result;
  }
  result.charset = display_name(choice.converter.get());
  result.source = choice.source;
  if (is_utf8(choice.converter.get())) {
    result.utf8 = to_nfc(body);
  } else {
    result.utf8 = to_nfc(convert_to_utf8(body, choice.converter.get()));
  }
  return result;
}

std::string to_nfc(std::string_view utf8) {
  if (is_inert_utf8(utf8)) return std::string(utf8);
  return nfc_of_repaired_utf8(utf8);
}

void normalize_nfc(std::string* text) {
  if (!is_inert_utf8(*text)) *text = nfc_of_repaired_utf8(*text);
}

std::string collapse_whitespace(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;  // a space is owed before the next visible character
  size_t i = 0;
  while (i < utf8.size()) {
    size_t len = 1;
    CharClass cls = classify(utf8, i, &len);
    if (cls == CharClass::kOther) {  // copy the whole run of visible characters at once
      size_t end = i + len;
      while (end < utf8.size() && classify(utf8, end, &len) == CharClass::kOther) end += len;
      if (pending_space) out += ' ';
      pending_space = false;
      out.append(utf8.data() + i, end - i);
      i = end;
      continue;
    }
    if (cls == CharClass::kSpace) pending_space = !out.empty();
    i += len;
  }
  return out;
}

bool is_blank(std::string_view utf8) {
  size_t i = 0;
  while (i < utf8.size()) {
    size_t len = 1;
    if (classify(utf8, i, &len) == CharClass::kOther) return false;
    i += len;
  }
  return true;
}

void append_utf8(unsigned long code_point, std::string* out) {
  if (code_point == 0 || code_point > 0x10FFFF || U_IS_SURROGATE(code_point)) code_point = 0xFFFD;
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(bytes, length, static_cast<UChar32>(code_point));
  out->append(bytes, static_cast<size_t>(length));
}

size_t count_words(std::string_view collapsed) {
  size_t words = 0;
  bool in_word = false;
  size_t i = 0;
  while (i < collapsed.size()) {
    size_t len = 1;
    CharClass cls = classify(collapsed, i, &len);
    if (cls == CharClass::kSpace) {
      in_word = false;
    } else if (cls == CharClass::kOther && !in_word) {
      in_word = true;
      ++words;
    }
    i += len;
  }
  return words;
}

}  // namespace provarc
