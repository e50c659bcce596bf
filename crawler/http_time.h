// crawler/http_time.h: the times the crawler reads and writes: HTTP Retry-After values, and the
// archive's UTC timestamps ("2026-11-21T23:55:25.123Z") for fetched_at and frontier not_before.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace provarc {

using WallTime = std::chrono::system_clock::time_point;

// "2026-11-21T23:55:25.123Z" (UTC, milliseconds): sorts in time order as a string.
std::string format_utc_ms(WallTime time);

// Parses what format_utc_ms() writes; the fraction is optional ("2026-11-21T23:55:25Z").
// nullopt for anything else.
std::optional<WallTime> parse_utc_ms(std::string_view text);

// How long a Retry-After header (RFC 9110 10.2.3) asks to wait, measured from `now`: either
// delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", also the obsolete RFC
// 850 and asctime forms). A date in the past means zero. nullopt when the value is neither
// (empty, negative, garbage): the caller then falls back to its own backoff. Values beyond a day
// are clamped to a day, so a hostile header cannot park a host for years. Thread-safe.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, WallTime now);

}  // namespace provarc
