// Tests for common/time.h: the archive's UTC timestamps on both sides of 1970 and across leap
// years, and the three HTTP-date forms of RFC 9110 5.6.7.
#include "common/time.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;

WallTime at_ms(int64_t ms) { return WallTime(milliseconds(ms)); }

TEST(UtcTime, FormatsTheEpochAndAfter) {
  EXPECT_EQ(format_utc(WallTime()), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(at_ms(1)), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(format_utc(at_ms(1700000000123)), "2023-11-14T22:13:20.123Z");
  // Microseconds are floored to the millisecond, never rounded up into the next second.
  EXPECT_EQ(format_utc(WallTime() + std::chrono::microseconds(999999)),
            "1970-01-01T00:00:00.999Z");
}

TEST(UtcTime, FormatsTimesBefore1970) {
  // archive/archive.cc's writer printed these as "1970-01-01T00:00:00.-01Z" and
  // "1969-12-31T23:59:59.-01Z": it truncated toward zero where the calendar floors.
  EXPECT_EQ(format_utc(at_ms(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_utc(at_ms(-1000)), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_utc(at_ms(-1001)), "1969-12-31T23:59:58.999Z");
  EXPECT_EQ(format_utc(WallTime() - days(1)), "1969-12-31T00:00:00.000Z");
  EXPECT_EQ(format_utc(WallTime() - std::chrono::microseconds(1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_utc(*parse_utc("1900-03-01T12:00:00Z")), "1900-03-01T12:00:00.000Z");
}

TEST(UtcTime, LeapYears) {
  // Divisible by 4 (2024), by 400 (2000): leap. By 100 but not 400 (1900, 2100): not.
  for (const char* day : {"2024-02-29", "2000-02-29", "1968-02-29", "1904-02-29"}) {
    std::string text = std::string(day) + "T06:07:08.009Z";
    auto t = parse_utc(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(format_utc(*t), text);
    EXPECT_EQ(format_utc(*t + days(1)).substr(0, 10), std::string(day).substr(0, 5) + "03-01");
  }
  for (const char* day : {"2023-02-29", "1900-02-29", "2100-02-29", "1969-02-29"}) {
    EXPECT_EQ(parse_utc(std::string(day) + "T00:00:00Z"), std::nullopt) << day;
  }
  // 1972 was a leap year with 366 days: the day after 1972-12-31 is 1973-01-01.
  EXPECT_EQ(*parse_utc("1973-01-01T00:00:00Z") - *parse_utc("1972-01-01T00:00:00Z"), days(366));
  EXPECT_EQ(*parse_utc("1969-01-01T00:00:00Z") - *parse_utc("1968-01-01T00:00:00Z"), days(366));
  EXPECT_EQ(*parse_utc("1970-01-01T00:00:00Z") - *parse_utc("1969-01-01T00:00:00Z"), days(365));
}

TEST(UtcTime, YearsBeyondWhatWallTimeHoldsAreRejectedNotWrapped) {
  EXPECT_EQ(parse_utc("0001-01-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("1600-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc("9999-12-31T23:59:59.999Z"), std::nullopt);
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT", WallTime()), std::nullopt);
  EXPECT_EQ(format_utc(*parse_utc("1700-01-01T00:00:00Z")), "1700-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(*parse_utc("2250-12-31T23:59:59.999Z")), "2250-12-31T23:59:59.999Z");
}

TEST(UtcTime, ParseIsTheInverseOfFormat) {
  for (int64_t ms : {0LL, -1LL, -999LL, -86400001LL, 951782400000LL, -2208988800000LL,
                     4102444799999LL, 1700000000123LL}) {
    std::string text = format_utc(at_ms(ms));
    auto back = parse_utc(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, at_ms(ms)) << text;
  }
  EXPECT_EQ(parse_utc("2026-01-02T03:04:05Z"), parse_utc("2026-01-02T03:04:05.000Z"));
  EXPECT_EQ(format_utc(*parse_utc("2026-01-02T03:04:05.5Z")), "2026-01-02T03:04:05.500Z");
  EXPECT_EQ(format_utc(*parse_utc("2026-01-02T03:04:05.25Z")), "2026-01-02T03:04:05.250Z");
}

TEST(UtcTime, ParseRejectsOtherTextAndImpossibleTimes) {
  for (const char* bad : {"", "2026-11-21", "2026-11-21T23:55:25.123", "2026-11-21T23:55:25.12345Z",
                          "2026-11-21T23:55:25.Z", "20x6-11-21T23:55:25Z", "2026-11-21 23:55:25Z",
                          "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
                          "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
                          "2026-01-01T23:59:60Z", "2026-01-01T23:59:5xZ", "-026-01-01T00:00:00Z",
                          "2026-01-01T00:00:00+07:00", " 2026-01-01T00:00:00Z"}) {
    EXPECT_EQ(parse_utc(bad), std::nullopt) << bad;
  }
}

// RFC 9110 5.6.7's example, in its three forms.
TEST(HttpDate, ThreeFormsOfOneTime) {
  WallTime now = *parse_utc("2026-11-21T00:00:00Z");
  WallTime expected = *parse_utc("1994-11-06T08:49:37Z");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now), expected);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now), expected);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994", now), expected);
  EXPECT_EQ(parse_http_date("Sun Nov 06 08:49:37 1994", now), expected);
  EXPECT_EQ(parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT", now),
            parse_utc("2015-10-21T07:28:00Z"));
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", now), WallTime());
  EXPECT_EQ(parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT", now), at_ms(-1000));
}

TEST(HttpDate, Rfc850TwoDigitYearsStayWithinFiftyYearsOfNow) {
  WallTime now = *parse_utc("2026-06-01T00:00:00Z");
  auto year_of = [&](const char* yy) {
    auto t = parse_http_date(std::string("Monday, 01-Jan-") + yy + " 00:00:00 GMT", now);
    return t ? format_utc(*t).substr(0, 4) : "none";
  };
  EXPECT_EQ(year_of("26"), "2026");
  EXPECT_EQ(year_of("00"), "2000");
  EXPECT_EQ(year_of("76"), "2076");  // 50 years ahead: not more than 50, so the future
  EXPECT_EQ(year_of("77"), "1977");  // 51 years ahead: the most recent past year instead
  EXPECT_EQ(year_of("99"), "1999");
  WallTime late = *parse_utc("2099-06-01T00:00:00Z");
  EXPECT_EQ(format_utc(*parse_http_date("Monday, 01-Jan-01 00:00:00 GMT", late)).substr(0, 4),
            "2101");
}

TEST(HttpDate, LeapDays) {
  WallTime now = *parse_utc("2026-01-01T00:00:00Z");
  EXPECT_TRUE(parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT", now));
  EXPECT_TRUE(parse_http_date("Tue, 29 Feb 2000 12:00:00 GMT", now));
  EXPECT_FALSE(parse_http_date("Wed, 29 Feb 2023 12:00:00 GMT", now));
  EXPECT_FALSE(parse_http_date("Mon, 29 Feb 2100 12:00:00 GMT", now));
  EXPECT_FALSE(parse_http_date("Thu Feb 29 12:00:00 1900", now));
}

TEST(HttpDate, RejectsWhatTheRfcDoesNotAllow) {
  WallTime now = *parse_utc("2026-01-01T00:00:00Z");
  for (const char* bad : {"", "soon", "120", "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 06 Nov 1994 08:49:37 +0000", "sun, 06 nov 1994 08:49:37 GMT",
                          "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
                          "Sun,  06 Nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 99 Oct 2015 07:28:00 GMT",
                          "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT",
                          "Sonday, 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
                          "Sun Nov  6 08:49:37 94", "Sun, 06 Nov 1994 08:49:37 GMT "}) {
    EXPECT_EQ(parse_http_date(bad, now), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace provarc
