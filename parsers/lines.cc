#include "parsers/lines.h"

#include <algorithm>
#include <string_view>

#include "common/ascii.h"
#include "parsers/dates.h"
#include "html/text.h"

namespace provarc::internal {

namespace {

// Related-articles headings of every family (portals.md §2–§6 and the held-out rounds): the box
// after an article, or inside its content element, lists other articles under one of these.
constexpr std::string_view kRelatedHeadings[] = {
    "Tin khác",       "Các tin khác",      "Tin liên quan",   "Các tin liên quan",
    "Tin đã đưa",     "Các tin đã đưa",    "Bài viết khác",   "Các bài viết khác",
    "Bài viết liên quan", "Tin cùng chuyên mục",
    // Inside the text (round 7): "Bài liên quan:" over a list, "Xem thêm: <a>…</a>" on one line.
    "Bài liên quan", "Các bài liên quan", "Tin bài liên quan", "Xem thêm", "Đọc thêm",
};

// Page tools printed beside an article (portals.md §3.3, §5: print, e-mail, back, top, share).
constexpr std::string_view kToolWords[] = {
    "In bài viết", "In bài", "In tin", "In trang", "Bản in", "Gửi email", "Gửi e-mail", "Gửi bài",
    "Quay lại", "Quay về", "Trở về", "Trở lại", "Đầu trang", "Chia sẻ", "Lưu tin", "Phóng to", "Thu nhỏ",
    "Lên đầu trang", "Về đầu trang", "Góp ý", "Bình luận",
};

// Widget headings that templates glue to the last line of an article (portals.md §1, §5).
constexpr std::string_view kGluedWidgets[] = {"Thống kê truy cập", "Thong ke truy cap",
                                              "Liên kết website"};

// Visitor-counter and view-count labels (portals.md §5): "<label>: <number>" is chrome anywhere.
constexpr std::string_view kCounterLabels[] = {
    "Lượt xem",  "Số lượt xem", "Lượt truy cập", "Số lượt truy cập", "Đang online",
    "Đang trực tuyến", "Hôm nay", "Hôm qua", "Trong tuần", "Tháng này", "Tất cả",
    "Tổng truy cập", "Tổng lượt truy cập", "Lượt đọc",
};

constexpr std::string_view kBylineLabels[] = {
    "Tác giả:", "Tác giả", "Viết bởi", "Người viết:", "Bài và ảnh:", "Bài, ảnh:", "Bài:",
    "Tin và ảnh:", "Tin, ảnh:", "Tin:", "Nguồn:", "Gửi bởi", "Đăng bởi", "bởi", "By", "by",
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// "<counter label>: 1.204.377" (optionally after a bullet).
bool is_counter_line(std::string_view text) {
  if (starts_with(text, "• ")) text.remove_prefix(4);
  for (std::string_view label : kCounterLabels) {
    if (!starts_with(text, label)) continue;
    std::string_view rest = text.substr(label.size());
    size_t i = 0;
    while (i < rest.size() && rest[i] == ' ') ++i;
    if (i >= rest.size() || rest[i] != ':') continue;
    ++i;
    bool digit = false;
    for (; i < rest.size(); ++i) {
      char c = rest[i];
      if (ascii::is_digit(c)) digit = true;
      else if (c != ' ' && c != '.' && c != ',') return false;
    }
    if (digit) return true;
  }
  return false;
}

// False when `text` cannot be a counter line even once collapsed: is_counter_line wants a colon
// followed by digits, spaces and separators only, and collapsing neither adds a colon nor removes
// an ASCII letter. Read before collapsing each block's text for is_tools_row, which cost 9 M
// instructions of the 156-page profile on ordinary paragraphs (bench/README.md).
bool may_be_counter(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  for (size_t i = colon + 1; i < text.size(); ++i) {
    if (ascii::is_alpha(text[i])) return false;
  }
  return true;
}

// True when only a weekday, "ngày", a time and punctuation stand in `rest`: what may stand
// around an unlabelled date on a line of its own ("Thứ Tư, ngày 19/06/2019 - 08:45", "09:45 |").
constexpr std::string_view kWeekdayWords[] = {
    "Thứ", "thứ", "Hai", "hai",  "Ba",   "ba", "Tư",   "tư",   "Năm", "năm", "Sáu", "sáu", "Bảy",
    "bảy", "Chủ", "chủ", "Nhật", "nhật", "CN", "Ngày", "ngày", "-",   "|",   ",",   "(",   ")",
    // "Thứ 3", "T5", and the zone some portals print after the time.
    "2", "3", "4", "5", "6", "7", "T2", "T3", "T4", "T5", "T6", "T7", "(GMT+7)", "GMT+7", "(GMT+07:00)",
};

bool is_weekday_word(std::string_view word) {
  for (std::string_view w : kWeekdayWords) {
    if (word == w) return true;
  }
  return false;
}

// The next space-separated word of *words (its final commas and colons dropped), consumed.
std::string_view next_word(std::string_view* words) {
  size_t space = words->find(' ');
  std::string_view word = words->substr(0, space);
  *words = space == std::string_view::npos ? std::string_view() : words->substr(space + 1);
  while (!word.empty() && (word.back() == ',' || word.back() == ':')) word.remove_suffix(1);
  return word;
}

bool only_weekday_words(const std::string& rest) {
  std::string_view words = rest;
  while (!words.empty()) {
    std::string_view word = next_word(&words);
    if (word.empty()) continue;
    bool known = is_weekday_word(word);
    // A time printed before the date ("09:45 | 17/10/2023"): digits and colons only.
    known = known || (word.size() >= 4 && word.size() <= 8 && word.find(':') != word.npos &&
                      word.find_first_not_of("0123456789:") == word.npos);
    if (!known) return false;
  }
  return true;
}

bool is_separator(char c) { return c == ' ' || c == '|' || c == '-' || c == '/' || c == ','; }

}  // namespace

std::string strip_title(std::string title, const ExtractRules& rules) {
  for (const Pattern& p : rules.title_strip) title = p.replace_all(title, "");
  title = collapse_whitespace(title);
  // A back link printed in the headline's element ("Quay về Hậu Giang tổ chức …"). Only these:
  // "Góp ý …", "Chia sẻ …", "Trở lại …" open real headlines.
  for (std::string_view tool : {std::string_view("Quay về"), std::string_view("Quay lại")}) {
    if (title.size() > tool.size() + 1 && starts_with(title, tool) && title[tool.size()] == ' ') {
      title = title.substr(tool.size() + 1);
      break;
    }
  }
  // A trailing parenthesised date ("… (03/12/2018 10:10 AM)") belongs to the date, not the title.
  if (!title.empty() && title.back() == ')') {
    size_t open = title.rfind('(');
    if (open != std::string::npos && find_labelled_date(title.substr(open), rules.date_order)) {
      title = collapse_whitespace(title.substr(0, open));
    }
  }
  return title;
}

namespace {

// `text` without the dash some templates print before a closing byline ("– Tin, ảnh: X",
// "— Minh Khoa"): en and em dashes and the hyphen, each followed by a space.
std::string_view without_leading_dash(std::string_view text) {
  for (std::string_view dash : {std::string_view("– "), std::string_view("— "), std::string_view("- ")}) {
    if (starts_with(text, dash)) {
      text.remove_prefix(dash.size());
      while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      return text;
    }
  }
  return text;
}

// "Kim Ngân – Ảnh: Bảo Trân", "Minh Khoa | Nguồn: Báo Hậu Giang": the name before a second
// labelled field. A bar always separates fields; a dash only when a label (a byline label or a
// photo credit) follows it, since names and units are joined by dashes ("Nông Văn Đậm - Sở TT&TT").
std::string before_second_field(std::string name) {
  size_t bar = name.find(" | ");
  if (bar != std::string::npos) name = collapse_whitespace(name.substr(0, bar));
  for (std::string_view dash : {std::string_view(" – "), std::string_view(" — "), std::string_view(" - ")}) {
    size_t at = name.find(dash);
    if (at == std::string::npos || at == 0) continue;
    std::string next = name.substr(at + dash.size());
    if (has_byline_label(next) || is_photo_credit(next)) name = collapse_whitespace(name.substr(0, at));
  }
  return name;
}

}  // namespace

bool has_byline_label(const std::string& labelled) {
  const std::string text(without_leading_dash(labelled));
  for (std::string_view label : kBylineLabels) {
    if (text.size() > label.size() + 1 && starts_with(text, label) &&
        (text[label.size()] == ' ' || label.back() == ':')) {
      return true;
    }
  }
  return false;
}

std::string strip_byline_label(std::string text) {
  text = std::string(without_leading_dash(text));
  // "Theo Báo Nghệ An": the source a reprint names, without "Theo" (like "Nguồn:"). Only here, on
  // a line already taken as the byline: "Theo kế hoạch, …" opens many sentences.
  if (starts_with(text, "Theo ") && count_words(text) <= 7 && !ends_sentence(text)) {
    return collapse_whitespace(text.substr(5));
  }
  for (std::string_view label : kBylineLabels) {
    if (text.size() > label.size() + 1 && starts_with(text, label) &&
        (text[label.size()] == ' ' || label.back() == ':')) {
      // "Minh Khoa | Nguồn: Báo Hậu Giang": the person, before any second labelled field.
      std::string name = before_second_field(collapse_whitespace(text.substr(label.size())));
      // "Gửi bởi Nguyễn Hoài vào T3, 19/03/2024 - 14:05" (Drupal's "Submitted by X on DATE"):
      // the name ends at "vào" (on) when a date follows it; without a date "vào" stays (a byline
      // label and a date are two signals, "vào" alone is an ordinary word).
      size_t on = name.find(" vào ");
      if (on != std::string::npos && find_date(std::string_view(name).substr(on + 5),
                                               DateOrder::kDayFirst)) {
        name = collapse_whitespace(name.substr(0, on));
      }
      return name;
    }
  }
  return before_second_field(text);
}

bool ends_sentence(const std::string& text) {
  if (text.empty()) return false;
  char last = text.back();
  return last == '.' || last == ';' || last == ':' || last == '?' || last == '!' || last == ',';
}

bool has_letter(const std::string& text) {
  for (char c : text) {
    if (ascii::is_alpha(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

bool is_chrome_line(const std::string& text, const ExtractRules& rules) {
  for (const std::string& line : rules.chrome_lines) {
    if (text == line) return true;
  }
  for (const Pattern& p : rules.chrome_patterns) {
    if (p.full_match(text)) return true;
  }
  return is_counter_line(text);
}

bool is_tools_row(const std::string& text, const ExtractRules& rules) {
  std::string_view rest = text;
  int parts = 0;
  bool bar = false;
  while (true) {
    while (!rest.empty() && is_separator(rest.front())) {
      bar = bar || rest.front() == '|';
      rest.remove_prefix(1);
    }
    // One tool with a bar is what is left of a row once chrome glued to it was cut ("In tin |").
    if (rest.empty()) return parts >= 2 || (parts == 1 && bar);
    size_t best = 0;
    auto try_word = [&](std::string_view word) {
      if (word.size() > best && starts_with(rest, word) &&
          (rest.size() == word.size() || is_separator(rest[word.size()]))) {
        best = word.size();
      }
    };
    for (const std::string& line : rules.chrome_lines) try_word(line);
    for (std::string_view word : kToolWords) try_word(word);
    if (best == 0) {  // a counter segment up to the next bar: "Lượt xem: 1,245"
      size_t bar = rest.find('|');
      if (!may_be_counter(rest.substr(0, bar))) return false;
      std::string segment = collapse_whitespace(rest.substr(0, bar));
      if (!is_counter_line(segment)) return false;
      best = bar == std::string_view::npos ? rest.size() : bar;
    }
    rest.remove_prefix(best);
    ++parts;
  }
}

void strip_glued_chrome(std::string* text, const ExtractRules& rules) {
  auto cut = [&](std::string_view line) {
    if (line.size() < 10 || text->size() <= line.size()) return false;
    if (text->compare(text->size() - line.size(), line.size(), line) != 0) return false;
    *text = collapse_whitespace(text->substr(0, text->size() - line.size()));
    return true;
  };
  for (const std::vector<std::string>* lines : {&rules.chrome_lines, &rules.stop_lines}) {
    for (const std::string& line : *lines) {
      if (cut(line)) return;
    }
  }
  for (std::string_view widget : kGluedWidgets) {
    if (cut(widget)) return;
  }
}

bool is_photo_credit(const std::string& text) {
  return (starts_with(text, "Ảnh:") || starts_with(text, "Ảnh :")) && count_words(text) <= 8;
}

std::string without_counters(const std::string& text) {
  std::string out = text;
  for (std::string_view label : kCounterLabels) {
    size_t at = out.find(label);
    if (at == std::string::npos || !is_counter_line(std::string_view(out).substr(at))) continue;
    size_t cut = at;
    while (cut > 0 && (out[cut - 1] == ' ' || out[cut - 1] == '|' || out[cut - 1] == '-')) --cut;
    out.resize(cut);
  }
  return out;
}

namespace {

// False when `text` holds too many words to be a date line, read without looking for a date: a
// date line leaves at most five words beside a labelled date, and only weekday words and times
// beside an unlabelled one, and a date with its time spans at most four words that hold no digit
// and are no weekday word ("tháng", "lúc", "SA", "March", "AM"). So more than twelve such words
// (the count stops there) cannot be one. Running text is rejected within its first sentence,
// where the date searches below read the whole paragraph: they cost 31 M instructions of the
// 156-page profile, nearly all on body paragraphs (bench/README.md).
bool may_be_date_line(std::string_view words) {
  size_t others = 0;
  while (!words.empty()) {
    std::string_view word = next_word(&words);
    if (word.empty() || is_weekday_word(word)) continue;
    if (std::any_of(word.begin(), word.end(), [](char c) { return ascii::is_digit(c); })) continue;
    if (++others > 12) return false;
  }
  return true;
}

}  // namespace

bool is_date_line(const std::string& line, const ExtractRules& rules, std::string* iso) {
  // "Ngày đăng: 22/02/2019 - 07:45 | Lượt xem: 512": the view count is chrome beside the date.
  const std::string text = without_counters(line);
  if (text.empty() || !may_be_date_line(text)) return false;
  if (auto found = find_labelled_date(text, rules.date_order)) {
    std::string rest = text.substr(0, found->begin) + " " + text.substr(found->end);
    if (count_words(collapse_whitespace(rest)) > 5) return false;
    *iso = found->iso;
    return true;
  }
  auto found = find_date(text, rules.date_order);
  if (!found) found = find_date_alone(text, rules.date_order);
  if (!found) return false;
  if (!only_weekday_words(text.substr(0, found->begin) + " " + text.substr(found->end))) {
    return false;
  }
  *iso = found->iso;
  return true;
}

bool is_related_heading(const std::string& text, const ExtractRules& rules) {
  std::string_view line = text;
  while (!line.empty() && (line.back() == ':' || line.back() == ' ')) line.remove_suffix(1);
  for (const std::string& stop : rules.stop_lines) {
    if (text == stop || line == stop) return true;
  }
  for (std::string_view heading : kRelatedHeadings) {
    if (line == heading) return true;
  }
  return false;
}

bool is_breadcrumb(const std::string& text, size_t link_bytes) {
  static constexpr std::string_view kSeparators[] = {"›", "»", " > ", " / ", "|", "→"};
  size_t separators = 0;
  for (std::string_view sep : kSeparators) {
    for (size_t at = text.find(sep); at != std::string::npos; at = text.find(sep, at + 1)) {
      ++separators;
    }
  }
  size_t words = count_words(text);
  if (words > 25) return false;
  bool home = starts_with(text, "Trang chủ") || starts_with(text, "Home") ||
              starts_with(text, "Trang chu");
  if (home && (separators > 0 || text.find(" - ") != std::string::npos)) return true;
  size_t visible = 0;
  for (char c : text) visible += c != ' ';
  return separators > 0 && visible > 0 && link_bytes * 10 >= visible * 6;
}

namespace {

// A block whose visible text is at least 80 % link text.
bool mostly_links(const RawBlock& b) {
  if (b.text.empty()) return false;
  size_t visible = 0;
  for (char c : b.text) {
    if (c != ' ') ++visible;
  }
  return b.link_bytes * 10 >= visible * 8;
}

// Article prose: a paragraph of a dozen words or more, not a link, ending as a sentence does.
bool is_prose(const RawBlock& b) {
  return !b.image_only && b.kind == "paragraph" && !mostly_links(b) && count_words(b.text) >= 12 &&
         ends_sentence(b.text);
}

// "Xem thêm: <a>Đồng Tháp ban hành Kế hoạch …</a>": a related heading, a colon and a link to
// another page on one line inside the text. The label must be a related heading and the rest
// mostly link text; a link to a document ("Xem thêm: <a href=….pdf>Tờ trình …</a>") is the
// article's own attachment and stays (rounds 2 and 5, the generic fixtures).
bool is_related_link_line(const RawBlock& b, const ExtractRules& rules) {
  size_t colon = b.text.find(": ");
  if (b.image_only || b.file_link_bytes > 0 || colon == std::string::npos || colon > 40 ||
      !is_related_heading(b.text.substr(0, colon), rules)) {
    return false;
  }
  RawBlock rest = b;
  rest.text = b.text.substr(colon + 2);
  return mostly_links(rest);
}

}  // namespace

void cut_related_boxes(std::vector<RawBlock>* blocks, const ExtractRules& rules) {
  std::vector<RawBlock>& raw = *blocks;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (is_related_link_line(raw[i], rules)) {
      raw.erase(raw.begin() + static_cast<long>(i--));
      continue;
    }
    if (raw[i].image_only || !is_related_heading(raw[i].text, rules)) continue;
    size_t j = i + 1;
    while (j < raw.size() && mostly_links(raw[j])) ++j;
    if (j > i + 1 && j < raw.size() && is_prose(raw[j])) {
      raw.erase(raw.begin() + static_cast<long>(i), raw.begin() + static_cast<long>(j));
      --i;
      continue;
    }
    raw.resize(i);
    return;
  }
}

void drop_link_lists(std::vector<RawBlock>* blocks) {
  auto is_link_item = [](const RawBlock& b) { return b.in_list && mostly_links(b); };
  std::vector<bool> drop(blocks->size(), false);
  size_t i = 0;
  while (i < blocks->size()) {
    size_t j = i;
    while (j < blocks->size() && is_link_item((*blocks)[j])) ++j;
    if (j - i >= 3) std::fill(drop.begin() + i, drop.begin() + j, true);
    i = j > i ? j : i + 1;
  }
  std::vector<RawBlock> kept;
  for (size_t k = 0; k < blocks->size(); ++k) {
    if (!drop[k]) kept.push_back(std::move((*blocks)[k]));
  }
  *blocks = std::move(kept);
}

}  // namespace provarc::internal
