// Tests of parsers/dates.h: every date format of docs/portals.md §7, every non-date listed there,
// and sentences from the seed articles.
#include "parsers/dates.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

namespace provarc {
namespace {

constexpr DateOrder kDay = DateOrder::kDayFirst;
constexpr DateOrder kMonth = DateOrder::kMonthFirst;

// The ISO string find_date gives for `text`, or "none".
std::string iso(std::string_view text, DateOrder order = kDay) {
  std::optional<FoundDate> d = find_date(text, order);
  return d ? d->iso : "none";
}

std::string labelled(std::string_view text, DateOrder order = kDay) {
  std::optional<FoundDate> d = find_labelled_date(text, order);
  return d ? d->iso : "none";
}

// The text of the span find_date reports.
std::string span(std::string_view text, DateOrder order = kDay) {
  std::optional<FoundDate> d = find_date(text, order);
  return d ? std::string(text.substr(d->begin, d->end - d->begin)) : "none";
}

TEST(FindDate, PortalFormats) {
  EXPECT_EQ(iso("( Cập nhật lúc: 12/04/2023 )"), "2023-04-12");
  EXPECT_EQ(iso("(03/12/2018 10:10 AM)"), "2018-12-03T10:10+07:00");
  EXPECT_EQ(iso("(7/3/2018 6:29:27 PM)", kMonth), "2018-07-03T18:29:27+07:00");
  EXPECT_EQ(iso("(7/3/2018 6:29:27 PM)", kDay), "2018-03-07T18:29:27+07:00");
  EXPECT_EQ(iso("Thứ Sáu, ngày 23 tháng 08 năm 2019, 09:25:27"), "2019-08-23T09:25:27+07:00");
  EXPECT_EQ(iso("11:28, 23/07/2021"), "2021-07-23T11:28+07:00");
  EXPECT_EQ(iso("23/07/2021 - 11:28"), "2021-07-23T11:28+07:00");
  EXPECT_EQ(iso("03/07/2018 06:29 CH"), "2018-07-03T18:29+07:00");
  EXPECT_EQ(iso("18:29:27, 03/07/2018"), "2018-07-03T18:29:27+07:00");
  // Blogger's and Google's vi-VN long date puts a comma where "năm" would be.
  EXPECT_EQ(iso("Thứ Năm, 14 tháng 9, 2017"), "2017-09-14");
  EXPECT_EQ(iso("ngày 14 tháng 9, 2017"), "2017-09-14");
  EXPECT_EQ(iso("14 tháng 9, 2017"), "none");  // bare: needs "ngày", a weekday or a label
}

// Forms of the sixth held-out round: year first with slashes, .NET's en-US long date.
TEST(FindDate, YearFirstAndEnglishLongDates) {
  EXPECT_EQ(iso("2020/08/14 15:30"), "2020-08-14T15:30+07:00");
  EXPECT_EQ(iso("2020/14/08"), "none");  // the month never follows a year-first day
  EXPECT_EQ(iso("Tuesday, March 12, 2019"), "2019-03-12");
  EXPECT_EQ(iso("Ngày: March 12, 2019 8:30 AM"), "2019-03-12T08:30+07:00");
  EXPECT_EQ(iso("February 30, 2019"), "none");
  EXPECT_EQ(iso("March of 2019"), "none");
}

// A line that is only a date may be the long form without "ngày"; in running text it may not.
TEST(FindDateAlone, BareLongFormsOnALineOfTheirOwn) {
  auto alone = [](std::string_view text) {
    std::optional<FoundDate> d = find_date_alone(text, kDay);
    return d ? d->iso : "none";
  };
  EXPECT_EQ(alone("12 tháng 3, 2021"), "2021-03-12");
  EXPECT_EQ(alone(" 05 Tháng 12 2022 "), "2022-12-05");
  EXPECT_EQ(alone("12 tháng 3 năm 2021."), "2021-03-12");
  EXPECT_EQ(alone("sau 12 tháng 3 năm 2021"), "none");
  EXPECT_EQ(alone("12 tháng 3, 2021 các đơn vị"), "none");
  EXPECT_EQ(iso("12 tháng 3, 2021"), "none");
}

TEST(FindLabelledDate, LastUpdatedLabel) {
  EXPECT_EQ(labelled("Cập nhật lần cuối: 20/11/2019 09:05:00"), "2019-11-20T09:05:00+07:00");
}

TEST(FindDate, NumericForms) {
  EXPECT_EQ(iso("12/04/2023"), "2023-04-12");
  EXPECT_EQ(iso("6/4/2023"), "2023-04-06");
  EXPECT_EQ(iso("12-04-2023"), "2023-04-12");
  EXPECT_EQ(iso("12.04.2023"), "2023-04-12");
  EXPECT_EQ(iso("2023-04-12"), "2023-04-12");
  EXPECT_EQ(iso("2023-04-12", kMonth), "2023-04-12");  // ISO is year-month-day whatever the order
  EXPECT_EQ(iso("29/02/2024"), "2024-02-29");
  EXPECT_EQ(iso("ngày 23 tháng 8 năm 2019"), "2019-08-23");
  EXPECT_EQ(iso("NGÀY 23 THÁNG 8 NĂM 2019"), "2019-08-23");
  EXPECT_EQ(iso("Chủ nhật, 05/03/2023"), "2023-03-05");
  EXPECT_EQ(iso("Thứ 6, 23/08/2019"), "2019-08-23");
}

TEST(FindDate, TimesAfterAndBefore) {
  EXPECT_EQ(iso("03/12/2018 10:10 AM"), "2018-12-03T10:10+07:00");
  EXPECT_EQ(iso("03/12/2018 10:10am"), "2018-12-03T10:10+07:00");
  EXPECT_EQ(iso("03/12/2018 12:05 AM"), "2018-12-03T00:05+07:00");
  EXPECT_EQ(iso("03/12/2018 12:05 PM"), "2018-12-03T12:05+07:00");
  EXPECT_EQ(iso("03/12/2018 9:05 sa"), "2018-12-03T09:05+07:00");
  EXPECT_EQ(iso("03/12/2018 09:05:07 ch"), "2018-12-03T21:05:07+07:00");
  EXPECT_EQ(iso("03/12/2018, 23:59"), "2018-12-03T23:59+07:00");
  EXPECT_EQ(iso("03/12/2018 | 08:00"), "2018-12-03T08:00+07:00");
  EXPECT_EQ(iso("03/12/2018 lúc 08:00"), "2018-12-03T08:00+07:00");
  EXPECT_EQ(iso("23/07/2021 \u2013 11:28"), "2021-07-23T11:28+07:00");
  EXPECT_EQ(iso("23/07/2021\u00A0-\u00A011:28"), "2021-07-23T11:28+07:00");
  EXPECT_EQ(iso("10:10 03/12/2018"), "2018-12-03T10:10+07:00");
  EXPECT_EQ(iso("10:10 AM, 03/12/2018"), "2018-12-03T10:10+07:00");
  EXPECT_EQ(iso("10:10 ngày 03/12/2018"), "2018-12-03T10:10+07:00");
  // The time's own label, as in two labelled cells "Ngày: 06/06/2019 | Giờ: 09:10".
  EXPECT_EQ(iso("Ngày: 06/06/2019 Giờ: 09:10"), "2019-06-06T09:10+07:00");
  EXPECT_EQ(iso("06/06/2019 | GIỜ : 09:10"), "2019-06-06T09:10+07:00");
  EXPECT_EQ(iso("06/06/2019 Giờ: làm việc"), "2019-06-06");  // no clock: the date alone
  EXPECT_EQ(iso("06/06/2019 giờ 09:10"), "2019-06-06");      // "giờ" without its colon
}

TEST(FindDate, ImpossibleTimesAreDroppedButTheDateStays) {
  EXPECT_EQ(iso("03/12/2018 25:10"), "2018-12-03");
  EXPECT_EQ(iso("03/12/2018 10:61"), "2018-12-03");
  EXPECT_EQ(iso("03/12/2018 13:10 PM"), "2018-12-03");
  EXPECT_EQ(iso("03/12/2018 0:10 AM"), "2018-12-03");
  EXPECT_EQ(iso("03/12/2018 10:1"), "2018-12-03");
}

TEST(FindDate, IsoDateTimesAreMovedToVietnamTime) {
  EXPECT_EQ(iso("2023-04-12T10:10:00+07:00"), "2023-04-12T10:10:00+07:00");
  EXPECT_EQ(iso("2023-04-12T10:10"), "2023-04-12T10:10+07:00");
  EXPECT_EQ(iso("2023-04-12T20:30:15.123Z"), "2023-04-13T03:30:15+07:00");
  EXPECT_EQ(iso("2023-12-31T20:00Z"), "2024-01-01T03:00+07:00");
  EXPECT_EQ(iso("2024-03-01T01:00+0900"), "2024-02-29T23:00+07:00");
}

TEST(FindDate, OrderDecidesAmbiguousDates) {
  EXPECT_EQ(iso("7/3/2018"), "2018-03-07");
  EXPECT_EQ(iso("7/3/2018", kMonth), "2018-07-03");
  EXPECT_EQ(iso("(6/29/2018)", kMonth), "2018-06-29");
  EXPECT_EQ(iso("(6/29/2018)", kDay), "none");  // no fallback to month-first
  // ... unless the en-US clock .NET's ToString() prints follows a date the site's order cannot read.
  EXPECT_EQ(iso("9/26/2019 3:20:00 PM", kDay), "2019-09-26T15:20:00+07:00");
  EXPECT_EQ(iso("9/26/2019 15:20", kDay), "none");
  EXPECT_EQ(iso("Đăng lúc 2:45 PM, 9/24/2020", kDay), "2020-09-24T14:45+07:00");
  EXPECT_EQ(iso("14:45, 9/24/2020", kDay), "none");
  EXPECT_EQ(iso("9/26/2019 3:20 CH", kDay), "none");
  EXPECT_EQ(iso("13/25/2020", kDay), "none");
  EXPECT_EQ(iso("13/25/2020", kMonth), "none");
}

TEST(FindDate, RejectsImpossibleDates) {
  EXPECT_EQ(iso("31/02/2020"), "none");
  EXPECT_EQ(iso("29/02/2023"), "none");
  EXPECT_EQ(iso("31/04/2023"), "none");
  EXPECT_EQ(iso("00/04/2023"), "none");
  EXPECT_EQ(iso("12/00/2023"), "none");
  EXPECT_EQ(iso("2023-13-01"), "none");
  EXPECT_EQ(iso("ngày 32 tháng 8 năm 2019"), "none");
}

TEST(FindDate, RejectsYearsOutsideRange) {
  EXPECT_EQ(iso("12/04/1989"), "none");
  EXPECT_EQ(iso("12/04/2101"), "none");
  EXPECT_EQ(iso("01/01/1990"), "1990-01-01");
  EXPECT_EQ(iso("31/12/2100"), "2100-12-31");
  EXPECT_EQ(iso("ngày 2 tháng 9 năm 1945"), "none");
}

TEST(FindDate, RejectsTheNonDatesOfThePortals) {
  for (const char* text : {
           "Hội nghị sơ kết công tác quý I/2023 và triển khai nhiệm vụ quý II/ 2023",
           "6 tháng đầu năm 6/2018",
           "giai đoạn 2022 – 2025",
           "giai đoạn 2021 -2025",
           "giai đoạn 2022-2025 tầm nhìn đến năm 2030",
           "Quyết định số 1907/QĐ-TTg",
           "Chương trình số 19-CTr/TU",
           "Trong tuần: 20,657",
           "Tất cả: 1,891,451",
           "giải ngân 03 dự án đầu tư năm 2022 là 27,599/30,5 tỷ, đạt 90,49% kế hoạch",
           "75 quyết định, 1.135 văn bản",
           "1.135.2020 đồng",
           "12/04/23",
           "7/3/18, 6:29:27 PM",  // Java en-US SHORT+MEDIUM: two-digit year
           "12/04/20231",
           "112/04/2023",
           "12/04/2023/QĐ-UBND",
           "số 12/04/2023-QĐ",
           "IPv12/04/2023",
           "Số: 01/01/2020-12/04/2023",
           "12/04-2023",
           "12 / 04 / 2023",
           "Đang online: 81  Hôm nay: 1886",
           "",
       }) {
    EXPECT_EQ(iso(text), "none") << text;
    EXPECT_EQ(labelled(text), "none") << text;
  }
}

TEST(FindDate, SeedSentences) {
  // 004 (Trà Vinh): the decision number is not a year, the date after it is found.
  EXPECT_EQ(iso("Triển khai thực hiện Quyết định số 1907/QĐ-TTg ngày 23/11/2020 và Quyết định số "
                "21/QĐ-TTg ngày 06/01/2021 của Thủ tướng Chính phủ"),
            "2020-11-23");
  EXPECT_EQ(iso("nổi bật về triển khai thực hiện Chương trình số 19-CTr/TU ngày 23/9/2021 của Ban "
                "Thường vụ Tỉnh ủy"),
            "2021-09-23");
  EXPECT_EQ(iso("Chiều 19/7/2022, Sở Thông tin và Truyền thông tổ chức Hội nghị"), "2022-07-19");
  EXPECT_EQ(iso("Bên cạnh đó, Sở đã ban hành hơn 39 kế hoạch, 75 quyết định, 1.135 văn bản nhằm tổ "
                "chức triển khai; giải ngân 03 dự án đầu tư năm 2022 là 27,599/30,5 tỷ, đạt 90,49% "
                "kế hoạch vốn được giao năm 2022."),
            "none");
  // 000 (Bắc Kạn): quarters are not dates; the date line and the event date are.
  EXPECT_EQ(iso("Hội nghị sơ kết công tác quý I/2023 và triển khai nhiệm vụ quý II/ 2023\n\n"
                "( \u00A0Cập nhật lúc: 12/04/2023 \u00A0)\n\nNgày 06/4/2023, Sở Thông tin"),
            "2023-04-12");
  EXPECT_EQ(iso("Ngày 06/4/2023, Sở Thông tin và Truyền thông đã tổ chức Hội nghị"), "2023-04-06");
  // 002 (Nghệ An) and 003 (Đồng Tháp).
  EXPECT_EQ(iso("Giao ban tổng kết công tác Thông tin và Truyền thông Cụm 2 năm 2018 "
                "(03/12/2018 10:10 AM)"),
            "2018-12-03T10:10+07:00");
  EXPECT_EQ(iso("Hội nghị Sơ kết ngành thông tin và truyền thông 6 tháng đầu năm 2018\n\n"
                "(7/3/2018 6:29:27 PM)\n\u00A0\nChiều ngày 28/6/2018, Sở Thông tin",
                kMonth),
            "2018-07-03T18:29:27+07:00");
  EXPECT_EQ(iso("Chiều ngày 28/6/2018, Sở Thông tin và Truyền thông tổ chức"), "2018-06-28");
}

TEST(FindDate, SpanCoversDateAndTime) {
  EXPECT_EQ(span("Cụm 2 năm 2018 (03/12/2018 10:10 AM)"), "03/12/2018 10:10 AM");
  EXPECT_EQ(span("Lúc 18:29:27, 03/07/2018 ..."), "18:29:27, 03/07/2018");
  EXPECT_EQ(span("Đăng: Thứ Sáu, ngày 23 tháng 08 năm 2019, 09:25:27."),
            "Thứ Sáu, ngày 23 tháng 08 năm 2019, 09:25:27");
  EXPECT_EQ(span("vào ngày 23/11/2020."), "23/11/2020");
  std::string text = "Quyết định số 1907/QĐ-TTg ngày 23/11/2020 và";
  std::optional<FoundDate> d = find_date(text, kDay);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->begin, text.find("23/"));
  EXPECT_EQ(d->end, text.find(" và"));
}

TEST(FindDate, SentencePunctuationAfterTheDateIsFine) {
  EXPECT_EQ(iso("đến ngày 23/11/2020."), "2020-11-23");
  EXPECT_EQ(iso("đến ngày 23/11/2020, và"), "2020-11-23");
  EXPECT_EQ(iso("(23/11/2020)"), "2020-11-23");
  EXPECT_EQ(iso("lúc:23/11/2020"), "2020-11-23");
  EXPECT_EQ(iso("23/11/2020.5"), "none");
}

TEST(FindLabelledDate, SeedFacts) {
  EXPECT_EQ(labelled("(\u00A0Cập nhật lúc: 12/04/2023 \u00A0)"), "2023-04-12");
  EXPECT_EQ(labelled("(03/12/2018 10:10 AM)"), "2018-12-03T10:10+07:00");
  EXPECT_EQ(labelled("(7/3/2018 6:29:27 PM)", kMonth), "2018-07-03T18:29:27+07:00");
  EXPECT_EQ(labelled("( Cập nhật lúc: 12/04/2023 )"), "2023-04-12");
}

TEST(FindLabelledDate, EveryLabelCaseInsensitive) {
  for (const char* label : {"Cập nhật lúc", "Cập nhật ngày", "Ngày cập nhật", "Ngày đăng",
                            "Đăng ngày", "Ngày đăng tin", "Ngày xuất bản", "Thời gian đăng",
                            "CẬP NHẬT LÚC", "ĐĂNG NGÀY", "ngày đăng tin", "thời gian đăng"}) {
    EXPECT_EQ(labelled(std::string("Tin bài. ") + label + ": 12/04/2023 - 08:15"),
              "2023-04-12T08:15+07:00")
        << label;
    EXPECT_EQ(labelled(std::string(label) + " 12/04/2023"), "2023-04-12") << label;
    EXPECT_EQ(labelled(std::string(label) + "\u00A0:\u00A012/04/2023"), "2023-04-12") << label;
  }
}

TEST(FindLabelledDate, LabelWithLongForm) {
  EXPECT_EQ(labelled("Ngày đăng: Thứ Sáu, ngày 23 tháng 08 năm 2019, 09:25:27"),
            "2019-08-23T09:25:27+07:00");
  EXPECT_EQ(labelled("Cập nhật ngày 23 tháng 8 năm 2019"), "2019-08-23");
  EXPECT_EQ(labelled("Cập nhật lúc 10:10 ngày 03/12/2018"), "2018-12-03T10:10+07:00");
}

TEST(FindLabelledDate, EventDatesAreNotPublicationDates) {
  EXPECT_EQ(labelled("Quyết định số 1907/QĐ-TTg ngày 23/11/2020"), "none");
  EXPECT_EQ(labelled("Ngày 06/4/2023, Sở Thông tin và Truyền thông đã tổ chức"), "none");
  EXPECT_EQ(labelled("Chiều ngày 28/6/2018, Sở Thông tin"), "none");
  EXPECT_EQ(labelled("ngày 23 tháng 8 năm 2019"), "none");
  EXPECT_EQ(labelled("Lượt xem: 1234"), "none");
  EXPECT_EQ(labelled("Ngày ban hành: 12/04/2023"), "none");  // a document's date, not a label here
  EXPECT_EQ(labelled("(theo Quyết định ngày 23/11/2020)"), "none");
  EXPECT_EQ(labelled("(23/11/2020 và 24/11/2020)"), "none");
  EXPECT_EQ(labelled("Ngày đăng tải 12/04/2023"), "none");  // "Ngày đăng" then a word, not a date
}

TEST(FindLabelledDate, FirstLabelledDateWinsOverEarlierEventDates) {
  std::string text = "Ngày 06/4/2023, hội nghị. Cập nhật lúc: 12/04/2023. (13/04/2023)";
  std::optional<FoundDate> d = find_labelled_date(text, kDay);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->iso, "2023-04-12");
  EXPECT_EQ(text.substr(d->begin, d->end - d->begin), "12/04/2023");
}

// The printed weekday settles the order of a numeric date when the site's order contradicts it
// (7 June 2023 was a Wednesday, 6 July a Thursday), and says it did; a weekday that agrees, or
// that neither order matches, changes nothing.
TEST(FindDate, AWeekdayContradictingTheSiteOrderDecides) {
  std::optional<FoundDate> d = find_date("Thứ Tư, 07/06/2023 - 08:15", kMonth);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->iso, "2023-06-07T08:15+07:00");
  EXPECT_TRUE(d->weekday_decided);
  EXPECT_EQ(iso("Thứ Hai, 12/05/2022 - 14:30", kDay), "2022-12-05T14:30+07:00");  // Drupal 7
  EXPECT_EQ(iso("Thứ 2, 14:30 12/05/2022", kDay), "2022-12-05T14:30+07:00");
  d = find_date("Thứ Tư, 06/07/2023", kMonth);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->iso, "2023-06-07");
  EXPECT_FALSE(d->weekday_decided);
  EXPECT_EQ(iso("Thứ Sáu, 07/06/2023", kMonth), "2023-07-06");  // neither order is a Friday
  EXPECT_EQ(iso("Chủ nhật, 06/11/2023", kDay), "2023-06-11");    // 6 Nov was a Monday, 11 June a Sunday
}

// "15h40": hours, "h", two-digit minutes.
TEST(FindDate, HourLetterTimes) {
  EXPECT_EQ(iso("Cập nhật lúc 15h40 ngày 23/8/2021"), "2021-08-23T15:40+07:00");
  EXPECT_EQ(iso("23/8/2021 - 8h05"), "2021-08-23T08:05+07:00");
  EXPECT_EQ(iso("15h40p ngày 23/8/2021"), "2021-08-23");  // not a time: glued letters
  EXPECT_EQ(iso("25h40 ngày 23/8/2021"), "2021-08-23");
}

TEST(FindDate, HostileInputIsLinearAndSafe) {
  std::string repeats;
  while (repeats.size() < 4u * 1024 * 1024)
    repeats += "ngày 12 tháng Thứ Sáu, 1/2/ 10:10, (Cập nhật lúc: 9";
  std::string digits(4u * 1024 * 1024, '1');
  std::string spaces = "ngày" + std::string(1u << 20, ' ') + "12";
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(iso(repeats), "none");
  EXPECT_EQ(labelled(repeats), "none");
  EXPECT_EQ(iso(digits), "none");
  EXPECT_EQ(labelled(digits), "none");
  EXPECT_EQ(iso(spaces), "none");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 20.0);

  std::mt19937 rng(2023);
  const char alphabet[] = "0123456789/-.:, ()AMPSCHngàythángnămThứĐăng\xC2\xA0\xFF";
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 64, ' ');
    for (char& c : text) c = alphabet[rng() % (sizeof alphabet - 1)];
    std::optional<FoundDate> d = find_date(text, round % 2 ? kDay : kMonth);
    if (d) {
      ASSERT_LE(d->begin, d->end);
      ASSERT_LE(d->end, text.size());
    }
    (void)find_labelled_date(text, kDay);
  }
}

}  // namespace
}  // namespace provarc
