// tests/trap_web_main.cc: provarc_trap_web, the held-out web of tests/support/trap_web.h as a
// program, for bench/identity and manual runs. Serves the six trap sites on 127.0.0.1 (one port
// each) and a control port, then waits for SIGINT or SIGTERM.
//
//   provarc_trap_web --out DIR [--epoch 1|2] [--articles N] [--per-page N] [--bomb-mib N]
//                    [--crawl-delay S] [--sites ID,ID,...] [--plain] [--web2]
//
// --plain serves the same sites without traps or aliases, only print links (plain_trap_sites()).
// --web2 serves the second held-out web (trap_web2_sites(), plain_trap_web2_sites()).
// DIR/hosts.tsv        "<site id>\t<the site file's host>\t<port>" per site (as
// provarc_fixture_sites
//                      writes it), then "control\t-\t<port>"; written, atomically, once every
//                      server listens
// DIR/requests.tsv     one line per request, as it arrives (columns: TrapWeb::log_header())
// DIR/truth-epoch1.json, DIR/truth-epoch2.json   the ground truth of each epoch
// The control port answers GET /epoch, /epoch?set=2, /classify?site=ID&target=T, /truth?epoch=N.
// SIGUSR1 switches to epoch 2. Nothing but 127.0.0.1 is ever bound.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/trap_web.h"

namespace {

using provarc::testing::TrapSiteSpec;
using provarc::testing::TrapWeb;
using provarc::testing::TrapWebOptions;

int usage() {
  std::fprintf(stderr,
               "usage: provarc_trap_web --out DIR [--epoch 1|2] [--articles N] [--per-page N] "
               "[--bomb-mib N] [--crawl-delay S] [--sites ID,ID,...] [--plain] [--web2]\n");
  return 2;
}

// Written to a temporary name and renamed, so a reader never sees half a file.
bool write_file(const std::string& path, const std::string& text) {
  {
    std::ofstream out(path + ".tmp");
    out << text;
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(path + ".tmp", path, ec);
  return !ec;
}

std::vector<TrapSiteSpec> chosen_sites(const std::string& list, bool plain, bool web2) {
  namespace t = provarc::testing;
  std::vector<TrapSiteSpec> all = web2 ? (plain ? t::plain_trap_web2_sites() : t::trap_web2_sites())
                                       : (plain ? t::plain_trap_sites() : t::default_trap_sites());
  if (list.empty()) return all;
  std::vector<TrapSiteSpec> chosen;
  std::stringstream ids(list);
  for (std::string id; std::getline(ids, id, ',');) {
    for (const TrapSiteSpec& s : all) {
      if (s.id == id) chosen.push_back(s);
    }
  }
  return chosen;
}

}  // namespace

int main(int argc, char** argv) {
  TrapWebOptions options;
  std::string out, site_list;
  bool plain = false, web2 = false;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto it = std::find(args.begin(), args.end(), "--plain"); it != args.end()) {
    plain = true;
    args.erase(it);
  }
  if (auto it = std::find(args.begin(), args.end(), "--web2"); it != args.end()) {
    web2 = true;
    args.erase(it);
  }
  try {
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
      const std::string& flag = args[i];
      const std::string& value = args[i + 1];
      if (flag == "--out")
        out = value;
      else if (flag == "--epoch")
        options.epoch = std::stoi(value);
      else if (flag == "--articles")
        options.articles = std::stoi(value);
      else if (flag == "--per-page")
        options.per_page = std::stoi(value);
      else if (flag == "--bomb-mib")
        options.bomb_bytes = std::stoul(value) << 20;
      else if (flag == "--crawl-delay")
        options.crawl_delay_s = std::stoi(value);
      else if (flag == "--sites")
        site_list = value;
      else
        return usage();
    }
  } catch (const std::exception&) {
    return usage();
  }
  if (out.empty() || args.size() % 2 != 0) return usage();
  std::vector<TrapSiteSpec> sites = chosen_sites(site_list, plain, web2);
  if (sites.empty()) {
    std::fprintf(stderr, "provarc_trap_web: no site named in --sites %s\n", site_list.c_str());
    return 2;
  }
  options.log_path = out + "/requests.tsv";

  // Block the signals before any server thread starts, so that only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    TrapWeb web(options, sites);
    provarc::testing::FixtureHost& control = web.add_control_host();
    std::string hosts;
    for (const TrapSiteSpec& s : web.sites()) {
      hosts += s.id + "\t" + s.real_host + "\t" + std::to_string(web.host(s.id).port()) + "\n";
    }
    hosts += "control\t-\t" + std::to_string(control.port()) + "\n";
    for (int epoch : {1, 2}) {
      std::string path = out + "/truth-epoch" + std::to_string(epoch) + ".json";
      if (!write_file(path, web.ground_truth_json(epoch))) {
        std::fprintf(stderr, "provarc_trap_web: cannot write %s\n", path.c_str());
        return 1;
      }
    }
    if (!write_file(out + "/hosts.tsv", hosts)) {
      std::fprintf(stderr, "provarc_trap_web: cannot write %s/hosts.tsv\n", out.c_str());
      return 1;
    }
    for (;;) {
      int signal_number = 0;
      sigwait(&signals, &signal_number);
      if (signal_number != SIGUSR1) break;
      web.set_epoch(2);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "provarc_trap_web: %s\n", e.what());
    return 1;
  }
  return 0;
}
