// common/time.h: the times provarc writes and reads: the archive's one UTC timestamp format
// ("2026-11-21T23:55:25.123Z") and HTTP dates (RFC 9110 5.6.7). Pure and thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace provarc {

using WallTime = std::chrono::system_clock::time_point;

// "2026-11-21T23:55:25.123Z": UTC to the millisecond (RFC 3339), every time the archive, the
// reports and WARC records hold. Sorts in time order as a string (years 0000 to 9999). A time
// between two milliseconds is floored, before 1970 too: 1 ms before the epoch is
// "1969-12-31T23:59:59.999Z".
std::string format_utc(WallTime time);

// format_utc() of the current time.
std::string utc_now();

// Parses what format_utc() writes; the fraction is optional and may have 1 to 3 digits
// ("2026-11-21T23:55:25Z", "2026-11-21T23:55:25.5Z"). nullopt for anything else, for a date or
// time that does not exist (2023-02-29, 24:00:00), and for one WallTime cannot hold (it counts
// nanoseconds: the years 1678 to 2261 are safe).
std::optional<WallTime> parse_utc(std::string_view text);

// Parses an HTTP-date in any of the three forms RFC 9110 5.6.7 says a recipient must accept:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"  (obsolete)
//   asctime      "Sun Nov  6 08:49:37 1994"        (obsolete; the day may be " 6" or "06")
// As the RFC says, names are case-sensitive, and a two-digit RFC 850 year that would be more than
// 50 years after `now` is the most recent past year with those digits. The day name is not checked
// against the date (nor by browsers). nullopt for anything else: other layouts, time zones than
// GMT, impossible dates, years WallTime cannot hold (as parse_utc). Leading and trailing white
// space is the caller's to trim.
std::optional<WallTime> parse_http_date(std::string_view text, WallTime now);

}  // namespace provarc
