#include "archive/text_diff.h"

#include <dtl/dtl.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "common/ascii.h"

namespace provarc {
namespace {

// dtl's O(NP) diff takes about (N + M) * P steps, P being the deletions from the longer side: few
// when two versions differ little, at worst the length of the shorter. A middle whose worst case
// exceeds this bound is not compared (it is shown as removed, then added). Measured (bench
// program, on the loaded 2-core machine): 1 000 lines against 1 000 others sharing one line take
// 150 ms, 1 400 (the bound) 280 ms; 2 000 lines with 21 changes spread through them 0.4 ms, where
// the LCS table this replaced took 44 ms. One step is a token comparison and a stored path
// coordinate (dtl keeps at most 2 million, 48 MB, then restarts from there).
constexpr uint64_t kMaxSteps = uint64_t{4} << 20;

using Tokens = std::vector<std::string_view>;

Tokens split_lines(std::string_view text) {
  Tokens lines;
  if (text.empty()) return lines;
  size_t start = 0;
  for (;;) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
    if (start == text.size()) return lines;  // a final newline ends the last line
  }
}

// Words and the runs of white space between them, in order; joined they give `text`.
Tokens split_words(std::string_view text) {
  Tokens tokens;
  size_t i = 0;
  while (i < text.size()) {
    const bool space = ascii::is_html_space(text[i]);
    size_t j = i + 1;
    while (j < text.size() && ascii::is_html_space(text[j]) == space) ++j;
    tokens.push_back(text.substr(i, j - i));
    i = j;
  }
  return tokens;
}

// True when a[a0, a0 + n) and b[b0, b0 + m) have a token in common. When they have none, the
// minimal script is "delete all, insert all" and dtl's worst case (P = the shorter side) need not
// be run to find it: a rewritten page is the common case of two versions with nothing alike.
bool share_a_token(const Tokens& a, size_t a0, size_t n, const Tokens& b, size_t b0, size_t m) {
  std::unordered_set<std::string_view> seen(a.begin() + a0, a.begin() + a0 + n);
  return std::any_of(b.begin() + b0, b.begin() + b0 + m,
                     [&](std::string_view token) { return seen.count(token) > 0; });
}

// The edit script turning a[a0, a0 + n) into b[b0, b0 + m): a minimal one from dtl when the
// worst case fits in kMaxSteps, else "delete all of a, insert all of b".
std::vector<DiffOp> middle_script(const Tokens& a, size_t a0, size_t n, const Tokens& b, size_t b0,
                                  size_t m) {
  std::vector<DiffOp> ops;
  const uint64_t steps = uint64_t{n + m} * std::min(n, m);
  if (n == 0 || m == 0 || steps > kMaxSteps || !share_a_token(a, a0, n, b, b0, m)) {
    ops.insert(ops.end(), n, DiffOp::kDelete);
    ops.insert(ops.end(), m, DiffOp::kInsert);
    return ops;
  }
  Tokens x(a.begin() + a0, a.begin() + a0 + n), y(b.begin() + b0, b.begin() + b0 + m);
  dtl::Diff<std::string_view, Tokens> diff(x, y);
  diff.compose();
  for (const auto& [token, info] : diff.getSes().getSequence()) {
    ops.push_back(info.type == dtl::SES_COMMON   ? DiffOp::kEqual
                  : info.type == dtl::SES_DELETE ? DiffOp::kDelete
                                                 : DiffOp::kInsert);
  }
  return ops;
}

// The edit script turning `a` into `b`: the common head and tail set aside, the middle compared.
std::vector<DiffOp> edit_script(const Tokens& a, const Tokens& b) {
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<DiffOp> ops(head, DiffOp::kEqual);
  std::vector<DiffOp> middle =
      middle_script(a, head, a.size() - head - tail, b, head, b.size() - head - tail);
  // Within a run of changes, deletions first: dtl interleaves them as its path goes.
  for (size_t i = 0; i < middle.size();) {
    size_t j = i;
    while (j < middle.size() && middle[j] != DiffOp::kEqual) ++j;
    std::stable_partition(middle.begin() + i, middle.begin() + j,
                          [](DiffOp op) { return op == DiffOp::kDelete; });
    i = j == i ? i + 1 : j;
  }
  ops.insert(ops.end(), middle.begin(), middle.end());
  ops.insert(ops.end(), tail, DiffOp::kEqual);
  return ops;
}

// "-start,count" in unified-diff form: an empty range names the line before it.
std::string range(size_t start, size_t count) {
  size_t first = count == 0 ? start : start + 1;
  std::string out = std::to_string(first);
  if (count != 1) out += "," + std::to_string(count);
  return out;
}

// Appends `text` as a piece of kind `op`, merged into the last piece when it is of that kind.
void append_piece(std::vector<DiffPiece>& pieces, DiffOp op, std::string_view text) {
  if (text.empty()) return;
  if (!pieces.empty() && pieces.back().op == op) {
    pieces.back().text += text;
  } else {
    pieces.push_back({op, std::string(text)});
  }
}

// Appends the word-level diff of `old_part` and `new_part` (a changed run of lines). White space
// left equal between two changes is counted as changed on both sides, so that "a b c" replaced
// by "x y z" reads as one deletion and one insertion, not three of each.
void append_word_diff(std::vector<DiffPiece>& pieces, std::string_view old_part,
                      std::string_view new_part) {
  const Tokens a = split_words(old_part), b = split_words(new_part);
  std::vector<std::pair<DiffOp, std::string_view>> script;
  size_t i = 0, j = 0;
  for (DiffOp op : edit_script(a, b)) {
    switch (op) {
      case DiffOp::kEqual: script.emplace_back(op, a[i++]); ++j; break;
      case DiffOp::kDelete: script.emplace_back(op, a[i++]); break;
      case DiffOp::kInsert: script.emplace_back(op, b[j++]); break;
    }
  }
  std::vector<std::pair<DiffOp, std::string_view>> cleaned;
  for (size_t k = 0; k < script.size(); ++k) {
    const auto& [op, token] = script[k];
    const bool between_changes = op == DiffOp::kEqual && ascii::is_html_space(token[0]) &&
                                 k > 0 && k + 1 < script.size() &&
                                 script[k - 1].first != DiffOp::kEqual &&
                                 script[k + 1].first != DiffOp::kEqual;
    if (!between_changes) {
      cleaned.emplace_back(op, token);
      continue;
    }
    cleaned.emplace_back(DiffOp::kDelete, token);
    cleaned.emplace_back(DiffOp::kInsert, token);
  }
  // Within each run of changes, the deletions first.
  for (size_t k = 0; k < cleaned.size();) {
    size_t end = k;
    while (end < cleaned.size() && cleaned[end].first != DiffOp::kEqual) ++end;
    std::stable_partition(cleaned.begin() + k, cleaned.begin() + end,
                          [](const auto& step) { return step.first == DiffOp::kDelete; });
    k = end == k ? k + 1 : end;
  }
  for (const auto& [op, token] : cleaned) append_piece(pieces, op, token);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context) {
  if (old_text == new_text) return "";
  const Tokens a = split_lines(old_text);
  const Tokens b = split_lines(new_text);
  const std::vector<DiffOp> ops = edit_script(a, b);
  if (std::all_of(ops.begin(), ops.end(), [](DiffOp op) { return op == DiffOp::kEqual; })) {
    return "";  // equal lines, different line endings only (a final newline)
  }

  // Positions in a and b before each op, to print hunk ranges.
  std::vector<size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t k = 0; k < ops.size(); ++k) {
    ai[k + 1] = ai[k] + (ops[k] != DiffOp::kInsert);
    bi[k + 1] = bi[k] + (ops[k] != DiffOp::kDelete);
  }
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  std::string out = "--- " + std::string(old_label) + "\n+++ " + std::string(new_label) + "\n";
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k] == DiffOp::kEqual) ++k;
    if (k == ops.size()) break;
    // A hunk: from `ctx` lines before this change to `ctx` lines after the last change that is
    // separated from the next by at most 2 * ctx equal lines.
    size_t begin = k >= ctx ? k - ctx : 0;
    size_t end = k;
    for (;;) {
      while (end < ops.size() && ops[end] != DiffOp::kEqual) ++end;
      size_t equal_run = end;
      while (equal_run < ops.size() && ops[equal_run] == DiffOp::kEqual) ++equal_run;
      if (equal_run < ops.size() && equal_run - end <= 2 * ctx) {
        end = equal_run;
        continue;
      }
      end = std::min(end + ctx, ops.size());
      break;
    }
    out += "@@ -" + range(ai[begin], ai[end] - ai[begin]) + " +" +
           range(bi[begin], bi[end] - bi[begin]) + " @@\n";
    for (size_t x = begin; x < end; ++x) {
      switch (ops[x]) {
        case DiffOp::kEqual: out += " " + std::string(a[ai[x]]) + "\n"; break;
        case DiffOp::kDelete: out += "-" + std::string(a[ai[x]]) + "\n"; break;
        case DiffOp::kInsert: out += "+" + std::string(b[bi[x]]) + "\n"; break;
      }
    }
    k = end;
  }
  return out;
}

std::vector<DiffPiece> word_diff(std::string_view old_text, std::string_view new_text) {
  std::vector<DiffPiece> pieces;
  if (old_text == new_text) {
    append_piece(pieces, DiffOp::kEqual, old_text);
    return pieces;
  }
  // Lines first, each with its newline, so that a long article whose one paragraph changed is
  // compared word by word in that paragraph only.
  Tokens a, b;
  for (Tokens* lines : {&a, &b}) {
    std::string_view text = lines == &a ? old_text : new_text;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      end = end == std::string_view::npos ? text.size() : end + 1;
      lines->push_back(text.substr(start, end - start));
      start = end;
    }
  }
  const std::vector<DiffOp> ops = edit_script(a, b);
  size_t i = 0, j = 0, k = 0;
  while (k < ops.size()) {
    if (ops[k] == DiffOp::kEqual) {
      append_piece(pieces, DiffOp::kEqual, a[i++]);
      ++j;
      ++k;
      continue;
    }
    // A run of changed lines: the deleted ones against the inserted ones, word by word. The
    // lines of a run are consecutive in their text, so each side is one substring.
    size_t i0 = i, j0 = j;
    for (; k < ops.size() && ops[k] != DiffOp::kEqual; ++k) {
      if (ops[k] == DiffOp::kDelete) ++i; else ++j;
    }
    auto joined = [](const Tokens& lines, size_t from, size_t to) -> std::string_view {
      if (from == to) return {};
      const char* begin = lines[from].data();
      const char* end = lines[to - 1].data() + lines[to - 1].size();
      return std::string_view(begin, static_cast<size_t>(end - begin));
    };
    append_word_diff(pieces, joined(a, i0, i), joined(b, j0, j));
  }
  return pieces;
}

}  // namespace provarc
