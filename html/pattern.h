// html/pattern.h: regular expressions over UTF-8 text, compiled by ICU (Unicode-aware, and with
// a time limit so that a hostile pattern or page cannot hang the program).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace provarc {

// When ICU gives up (a match needs more than its step or stack limit, see pattern.cc), a pattern
// has not said whether it matches. What that means is up to each use, so that none fails open:
//  - search(), full_match(), replace_all() fold it into "no match" / "text unchanged": extraction
//    rules (chrome_patterns drop a line only when they match, title_strip removes only what
//    matches) then keep the text, which is the safe side for them;
//  - the crawl's URL patterns ask matches(), which tells it apart, and decide themselves
//    (crawler/scope.h): an exclude pattern that gives up excludes the URL, an include pattern that
//    gives up does not include it, an article or listing pattern that gives up does not match; and
//    they warn once per pattern.
class Pattern {
 public:
  // Compiles `source` (ICU regex syntax, case-sensitive unless it starts with (?i)).
  // Fails with the ICU error and the offset in the pattern where it was detected.
  static Result<Pattern> compile(std::string_view source);

  struct Match {
    size_t begin = 0;  // byte offsets into the searched UTF-8 text
    size_t end = 0;
    std::vector<std::string> groups;  // groups[0] is the whole match; absent groups are ""
  };

  // First match in `text`, or nullopt (also when the time limit is hit).
  // Thread-safe: each call uses its own matcher.
  std::optional<Match> search(std::string_view text) const;

  enum class Found { kNo, kYes, kGaveUp };
  // Whether `text` has a match, telling ICU giving up (its step or stack limit) apart from no
  // match. Thread-safe.
  Found matches(std::string_view text) const;
  // True when the whole of `text` matches.
  bool full_match(std::string_view text) const;
  // `text` with every match replaced by `replacement` ($1 refers to group 1).
  std::string replace_all(std::string_view text, std::string_view replacement) const;

  const std::string& source() const { return source_; }
  // The number of capturing groups in the pattern (0 for none).
  int group_count() const;

  Pattern(const Pattern&);
  Pattern& operator=(const Pattern&);
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

 private:
  Pattern() = default;
  struct Impl;
  std::string source_;
  std::shared_ptr<const Impl> impl_;  // immutable, shared between copies
};

}  // namespace provarc
