#include "crawler/http_time.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace provarc {
namespace {

constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::hours(24);

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses exactly `digits` decimal digits at text[pos]; -1 when they are not there.
int fixed_number(std::string_view text, size_t pos, size_t digits) {
  if (pos + digits > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_utc_ms(WallTime time) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  time_t seconds = static_cast<time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {  // before 1970: keep the fraction positive
    millis += 1000;
    seconds -= 1;
  }
  tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return buf;
}

std::optional<WallTime> parse_utc_ms(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text.back() != 'Z') {
    return std::nullopt;
  }
  tm utc{};
  utc.tm_year = fixed_number(text, 0, 4) - 1900;
  utc.tm_mon = fixed_number(text, 5, 2) - 1;
  utc.tm_mday = fixed_number(text, 8, 2);
  utc.tm_hour = fixed_number(text, 11, 2);
  utc.tm_min = fixed_number(text, 14, 2);
  utc.tm_sec = fixed_number(text, 17, 2);
  if (utc.tm_year < 0 || utc.tm_mon < 0 || utc.tm_mday < 1 || utc.tm_hour < 0 ||
      utc.tm_min < 0 || utc.tm_sec < 0) {
    return std::nullopt;
  }
  int millis = 0;
  std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 4 || !all_digits(rest.substr(1))) {
      return std::nullopt;
    }
    for (size_t i = 1; i < 4; ++i) millis = millis * 10 + (i < rest.size() ? rest[i] - '0' : 0);
  }
  time_t seconds = timegm(&utc);
  return WallTime(std::chrono::seconds(seconds)) + std::chrono::milliseconds(millis);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, WallTime now) {
  using namespace std::chrono;
  value = trim(value);
  if (all_digits(value)) {
    // Anything longer than 6 digits is beyond the one-day clamp anyway (and would overflow).
    if (value.size() > 6) return kMaxRetryAfter;
    milliseconds wait = seconds(std::stol(std::string(value)));
    return std::min(wait, kMaxRetryAfter);
  }
  if (value.empty() || value.size() > 64) return std::nullopt;
  // curl_getdate knows the three HTTP-date forms; it returns -1 for anything else.
  std::string date(value);
  if (date.find(',') == std::string::npos && date.find(':') == std::string::npos) {
    return std::nullopt;  // a bare word ("soon") that curl_getdate might half-read
  }
  time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  auto wait = duration_cast<milliseconds>(system_clock::from_time_t(when) - now);
  if (wait < milliseconds(0)) return milliseconds(0);
  return std::min(wait, kMaxRetryAfter);
}

}  // namespace provarc
