#include "tests/support/crawled_archive.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

std::string big_endian32(uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
          static_cast<char>(n)};
}

// A PNG chunk: length, type, data, CRC of type and data.
std::string png_chunk(const std::string& type, const std::string& data) {
  const std::string body = type + data;
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size());
  return big_endian32(static_cast<uint32_t>(data.size())) + body +
         big_endian32(static_cast<uint32_t>(crc));
}

}  // namespace

std::string tiny_png() {
  const int side = 4;
  std::string header = big_endian32(side) + big_endian32(side);
  header += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, no filter, no interlace
  std::string rows;
  for (int y = 0; y < side; ++y) {
    rows += '\0';  // filter: none
    for (int x = 0; x < side; ++x) rows += std::string("\xff\x00\x00", 3);
  }
  uLongf size = compressBound(rows.size());
  std::string compressed(size, '\0');
  compress(reinterpret_cast<Bytef*>(compressed.data()), &size,
           reinterpret_cast<const Bytef*>(rows.data()), rows.size());
  compressed.resize(size);
  return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", header) +
         png_chunk("IDAT", compressed) + png_chunk("IEND", "");
}

CrawledArchive crawl_news_site(int articles) {
  CrawledArchive out;
  const std::string dir = temp_dir();
  out.config_dir = dir + "/config";
  out.db = dir + "/archive.sqlite";
  FixtureWeb web;
  FixtureHost& host = web.add_host("news");
  std::vector<std::string> targets = add_news_site(host, "", articles, 4);
  FixtureResponse robots;
  robots.content_type = "text/plain";
  robots.body = "User-agent: *\nDisallow:\n";
  host.set_route("/robots.txt", Route({robots}));
  FixtureResponse png;
  png.content_type = "image/png";
  png.body = tiny_png();
  host.set_route("/anh/bai-viet-1.jpg", Route({png}));
  if (targets.size() > 1) {  // a word of its own in the second article's text
    std::string html = generated_article_html("Bài viết số 2", "/anh/bai-viet-2.jpg", "");
    html.insert(html.find("</article>"),
                "<p>Người dân tra cứu thủ tục tại " + out.text_word + " thông minh đặt ở bưu điện xã.</p>");
    host.set_page(targets[1], html);
  }
  write_test_site(out.config_dir, out.site, {host.authority()},
                  news_crawl_toml(host.authority(), 20));
  RunResult crawl = run_command(
      {provarc_binary(), "--config", out.config_dir, "--db", out.db, "crawl", "--site", out.site});
  EXPECT_EQ(crawl.exit_code, 0) << crawl.out << crawl.err;
  out.start_url = host.url("/");
  for (size_t i = 0; i < targets.size(); ++i) {
    out.articles.push_back(host.url(targets[i]));
    out.headlines.push_back("Bài viết số " + std::to_string(i + 1));
  }
  out.image_url = host.url("/anh/bai-viet-1.jpg");
  web.stop();
  return out;
}

}  // namespace provarc::testing
