// bench/crawl/fixture_web_main.cc: the fixture web as a program, for the crawl benchmark and manual
// runs. Serves N news sites of P pages each (one port per site), then on SIGINT/SIGTERM writes
// every request it saw and exits.
//
//   fixture_web --sites 20 --pages 50 --out DIR
//
// DIR/hosts.tsv   "site<i>\t<port>" per site, written once all servers listen
// DIR/requests.tsv "<port>\t<arrival µs, monotonic>\t<status>\t<target>\t<user agent>" per request
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/fixture_web.h"

using provarc::testing::FixtureHost;
using provarc::testing::FixtureResponse;
using provarc::testing::FixtureWeb;
using provarc::testing::RequestRecord;
using provarc::testing::Route;

namespace {

constexpr int kPerListingPage = 10;

std::string article_html(int site, int n) {
  std::string title = "Bản tin số " + std::to_string(n) + " của Sở " + std::to_string(site);
  return "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><nav><a href=\"/\">Trang chủ</a> <a href=\"/tin-tuc/\">Tin tức</a>"
         "</nav><article><h1>" + title + "</h1><p>Ngày đăng: 12/04/2023</p>"
         "<p>Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số, "
         "với sự tham dự của lãnh đạo các phòng, đơn vị trực thuộc.</p>"
         "<p>Hội nghị thảo luận về hạ tầng số, an toàn thông tin và dịch vụ công trực tuyến.</p>"
         "</article></body></html>";
}

// A site of exactly `pages` HTML pages: the home page, listing pages and articles.
void add_site(FixtureHost& host, int site, int pages) {
  int articles = pages - 1;
  while (articles > 0 && 1 + articles + (articles + kPerListingPage - 1) / kPerListingPage > pages) {
    --articles;
  }
  int listings = std::max(1, (articles + kPerListingPage - 1) / kPerListingPage);
  for (int n = 1; n <= articles; ++n) {
    host.set_page("/tin-tuc/ban-tin-" + std::to_string(n) + ".html", article_html(site, n));
  }
  for (int p = 1; p <= listings; ++p) {
    std::string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tin tức</title>"
                       "</head><body><ul>";
    for (int n = (p - 1) * kPerListingPage + 1; n <= std::min(articles, p * kPerListingPage); ++n) {
      html += "<li><a href=\"/tin-tuc/ban-tin-" + std::to_string(n) + ".html\">Bản tin " +
              std::to_string(n) + "</a></li>";
    }
    html += "</ul>";
    if (p < listings) {
      html += "<a href=\"/tin-tuc/?page=" + std::to_string(p + 1) + "\">Trang sau</a>";
    }
    host.set_page(p == 1 ? "/tin-tuc/" : "/tin-tuc/?page=" + std::to_string(p), html + "</body></html>");
  }
  host.set_page("/", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Trang chủ</title>"
                     "</head><body><a href=\"/tin-tuc/\">Tin tức</a></body></html>");
  FixtureResponse robots;
  robots.content_type = "text/plain";
  robots.body = "User-agent: *\nDisallow:\n";
  host.set_route("/robots.txt", Route({robots}));
}

int usage() {
  std::fprintf(stderr, "usage: fixture_web --sites N --pages P --out DIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int sites = 20, pages = 50;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--sites") sites = std::atoi(argv[i + 1]);
    else if (flag == "--pages") pages = std::atoi(argv[i + 1]);
    else if (flag == "--out") out = argv[i + 1];
    else return usage();
  }
  if (out.empty() || sites < 1 || pages < 2) return usage();

  // Block the stop signals before any server thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  FixtureWeb web;
  std::ofstream hosts(out + "/hosts.tsv");
  for (int s = 1; s <= sites; ++s) {
    FixtureHost& host = web.add_host("site" + std::to_string(s));
    add_site(host, s, pages);
    hosts << host.name() << "\t" << host.port() << "\n";
  }
  hosts.close();

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  web.stop();
  std::ofstream log(out + "/requests.tsv");
  for (const RequestRecord& r : web.requests()) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(r.arrived.time_since_epoch());
    log << r.port << "\t" << us.count() << "\t" << r.status << "\t" << r.target << "\t"
        << r.user_agent << "\n";
  }
  return 0;
}
