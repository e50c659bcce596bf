// archive/text_diff.h: diffs between two versions of an article's text: line-based unified diffs as
// `provarc history` prints them, and word-level diffs as the web reader marks them. Both use
// dtl's O(NP) diff (Wu, Manber and Myers 1990; Debian's libdtl-dev). Pure functions, thread-safe,
// bounded in time and memory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provarc {

// The unified diff ("--- old_label", "+++ new_label", "@@ -a,b +c,d @@" hunks with `context` lines
// around each change) that turns `old_text` into `new_text`, compared line by line; "" when they
// are equal. The diff is minimal when the lines that differ, after the common head and tail are
// set aside, number at most a few thousand on each side; beyond that (a hostile or rewritten
// page) the differing middle is shown as removed then added, rather than spending quadratic time.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context = 3);

enum class DiffOp { kEqual, kDelete, kInsert };

struct DiffPiece {
  DiffOp op = DiffOp::kEqual;
  std::string text;
  bool operator==(const DiffPiece&) const = default;
};

// The word-level diff that turns `old_text` into `new_text`: pieces in order, whose kEqual and
// kDelete texts joined give `old_text` and whose kEqual and kInsert texts joined give `new_text`.
// Words are runs of characters other than ASCII white space; the white space between them is
// compared as tokens too, so a paragraph break ("\n\n") is kept, added or removed like a word.
// Lines are compared first and words only within the lines that differ; adjacent pieces of one
// kind are merged, and a deletion comes before the insertion that replaces it. A changed block
// too large to compare word by word (as in unified_diff) is one deletion and one insertion.
std::vector<DiffPiece> word_diff(std::string_view old_text, std::string_view new_text);

}  // namespace provarc
