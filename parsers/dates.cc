// parsers/dates.cc: a small hand-written scanner for the dates Vietnamese portals print. It tries
// each place a date could start (a digit run, "Thứ", "Chủ nhật", "ngày") and reads the few forms
// it knows, with a bounded amount of look-ahead, so the whole scan is linear in the text.
#include "parsers/dates.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>

#include "common/ascii.h"

namespace provarc {
namespace {

constexpr size_t kNone = std::string_view::npos;
constexpr int kMinYear = 1990;
constexpr int kMaxYear = 2100;
// White space allowed between two parts of one date ("(\u00a0 Cập nhật lúc:  12/04/2023").
constexpr int kMaxSpaces = 8;
constexpr int kVietnamOffsetMinutes = 7 * 60;  // Asia/Ho_Chi_Minh, no DST

struct Day {
  int year = 0;
  int month = 0;
  int day = 0;
  size_t end = 0;  // byte after the last character read
};

struct Clock {
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool has_seconds = false;
  bool english = false;  // an AM/PM marker (not the Vietnamese SA/CH)
  size_t end = 0;
};

struct DateTime {
  Day day;
  std::optional<Clock> clock;
  size_t begin = 0;
  size_t end = 0;
  bool weekday_decided = false;  // the printed weekday chose the order of a numeric day
};

// ---------------------------------------------------------------------------------------------
// Characters

// The code point at s[i] (negative when the bytes are not UTF-8); *next is the index after it.
UChar32 code_point_at(std::string_view s, size_t i, size_t* next) {
  int32_t length = static_cast<int32_t>(std::min<size_t>(4, s.size() - i));
  int32_t k = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data() + i), k, length, c);
  *next = i + k;
  return c;
}

// The code point that ends just before s[i], or -1 at the start of the text.
UChar32 code_point_before(std::string_view s, size_t i) {
  if (i == 0) return -1;
  size_t base = i >= 4 ? i - 4 : 0;
  int32_t k = static_cast<int32_t>(i - base);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data() + base), 0, k, c);
  return c;
}

// ICU's answers for the ASCII characters, looked up without a call into ICU: most characters a
// date scan looks at are ASCII, and asking ICU cost more than the rest of the scan.
struct AsciiTable {
  bool space[128];      // u_isUWhiteSpace
  bool word[128];       // is_word_char
  UChar32 folded[128];  // u_foldCase
};

const AsciiTable& ascii_table() {
  static const AsciiTable table = [] {
    AsciiTable t{};
    for (UChar32 c = 0; c < 128; ++c) {
      t.space[c] = u_isUWhiteSpace(c);
      t.word[c] = u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
      t.folded[c] = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    }
    return t;
  }();
  return table;
}

bool is_space(UChar32 c) {
  if (c >= 0 && c < 128) return ascii_table().space[c];
  return c >= 0 && u_isUWhiteSpace(c);
}
// Letters, digits and combining marks: what a date may not be glued to.
bool is_word_char(UChar32 c) {
  if (c >= 0 && c < 128) return ascii_table().word[c];
  return c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0);
}
UChar32 fold_case(UChar32 c) {
  if (c >= 0 && c < 128) return ascii_table().folded[c];
  return u_foldCase(c, U_FOLD_CASE_DEFAULT);
}

// Index after up to kMaxSpaces white-space characters from i.
size_t skip_spaces(std::string_view s, size_t i) {
  for (int n = 0; n < kMaxSpaces && i < s.size(); ++n) {
    size_t next;
    if (!is_space(code_point_at(s, i, &next))) break;
    i = next;
  }
  return i;
}

// Like skip_spaces, but at least one space is required; kNone when there is none.
size_t skip_required_spaces(std::string_view s, size_t i) {
  size_t j = skip_spaces(s, i);
  return j > i ? j : kNone;
}

// Index after `word` matched case-insensitively (ICU case folding, so "ĐĂNG" matches "đăng") at
// s[i], where a space in `word` stands for a run of white space; kNone when it does not match or
// the match ends inside a longer word. Both are expected in NFC.
size_t match_word(std::string_view s, size_t i, std::string_view word) {
  size_t w = 0;
  while (w < word.size()) {
    size_t w_next;
    UChar32 wc = code_point_at(word, w, &w_next);
    if (wc == ' ') {
      i = skip_required_spaces(s, i);
      if (i == kNone) return kNone;
    } else {
      if (i >= s.size()) return kNone;
      size_t next;
      UChar32 c = code_point_at(s, i, &next);
      if (c < 0 || fold_case(c) != fold_case(wc)) {
        return kNone;
      }
      i = next;
    }
    w = w_next;
  }
  size_t next;
  if (i < s.size() && is_word_char(code_point_at(s, i, &next))) return kNone;
  return i;
}

// True when the character before s[i] makes whatever starts at i part of something larger:
// a letter or digit ("1907/QĐ", "IPv6"), a slash ("27,599/30,5"), or a separator that itself
// follows a digit ("20,657", "1.135", "11:28/...").
bool glued_before(std::string_view s, size_t i) {
  UChar32 c = code_point_before(s, i);
  if (c < 0) return false;
  if (is_word_char(c) || c == '/') return true;
  if (c == '.' || c == ',' || c == '-' || c == ':') return i >= 2 && ascii::is_digit(s[i - 2]);
  return false;
}

// True when the character at s[i] continues the date that ends there into something else:
// a letter or digit, a slash ("12/04/2023/QĐ"), or a separator followed by a digit or letter
// ("01/01/2020-12/04/2023", "2023.5"). A sentence's final "." or "," stays allowed.
bool glued_after(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  size_t next;
  UChar32 c = code_point_at(s, i, &next);
  if (is_word_char(c) || c == '/') return true;
  if (c == '.' || c == ',' || c == '-' || c == ':') {
    return next < s.size() && is_word_char(code_point_at(s, next, &next));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Numbers and validity

struct Number {
  int value = 0;      // -1 when longer than four digits
  size_t digits = 0;  // the whole digit run, so that "20201" is not read as a year
  size_t end = 0;
};

std::optional<Number> read_number(std::string_view s, size_t i) {
  if (i >= s.size() || !ascii::is_digit(s[i])) return std::nullopt;
  Number n;
  size_t j = i;
  while (j < s.size() && ascii::is_digit(s[j])) {
    if (j - i < 4) n.value = n.value * 10 + (s[j] - '0');
    ++j;
  }
  n.digits = j - i;
  if (n.digits > 4) n.value = -1;
  n.end = j;
  return n;
}

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (month == 2 && is_leap_year(year)) ? 29 : kDays[month - 1];
}

bool is_valid_day(int year, int month, int day) {
  return year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

// Moves a date and time given at UTC offset `offset_minutes` to Vietnamese time.
void shift_to_vietnam(Day* day, Clock* clock, int offset_minutes) {
  int64_t minutes = days_from_civil(day->year, day->month, day->day) * 1440 + clock->hour * 60 +
                    clock->minute - offset_minutes + kVietnamOffsetMinutes;
  int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  int64_t in_day = minutes - days * 1440;
  civil_from_days(days, &day->year, &day->month, &day->day);
  clock->hour = static_cast<int>(in_day / 60);
  clock->minute = static_cast<int>(in_day % 60);
}

// ---------------------------------------------------------------------------------------------
// The parts of a date

// "H:MM", "H:MM:SS", each optionally followed by AM/PM or the Vietnamese SA (sáng, morning) /
// CH (chiều, afternoon), case-insensitive.
std::optional<Clock> parse_clock(std::string_view s, size_t i) {
  std::optional<Number> hour = read_number(s, i);
  // "15h40": the Vietnamese way of writing a time, with no seconds and no AM/PM after it.
  bool with_h = hour && hour->end < s.size() && (s[hour->end] == 'h' || s[hour->end] == 'H');
  if (!hour || hour->digits > 2 || hour->end >= s.size() || (s[hour->end] != ':' && !with_h)) {
    return std::nullopt;
  }
  std::optional<Number> minute = read_number(s, hour->end + 1);
  if (!minute || minute->digits != 2) return std::nullopt;
  Clock clock;
  clock.hour = hour->value;
  clock.minute = minute->value;
  clock.end = minute->end;
  if (with_h) {
    if (glued_after(s, clock.end) || clock.hour > 23 || clock.minute > 59) return std::nullopt;
    return clock;
  }
  if (clock.end + 1 < s.size() && s[clock.end] == ':') {
    std::optional<Number> second = read_number(s, clock.end + 1);
    if (second && second->digits == 2) {
      clock.second = second->value;
      clock.has_seconds = true;
      clock.end = second->end;
    }
  }
  size_t marker_at = skip_spaces(s, clock.end);
  bool morning = false;
  bool afternoon = false;
  for (std::string_view marker : {"am", "sa", "pm", "ch"}) {
    size_t end = match_word(s, marker_at, marker);
    if (end == kNone) continue;
    morning = marker == "am" || marker == "sa";
    afternoon = !morning;
    clock.english = marker == "am" || marker == "pm";
    clock.end = end;
    break;
  }
  if (morning || afternoon) {
    if (clock.hour < 1 || clock.hour > 12) return std::nullopt;
    clock.hour = clock.hour % 12 + (afternoon ? 12 : 0);  // 12 AM is 00, 12 PM is 12
  }
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) return std::nullopt;
  return clock;
}

// "a/b/yyyy", "a-b-yyyy", "a.b.yyyy" (one separator throughout; a and b of one or two digits,
// read as day/month or month/day by `order`) or ISO "yyyy-mm-dd".
std::optional<Day> parse_numeric_day(std::string_view s, size_t i, DateOrder order) {
  std::optional<Number> first = read_number(s, i);
  if (!first || first->end + 1 >= s.size()) return std::nullopt;
  char sep = s[first->end];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  bool iso = first->digits == 4;
  // Year first: "2023-04-12" (ISO) and "2020/08/14" (no one writes the day before the month there).
  if (iso ? (sep != '-' && sep != '/') : first->digits > 2) return std::nullopt;
  std::optional<Number> second = read_number(s, first->end + 1);
  if (!second || second->digits > 2 || second->end + 1 >= s.size() || s[second->end] != sep) {
    return std::nullopt;
  }
  std::optional<Number> third = read_number(s, second->end + 1);
  if (!third || (iso ? third->digits > 2 : third->digits != 4)) return std::nullopt;
  Day day;
  if (iso) {
    day = {first->value, second->value, third->value, third->end};
  } else if (order == DateOrder::kDayFirst) {
    day = {third->value, second->value, first->value, third->end};
  } else {
    day = {third->value, first->value, second->value, third->end};
  }
  if (!is_valid_day(day.year, day.month, day.day)) return std::nullopt;
  return day;
}

// "ngày 23 tháng 8 năm 2019" ("ngày" optional when `need_ngay` is false: after a label or a
// weekday that already said it is a date).
std::optional<Day> parse_long_form(std::string_view s, size_t i, bool need_ngay) {
  size_t after_ngay = match_word(s, i, "ngày");
  if (after_ngay != kNone) {
    i = skip_required_spaces(s, after_ngay);
    if (i == kNone) return std::nullopt;
  } else if (need_ngay) {
    return std::nullopt;
  }
  std::optional<Number> day = read_number(s, i);
  if (!day || day->digits > 2) return std::nullopt;
  size_t j = skip_required_spaces(s, day->end);
  if (j == kNone || (j = match_word(s, j, "tháng")) == kNone) return std::nullopt;
  if ((j = skip_required_spaces(s, j)) == kNone) return std::nullopt;
  std::optional<Number> month = read_number(s, j);
  if (!month || month->digits > 2) return std::nullopt;
  size_t comma = skip_spaces(s, month->end);
  if (comma < s.size() && s[comma] == ',') {
    j = skip_spaces(s, comma + 1);  // "14 tháng 9, 2017": Blogger's and Google's vi-VN long date
  } else {
    j = skip_required_spaces(s, month->end);
    if (j == kNone) return std::nullopt;
    // "23 tháng 8 năm 2019", or "05 Tháng 12 2022" (Joomla's vi-VN format) with no "năm".
    size_t after_nam = match_word(s, j, "năm");
    if (after_nam != kNone && (j = skip_required_spaces(s, after_nam)) == kNone) {
      return std::nullopt;
    }
  }
  std::optional<Number> year = read_number(s, j);
  if (!year || year->digits != 4) return std::nullopt;
  if (!is_valid_day(year->value, month->value, day->value)) return std::nullopt;
  return Day{year->value, month->value, day->value, year->end};
}

// .NET's en-US long date "March 12, 2019" (after an optional "Tuesday, "): month name, day,
// comma, year.
std::optional<Day> parse_english_day(std::string_view s, size_t i) {
  static constexpr std::string_view kWeekdays[] = {"monday", "tuesday", "wednesday", "thursday",
                                                   "friday", "saturday", "sunday"};
  static constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",
                                                 "may",     "june",     "july",      "august",
                                                 "september", "october", "november", "december"};
  if (i >= s.size() || s[i] < 'A' || s[i] > 'Z') return std::nullopt;
  for (std::string_view weekday : kWeekdays) {
    size_t end = match_word(s, i, weekday);
    if (end == kNone) continue;
    end = skip_spaces(s, end);
    if (end < s.size() && s[end] == ',') i = skip_spaces(s, end + 1);
    break;
  }
  for (int m = 0; m < 12; ++m) {
    size_t j = match_word(s, i, kMonths[m]);
    if (j == kNone || (j = skip_required_spaces(s, j)) == kNone) continue;
    std::optional<Number> day = read_number(s, j);
    if (!day || day->digits > 2) return std::nullopt;
    size_t comma = skip_spaces(s, day->end);
    if (comma >= s.size() || s[comma] != ',') return std::nullopt;
    std::optional<Number> year = read_number(s, skip_spaces(s, comma + 1));
    if (!year || year->digits != 4 || !is_valid_day(year->value, m + 1, day->value)) {
      return std::nullopt;
    }
    return Day{year->value, m + 1, day->value, year->end};
  }
  return std::nullopt;
}

// Index after a weekday ("Thứ Sáu, ", "Thứ 6 ", "Chủ nhật, "), or i when there is none. The day
// it names in *weekday (0 Sunday … 6 Saturday, as days_from_civil counts), -1 when none.
size_t skip_weekday(std::string_view s, size_t i, int* weekday) {
  *weekday = -1;
  size_t j = match_word(s, i, "chủ nhật");
  if (j != kNone) {
    *weekday = 0;
  } else {
    j = match_word(s, i, "thứ");
    if (j == kNone || (j = skip_required_spaces(s, j)) == kNone) return i;
    static constexpr std::string_view kNames[] = {"hai", "ba", "tư", "năm", "sáu", "bảy"};
    size_t name_end = kNone;
    for (int k = 0; k < 6 && name_end == kNone; ++k) {  // Thứ Hai (2) is Monday (1)
      name_end = match_word(s, j, kNames[k]);
      if (name_end == kNone) name_end = match_word(s, j, std::string(1, static_cast<char>('2' + k)));
      if (name_end != kNone) *weekday = k + 1;
    }
    if (name_end == kNone) return i;
    j = name_end;
  }
  j = skip_spaces(s, j);
  if (j < s.size() && s[j] == ',') j = skip_spaces(s, j + 1);
  return j;
}

// 0 Sunday … 6 Saturday (1970-01-01 was a Thursday).
int weekday_of(const Day& day) {
  int64_t days = days_from_civil(day.year, day.month, day.day);
  return static_cast<int>(((days % 7) + 11) % 7);
}

// "Thứ Tư, 07/06/2023" on a site that writes the month first: the printed weekday is the only
// witness of which order this line was written in. When the site's order gives another weekday
// and the other order gives the one printed, the other order is the date (dates.h).
std::optional<Day> numeric_day_with_weekday(std::string_view s, size_t i, DateOrder order,
                                            int weekday, bool* weekday_decided) {
  std::optional<Day> day = parse_numeric_day(s, i, order);
  if (day && (weekday < 0 || weekday_of(*day) == weekday)) return day;
  DateOrder other = order == DateOrder::kDayFirst ? DateOrder::kMonthFirst : DateOrder::kDayFirst;
  std::optional<Day> swapped = parse_numeric_day(s, i, other);
  if (!day) return day;
  if (!swapped || weekday_of(*swapped) != weekday) return day;
  *weekday_decided = true;
  return swapped;
}

// Index after what may stand between a date and its time, in either order: white space, at most
// one of , - – — |, white space, and "lúc" (at) or "ngày" (on) with white space, or "Giờ:".
size_t skip_connector(std::string_view s, size_t i) {
  size_t j = skip_spaces(s, i);
  if (j < s.size() && (s[j] == ',' || s[j] == '-' || s[j] == '|')) {
    ++j;
  } else if (s.substr(j).starts_with("\xE2\x80\x93") || s.substr(j).starts_with("\xE2\x80\x94")) {
    j += 3;  // en dash, em dash
  }
  j = skip_spaces(s, j);
  for (std::string_view word : {"lúc", "ngày"}) {
    size_t end = match_word(s, j, word);
    if (end != kNone) return skip_spaces(s, end);
  }
  // The time's own label, "Giờ:" (hour), as templates print date and time in two labelled cells
  // ("Ngày: 06/06/2019 | Giờ: 09:10"). A clock must follow, as for every connector.
  if (size_t end = match_word(s, j, "giờ"); end != kNone) {
    end = skip_spaces(s, end);
    if (end < s.size() && s[end] == ':') return skip_spaces(s, end + 1);
  }
  return j;
}

// The value of the two digits at s[i], s[i + 1] (as in "+0700", where digit runs do not end).
std::optional<int> two_digits(std::string_view s, size_t i) {
  if (i + 1 >= s.size() || !ascii::is_digit(s[i]) || !ascii::is_digit(s[i + 1])) {
    return std::nullopt;
  }
  return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

// The UTC offset (minutes) of an ISO 8601 zone designator at s[*i] ("Z", "+07:00", "-0500"),
// advancing *i past it; nullopt, *i unchanged, when there is none.
std::optional<int> parse_zone(std::string_view s, size_t* i) {
  size_t j = *i;
  if (j < s.size() && s[j] == 'Z') {
    *i = j + 1;
    return 0;
  }
  if (j >= s.size() || (s[j] != '+' && s[j] != '-')) return std::nullopt;
  int sign = s[j] == '-' ? -1 : 1;
  std::optional<int> hours = two_digits(s, j + 1);
  size_t k = j + 3;
  if (k < s.size() && s[k] == ':') ++k;
  std::optional<int> minutes = two_digits(s, k);
  if (!hours || !minutes || *hours > 14 || *minutes > 59) return std::nullopt;
  *i = k + 2;
  return sign * (*hours * 60 + *minutes);
}

// ISO "T10:10[:00[.123]][zone]" after an ISO day at s[i]; the time is moved to +07:00.
std::optional<DateTime> parse_iso_time(std::string_view s, size_t begin, Day day) {
  size_t i = day.end;
  if (i >= s.size() || s[i] != 'T') return std::nullopt;
  std::optional<Clock> clock = parse_clock(s, i + 1);
  if (!clock) return std::nullopt;
  size_t j = clock->end;
  if (clock->has_seconds && j < s.size() && s[j] == '.') {  // fractions of a second are dropped
    std::optional<Number> fraction = read_number(s, j + 1);
    if (fraction) j = fraction->end;
  }
  if (std::optional<int> offset = parse_zone(s, &j)) {
    shift_to_vietnam(&day, &*clock, *offset);
  }
  if (glued_after(s, j)) return std::nullopt;
  return DateTime{day, clock, begin, j};
}

// A day found at [begin, day.end), with the time that follows it if any.
std::optional<DateTime> with_time_after(std::string_view s, size_t begin, const Day& day) {
  if (std::optional<DateTime> iso = parse_iso_time(s, begin, day)) return iso;
  size_t j = skip_connector(s, day.end);
  if (j > day.end) {
    std::optional<Clock> clock = parse_clock(s, j);
    if (clock && !glued_after(s, clock->end)) return DateTime{day, clock, begin, clock->end};
  }
  if (glued_after(s, day.end)) return std::nullopt;
  return DateTime{day, std::nullopt, begin, day.end};
}

// "9/26/2019 3:20:00 PM" on a day-first site: .NET's en-US DateTime.ToString() on a Vietnamese
// portal. Read month-first only when the site's order cannot read it (there is no month 26) and an
// AM/PM clock follows, as that form prints it (or precedes it: "2:45 PM, 9/24/2020", in
// parse_date_at); a bare "6/29/2018" stays unread (dates.h).
std::optional<DateTime> english_order_with_clock(std::string_view s, size_t begin, size_t i,
                                                 DateOrder order) {
  if (order != DateOrder::kDayFirst) return std::nullopt;
  std::optional<Day> day = parse_numeric_day(s, i, DateOrder::kMonthFirst);
  if (!day) return std::nullopt;
  std::optional<DateTime> found = with_time_after(s, begin, *day);
  if (!found || !found->clock || !found->clock->english) return std::nullopt;
  return found;
}

// The date (with its time) that starts exactly at s[i], in any form this file knows.
// `bare_long_form` allows "23 tháng 8 năm 2019" without "ngày" (after a label).
std::optional<DateTime> parse_date_at(std::string_view s, size_t i, DateOrder order,
                                      bool bare_long_form) {
  int weekday = -1;
  bool weekday_decided = false;
  size_t p = skip_weekday(s, i, &weekday);
  bool after_weekday = p != i;
  if (std::optional<Clock> clock = parse_clock(s, p)) {  // time first: "18:29:27, 03/07/2018"
    size_t q = skip_connector(s, clock->end);
    if (q == clock->end) return std::nullopt;
    std::optional<Day> day = numeric_day_with_weekday(s, q, order, weekday, &weekday_decided);
    // "2:45 PM, 9/24/2020": the en-US clock before a date the site's order cannot read.
    if (!day && clock->english && order == DateOrder::kDayFirst) {
      day = parse_numeric_day(s, q, DateOrder::kMonthFirst);
    }
    if (!day) day = parse_long_form(s, q, false);
    if (!day || glued_after(s, day->end)) return std::nullopt;
    return DateTime{*day, clock, i, day->end, weekday_decided};
  }
  std::optional<Day> day = numeric_day_with_weekday(s, p, order, weekday, &weekday_decided);
  if (!day) {
    if (std::optional<DateTime> en_us = english_order_with_clock(s, i, p, order)) return en_us;
  }
  if (!day) day = parse_long_form(s, p, !(bare_long_form || after_weekday));
  if (!day) day = parse_english_day(s, p);
  if (!day) return std::nullopt;
  std::optional<DateTime> found = with_time_after(s, i, *day);
  if (found) found->weekday_decided = weekday_decided;
  return found;
}

// A place where a date may begin: a digit, or the first letter of "Thứ", "Chủ nhật", "ngày".
bool may_start_date(char c) {
  return ascii::is_digit(c) || c == 't' || c == 'T' || c == 'c' || c == 'C' || c == 'n' || c == 'N' ||
         c == 'M' || c == 'W' || c == 'F' || c == 'S' || c == 'J' || c == 'A' || c == 'O' || c == 'D';
}

// ---------------------------------------------------------------------------------------------
// Labels

// The publication labels of dates.h, longest first where one is a prefix of another.
constexpr std::string_view kLabels[] = {
    "cập nhật lúc", "cập nhật ngày", "cập nhật lần cuối", "cập nhật", "ngày cập nhật", "ngày đăng tin",
    "ngày đăng",    "đăng ngày",     "đăng lúc", "ngày xuất bản", "thời gian đăng",
};

// A place where a label may begin: the first byte of c, n, t or đ in either case.
bool may_start_label(char c) {
  return c == 'c' || c == 'C' || c == 'n' || c == 'N' || c == 't' || c == 'T' ||
         static_cast<unsigned char>(c) == 0xC4;  // lead byte of Đ (U+0110) and đ (U+0111)
}

// The first two letters of each label, case-folded: most places a label may start hold none
// (Vietnamese words start with c, n, t and đ all the time), and two letters tell them apart
// before whole words are compared.
struct LabelStart {
  UChar32 first = 0;
  UChar32 second = 0;
};

const std::array<LabelStart, std::size(kLabels)>& label_starts() {
  static const auto starts = [] {
    std::array<LabelStart, std::size(kLabels)> all{};
    for (size_t k = 0; k < all.size(); ++k) {
      size_t next;
      all[k].first = fold_case(code_point_at(kLabels[k], 0, &next));
      all[k].second = fold_case(code_point_at(kLabels[k], next, &next));
    }
    return all;
  }();
  return starts;
}

// Index after a label at s[i] and its optional colon and white space, or kNone.
size_t skip_label(std::string_view s, size_t i) {
  if (i >= s.size()) return kNone;
  size_t next;
  UChar32 first = code_point_at(s, i, &next);
  if (first < 0 || next >= s.size()) return kNone;  // every label is longer than a letter
  UChar32 second = code_point_at(s, next, &next);
  if (second < 0) return kNone;
  first = fold_case(first);
  second = fold_case(second);
  const auto& starts = label_starts();
  for (size_t k = 0; k < std::size(kLabels); ++k) {
    if (starts[k].first != first || starts[k].second != second) continue;
    size_t end = match_word(s, i, kLabels[k]);
    if (end == kNone) continue;
    end = skip_spaces(s, end);
    if (end < s.size() && s[end] == ':') end = skip_spaces(s, end + 1);
    return end;
  }
  return kNone;
}

// A date alone in parentheses, from s[i] just after "(": "(03/12/2018 10:10 AM)", and also
// "( Cập nhật lúc: 12/04/2023 )".
std::optional<DateTime> parenthesised_date(std::string_view s, size_t i, DateOrder order) {
  size_t p = skip_spaces(s, i);
  size_t after_label = skip_label(s, p);
  if (after_label != kNone) p = after_label;
  std::optional<DateTime> date = parse_date_at(s, p, order, true);
  if (!date) return std::nullopt;
  size_t close = skip_spaces(s, date->end);
  if (close >= s.size() || s[close] != ')') return std::nullopt;
  return date;
}

std::string to_iso(const DateTime& date) {
  char buffer[64];
  const Day& d = date.day;
  if (!date.clock) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", d.year, d.month, d.day);
  } else if (!date.clock->has_seconds) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d+07:00", d.year, d.month, d.day,
                  date.clock->hour, date.clock->minute);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", d.year, d.month,
                  d.day, date.clock->hour, date.clock->minute, date.clock->second);
  }
  return buffer;
}

FoundDate to_found(const DateTime& date) {
  return FoundDate{to_iso(date), date.begin, date.end, date.weekday_decided};
}

// Every form of date read here holds a digit, so none starts after the text's last digit: the
// scans stop there (and a text without digits is answered at once).
size_t scan_end(std::string_view text) {
  size_t last_digit = text.find_last_of("0123456789");
  return last_digit == std::string_view::npos ? 0 : last_digit + 1;
}

}  // namespace

std::optional<FoundDate> find_date(std::string_view text, DateOrder order) {
  const size_t end = scan_end(text);
  for (size_t i = 0; i < end; ++i) {
    if (!may_start_date(text[i]) || glued_before(text, i)) continue;
    if (std::optional<DateTime> date = parse_date_at(text, i, order, false)) return to_found(*date);
  }
  return std::nullopt;
}

std::optional<FoundDate> find_date_alone(std::string_view text, DateOrder order) {
  size_t i = skip_spaces(text, 0);
  std::optional<DateTime> date = parse_date_at(text, i, order, true);
  if (!date) return std::nullopt;
  size_t end = date->end;
  while (end < text.size() && (text[end] == ' ' || text[end] == '.')) ++end;
  if (end != text.size()) return std::nullopt;
  return to_found(*date);
}

std::optional<FoundDate> find_labelled_date(std::string_view text, DateOrder order) {
  const size_t end = scan_end(text);
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '(') {
      if (std::optional<DateTime> date = parenthesised_date(text, i + 1, order)) {
        return to_found(*date);
      }
      continue;
    }
    if (!may_start_label(text[i]) || glued_before(text, i)) continue;
    size_t after_label = skip_label(text, i);
    if (after_label == kNone) continue;
    if (std::optional<DateTime> date = parse_date_at(text, after_label, order, true)) {
      return to_found(*date);
    }
  }
  return std::nullopt;
}

}  // namespace provarc
