// text/fold.h: the search form of text (ICU): Vietnamese folded to plain letters, and the words a
// full-text index is made of. Owns nothing else; needs only ICU, so archive/ uses it without the
// parsers. Thread-safe: every function may be called from any thread.
//
// Folding, per code point (so decomposed input folds exactly like precomposed input):
//   1. NFD (canonical decomposition): "ồ" U+1ED3 -> o U+0302 U+0300;
//   2. Unicode full case folding (CaseFolding.txt, C+F): "Ồ" -> "ồ", "ß" -> "ss";
//   3. NFD again (case folding may compose), then every nonspacing mark (General_Category Mn) is
//      removed: all five Vietnamese tones, the circumflex, the breve and the horn;
//   4. đ (U+0111, also Đ U+0110 after step 2) becomes d: it is a letter of its own, not d with a
//      mark, so NFD leaves it (the reason FTS5's unicode61 remove_diacritics cannot fold it).
// "Đồng Tháp", its NFD form and "ĐỒNG THÁP" all fold to "dong thap".
//
// Deviation from a plain "remove diacritics": removing every Mn also drops the marks of other
// scripts (Thai vowel signs, Devanagari virama, Hebrew points). Both the index and the query
// fold alike, so this only widens matches in those scripts; spacing marks (Mc) are kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace provarc {

// The folded form of `utf8` (see above). Characters that are not letters are folded too and kept
// (spaces, punctuation). Ill-formed UTF-8 becomes U+FFFD.
std::string fold_for_search(std::string_view utf8);

// One word of a text: a maximal run of letters, digits and marks (General_Category L*, N*, M*).
// Format characters (Cf: soft hyphen, zero-width joiner) inside a run are skipped without ending
// it; everything else (spaces, punctuation, symbols, ill-formed bytes) separates words. So
// "COVID-19" is two words, "covid" and "19", and "4.0" is "4" and "0".
struct SearchWord {
  std::string_view folded;  // the word's fold; valid until the reader's next call to next()
  size_t begin = 0;         // the word's bytes in the text: [begin, end)
  size_t end = 0;
};

// Reads the words of a UTF-8 text in order; words that fold to nothing (a stray mark after a
// space) are skipped. The text must outlive the reader. Not thread-safe (one reader per thread).
//
//   SearchWordReader reader(text);
//   for (SearchWord w; reader.next(&w);) index(w.folded, w.begin, w.end);
class SearchWordReader {
 public:
  explicit SearchWordReader(std::string_view utf8) : text_(utf8) {}

  // The next word, or false at the end of the text.
  bool next(SearchWord* word);

 private:
  std::string_view text_;
  size_t at_ = 0;
  std::string folded_;
};

}  // namespace provarc
