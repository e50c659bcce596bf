// Fills an archive for the WACZ export benchmark (bench/wacz/run) through the Archive API, as
// fast as the archive takes it: N article pages of a made-up site, each with a version and every
// other one with an image, plus a 304 for every tenth article and a page whose payload is another
// page's. Bodies differ from page to page (words drawn from a seeded generator), so the WARC
// writer has as many payloads to remember as the archive has captures.
//
//   provarc_bench_wacz_fill DB N [BIG_BODY_MIB]
//
// BIG_BODY_MIB adds one page of that many MiB (the largest body bounds what an export holds).
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "common/digest.h"

namespace {

using provarc::Archive;
using provarc::Capture;

const char* kWords[] = {"chuyển", "đổi", "số",    "tỉnh", "hạ",    "tầng", "viễn",
                        "thông",  "nền", "tảng",  "dữ",   "liệu",  "an",   "toàn",
                        "thông",  "tin", "báo",   "chí",  "xuất",  "bản",  "bưu",
                        "chính",  "hội", "nghị",  "triển", "khai"};

std::string text_of(std::mt19937_64& random, size_t bytes) {
  std::string text;
  while (text.size() < bytes) {
    text += kWords[random() % (sizeof kWords / sizeof kWords[0])];
    text += random() % 12 == 0 ? ". " : " ";
  }
  return text;
}

std::string time_of(int64_t i) {  // one capture a second from 2026-01-01
  const int64_t day = i / 86400, second = i % 86400;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "2026-%02d-%02dT%02d:%02d:%02d.000Z",
                static_cast<int>(1 + day / 28 % 12), static_cast<int>(1 + day % 28),
                static_cast<int>(second / 3600), static_cast<int>(second / 60 % 60),
                static_cast<int>(second % 60));
  return buffer;
}

Capture capture(const std::string& url, int64_t i, int status, std::string body,
                const std::string& type) {
  Capture c;
  c.url = url;
  c.site = "bench";
  c.fetched_at = time_of(i);
  c.status = status;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"Host", "stttt.bench.gov.vn"}, {"User-Agent", "provarc/0.1.0"}};
  c.response_headers = {{"Content-Type", type}, {"Content-Length", std::to_string(body.size())}};
  c.body = std::move(body);
  return c;
}

bool check(const provarc::Status& s) {
  if (!s.ok()) std::fprintf(stderr, "fill: %s\n", s.error().c_str());
  return s.ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DB N [BIG_BODY_MIB]\n", argv[0]);
    return 2;
  }
  const int64_t n = std::atoll(argv[2]);
  auto archive = Archive::open(argv[1], provarc::ArchiveOptions{.dictionary_min_pages = 0});
  if (!archive.ok()) return std::fprintf(stderr, "fill: %s\n", archive.error().c_str()), 1;
  std::mt19937_64 random(42);
  int64_t clock = 0;
  for (int64_t start = 0; start < n; start += 1000) {
    provarc::Status batch = (*archive)->transaction([&]() -> provarc::Status {
      for (int64_t i = start; i < std::min(n, start + 1000); ++i) {
        const std::string url =
            "https://stttt.bench.gov.vn/tin-tuc/bai-" + std::to_string(i) + ".html";
        const std::string title = "Bài viết " + std::to_string(i);
        const std::string text = text_of(random, 1500);
        auto id = (*archive)->store_capture(
            capture(url, clock++, 200, "<html><h1>" + title + "</h1><p>" + text + "</p></html>",
                    "text/html; charset=utf-8"), 0);
        if (!id.ok()) return id.failure();
        if (auto a = (*archive)->ensure_article("bench", url); !a.ok()) return a.failure();
        provarc::ParseRecord parse;
        parse.capture_id = *id;
        parse.parser_version = "bench";
        parse.ok = true;
        parse.title = title;
        parse.content_hash = provarc::sha256_hex(text);
        parse.json = nlohmann::json{{"title", title}, {"text", text}}.dump();
        if (auto w = (*archive)->record_parse(parse); !w.ok()) return w.failure();
        if (i % 2 == 0) {
          auto image = (*archive)->store_capture(
              capture("https://stttt.bench.gov.vn/anh/" + std::to_string(i) + ".jpg", clock++, 200,
                      text_of(random, 2000), "image/jpeg"), 0);
          if (!image.ok()) return image.failure();
        }
        if (i % 10 == 0) {
          Capture same = capture(url, clock++, 304, "", "text/html");
          same.outcome = provarc::CaptureOutcome::kNotModified;
          if (auto s = (*archive)->store_capture(same, 0); !s.ok()) return s.failure();
        }
      }
      return provarc::Status::Ok();
    });
    if (!check(batch)) return 1;
  }
  if (argc > 3) {
    const int64_t mib = std::atoll(argv[3]);
    auto big = (*archive)->store_capture(
        capture("https://stttt.bench.gov.vn/van-ban/lon.pdf", clock++, 200,
                text_of(random, static_cast<size_t>(mib) << 20), "application/pdf"), 0);
    if (!big.ok()) return std::fprintf(stderr, "fill: %s\n", big.error().c_str()), 1;
  }
  std::printf("%lld captures\n", static_cast<long long>(clock));
  return 0;
}
