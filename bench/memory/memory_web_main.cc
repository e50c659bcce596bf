// bench/memory/memory_web_main.cc: one generated news site of many articles (tests/support/
// big_site.h) on 127.0.0.1, for the memory benchmark. Writes a provarc config for it, serves until
// SIGINT/SIGTERM, then writes how many requests it answered and exits.
//
//   memory_web --shape hubs|sitemap --articles N --per-document K --delay-ms D
//              [--disallow PATH] --out DIR
//
// --disallow puts "Disallow: PATH" in robots.txt (e.g. /tin-tuc/: the articles are queued but
// refused, so that only the frontier grows).
// DIR/config/sites/memory.toml  the site (platform "generic"; DIR/config/platforms is the
//                               caller's to copy), written once the server listens
// DIR/requests.tsv              "<status>\t<target>" per request, at exit
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/big_site.h"
#include "tests/support/fixture_web.h"

using provarc::testing::BigSite;
using provarc::testing::BigSiteShape;
using provarc::testing::FixtureHost;
using provarc::testing::FixtureWeb;
using provarc::testing::RequestRecord;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: memory_web --shape hubs|sitemap --articles N --per-document K "
               "--delay-ms D [--disallow PATH] --out DIR\n");
  return 2;
}

// Written to a temporary name and renamed, so the caller never reads half a file.
bool write_config(const std::string& out, const FixtureHost& host, int delay_ms) {
  std::filesystem::create_directories(out + "/config/sites");
  std::string path = out + "/config/sites/memory.toml";
  {
    std::ofstream f(path + ".tmp");
    f << "id = \"memory\"\n"
      << "name = \"Memory benchmark site\"\n"
      << "province = \"Bench\"\n"
      << "platform = \"generic\"\n"
      << "hosts = [\"" << host.authority() << "\"]\n"
      << "start_urls = [\"" << host.url("/") << "\"]\n"
      << "contact_url = \"https://example.org/provarc-bench\"\n\n"
      << "[crawl]\n"
      << provarc::testing::big_site_crawl_toml(delay_ms);
    if (!f.good()) return false;
  }
  return std::rename((path + ".tmp").c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  BigSite site;
  int delay_ms = 0;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--shape" && (value == "hubs" || value == "sitemap")) {
      site.shape = value == "hubs" ? BigSiteShape::kHubs : BigSiteShape::kSitemap;
    } else if (flag == "--articles") {
      site.articles = std::atoi(value.c_str());
    } else if (flag == "--per-document") {
      site.per_document = std::atoi(value.c_str());
    } else if (flag == "--delay-ms") {
      delay_ms = std::atoi(value.c_str());
    } else if (flag == "--disallow") {
      site.disallow = value;
    } else if (flag == "--out") {
      out = value;
    } else {
      return usage();
    }
  }
  if (out.empty() || site.articles < 1 || site.per_document < 1 || delay_ms < 0) return usage();

  // Block the stop signals before any server thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  FixtureWeb web;
  FixtureHost& host = web.add_host("memory");
  provarc::testing::add_big_site(host, site);
  if (!write_config(out, host, delay_ms)) {
    std::fprintf(stderr, "memory_web: cannot write %s/config/sites/memory.toml\n", out.c_str());
    return 1;
  }

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  web.stop();
  std::ofstream log(out + "/requests.tsv");
  for (const RequestRecord& r : web.requests()) log << r.status << "\t" << r.target << "\n";
  return 0;
}
