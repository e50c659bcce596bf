// archive/text_diff.h: line-based unified diffs between two versions of an article's text, as
// `provarc history` prints them. Pure functions, thread-safe, bounded in time and memory.
#pragma once

#include <string>
#include <string_view>

namespace provarc {

// The unified diff ("--- old_label", "+++ new_label", "@@ -a,b +c,d @@" hunks with `context` lines
// around each change) that turns `old_text` into `new_text`, compared line by line; "" when they
// are equal. The diff is minimal when the lines that differ, after the common head and tail are
// set aside, number at most a few thousand on each side; beyond that (a hostile or rewritten
// page) the differing middle is shown as removed then added, rather than spending quadratic time.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context = 3);

}  // namespace provarc
