// html/pattern.cc: Pattern over ICU's RegexPattern. Text is searched in place as UTF-8 through a
// UText, so the offsets ICU reports (start64/end64) are byte offsets into the caller's string.
#include "html/pattern.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

namespace provarc {

struct Pattern::Impl {
  std::unique_ptr<icu::RegexPattern> regex;
};

namespace {

// One find() or match that needs more than this many units of ICU's engine (10 000 steps each,
// a fraction of a millisecond) gives up and reports no match. 500 units scan a few megabytes of
// text in tens of milliseconds, plenty for the element texts and lines patterns are applied to,
// and stop exponential backtracking such as ^(a+)+$ against "aaaa...b". Steps, not wall time:
// the outcome does not depend on the machine's load.
constexpr int32_t kTimeLimit = 500;
// Heap bytes for the backtracking stack of one match.
constexpr int32_t kStackLimit = 8 * 1024 * 1024;

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};
using TextHandle = std::unique_ptr<UText, UTextCloser>;

// A UText reading `text` in place. Null if ICU fails (it does not for in-memory UTF-8).
TextHandle open_utf8(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  TextHandle t(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

// A matcher of `regex` over `input` (a UTF-8 UText, or a UTF-16 UnicodeString where no byte
// offsets are needed; either must outlive the matcher), with the time and stack limits set; null
// on ICU failure. Each call gets its own matcher, which is what makes Pattern thread-safe:
// RegexPattern is immutable and may create matchers from several threads at once.
template <typename Input>
std::unique_ptr<icu::RegexMatcher> open_matcher(const icu::RegexPattern& regex, Input&& input) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> matcher(regex.matcher(status));
  if (U_FAILURE(status) || !matcher) return nullptr;
  matcher->setTimeLimit(kTimeLimit, status);
  matcher->setStackLimit(kStackLimit, status);
  matcher->reset(input);
  if (U_FAILURE(status)) return nullptr;
  return matcher;
}

// The byte offset in UTF-8 `s` of the UTF-16 offset `utf16_offset` (ICU reports pattern errors
// in UTF-16 units; people count in characters of what they wrote, bytes are the nearest we have).
size_t utf8_offset(std::string_view s, int32_t utf16_offset) {
  int32_t i = 0;
  int32_t units = 0;
  while (i < static_cast<int32_t>(s.size()) && units < utf16_offset) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
    units += (c >= 0x10000) ? 2 : 1;
  }
  return static_cast<size_t>(i);
}

// ICU's view of a pattern or replacement string (truncated at 2 GiB, which no pattern reaches).
icu::StringPiece string_piece(std::string_view s) {
  return icu::StringPiece(s.data(), static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX)));
}

// The span of group `group` of the last match as a string, or "" when the group took no part.
std::string group_text(const icu::RegexMatcher& matcher, std::string_view text, int32_t group) {
  UErrorCode status = U_ZERO_ERROR;
  int64_t begin = matcher.start64(group, status);
  int64_t end = matcher.end64(group, status);
  if (U_FAILURE(status) || begin < 0 || end < begin || static_cast<size_t>(end) > text.size()) {
    return "";
  }
  return std::string(text.substr(begin, end - begin));
}

}  // namespace

Result<Pattern> Pattern::compile(std::string_view source) {
  icu::UnicodeString regex_source = icu::UnicodeString::fromUTF8(string_piece(source));
  UParseError parse_error{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> regex(
      icu::RegexPattern::compile(regex_source, 0, parse_error, status));
  if (U_FAILURE(status) || !regex) {
    std::string message = "regex \"" + std::string(source) + "\": " + u_errorName(status);
    if (parse_error.offset >= 0) {
      message += " at offset " + std::to_string(utf8_offset(source, parse_error.offset));
    }
    return fail(message);
  }
  auto impl = std::make_shared<Impl>();
  impl->regex = std::move(regex);
  Pattern pattern;
  pattern.source_ = std::string(source);
  pattern.impl_ = std::move(impl);
  return pattern;
}

std::optional<Pattern::Match> Pattern::search(std::string_view text) const {
  if (!impl_) return std::nullopt;  // a moved-from Pattern matches nothing
  TextHandle utext = open_utf8(text);
  if (!utext) return std::nullopt;
  std::unique_ptr<icu::RegexMatcher> matcher = open_matcher(*impl_->regex, utext.get());
  if (!matcher) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  if (!matcher->find(status) || U_FAILURE(status)) return std::nullopt;  // also the time limit
  Match match;
  match.begin = static_cast<size_t>(matcher->start64(status));
  match.end = static_cast<size_t>(matcher->end64(status));
  if (U_FAILURE(status)) return std::nullopt;
  for (int32_t group = 0; group <= matcher->groupCount(); ++group) {
    match.groups.push_back(group_text(*matcher, text, group));
  }
  return match;
}

Pattern::Found Pattern::matches(std::string_view text) const {
  if (!impl_) return Found::kNo;
  TextHandle utext = open_utf8(text);
  if (!utext) return Found::kGaveUp;
  std::unique_ptr<icu::RegexMatcher> matcher = open_matcher(*impl_->regex, utext.get());
  if (!matcher) return Found::kGaveUp;
  UErrorCode status = U_ZERO_ERROR;
  const bool found = matcher->find(status);
  if (U_FAILURE(status)) return Found::kGaveUp;  // U_REGEX_TIME_OUT, U_REGEX_STACK_OVERFLOW
  return found ? Found::kYes : Found::kNo;
}

int Pattern::group_count() const {
  if (!impl_) return 0;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> matcher(impl_->regex->matcher(status));
  return U_SUCCESS(status) && matcher ? matcher->groupCount() : 0;
}

bool Pattern::full_match(std::string_view text) const {
  if (!impl_) return false;
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(string_piece(text));
  std::unique_ptr<icu::RegexMatcher> matcher = open_matcher(*impl_->regex, input);
  if (!matcher) return false;
  UErrorCode status = U_ZERO_ERROR;
  bool matched = matcher->matches(status);
  return matched && U_SUCCESS(status);
}

// On any ICU failure (the time limit, a replacement naming a group the pattern lacks) the text is
// returned unchanged: a half-replaced string would be worse than none. The text is matched as
// UTF-16 (no offsets are reported), ICU's fast path: over a UTF-8 UText every character access
// goes through the UText's chunking, and title_strip over every title candidate cost 36 000
// instructions a call that way (bench/parse/profile; see bench/README.md).
std::string Pattern::replace_all(std::string_view text, std::string_view replacement) const {
  if (!impl_) return std::string(text);
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(string_piece(text));
  std::unique_ptr<icu::RegexMatcher> matcher = open_matcher(*impl_->regex, input);
  if (!matcher) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  if (!matcher->find(status) || U_FAILURE(status)) return std::string(text);  // the usual case
  matcher->reset();
  icu::UnicodeString replaced =
      matcher->replaceAll(icu::UnicodeString::fromUTF8(string_piece(replacement)), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  replaced.toUTF8String(out);
  return out;
}

Pattern::Pattern(const Pattern&) = default;
Pattern& Pattern::operator=(const Pattern&) = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

}  // namespace provarc
