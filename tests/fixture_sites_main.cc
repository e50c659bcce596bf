// tests/fixture_sites_main.cc: provarc_fixture_sites, the local mirror scripts/demo crawls. Serves,
// for each site of a config directory that has fixture pages (tests/fixtures/<id>/manifest.json),
// those pages on 127.0.0.1 at the paths of their real URLs, its start and listing URLs as listing
// pages linking them, and a robots.txt; then waits for SIGINT or SIGTERM.
//
//   provarc_fixture_sites --config DIR --fixtures DIR --out DIR
//
// DIR/hosts.tsv gets "<site id>\t<the site's first host>\t<port>" per site, written (atomically)
// once every server listens. Nothing but 127.0.0.1 is ever bound.
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"
#include "tests/support/fixture_sites.h"
#include "tests/support/fixture_web.h"

namespace {

using provarc::testing::FixtureHost;
using provarc::testing::MirroredPage;
using provarc::testing::FixtureWeb;

int usage() {
  std::fprintf(stderr, "usage: provarc_fixture_sites --config DIR --fixtures DIR --out DIR\n");
  return 2;
}

// Serves `site`'s fixture pages on a new host of `web`; returns the host, or nullptr (with a
// message on stderr) when the site has no fixture pages or they cannot be read.
FixtureHost* serve_site(FixtureWeb& web, const provarc::SiteConfig& site,
                        const std::string& fixtures_dir) {
  namespace fs = std::filesystem;
  std::string dir = fixtures_dir + "/" + site.id;
  std::error_code ec;
  if (!fs::exists(dir + "/manifest.json", ec)) return nullptr;
  auto pages = provarc::testing::read_fixture_manifest(dir);
  if (!pages.ok()) {
    std::fprintf(stderr, "provarc_fixture_sites: %s\n", pages.error().c_str());
    return nullptr;
  }
  std::vector<std::string> listings;
  for (const std::string& url : site.start_urls) {
    listings.push_back(provarc::testing::target_of(url));
  }
  for (const std::string& url : site.crawl.listing_urls) {
    listings.push_back(provarc::testing::target_of(url));
  }
  FixtureHost& host = web.add_host(site.id);
  provarc::Status served = provarc::testing::serve_fixture_site(host, dir, *pages, listings);
  if (!served.ok()) {
    std::fprintf(stderr, "provarc_fixture_sites: %s\n", served.error().c_str());
    return nullptr;
  }
  return &host;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_dir, fixtures_dir, out_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--config") config_dir = argv[i + 1];
    else if (flag == "--fixtures") fixtures_dir = argv[i + 1];
    else if (flag == "--out") out_dir = argv[i + 1];
    else return usage();
  }
  if (config_dir.empty() || fixtures_dir.empty() || out_dir.empty()) return usage();
  auto sites = provarc::load_all_sites(config_dir + "/sites", config_dir + "/platforms");
  if (!sites.ok()) {
    std::fprintf(stderr, "provarc_fixture_sites: %s\n", sites.error().c_str());
    return 1;
  }

  // Block the stop signals before any server thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  FixtureWeb web;
  std::string hosts;
  for (const provarc::SiteConfig& site : *sites) {
    FixtureHost* host = serve_site(web, site, fixtures_dir);
    if (host == nullptr || site.hosts.empty()) continue;
    hosts += site.id + "\t" + site.hosts.front() + "\t" + std::to_string(host->port()) + "\n";
  }
  if (hosts.empty()) {
    std::fprintf(stderr, "provarc_fixture_sites: no site of %s has pages under %s\n",
                 config_dir.c_str(), fixtures_dir.c_str());
    return 1;
  }
  std::string path = out_dir + "/hosts.tsv";
  {
    std::ofstream out(path + ".tmp");
    out << hosts;
    if (!out) {
      std::fprintf(stderr, "provarc_fixture_sites: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::filesystem::rename(path + ".tmp", path);

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  web.stop();
  return 0;
}
