// common/units.h: the duration and size strings of site configs and command-line options
// ("250ms", "1.5s", "7d", "1h30m"; "20MB", "512KiB"), parsed to milliseconds and bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace provarc {

// Parses one or more "<number><unit>" terms, each in a smaller unit than the one before ("1h30m"),
// with unit ms, s, m, h or d and a number of at most 12 digits with an optional decimal fraction
// ("1.5s"). Returns the duration in whole milliseconds; fails with a
// message saying what was expected when the syntax is wrong or the result is not a whole number
// of milliseconds ("1.5ms"). Pure function, thread-safe.
Result<int64_t> parse_duration_ms(std::string_view text);

// Parses "<number><unit>" with unit B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of
// 1024), units case-insensitive, an optional decimal fraction ("1.5MB") and at most 12 digits.
// Returns whole bytes (a fraction of a byte is dropped); fails when the syntax is wrong.
// Pure function, thread-safe.
Result<int64_t> parse_size_bytes(std::string_view text);

// The shortest exact spelling of a duration ("1h", "1500ms") and of a size ("20MiB", "1000B"),
// for messages that state a valid range.
std::string format_duration_ms(int64_t ms);
std::string format_size_bytes(int64_t bytes);

}  // namespace provarc
