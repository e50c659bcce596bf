#include "common/time.h"

#include <array>
#include <cstdio>

#include "common/ascii.h"

namespace provarc {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu",
                                                       "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Exactly `digits` decimal digits at text[pos], as a number; -1 when they are not there.
int fixed_number(std::string_view text, size_t pos, size_t digits) {
  if (pos + digits > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (!ascii::is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// The day `year`-`month`-`day`, when it exists.
std::optional<sys_days> civil_day(int y, int m, int d) {
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  year_month_day date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return sys_days(date);
}

// "hh:mm:ss" at text[pos], as the time since midnight; nullopt when it is not a time of day.
std::optional<seconds> time_of_day(std::string_view text, size_t pos) {
  if (pos + 8 > text.size() || text[pos + 2] != ':' || text[pos + 5] != ':') return std::nullopt;
  int h = fixed_number(text, pos, 2), m = fixed_number(text, pos + 3, 2);
  int s = fixed_number(text, pos + 6, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
  return hours(h) + minutes(m) + seconds(s);
}

template <size_t N>
bool is_one_of(std::string_view text, const std::array<std::string_view, N>& names) {
  for (std::string_view name : names) {
    if (text == name) return true;
  }
  return false;
}

int month_number(std::string_view name) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return -1;
}

// The days WallTime can hold whole (system_clock counts nanoseconds: 1678 to 2262), so that no
// date a server or a file gives can overflow it.
constexpr sys_days kFirstDay = floor<days>(time_point_cast<days>(WallTime::min())) + days(2);
constexpr sys_days kLastDay = floor<days>(time_point_cast<days>(WallTime::max())) - days(2);

std::optional<WallTime> at(std::optional<sys_days> day, std::optional<seconds> time) {
  if (!day || !time || *day < kFirstDay || *day > kLastDay) return std::nullopt;
  return WallTime(*day) + *time;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<WallTime> imf_fixdate(std::string_view t) {
  if (t.size() != 29 || !is_one_of(t.substr(0, 3), kDayNames) || t.substr(3, 2) != ", " ||
      t[7] != ' ' || t[11] != ' ' || t[16] != ' ' || t.substr(25) != " GMT") {
    return std::nullopt;
  }
  return at(civil_day(fixed_number(t, 12, 4), month_number(t.substr(8, 3)), fixed_number(t, 5, 2)),
            time_of_day(t, 17));
}

// "Sunday, 06-Nov-94 08:49:37 GMT"; the century is the one that puts the year within 50 years of
// `now`'s (RFC 9110: not more than 50 years in the future).
std::optional<WallTime> rfc850_date(std::string_view t, WallTime now) {
  size_t comma = t.find(',');
  if (comma == std::string_view::npos || !is_one_of(t.substr(0, comma), kLongDayNames)) {
    return std::nullopt;
  }
  t.remove_prefix(comma);
  if (t.size() != 24 || t.substr(0, 2) != ", " || t[4] != '-' || t[8] != '-' || t[11] != ' ' ||
      t.substr(20) != " GMT") {
    return std::nullopt;
  }
  int two_digits = fixed_number(t, 9, 2);
  if (two_digits < 0) return std::nullopt;
  int this_year = static_cast<int>(year_month_day(floor<days>(now)).year());
  int y = this_year - this_year % 100 + two_digits;
  if (y > this_year + 50) y -= 100;
  if (y <= this_year - 50) y += 100;
  return at(civil_day(y, month_number(t.substr(5, 3)), fixed_number(t, 2, 2)),
            time_of_day(t, 12));
}

// "Sun Nov  6 08:49:37 1994" (or "Nov 06")
std::optional<WallTime> asctime_date(std::string_view t) {
  if (t.size() != 24 || !is_one_of(t.substr(0, 3), kDayNames) || t[3] != ' ' || t[7] != ' ' ||
      t[10] != ' ' || t[19] != ' ') {
    return std::nullopt;
  }
  int d = t[8] == ' ' ? fixed_number(t, 9, 1) : fixed_number(t, 8, 2);
  return at(civil_day(fixed_number(t, 20, 4), month_number(t.substr(4, 3)), d),
            time_of_day(t, 11));
}

}  // namespace

std::string format_utc(WallTime time) {
  auto ms = floor<milliseconds>(time);
  auto day = floor<days>(ms);
  year_month_day date(day);
  hh_mm_ss<milliseconds> clock(ms - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()),
                static_cast<int>(clock.subseconds().count()));
  return buf;
}

std::string utc_now() { return format_utc(system_clock::now()); }

std::optional<WallTime> parse_utc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text.back() != 'Z') {
    return std::nullopt;
  }
  std::string_view fraction = text.substr(19, text.size() - 20);
  int millis = 0;
  if (!fraction.empty()) {
    if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 4) return std::nullopt;
    for (size_t i = 1; i < 4; ++i) {
      int digit = i < fraction.size() ? fixed_number(fraction, i, 1) : 0;
      if (digit < 0) return std::nullopt;
      millis = millis * 10 + digit;
    }
  }
  auto time = at(civil_day(fixed_number(text, 0, 4), fixed_number(text, 5, 2),
                           fixed_number(text, 8, 2)),
                 time_of_day(text, 11));
  if (!time) return std::nullopt;
  return *time + milliseconds(millis);
}

std::optional<WallTime> parse_http_date(std::string_view text, WallTime now) {
  if (text.size() == 29) return imf_fixdate(text);
  if (text.size() == 24 && text[3] == ' ') return asctime_date(text);
  return rfc850_date(text, now);
}

}  // namespace provarc
