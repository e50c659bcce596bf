#include "archive/text_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace provarc {
namespace {

// The LCS table of the differing middle may hold at most this many cells (one byte each).
constexpr size_t kMaxCells = size_t{16} << 20;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
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

enum class Op : uint8_t { kEqual, kDelete, kInsert };

// The edit script turning a[0..n) into b[0..m): a minimal one from an LCS table when it fits in
// kMaxCells, else "delete all of a, insert all of b".
std::vector<Op> middle_script(const std::vector<std::string_view>& a, size_t a0, size_t n,
                              const std::vector<std::string_view>& b, size_t b0, size_t m) {
  std::vector<Op> ops;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > kMaxCells) {
    ops.insert(ops.end(), n, Op::kDelete);
    ops.insert(ops.end(), m, Op::kInsert);
    return ops;
  }
  // LCS lengths of the suffixes a[i..n) and b[j..m) are kept for two rows only; the direction
  // taken at every cell is kept in one byte, to walk the script forward afterwards.
  std::vector<uint8_t> take(n * m);  // 0: equal, 1: skip a[i], 2: skip b[j]
  std::vector<uint32_t> next(m + 1, 0), row(m + 1, 0);
  for (size_t i = n; i-- > 0;) {
    row[m] = 0;
    for (size_t j = m; j-- > 0;) {
      uint8_t& t = take[i * m + j];
      if (a[a0 + i] == b[b0 + j]) {
        row[j] = next[j + 1] + 1;
        t = 0;
      } else if (next[j] >= row[j + 1]) {
        row[j] = next[j];
        t = 1;
      } else {
        row[j] = row[j + 1];
        t = 2;
      }
    }
    std::swap(row, next);
  }
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    switch (take[i * m + j]) {
      case 0: ops.push_back(Op::kEqual); ++i; ++j; break;
      case 1: ops.push_back(Op::kDelete); ++i; break;
      default: ops.push_back(Op::kInsert); ++j; break;
    }
  }
  ops.insert(ops.end(), n - i, Op::kDelete);
  ops.insert(ops.end(), m - j, Op::kInsert);
  return ops;
}

// "-start,count" in unified-diff form: an empty range names the line before it.
std::string range(size_t start, size_t count) {
  size_t first = count == 0 ? start : start + 1;
  std::string out = std::to_string(first);
  if (count != 1) out += "," + std::to_string(count);
  return out;
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context) {
  if (old_text == new_text) return "";
  const std::vector<std::string_view> a = split_lines(old_text);
  const std::vector<std::string_view> b = split_lines(new_text);
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<Op> ops(head, Op::kEqual);
  std::vector<Op> middle =
      middle_script(a, head, a.size() - head - tail, b, head, b.size() - head - tail);
  ops.insert(ops.end(), middle.begin(), middle.end());
  ops.insert(ops.end(), tail, Op::kEqual);
  if (std::all_of(ops.begin(), ops.end(), [](Op op) { return op == Op::kEqual; })) {
    return "";  // equal lines, different line endings only (a final newline)
  }

  // Positions in a and b before each op, to print hunk ranges.
  std::vector<size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t k = 0; k < ops.size(); ++k) {
    ai[k + 1] = ai[k] + (ops[k] != Op::kInsert);
    bi[k + 1] = bi[k] + (ops[k] != Op::kDelete);
  }
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  std::string out = "--- " + std::string(old_label) + "\n+++ " + std::string(new_label) + "\n";
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k] == Op::kEqual) ++k;
    if (k == ops.size()) break;
    // A hunk: from `ctx` lines before this change to `ctx` lines after the last change that is
    // separated from the next by at most 2 * ctx equal lines.
    size_t begin = k >= ctx ? k - ctx : 0;
    size_t end = k;
    for (;;) {
      while (end < ops.size() && ops[end] != Op::kEqual) ++end;
      size_t equal_run = end;
      while (equal_run < ops.size() && ops[equal_run] == Op::kEqual) ++equal_run;
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
        case Op::kEqual: out += " " + std::string(a[ai[x]]) + "\n"; break;
        case Op::kDelete: out += "-" + std::string(a[ai[x]]) + "\n"; break;
        case Op::kInsert: out += "+" + std::string(b[bi[x]]) + "\n"; break;
      }
    }
    k = end;
  }
  return out;
}

}  // namespace provarc
