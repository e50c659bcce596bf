#include "common/units.h"

#include <limits>
#include <string>

#include "common/ascii.h"

namespace provarc {
namespace {

// A decimal number scaled by 1000, so that "1.5" is 1500: exact, no floating point.
struct Thousandths {
  int64_t value = 0;
  size_t length = 0;  // bytes of `text` the number used
};

// Reads up to 12 integer digits and up to 3 fraction digits from the start of `text`.
// Fails (returns length 0) when there is no digit first, or too many digits.
Thousandths read_number(std::string_view text) {
  Thousandths n;
  size_t i = 0;
  int64_t whole = 0;
  while (i < text.size() && ascii::is_digit(text[i])) {
    if (i == 12) return {};
    whole = whole * 10 + (text[i] - '0');
    ++i;
  }
  if (i == 0) return {};
  int64_t fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && ascii::is_digit(text[i])) {
      if (fraction_digits == 3) return {};
      fraction = fraction * 10 + (text[i] - '0');
      ++fraction_digits;
      ++i;
    }
    if (fraction_digits == 0) return {};
  }
  for (int d = fraction_digits; d < 3; ++d) fraction *= 10;
  n.value = whole * 1000 + fraction;
  n.length = i;
  return n;
}

// Multiplies thousandths by `unit` and divides by 1000; fails on int64 overflow.
bool scale(int64_t thousandths, int64_t unit, int64_t* product) {
  if (thousandths > std::numeric_limits<int64_t>::max() / unit) return false;
  *product = thousandths * unit;
  return true;
}

}  // namespace

namespace {

// Milliseconds in a duration unit, or 0 when `unit` is none. Case matters: "m" is minutes, and an
// "M" would read as months to some.
int64_t duration_unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 3600 * 1000;
  if (unit == "d") return 24 * 3600 * 1000;
  return 0;
}

}  // namespace

Result<int64_t> parse_duration_ms(std::string_view text) {
  const std::string expected =
      "; expected a number and a unit (ms, s, m, h, d), e.g. \"250ms\", \"1.5s\", \"7d\", \"1h30m\"";
  if (text.empty()) return fail("invalid duration \"\"" + expected);
  int64_t total = 0;  // thousandths of a millisecond
  int64_t previous_unit = std::numeric_limits<int64_t>::max();
  for (size_t i = 0; i < text.size();) {
    Thousandths n = read_number(text.substr(i));
    if (n.length == 0) return fail("invalid duration " + in_quotes(text) + expected);
    i += n.length;
    size_t unit_begin = i;
    while (i < text.size() && ascii::is_alpha(text[i])) ++i;
    int64_t unit_ms = duration_unit_ms(text.substr(unit_begin, i - unit_begin));
    if (unit_ms == 0) return fail("invalid duration unit in " + in_quotes(text) + expected);
    // "1h30m", not "30m1h" or "1h1h": each term in a smaller unit than the one before.
    if (unit_ms >= previous_unit) return fail("invalid duration " + in_quotes(text) + expected);
    previous_unit = unit_ms;
    int64_t product = 0;
    if (!scale(n.value, unit_ms, &product) ||
        product > std::numeric_limits<int64_t>::max() - total) {
      return fail("duration " + in_quotes(text) + " is too large; expected at most a few years");
    }
    total += product;
  }
  if (total % 1000 != 0) {
    return fail("duration " + in_quotes(text) + " is not a whole number of milliseconds" + expected);
  }
  return total / 1000;
}

Result<int64_t> parse_size_bytes(std::string_view text) {
  const std::string expected =
      "; expected a number and a unit (B, KB, MB, GB, KiB, MiB, GiB), e.g. \"20MB\", \"512KiB\"";
  Thousandths n = read_number(text);
  if (n.length == 0) return fail("invalid size " + in_quotes(text) + expected);
  // Units of sizes are case-insensitive: "mb", "MB" and "Mb" all mean megabytes here.
  std::string unit = ascii::lowercase(text.substr(n.length));
  int64_t unit_bytes = 0;
  if (unit == "b") unit_bytes = 1;
  else if (unit == "kb") unit_bytes = 1000;
  else if (unit == "mb") unit_bytes = 1000 * 1000;
  else if (unit == "gb") unit_bytes = 1000 * 1000 * 1000;
  else if (unit == "kib") unit_bytes = 1024;
  else if (unit == "mib") unit_bytes = 1024 * 1024;
  else if (unit == "gib") unit_bytes = 1024 * 1024 * 1024;
  else return fail("invalid size unit in " + in_quotes(text) + expected);
  int64_t product = 0;
  if (!scale(n.value, unit_bytes, &product)) {
    return fail("size " + in_quotes(text) + " is too large; expected at most a few GB");
  }
  return product / 1000;  // a fraction of a byte is dropped
}

std::string format_duration_ms(int64_t ms) {
  struct Unit {
    int64_t ms;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{24LL * 3600 * 1000, "d"}, {3600 * 1000, "h"},
                                    {60 * 1000, "m"},          {1000, "s"}};
  for (const Unit& unit : kUnits) {
    if (ms != 0 && ms % unit.ms == 0) return std::to_string(ms / unit.ms) + unit.name;
  }
  return std::to_string(ms) + "ms";
}

std::string format_size_bytes(int64_t bytes) {
  struct Unit {
    int64_t bytes;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1LL << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}};
  for (const Unit& unit : kUnits) {
    if (bytes != 0 && bytes % unit.bytes == 0) return std::to_string(bytes / unit.bytes) + unit.name;
  }
  return std::to_string(bytes) + "B";
}

}  // namespace provarc
