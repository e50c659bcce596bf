// parsers/lines.h (internal to parsers/): what one line of page text is — a date line, chrome, a
// breadcrumb, a related-articles heading, a byline — judged from the text alone. The finders
// (fields.h) and the body's text rules (extract.cc) share these tests. Pure functions of their
// arguments; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "parsers/blocks.h"
#include "parsers/extract.h"

namespace provarc::internal {

// The title without what rules.title_strip removes and without a trailing parenthesised date
// ("… (03/12/2018 10:10 AM)"), collapsed.
std::string strip_title(std::string title, const ExtractRules& rules);

// The name of a byline without its label: "Tác giả: Minh Khang" -> "Minh Khang"; "Nguồn: Báo Bắc
// Kạn" -> "Báo Bắc Kạn"; "Tác giả: Minh Khoa | Nguồn: Báo Hậu Giang" -> "Minh Khoa" (the person,
// not the outlet: docs/extraction.md). Text without a label is returned as it is.
std::string strip_byline_label(std::string text);

// True when the text starts with a byline label ("Tác giả:", "Viết bởi", "Nguồn:", ...).
bool has_byline_label(const std::string& text);

// True when the last character is sentence punctuation (. ; : ? ! ,).
bool ends_sentence(const std::string& text);
bool has_letter(const std::string& text);

// A line equal to one of rules.chrome_lines or fully matching one of rules.chrome_patterns.
bool is_chrome_line(const std::string& text, const ExtractRules& rules);

// A row of page tools: nothing but chrome lines and tool words joined by separators ("In bài viết
// | Gửi email | Quay lại", "In bài viết Gửi email Đầu trang"). Chrome lines and the universal
// tool words below count; one word alone is left to is_chrome_line, one word and a bar ("In tin
// |", what strip_glued_chrome leaves of "In tin | Quay lại") is a row.
bool is_tools_row(const std::string& text, const ExtractRules& rules);

// Cuts chrome glued to the end of a block with no block break ("T.HThống kê truy cập"): the
// rules' long chrome and stop lines, and the universal widget headings below.
void strip_glued_chrome(std::string* text, const ExtractRules& rules);

// A block that is only a publication-date line: labelled ("Ngày đăng: 15/03/2021 08:30"),
// parenthesised ("(12/04/2023)"), or a bare date with at most its weekday and a time ("Thứ Tư,
// ngày 19/06/2019 - 08:45", "09:45 | 17/10/2023"). Sets *iso.
bool is_date_line(const std::string& text, const ExtractRules& rules, std::string* iso);

// A photographer's credit ("Ảnh: Đức Hải"): part of the text, never the byline.
bool is_photo_credit(const std::string& text);

// `text` without a trailing view counter ("… | Lượt xem: 512", "… Lượt xem: 1,027").
std::string without_counters(const std::string& text);

// The heading of a related-articles box, which ends the body: one of rules.stop_lines, or of the
// universal headings every Vietnamese portal family uses ("Tin khác", "Các tin khác", "Tin liên
// quan", "Tin đã đưa", "Bài viết khác", "Bài viết liên quan", ...; issue 10 item 7), with or
// without a final colon.
bool is_related_heading(const std::string& text, const ExtractRules& rules);

// A breadcrumb trail: two to eight short parts joined by › » > / | or " - ", starting with "Trang
// chủ" or "Home", or a block that is all links and separators. `link_bytes` is the block's text
// inside links.
bool is_breadcrumb(const std::string& text, size_t link_bytes);

// Ends the body at its first related-articles heading (is_related_heading), unless the article
// goes on after the box: when the heading is followed by one or more blocks that are mostly links
// and then by prose (a sentence-ending paragraph of a dozen words or more), the heading and its
// links are dropped and the body continues (boxes placed in the middle of the text: round 6).
// A line that is a related heading, a colon and a link ("Xem thêm: <a>…</a>") is dropped alone.
void cut_related_boxes(std::vector<RawBlock>* blocks, const ExtractRules& rules);

// Related-article lists inside a body: three or more consecutive list items that are all links.
void drop_link_lists(std::vector<RawBlock>* blocks);

}  // namespace provarc::internal
