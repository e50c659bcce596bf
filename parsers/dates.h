// parsers/dates.h: finding publication dates in Vietnamese portal text and writing them as
// ISO 8601 at the precision printed, with +07:00 (Asia/Ho_Chi_Minh, no DST) when a time is given.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "html/extract_rules.h"  // DateOrder

namespace provarc {

struct FoundDate {
  std::string iso;   // "2023-04-12", "2018-12-03T10:10+07:00", "2018-07-03T18:29:27+07:00"
  size_t begin = 0;  // byte span of the date (with its time) in the searched text
  size_t end = 0;
  // The printed weekday contradicted the site's date order and the other order agreed with it
  // ("Thứ Tư, 07/06/2023" on a month-first site is 7 June): that order was used.
  bool weekday_decided = false;
};

// The first date in `text` that is really a date. Understands dd/MM/yyyy, d/M/yyyy, dd-MM-yyyy,
// dd.MM.yyyy, yyyy-MM-dd, with an optional time before or after ("10:10 AM", "6:29:27 PM",
// "06:29 CH", "18:29:27, 03/07/2018", "23/07/2021 - 11:28"), SA/CH and AM/PM markers, and the long
// forms "Thứ Sáu, ngày 23 tháng 08 năm 2019, 09:25:27" and (Blogger) "Thứ Năm, 14 tháng 9, 2017".
// Never reads "quý I/2023", "II/ 2023", "6/2018", "2022 – 2025", "1907/QĐ-TTg", "19-CTr/TU",
// "20,657" or "27,599/30,5" as dates, and rejects impossible dates (31/02) and years outside
// 1990..2100.
std::optional<FoundDate> find_date(std::string_view text, DateOrder order);

// A date that is the whole of `text` (white space and a final period aside), in any form find_date
// reads, and also the long form without "ngày" ("12 tháng 3, 2021", "05 Tháng 12 2022"): a line
// holding nothing else is a date line, where in running text such a form may be a duration.
std::optional<FoundDate> find_date_alone(std::string_view text, DateOrder order);

// Like find_date, but only a date that follows one of the Vietnamese publication labels
// ("Cập nhật lúc", "Cập nhật ngày", "Cập nhật", "Ngày cập nhật", "Ngày đăng", "Đăng ngày", "Ngày đăng tin",
// "Ngày xuất bản", "Thời gian đăng", "Đăng lúc"; case-insensitive, colon optional) or stands alone in
// parentheses, e.g. "(03/12/2018 10:10 AM)". Used on text that also holds event dates.
std::optional<FoundDate> find_labelled_date(std::string_view text, DateOrder order);

}  // namespace provarc
