// tests/fuzz/targets.cc: what each fuzz target feeds the modules and which of their documented
// promises it checks afterwards (see targets.h).
#include "tests/fuzz/targets.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "archive/warc.h"
#include "common/ascii.h"
#include "common/url.h"
#include "config/config.h"
#include "crawler/links.h"
#include "crawler/robots.h"
#include "crawler/url_canon.h"
#include "html/dom.h"
#include "html/selector.h"
#include "html/text.h"
#include "parsers/article.h"
#include "parsers/dates.h"
#include "parsers/extract.h"
#include "web/archived.h"
#include "web/html.h"

namespace provarc::fuzz {
namespace {

namespace fs = std::filesystem;

// The page and sitemap URLs the targets pretend their input was served from.
constexpr std::string_view kPageUrl = "https://stttt.example.gov.vn/tin-tuc/bai-viet.aspx?id=7";
constexpr std::string_view kSitemapUrl = "https://stttt.example.gov.vn/sitemap.xml";
constexpr std::string_view kUserAgent = "provarc/0.1 (+https://example.org/provarc)";

// Targets that split their input into lines look at no more than this many: enough to combine
// a few values, few enough that one input stays fast.
constexpr size_t kMaxLines = 32;

// ---------------------------------------------------------------------------------------------
// Helpers

// `text` quoted for a message: at most 80 bytes, bytes outside printable ASCII as \xNN, so that a
// failure report stays one readable line whatever the input.
std::string excerpt(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : text.substr(0, 80)) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (text.size() > 80) out += "...";
  return out + "\"";
}

// True when `text` is well-formed UTF-8 (RFC 3629: shortest forms, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2, code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3, code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4, code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000)) return false;
    if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
    i += length;
  }
  return true;
}

// The first kMaxLines lines of `input` (split at LF, a trailing CR dropped).
std::vector<std::string_view> first_lines(std::string_view input) {
  std::vector<std::string_view> lines;
  while (!input.empty() && lines.size() < kMaxLines) {
    size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  return lines;
}

// Days in `month` of `year`, Gregorian.
int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads `count` ASCII digits at `pos` of `text` into `value`; false when they are not all there.
bool read_digits(std::string_view text, size_t pos, size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// True when `iso` is a date as dates.h writes them: "yyyy-MM-dd", optionally followed by
// "THH:mm+07:00" or "THH:mm:ss+07:00", with a real calendar date in 1990..2100 and a real time.
bool is_found_date(std::string_view iso) {
  int year, month, day, hour, minute, second;
  if (!read_digits(iso, 0, 4, year) || iso.substr(4, 1) != "-" || !read_digits(iso, 5, 2, month) ||
      iso.substr(7, 1) != "-" || !read_digits(iso, 8, 2, day)) {
    return false;
  }
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month)) {
    return false;
  }
  if (iso.size() == 10) return true;
  if (iso.substr(10, 1) != "T" || !read_digits(iso, 11, 2, hour) || iso.substr(13, 1) != ":" ||
      !read_digits(iso, 14, 2, minute) || hour > 23 || minute > 59) {
    return false;
  }
  std::string_view rest = iso.substr(16);
  if (rest.substr(0, 1) == ":") {
    if (!read_digits(rest, 1, 2, second) || second > 59) return false;
    rest.remove_prefix(3);
  }
  return rest == "+07:00";
}

// Ok when every URL of `urls` is an absolute http(s) URL, none repeats and there are at most
// kMaxLinksPerDocument: what links.h promises of each list it returns.
Status check_url_list(const std::vector<std::string>& urls, std::string_view what) {
  if (urls.size() > kMaxLinksPerDocument) {
    return fail(std::string(what) + ": " + std::to_string(urls.size()) +
                " URLs, more than the cap");
  }
  std::set<std::string_view> seen;
  for (const std::string& url : urls) {
    auto parts = parse_url(url);
    if (!parts.ok()) return fail(std::string(what) + ": not absolute http(s): " + parts.error());
    if (!seen.insert(url).second) return fail(std::string(what) + ": duplicate " + excerpt(url));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// robots: RobotsTxt::parse on the whole input, then check() with the file's own record values as
// URLs and user agents, crawl_delay_seconds() and sitemaps().

// The value of each of the first kMaxLines lines: the text after its first ':' (or the whole
// line), so that the probes look like the patterns and agents the file names.
std::vector<std::string_view> record_values(std::string_view input) {
  std::vector<std::string_view> values;
  for (std::string_view line : first_lines(input)) {
    size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? line : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    values.push_back(value);
  }
  values.push_back("/");
  return values;
}

// An upper bound of the file's line count within the parsed prefix (a CRLF counts twice).
int max_line_number(std::string_view input) {
  int breaks = 0;
  for (char c : input.substr(0, RobotsTxt::kMaxBytes)) breaks += (c == '\n' || c == '\r');
  return breaks + 1;
}

Status check_decision(const RobotsTxt& robots, std::string_view agent, std::string_view url,
                      int max_line) {
  RobotsTxt::Decision decision = robots.check(agent, url);
  std::string probe = "check(" + excerpt(agent) + ", " + excerpt(url) + ")";
  if (decision.line < 0 || decision.line > max_line) {
    return fail(probe + ": line " + std::to_string(decision.line) + " is not in the file");
  }
  if (decision.line == 0 && (!decision.allowed || !decision.rule.empty())) {
    return fail(probe + ": no deciding line, yet disallowed or naming a rule");
  }
  if (decision.line > 0 && decision.rule.empty()) {
    return fail(probe + ": a deciding line without its rule");
  }
  if (robots.allowed(agent, url) != decision.allowed) {
    return fail(probe + ": allowed() disagrees with check()");
  }
  return Status::Ok();
}

// The robots.txt matcher as RFC 9309 states it, by dynamic programming over (pattern, path)
// prefixes: quadratic, so only for short strings. matches[j] is true when the pattern read so
// far matches path[0, j).
bool reference_robots_match(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  std::vector<bool> matches(path.size() + 1, false);
  matches[0] = true;
  for (char p : pattern) {
    std::vector<bool> next(path.size() + 1, false);
    if (p == '*') {
      bool any = false;
      for (size_t j = 0; j <= path.size(); ++j) next[j] = any = any || matches[j];
    } else {
      for (size_t j = 0; j < path.size(); ++j) next[j + 1] = matches[j] && path[j] == p;
    }
    matches = std::move(next);
  }
  if (anchored) return matches[path.size()];
  return std::find(matches.begin(), matches.end(), true) != matches.end();
}

// robots_pattern_matches against the reference on every pair of short normalised values.
Status check_robots_matcher(const std::vector<std::string_view>& values) {
  std::vector<std::string> normal;
  for (std::string_view value : values) {
    if (value.size() <= 64) normal.push_back(normalize_robots_path(value));
  }
  for (const std::string& pattern : normal) {
    if (pattern.empty()) continue;  // "an empty pattern matches nothing": never asked
    for (const std::string& path : normal) {
      if (robots_pattern_matches(pattern, path) != reference_robots_match(pattern, path)) {
        return fail("robots_pattern_matches(" + excerpt(pattern) + ", " + excerpt(path) +
                    ") disagrees with the RFC 9309 reference");
      }
    }
  }
  return Status::Ok();
}

Status check_robots_path(std::string_view value) {
  std::string normal = normalize_robots_path(value);
  if (normal.size() > 3 * value.size()) {
    return fail("normalize_robots_path(" + excerpt(value) + ") more than three times longer");
  }
  // A plain pattern (no wildcard, no anchor) is a prefix of itself.
  bool plain = normal.find_first_of("*$") == std::string::npos;
  if (plain && !normal.empty() && !robots_pattern_matches(normal, normal)) {
    return fail("pattern " + excerpt(normal) + " does not match itself as a path");
  }
  return Status::Ok();
}

Status fuzz_robots(std::string_view input) {
  RobotsTxt robots = RobotsTxt::parse(input);
  int max_line = max_line_number(input);
  for (std::string_view value : record_values(input)) {
    for (std::string_view agent : {kUserAgent, value}) {
      if (Status s = check_decision(robots, agent, value, max_line); !s.ok()) return s;
    }
    if (std::optional<double> delay = robots.crawl_delay_seconds(value)) {
      if (!std::isfinite(*delay) || *delay < 0) {
        return fail("crawl_delay_seconds(" + excerpt(value) + ") = " + std::to_string(*delay));
      }
    }
    if (Status s = check_robots_path(value); !s.ok()) return s;
  }
  if (Status s = check_robots_matcher(record_values(input)); !s.ok()) return s;
  if (!robots.allowed(kUserAgent, "/robots.txt")) return fail("/robots.txt itself is disallowed");
  return check_url_list(robots.sitemaps(), "sitemaps()");
}

// ---------------------------------------------------------------------------------------------
// decode: decode_html with a content type from a fixed table (picked by the input's length) and
// with one whose charset is the input's first line; then the text functions on its output.

Status check_decoded(const DecodedText& decoded, std::string_view content_type) {
  std::string call = "decode_html(..., " + excerpt(content_type) + ")";
  if (!is_valid_utf8(decoded.utf8)) return fail(call + ": output is not valid UTF-8");
  if (to_nfc(decoded.utf8) != decoded.utf8) return fail(call + ": output is not NFC");
  if (decoded.charset.empty()) return fail(call + ": no charset named");
  static const std::set<std::string> kSources = {"bom", "http", "meta", "detected", "default"};
  if (!kSources.count(decoded.source)) return fail(call + ": source " + excerpt(decoded.source));
  return Status::Ok();
}

Status check_text_functions(const std::string& utf8) {
  std::string collapsed = collapse_whitespace(utf8);
  if (!is_valid_utf8(collapsed)) return fail("collapse_whitespace: output is not valid UTF-8");
  if (collapse_whitespace(collapsed) != collapsed) {
    return fail("collapse_whitespace is not idempotent on " + excerpt(collapsed));
  }
  if (is_blank(utf8) != collapsed.empty()) {
    return fail("is_blank() disagrees with collapse_whitespace() on " + excerpt(utf8));
  }
  if (count_words(collapsed) > collapsed.size()) return fail("count_words: more words than bytes");
  return Status::Ok();
}

Status fuzz_decode(std::string_view input) {
  static const std::string_view kContentTypes[] = {
      "",
      "text/html",
      "text/html; charset=utf-8",
      "text/html; charset=windows-1258",
      "text/html;charset=\"ISO-8859-1\"",
      "text/html; charset=utf-16le",
      "text/html; charset=UTF-16",
      "application/xhtml+xml; charset=Shift_JIS",
      "text/html; charset=tcvn",
      "text/html; charset=x-user-defined",
      "text/html; charset=",
      "text/plain; charset=utf-32; format=flowed",
  };
  constexpr size_t kTypes = sizeof(kContentTypes) / sizeof(kContentTypes[0]);
  std::string_view first_line = input.substr(0, std::min<size_t>(input.find('\n'), 256));
  const std::string fuzzed_type = "text/html; charset=" + std::string(first_line);
  for (std::string_view content_type :
       {kContentTypes[input.size() % kTypes], std::string_view(fuzzed_type)}) {
    DecodedText decoded = decode_html(input, content_type);
    if (Status s = check_decoded(decoded, content_type); !s.ok()) return s;
    if (Status s = check_text_functions(decoded.utf8); !s.ok()) return s;
    // Its output, served again as UTF-8, reads back unchanged (a leading U+FEFF would be a BOM).
    if (decoded.utf8.rfind("\xEF\xBB\xBF", 0) != 0 &&
        decode_html(decoded.utf8, "text/html; charset=utf-8").utf8 != decoded.utf8) {
      return fail("decode_html(..., " + excerpt(content_type) +
                  ") gave text that does not read back as UTF-8 unchanged");
    }
  }
  if (!is_valid_utf8(to_nfc(input))) return fail("to_nfc: output is not valid UTF-8");
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// extract-<platform>: extract_article with a shipped platform preset, then every promise of
// article.h on what it returned, including the JSON round trip.

// The preset `platform` from the source tree's config/platforms, loaded on first use and kept.
// Aborts when a shipped preset does not load: that is a broken checkout, not a finding.
const ExtractRules& shipped_preset(const std::string& platform) {
  static std::map<std::string, ExtractRules> presets;
  auto found = presets.find(platform);
  if (found != presets.end()) return found->second;
  auto rules = load_platform(std::string(PROVARC_SOURCE_CONFIG_DIR) + "/platforms", platform);
  if (!rules.ok()) {
    std::fprintf(stderr, "fuzz: cannot load the %s preset: %s\n", platform.c_str(),
                 rules.error().c_str());
    std::abort();
  }
  return presets.emplace(platform, std::move(rules.value())).first->second;
}

// Ok when `text` is what the extractor promises of every string it returns: valid UTF-8, NFC,
// whitespace collapsed (which also means no leading or trailing space).
Status check_clean_text(const std::string& text, std::string_view field) {
  if (!is_valid_utf8(text)) return fail(std::string(field) + ": not valid UTF-8");
  if (to_nfc(text) != text) return fail(std::string(field) + ": not NFC: " + excerpt(text));
  if (collapse_whitespace(text) != text) {
    return fail(std::string(field) + ": whitespace not collapsed: " + excerpt(text));
  }
  return Status::Ok();
}

Status check_article(const Article& article) {
  if (Status s = check_clean_text(article.title, "title"); !s.ok()) return s;
  static const std::set<std::string> kKinds = {"paragraph", "heading", "caption", "list_item",
                                               "table_row"};
  for (const Block& block : article.blocks) {
    if (!kKinds.count(block.kind)) return fail("block kind " + excerpt(block.kind));
    if (block.text.empty()) return fail("an empty " + block.kind + " block");
    if (Status s = check_clean_text(block.text, "block text"); !s.ok()) return s;
  }
  for (const std::optional<std::string>* date : {&article.published, &article.updated}) {
    if (*date && !is_found_date(**date)) return fail("date " + excerpt(**date) + " is not ISO");
  }
  if (article.author) {
    if (Status s = check_clean_text(*article.author, "author"); !s.ok()) return s;
  }
  for (const Image& image : article.images) {
    if (!parse_url(image.url).ok()) return fail("image URL " + excerpt(image.url));
    if (Status s = check_clean_text(image.caption, "caption"); !s.ok()) return s;
  }
  for (const Attachment& attachment : article.attachments) {
    if (!parse_url(attachment.url).ok()) return fail("attachment URL " + excerpt(attachment.url));
    if (Status s = check_clean_text(attachment.text, "attachment text"); !s.ok()) return s;
  }
  return Status::Ok();
}

Status check_json_round_trip(const Article& article) {
  std::string json = article_to_json(article, -1);
  auto back = article_from_json(json);
  if (!back.ok()) return fail("article_from_json(article_to_json(a)) failed: " + back.error());
  if (!(back.value() == article)) return fail("the article does not survive its JSON");
  return Status::Ok();
}

Status fuzz_extract(const std::string& platform, std::string_view input) {
  const ExtractRules& rules = shipped_preset(platform);
  auto article = extract_article(input, "", kPageUrl, rules);
  if (!article.ok()) return Status::Ok();  // "no article body" is an answer, not a fault
  if (Status s = check_article(*article); !s.ok()) return fail(platform + ": " + s.error());
  if (Status s = check_json_round_trip(*article); !s.ok()) return fail(platform + ": " + s.error());
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// dates: find_date and find_labelled_date, day-first and month-first, on the whole input.

Status check_found(const std::optional<FoundDate>& found, std::string_view text,
                   std::string_view call) {
  if (!found) return Status::Ok();
  if (found->begin >= found->end || found->end > text.size()) {
    return fail(std::string(call) + ": span [" + std::to_string(found->begin) + ", " +
                std::to_string(found->end) + ") is not inside the text");
  }
  if (!is_found_date(found->iso)) {
    return fail(std::string(call) + ": " + excerpt(found->iso) + " is not a valid ISO date");
  }
  return Status::Ok();
}

Status fuzz_dates(std::string_view input) {
  for (DateOrder order : {DateOrder::kDayFirst, DateOrder::kMonthFirst}) {
    std::optional<FoundDate> any = find_date(input, order);
    std::optional<FoundDate> labelled = find_labelled_date(input, order);
    if (Status s = check_found(any, input, "find_date"); !s.ok()) return s;
    if (Status s = check_found(labelled, input, "find_labelled_date"); !s.ok()) return s;
    // What stands before a date can veto it ("quý I/2023") but not change how it reads.
    if (any) {
      std::optional<FoundDate> again = find_date(input.substr(any->begin), order);
      if (!again || again->begin != 0 || again->iso != any->iso ||
          again->end != any->end - any->begin) {
        return fail("find_date found " + excerpt(any->iso) + " at " + std::to_string(any->begin) +
                    " but not at the start of the text that begins there: " +
                    excerpt(input.substr(any->begin)));
      }
    }
    // A labelled date is a date: find_date finds it or an earlier one, except a bare long form
    // ("05 Tháng 12 2022", no "ngày"/"năm") that only its label makes a date; that one, read
    // alone, is still the same date.
    if (labelled && (!any || any->begin > labelled->begin)) {
      std::string_view span = input.substr(labelled->begin, labelled->end - labelled->begin);
      std::optional<FoundDate> alone = find_date_alone(span, order);
      if (!alone || alone->iso != labelled->iso) {
        return fail("find_labelled_date found " + excerpt(labelled->iso) + " at " +
                    std::to_string(labelled->begin) + " but find_date " +
                    (any ? "only one at " + std::to_string(any->begin) : std::string("none")) +
                    " and the span alone reads " + (alone ? excerpt(alone->iso) : "no date"));
      }
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// selector: Selector::parse on the whole input; a selector that parses is run over a small fixed
// document that has each feature the grammar can test (ids, classes, attributes, siblings).

constexpr std::string_view kSelectorPage = R"(<!DOCTYPE html>
<html lang="vi"><head><title>Tin tức</title><meta name="description" content="x"></head>
<body class="home page">
<div id="header" class="banner top"><a href="/" title="Trang chủ">Sở TT&amp;TT</a>
  <ul class="menu"><li class="first"><a href="/gioi-thieu">Giới thiệu</a></li>
  <li><a href="/tin">Tin</a></li>
  <li class="last active"><a href="/lien-he" data-x="a b c">Liên hệ</a></li></ul></div>
<div id="content" class="main"><h1 class="title">Hội nghị chuyển đổi số</h1>
  <span class="date" lang="vi-VN">03/12/2018 10:10 AM</span>
  <div class="ms-rtestate-field article-body"><p>Đoạn một.</p>
    <p class="caption"><img src="a.jpg" alt=""></p><table><tr><td>a</td><td>b</td></tr></table>
    <p>Đoạn <b>hai</b>.</p><input type="hidden" value="">
  </div><p class="author" hidden>Nguyễn Văn A</p>
  <form id="f"><input name="q"><select><option selected>1</option></select></form></div>
<div id="footer" style="display:none"><p>© 2024</p><template><p>t</p></template></div>
</body></html>)";

Status fuzz_selector(std::string_view input) {
  auto selector = Selector::parse(input);
  if (!selector.ok()) return Status::Ok();
  static const std::unique_ptr<Document> page = Document::parse(kSelectorPage);
  std::vector<GumboNode*> all = selector->select_all(page->root());
  GumboNode* first = selector->select_first(page->root());
  std::string call = "selector " + excerpt(input);
  if (first != (all.empty() ? nullptr : all.front())) {
    return fail(call + ": select_first is not the first of select_all");
  }
  for (GumboNode* node : all) {
    if (!is_element(node) || !selector->matches(node)) {
      return fail(call + ": select_all returned a node it does not match");
    }
  }
  auto again = Selector::parse(selector->source());
  if (!again.ok()) return fail(call + ": its source() does not parse: " + again.error());
  if (again->select_all(page->root()) != all) return fail(call + ": reparsed, it selects others");
  Selector copy = *selector;
  if (copy.select_all(page->root()) != all) return fail(call + ": a copy selects other nodes");
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// config: the input as a site file (with the shipped presets) and as a platform preset. The
// config module reads files only, so the input is written to a directory of this process's own.

// <temp>/provarc-fuzz-<pid>/{sites,platforms}, made on first use and removed at exit.
class ConfigScratch {
 public:
  ConfigScratch() {
    root_ = fs::temp_directory_path() / ("provarc-fuzz-config-" + std::to_string(getpid()));
    fs::create_directories(root_ / "sites");
    fs::create_directories(root_ / "platforms");
  }
  ~ConfigScratch() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  fs::path site_path() const { return root_ / "sites" / "fuzz.toml"; }
  fs::path platforms_dir() const { return root_ / "platforms"; }

 private:
  fs::path root_;
};

// Replaces the file at `path` with `bytes`; aborts when it cannot (a full disk is no finding).
void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

Status fuzz_config(std::string_view input) {
  static const ConfigScratch scratch;
  write_file(scratch.site_path(), input);
  auto site = load_site(scratch.site_path().string(),
                        std::string(PROVARC_SOURCE_CONFIG_DIR) + "/platforms");
  if (site.ok() && site->id != "fuzz") {
    return fail("site id " + excerpt(site->id) + " is not the file stem");
  }
  if (!site.ok() && site.error().empty()) return fail("load_site failed without a message");

  write_file(scratch.platforms_dir() / "fuzz.toml", input);
  auto preset = load_platform(scratch.platforms_dir().string(), "fuzz");
  if (!preset.ok() && preset.error().empty()) return fail("load_platform failed without a message");
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// url: each of the first lines through parse_url, canonicalize_url (whose promise of idempotence
// is checked), url_path_and_query, url_origin, url_authority, normalize_percent_encoding, and
// resolve_url against a fixed page and against the first line.

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lowercase hex is not canonical either
}

// Ok when the path and query of a canonical URL are as url_canon.h promises: printable ASCII
// only, every '%' an uppercase escape of a byte that is not unreserved, no dot segments.
Status check_canonical_path(std::string_view path_and_query) {
  for (size_t i = 0; i < path_and_query.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(path_and_query[i]);
    if (c <= 0x20 || c >= 0x7f || c == '#') {
      return fail("raw byte " + excerpt(path_and_query.substr(i, 1)));
    }
    if (c != '%') continue;
    int hi = i + 2 < path_and_query.size() ? hex_digit(path_and_query[i + 1]) : -1;
    int lo = i + 2 < path_and_query.size() ? hex_digit(path_and_query[i + 2]) : -1;
    if (hi < 0 || lo < 0) return fail("'%' not starting an uppercase escape");
    if (is_unreserved(static_cast<char>(hi * 16 + lo))) {
      return fail("escaped unreserved byte");
    }
  }
  std::string_view path = path_and_query.substr(0, path_and_query.find('?'));
  std::string segments = std::string(path) + "/";
  if (segments.find("/./") != std::string::npos || segments.find("/../") != std::string::npos) {
    return fail("dot segment in the path");
  }
  return Status::Ok();
}

// Ok when no query parameter of a canonical URL is a session id or one of `strip`.
Status check_canonical_query(std::string_view query, const std::vector<std::string>& strip) {
  static const std::set<std::string> kSessions = {"jsessionid", "phpsessid",  "cfid",  "cftoken",
                                                  "sessionid",  "session_id", "oscsid"};
  std::set<std::string> stripped = kSessions;
  for (const std::string& name : strip) stripped.insert(ascii::lowercase(name));
  while (!query.empty()) {
    std::string_view param = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), param.size() + 1));
    if (param.empty()) return fail("empty query parameter");
    std::string name = ascii::lowercase(param.substr(0, param.find('=')));
    if (stripped.count(name) || name.rfind("aspsessionid", 0) == 0) {
      return fail("query parameter " + excerpt(name) + " kept");
    }
  }
  return Status::Ok();
}

// Ok when `canonical` has the form url_canon.h promises (see the checks above, and: lowercase
// scheme and ASCII host, no trailing dot, no user info, no default port, no fragment).
Status check_canonical_form(std::string_view canonical, const std::vector<std::string>& strip) {
  size_t scheme_end = canonical.find("://");
  std::string_view scheme = canonical.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return fail("scheme " + excerpt(scheme));
  std::string_view rest = canonical.substr(scheme_end + 3);
  size_t path_begin = rest.find('/');
  if (path_begin == std::string_view::npos) return fail("no path");
  std::string_view authority = rest.substr(0, path_begin);
  std::string_view host = authority.substr(0, authority.rfind(':'));
  if (authority.find('@') != std::string_view::npos) return fail("user info kept");
  if (!host.empty() && host.back() == '.' && host != ".") return fail("trailing dot on the host");
  for (size_t i = 0; i < host.size(); ++i) {
    if (host[i] == '%')
      i += 2;  // an escape's hex digits are uppercase
    else if (host[i] >= 'A' && host[i] <= 'Z')
      return fail("uppercase host");
  }
  if ((scheme == "http" && authority.ends_with(":80")) ||
      (scheme == "https" && authority.ends_with(":443"))) {
    return fail("default port kept");
  }
  std::string_view path_and_query = rest.substr(path_begin);
  if (Status s = check_canonical_path(path_and_query); !s.ok()) return s;
  size_t question = path_and_query.find('?');
  if (question == std::string_view::npos) return Status::Ok();
  return check_canonical_query(path_and_query.substr(question + 1), strip);
}

Status check_canonical(std::string_view line, const std::vector<std::string>& strip) {
  auto canonical = canonicalize_url(line, strip);
  if (!canonical.ok()) return Status::Ok();
  if (Status s = check_canonical_form(*canonical, strip); !s.ok()) {
    return fail("canonicalize_url(" + excerpt(line) + ") = " + excerpt(*canonical) + ": " +
                s.error());
  }
  auto twice = canonicalize_url(*canonical, strip);
  if (!twice.ok()) {
    return fail("canonical URL " + excerpt(*canonical) + " rejected: " + twice.error());
  }
  if (*twice != *canonical) {
    return fail("canonicalize_url is not idempotent: " + excerpt(*canonical) + " then " +
                excerpt(*twice));
  }
  if (!parse_url(*canonical).ok()) {
    return fail("canonical URL " + excerpt(*canonical) + " does not parse");
  }
  return Status::Ok();
}

Status check_resolved(std::string_view base, std::string_view ref) {
  auto resolved = resolve_url(base, ref);
  if (!resolved.ok()) return Status::Ok();
  if (!parse_url(*resolved).ok()) {
    return fail("resolve_url(" + excerpt(base) + ", " + excerpt(ref) + ") gave " +
                excerpt(*resolved) + ", which does not parse");
  }
  return Status::Ok();
}

Status check_url_parts(std::string_view line) {
  auto parts = parse_url(line);
  if (!parts.ok()) return Status::Ok();
  if (parts->scheme != "http" && parts->scheme != "https") {
    return fail("scheme " + excerpt(parts->scheme));
  }
  if (parts->path.empty()) return fail("parse_url(" + excerpt(line) + "): empty path");
  auto path = url_path_and_query(line);
  if (path.ok() && (path->empty() || (*path)[0] != '/')) {
    return fail("url_path_and_query(" + excerpt(line) + ") = " + excerpt(*path));
  }
  (void)url_origin(line);
  (void)url_authority(line);
  return Status::Ok();
}

Status fuzz_url(std::string_view input) {
  static const std::vector<std::string> kStrip = {"utm_source", "ItemID", "sid"};
  std::vector<std::string_view> lines = first_lines(input);
  for (std::string_view line : lines) {
    if (Status s = check_url_parts(line); !s.ok()) return s;
    if (Status s = check_canonical(line, {}); !s.ok()) return s;
    if (Status s = check_canonical(line, kStrip); !s.ok()) return s;
    std::string normal = normalize_percent_encoding(line);
    if (normalize_percent_encoding(normal) != normal) {
      return fail("normalize_percent_encoding is not idempotent on " + excerpt(line));
    }
    if (Status s = check_resolved(kPageUrl, line); !s.ok()) return s;
    if (Status s = check_resolved(lines.front(), line); !s.ok()) return s;
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// sitemap: parse_sitemap on the input, and extract_links on it as an HTML page (both are
// discovery: XML, HTML or text from a server, turned into URLs to fetch).

Status fuzz_sitemap(std::string_view input) {
  SitemapUrls urls = parse_sitemap(input, kSitemapUrl);
  if (Status s = check_url_list(urls.pages, "parse_sitemap pages"); !s.ok()) return s;
  if (Status s = check_url_list(urls.sitemaps, "parse_sitemap sitemaps"); !s.ok()) return s;

  // The pages found, written as a text sitemap, read back as the same list.
  std::string text_sitemap;
  for (const std::string& page : urls.pages) text_sitemap += page + "\n";
  if (parse_sitemap(text_sitemap, kSitemapUrl).pages != urls.pages) {
    return fail("parse_sitemap pages written as a text sitemap do not read back the same");
  }

  std::vector<std::string> links = extract_links(input, "text/html", kPageUrl);
  if (Status s = check_url_list(links, "extract_links"); !s.ok()) return s;
  for (const std::string& link : links) {
    if (!parse_url(link)->fragment.empty()) {
      return fail("extract_links kept a fragment: " + excerpt(link));
    }
  }
  (void)is_html("", input);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// warc: the input as a WARC file (gzipped or plain) read to its end through WarcCaptureReader,
// calling next() again after each failure as warc.h allows (reading resumes at the next record:
// the seeds include damaged files, so that the fuzzer starts from the recovery paths).

// Small, so that a hostile record cannot make one input slow; the reader's cap is the point.
constexpr int64_t kWarcMaxRecordBytes = 1 << 20;

Status check_warc_capture(const WarcCapture& found) {
  const Capture& capture = found.capture;
  std::string where = "capture at offset " + std::to_string(found.offset);
  if (!parse_url(capture.url).ok()) return fail(where + ": URL " + excerpt(capture.url));
  if (static_cast<int64_t>(capture.body.size()) > kWarcMaxRecordBytes) {
    return fail(where + ": a body of " + std::to_string(capture.body.size()) +
                " bytes, over max_payload_bytes");
  }
  if (capture.fetched_at.empty() || capture.fetched_at.back() != 'Z') {
    return fail(where + ": fetched_at " + excerpt(capture.fetched_at) + " is not UTC ISO 8601");
  }
  return Status::Ok();
}

Status fuzz_warc(std::string_view input) {
  std::istringstream in{std::string(input)};
  WarcReaderOptions options;
  options.max_record_bytes = kWarcMaxRecordBytes;
  options.max_payload_bytes = kWarcMaxRecordBytes;
  WarcCaptureReader reader(std::make_unique<WarcReader>(in, "fuzz.warc", options));
  // Each call reads at least one record or ends the file. Deflate expands at most 1032:1 and a
  // record takes at least 16 bytes, so more calls than this is a reader that stopped moving.
  const size_t max_calls = 100 * input.size() + 16;
  for (size_t calls = 0;; ++calls) {
    if (calls > max_calls) return fail("WarcCaptureReader::next() does not reach the end");
    auto next = reader.next();
    if (!next.ok()) {
      if (next.error().find("fuzz.warc") == std::string::npos) {
        return fail("a read error that does not name the file: " + excerpt(next.error()));
      }
      continue;
    }
    if (!next->has_value()) return Status::Ok();
    if (Status s = check_warc_capture(**next); !s.ok()) return s;
  }
}

// archived: the input as an archived page, decoded and rewritten for the web reader with an
// archive that holds every URL whose path has an 'a' in it (so that links and resources go both
// ways). Promises: the result is valid UTF-8 and has no archived_page_violations(); rewriting
// its CSS alone keeps the same promise.

Status fuzz_archived(std::string_view input) {
  const web::ArchiveLookup lookup = [](const std::string& url) -> int64_t {
    size_t path = url.find('/', url.find("//") + 2);
    return path != std::string::npos && url.find('a', path) != std::string::npos ? 7 : 0;
  };
  DecodedText decoded = decode_html(input, "text/html");
  web::RewriteCounts counts;
  std::string page = web::rewrite_archived_page(decoded.utf8, kPageUrl, lookup, &counts);
  if (!is_valid_utf8(page)) return fail("rewrite_archived_page: output is not valid UTF-8");
  std::vector<std::string> found = archived_page_violations(page);
  if (!found.empty()) return fail("rewrite_archived_page left " + excerpt(found.front()));
  std::optional<std::string> css = web::rewrite_archived_css(decoded.utf8, kPageUrl, lookup);
  if (css) {
    std::vector<std::string> in_style =
        archived_page_violations("<div style=\"" + web::escape_html(*css) + "\"></div>");
    if (!in_style.empty()) return fail("rewrite_archived_css left " + excerpt(in_style.front()));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// The table of targets

struct Target {
  std::string name;
  std::function<Status(std::string_view)> run;
};

const std::vector<Target>& targets() {
  static const std::vector<Target> kTargets = [] {
    std::vector<Target> list = {{"robots", fuzz_robots}, {"decode", fuzz_decode}};
    for (std::string platform : {"sharepoint", "websphere", "aspnet", "liferay", "generic"}) {
      list.push_back({"extract-" + platform, [platform](std::string_view input) {
                        return fuzz_extract(platform, input);
                      }});
    }
    list.push_back({"dates", fuzz_dates});
    list.push_back({"selector", fuzz_selector});
    list.push_back({"config", fuzz_config});
    list.push_back({"url", fuzz_url});
    list.push_back({"sitemap", fuzz_sitemap});
    list.push_back({"warc", fuzz_warc});
    list.push_back({"archived", fuzz_archived});
    return list;
  }();
  return kTargets;
}

}  // namespace

namespace {

// How every url() of rewritten CSS begins: a capture of the archive's own /raw/ route.
constexpr std::string_view kRawUrl = "url(\"/raw/";

// The text of a <style> element, lowercased (its only children are text).
std::string text_content_of_style(const GumboNode* style) {
  std::string css;
  const GumboVector& children = style->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE) {
      css += child->v.text.text;
    }
  }
  for (char& c : css) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return css;
}

}  // namespace

std::vector<std::string> archived_page_violations(std::string_view rewritten_html) {
  std::vector<std::string> found;
  std::unique_ptr<Document> doc = Document::parse(rewritten_html);
  walk(doc->root(), [&](GumboNode* node) {
    if (!is_element(node)) return true;
    const std::string tag = tag_name(node);
    for (const char* banned : {"script", "iframe", "frame", "frameset", "object", "embed", "base",
                               "svg", "math", "noscript", "template", "applet", "portal"}) {
      if (tag == banned) found.push_back("<" + tag + ">");
    }
    if (tag == "meta" && !has_attr(node, "charset")) found.push_back("<meta> other than charset");
    if (tag == "link" && attr(node, "rel") != "stylesheet") found.push_back("<link> not a style");
    if (tag == "style") {
      const std::string css = text_content_of_style(node);
      for (size_t at = css.find("url("); at != std::string::npos; at = css.find("url(", at + 1)) {
        if (css.compare(at, kRawUrl.size(), kRawUrl) != 0) found.push_back("<style>" + css);
      }
    }
    const GumboVector& attributes = node->v.element.attributes;
    for (unsigned i = 0; i < attributes.length; ++i) {
      auto* a = static_cast<const GumboAttribute*>(attributes.data[i]);
      const std::string name = a->name, value = a->value;
      if (name.rfind("on", 0) == 0) found.push_back(tag + " " + name);
      for (const char* fetching : {"href", "src", "poster", "background", "action", "formaction",
                                   "srcset", "imagesrcset", "data", "ping", "xlink:href",
                                   "lowsrc", "dynsrc", "longdesc", "codebase", "manifest"}) {
        if (name != fetching) continue;
        const bool ours = value.rfind("/capture/", 0) == 0 || value.rfind("/raw/", 0) == 0 ||
                          (name == "href" && value.rfind("#", 0) == 0);
        if (!ours) found.push_back(tag + " " + name + "=" + value);
      }
      if (name == "style") {
        std::string lower = value;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (size_t at = lower.find("url("); at != std::string::npos;
             at = lower.find("url(", at + 1)) {
          if (lower.compare(at, kRawUrl.size(), kRawUrl) != 0) {
            found.push_back(tag + " style=" + value);
          }
        }
        if (lower.find('\\') != std::string::npos || lower.find("@import") != std::string::npos) {
          found.push_back(tag + " style=" + value);
        }
      }
    }
    return true;
  });
  return found;
}

const std::vector<std::string>& target_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Target& target : targets()) names.push_back(target.name);
    return names;
  }();
  return kNames;
}

Status run_target(std::string_view name, std::string_view input) {
  for (const Target& target : targets()) {
    if (target.name != name) continue;
    Status status = target.run(input);
    if (!status.ok()) return fail("fuzz target " + target.name + ": " + status.error());
    return status;
  }
  return fail("no fuzz target named " + excerpt(name));
}

int run_fuzzer_input(std::string_view name, const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Status status = run_target(name, input);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.error().c_str());
    std::abort();
  }
  return 0;
}

}  // namespace provarc::fuzz
