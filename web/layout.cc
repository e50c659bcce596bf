// The frame every reader page shares, its stylesheet, and how dates, sizes and durations read.
#include <chrono>
#include <cstdio>

#include "common/ascii.h"
#include "common/time.h"
#include "web/pages.h"

namespace provarc::web {
namespace {

// Plain CSS, no web fonts or images: one column that reads on a phone, wider tables on a desktop.
constexpr std::string_view kStylesheet = R"css(
:root { --ink: #1d232a; --muted: #5c6670; --line: #d8dde2; --accent: #0b5cad; --warn: #9a3b00;
        --ins: #d7f5dd; --del: #fde0e0; --paper: #fff; --shade: #f4f6f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--paper); font: 17px/1.6 system-ui,
       -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; }
a { color: var(--accent); }
header.top { background: var(--shade); border-bottom: 1px solid var(--line); padding: .6rem 1rem;
             display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: center; }
header.top .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
header.top nav { display: flex; gap: 1rem; }
form.search { display: flex; gap: .4rem; flex: 1 1 16rem; max-width: 34rem; }
form.search input[type=search] { flex: 1; min-width: 0; font: inherit; padding: .3rem .5rem;
                                 border: 1px solid var(--line); border-radius: 4px; }
button, .button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent);
                  background: var(--accent); color: #fff; border-radius: 4px; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
main.wide { max-width: 80rem; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line);
         padding: 1rem; text-align: center; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; }
.muted, .meta { color: var(--muted); }
.meta { font-size: .92rem; margin: 0 0 1rem; }
.meta dt { font-weight: 600; float: left; clear: left; margin-right: .4rem; }
.meta dd { margin: 0 0 .15rem; overflow-wrap: anywhere; }
code, .url { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em;
             overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.alarm { color: var(--warn); font-weight: 600; }
.badge { display: inline-block; font-size: .78rem; padding: 0 .4rem; border-radius: 3px;
         background: var(--shade); border: 1px solid var(--line); color: var(--muted); }
.badge.warn { color: var(--warn); border-color: var(--warn); }
ul.articles { list-style: none; padding: 0; margin: 0; }
ul.articles li { padding: .5rem 0; border-bottom: 1px solid var(--line); }
ul.articles .date { display: block; font-size: .85rem; color: var(--muted); }
h2.month { font-size: 1rem; color: var(--muted); margin: 1.5rem 0 .2rem; }
.body p { margin: 0 0 1rem; }
.body .caption, figcaption { font-size: .9rem; color: var(--muted); font-style: italic; }
.body .row { font-family: inherit; background: var(--shade); padding: .2rem .5rem; margin: 0; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
.missing { border: 1px dashed var(--line); padding: .5rem; color: var(--muted); font-size: .9rem;
           overflow-wrap: anywhere; }
ins { background: var(--ins); text-decoration: none; }
del { background: var(--del); }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 1.5rem 0; }
mark { background: #fff3b0; color: inherit; }
.results { padding-left: 1.6rem; }
.results li { margin-bottom: 1.2rem; }
.results .title { font-weight: 600; }
.results .date { display: block; font-size: .85rem; color: var(--muted); }
.results .snippet { margin: .2rem 0 0; }
form.search-form input[type=search] { width: 100%; font: inherit; padding: .3rem .5rem;
                                      border: 1px solid var(--line); border-radius: 4px; }
form.search-form .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center;
                            font-size: .92rem; }
form.search-form select, form.search-form input[type=date] { font: inherit; }
iframe.archived { width: 100%; height: 75vh; border: 1px solid var(--line); background: #fff; }
.notice { background: var(--shade); border-left: 4px solid var(--accent); padding: .5rem .8rem;
          font-size: .92rem; }
@media (max-width: 40rem) {
  body { font-size: 16px; }
  .hide-narrow { display: none; }
  main { padding: .75rem; }
}
)css";

// The digits of text[at, at + n) as a number; -1 when any is no digit (or text is too short).
int digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!ascii::is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string two(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n % 100);
  return buf;
}

// "1,5" for 1.5: Vietnamese writes a decimal comma.
std::string one_decimal(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string out = buf;
  for (char& c : out) {
    if (c == '.') c = ',';
  }
  return out;
}

}  // namespace

std::string_view stylesheet() { return kStylesheet; }

Reply page(std::string_view title, const Html& content, std::string_view query) {
  Html html;
  html << "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<meta name=\"referrer\" content=\"no-referrer\">"
          "<title>"
       << title
       << " · Kho lưu trữ provarc</title>"
          "<link rel=\"stylesheet\" href=\"/static/reader.css\"></head><body>"
          "<header class=\"top\"><a class=\"brand\" href=\"/\">Kho lưu trữ provarc</a>"
          "<nav><a href=\"/\">Các trang</a><a href=\"/runs\">Lượt thu thập</a></nav>"
          "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">"
          "<input type=\"search\" name=\"q\" value=\""
       << query
       << "\" placeholder=\"Tìm bài viết, có dấu hay không dấu\" aria-label=\"Tìm bài viết\">"
          "<button type=\"submit\">Tìm</button></form></header>\n<main>"
       << content
       << "</main>\n<footer>Bản đọc của kho lưu trữ, chỉ đọc; không gì trên trang này được tải "
          "từ bên ngoài máy này. Giờ là giờ Việt Nam (UTC+7).</footer></body></html>\n";
  Reply reply;
  reply.body = html.str();
  return reply;
}

Reply error_page(int status, std::string_view message) {
  Html content;
  content << "<h1>" << (status == 404 ? std::string("Không tìm thấy") : "Lỗi " +
                                                                            std::to_string(status))
          << "</h1><p>" << message << "</p><p><a href=\"/\">Về trang đầu</a></p>";
  Reply reply = page(status == 404 ? "Không tìm thấy" : "Lỗi", content);
  reply.status = status;
  return reply;
}

std::string format_article_date(std::string_view iso) {
  const int year = digits(iso, 0, 4), month = digits(iso, 5, 2), day = digits(iso, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || iso[4] != '-' ||
      iso[7] != '-') {
    return std::string(iso);
  }
  std::string out = two(day) + "/" + two(month) + "/" + std::to_string(year);
  const int hour = digits(iso, 11, 2), minute = digits(iso, 14, 2);
  if (iso.size() >= 16 && iso[10] == 'T' && hour >= 0 && minute >= 0) {
    out += " " + two(hour) + ":" + two(minute);
  }
  return out;
}

std::string format_archive_time(std::string_view utc) {
  using namespace std::chrono;
  std::optional<WallTime> time = parse_utc(utc);
  if (!time) return std::string(utc);
  // Vietnam keeps UTC+7 all year.
  const sys_time<minutes> local = floor<minutes>(*time) + hours{7};
  const sys_days day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss<minutes> clock{local - day};
  return two(static_cast<int>(unsigned(date.day()))) + "/" +
         two(static_cast<int>(unsigned(date.month()))) + "/" +
         std::to_string(static_cast<int>(date.year())) + " " +
         two(static_cast<int>(clock.hours().count())) + ":" +
         two(static_cast<int>(clock.minutes().count()));
}

std::string format_bytes(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return one_decimal(bytes / 1024.0) + " KB";
  if (bytes < int64_t{1024} * 1024 * 1024) return one_decimal(bytes / 1048576.0) + " MB";
  return one_decimal(bytes / 1073741824.0) + " GB";
}

std::string format_duration(int64_t ms) {
  if (ms < 60000) return one_decimal(ms / 1000.0) + " giây";
  const int64_t seconds = ms / 1000;
  if (seconds < 3600) {
    return std::to_string(seconds / 60) + " phút " + std::to_string(seconds % 60) + " giây";
  }
  return std::to_string(seconds / 3600) + " giờ " + std::to_string(seconds % 3600 / 60) + " phút";
}

}  // namespace provarc::web
