// tests/support/reader_archive.h: a small archive for the web reader's tests, built through the
// same ingest path a crawl takes: the Đồng Tháp fixture articles, one of them edited (a second
// version adds kAddedSentence), a hostile article (an HTML title, a script in its text, a page
// full of script, outside requests and handlers), an image, and two crawl runs.
#pragma once

#include <cstdint>
#include <string>

namespace provarc::testing {

// The sentence the edited article's second version adds.
inline constexpr char kAddedSentence[] =
    "Sở Thông tin và Truyền thông bổ sung thông tin này sau khi bài đã được đăng.";
// The hostile article's title, as text.
inline constexpr char kHostileTitle[] = "<img src=x onerror=alert(1)>";
// Text in the hostile article's body that looks like a script.
inline constexpr char kHostileBodyScript[] = "<script>alert(\"thân bài\")</script>";
// The address outside the reader that the hostile page's script, images, styles, frames and
// links point at (TEST-NET-3: never routed).
inline constexpr char kOutsideHost[] = "203.0.113.9";

struct ReaderArchive {
  std::string db_path;
  std::string hostile_site = "thu-nghiem";
  int64_t dong_thap_article = 0;  // "Diễn tập ứng cứu sự cố ... tỉnh Đồng Tháp năm 2020"
  int64_t edited_article = 0;     // two versions: the second adds kAddedSentence
  int64_t hostile_article = 0;    // titled kHostileTitle
  int64_t hostile_capture = 0;    // the hostile article's page, as archived
  int64_t image_capture = 0;      // the PNG the hostile article shows
  int64_t linked_capture = 0;     // a page the hostile page links to, archived
  int64_t robots_capture = 0;     // the hostile site's robots.txt (text/plain)
};

// Builds the archive in `dir` (which must exist). Aborts the test on failure.
ReaderArchive build_reader_archive(const std::string& dir);

// A word every bulletin's body holds (with its diacritics), for searches that page.
inline constexpr char kBulletinWord[] = "bản tin";

// Builds, at `dir`/bulletins.sqlite, an archive of `count` short articles of the site "ban-tin",
// the i-th (from 0) titled "Bản tin số i", published 2024-01-01 plus i days, its body holding
// kBulletinWord. Returns the archive's path. Aborts the test on failure.
std::string build_bulletin_archive(const std::string& dir, int count);

}  // namespace provarc::testing
