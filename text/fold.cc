// text/fold.cc: search folding with ICU. Each code point's fold is computed by ICU (NFD, case
// folding, mark removal) once, into a table for the scripts an archive of Vietnamese pages is
// made of (U+0000..U+24FF: Latin with Vietnamese, Greek, Cyrillic, punctuation), and on demand
// for the rest. Folding per code point equals folding the whole string: NFD and case folding act
// per code point, and the only reordering NFD does is among marks, which are removed.
#include "text/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

namespace provarc {
namespace {

enum class CharClass : uint8_t {
  kSeparator,  // ends a word
  kWord,       // letter, digit or mark: part of a word
  kIgnorable,  // format character: skipped inside a word
};

CharClass char_class(UChar32 c) {
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return CharClass::kWord;
    case U_FORMAT_CHAR:
      return CharClass::kIgnorable;
    default:
      return CharClass::kSeparator;
  }
}

constexpr UChar32 kLowerD = 0x64;
constexpr UChar32 kDStroke = 0x111;  // đ; Đ U+0110 case-folds to it

void append_utf8(UChar32 c, std::string* out) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buffer), length, U8_MAX_LENGTH, c, error);
  if (!error) out->append(buffer, static_cast<size_t>(length));
}

const icu::Normalizer2& nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = icu::Normalizer2::getNFDInstance(status);
  // ICU's data is linked in (ICU::data): the instance exists unless the library is broken.
  if (U_FAILURE(status) || instance == nullptr) std::abort();
  return *instance;
}

// The fold of one code point, by ICU: NFD, full case folding, NFD, nonspacing marks removed,
// đ -> d. Appended to `out`.
void fold_with_icu(UChar32 c, std::string* out) {
  const icu::Normalizer2& normalizer = nfd();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s = normalizer.normalize(icu::UnicodeString(c), status);
  s.foldCase(U_FOLD_CASE_DEFAULT);
  s = normalizer.normalize(s, status);
  if (U_FAILURE(status)) {
    append_utf8(c, out);
    return;
  }
  for (int32_t i = 0; i < s.length();) {
    UChar32 d = s.char32At(i);
    i += U16_LENGTH(d);
    if (u_charType(d) == U_NON_SPACING_MARK) continue;
    append_utf8(d == kDStroke ? kLowerD : d, out);
  }
}

// True when `c` folds to itself: no decomposition, no case folding, not a mark. Most code points
// beyond the table (CJK, Thai letters) are, and skip the ICU round trip.
bool folds_to_itself(UChar32 c) {
  icu::UnicodeString decomposition;
  return u_charType(c) != U_NON_SPACING_MARK && c != kDStroke &&
         !u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_CASEFOLDED) &&
         !nfd().getDecomposition(c, decomposition);
}

// The table: class and fold of every code point below kTableEnd.
constexpr UChar32 kTableEnd = 0x2500;
constexpr size_t kMaxInlineFold = 14;

struct TableEntry {
  CharClass cls = CharClass::kSeparator;
  uint8_t length = 0;           // bytes of the fold; kMaxInlineFold + 1: too long, ask ICU
  char bytes[kMaxInlineFold]{};
};

class FoldTable {
 public:
  FoldTable() {
    std::string fold;
    for (UChar32 c = 0; c < kTableEnd; ++c) {
      TableEntry& e = entries_[static_cast<size_t>(c)];
      e.cls = char_class(c);
      fold.clear();
      if (U_IS_SURROGATE(c)) {
        fold = "\xEF\xBF\xBD";
      } else {
        fold_with_icu(c, &fold);
      }
      if (fold.size() > kMaxInlineFold) {
        e.length = kMaxInlineFold + 1;
      } else {
        e.length = static_cast<uint8_t>(fold.size());
        std::memcpy(e.bytes, fold.data(), fold.size());
      }
    }
  }

  const TableEntry* find(UChar32 c) const {
    return c >= 0 && c < kTableEnd ? &entries_[static_cast<size_t>(c)] : nullptr;
  }

 private:
  std::array<TableEntry, kTableEnd> entries_;
};

const FoldTable& fold_table() {
  static const std::unique_ptr<FoldTable> table = std::make_unique<FoldTable>();
  return *table;
}

constexpr UChar32 kReplacementChar = 0xFFFD;

// The code point at p[0..avail) and its length in bytes; ill-formed bytes read as U+FFFD over
// their maximal subpart (ICU's U8_NEXT, the Unicode ch. 3 rule).
UChar32 decode(const uint8_t* p, size_t avail, size_t* length) {
  if (p[0] < 0x80) {
    *length = 1;
    return p[0];
  }
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(p, i, static_cast<int32_t>(std::min<size_t>(avail, 4)), c);
  *length = static_cast<size_t>(i);
  return c < 0 ? kReplacementChar : c;
}

// Appends the fold of `c` to `out`.
void fold_code_point(const FoldTable& table, UChar32 c, std::string* out) {
  const TableEntry* e = table.find(c);
  if (e != nullptr && e->length <= kMaxInlineFold) {
    out->append(e->bytes, e->length);
  } else if (e == nullptr && folds_to_itself(c)) {
    append_utf8(c, out);
  } else {
    fold_with_icu(c, out);
  }
}

CharClass class_of(const FoldTable& table, UChar32 c) {
  const TableEntry* e = table.find(c);
  return e != nullptr ? e->cls : char_class(c);
}

}  // namespace

std::string fold_for_search(std::string_view utf8) {
  const FoldTable& table = fold_table();
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    size_t length = 0;
    UChar32 c = decode(p + i, utf8.size() - i, &length);
    fold_code_point(table, c, &out);
    i += length;
  }
  return out;
}

bool SearchWordReader::next(SearchWord* word) {
  const FoldTable& table = fold_table();
  const auto* p = reinterpret_cast<const uint8_t*>(text_.data());
  const size_t size = text_.size();
  while (at_ < size) {
    // Skip to the first word character.
    size_t length = 0;
    UChar32 c = decode(p + at_, size - at_, &length);
    if (class_of(table, c) != CharClass::kWord) {
      at_ += length;
      continue;
    }
    // Fold the run of word and ignorable characters; it ends after its last word character.
    const size_t begin = at_;
    size_t end = at_;
    folded_.clear();
    while (at_ < size) {
      c = decode(p + at_, size - at_, &length);
      const CharClass cls = class_of(table, c);
      if (cls == CharClass::kSeparator) break;
      at_ += length;
      if (cls == CharClass::kWord) {
        fold_code_point(table, c, &folded_);
        end = at_;
      }
    }
    if (folded_.empty()) continue;
    word->folded = folded_;
    word->begin = begin;
    word->end = end;
    return true;
  }
  return false;
}

}  // namespace provarc
