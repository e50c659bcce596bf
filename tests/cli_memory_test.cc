// Tests that `provarc crawl` keeps its memory flat as the frontier grows: the frontier lives in
// the archive, and the crawler holds only a window of claimed URLs per host (bench/memory measures
// the same at 100 000 and 1 000 000 URLs). Skipped under AddressSanitizer, whose shadow memory and
// quarantine make RSS meaningless.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "tests/support/big_site.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

#if defined(__SANITIZE_ADDRESS__)
#define PROVARC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROVARC_UNDER_ASAN 1
#endif
#endif

extern char** environ;

namespace provarc::testing {
namespace {

using std::chrono::milliseconds;

struct MeasuredCrawl {
  int exit_code = -1;
  int64_t frontier = 0;    // frontier entries when the crawl was stopped
  int64_t peak_rss_kib = 0;  // the process's maximum resident set size (wait4's ru_maxrss)
  std::string err;         // its stderr
};

// Entries in the frontier of `site` in the archive at `db`; 0 while the archive cannot be read.
int64_t frontier_size(const std::string& db, const std::string& site) {
  if (access(db.c_str(), F_OK) != 0) return 0;
  auto archive = Archive::open(db, ArchiveOptions{.read_only = true});
  if (!archive.ok()) return 0;
  auto counts = (*archive)->frontier_counts(site);
  if (!counts.ok()) return 0;
  return counts->queued + counts->in_progress + counts->done + counts->failed;
}

// Starts `argv` with its stdout and stderr written to files; returns its pid, or 0 after
// reporting a test failure.
pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << argv[0];
    return 0;
  }
  return pid;
}

// Waits for the crawl `pid` to fill the frontier of `site` in `db` with `entries` URLs, then
// stops it with SIGTERM (a clean stop); kills it after a minute. Reaps it with wait4, which
// gives its exit status and peak RSS.
void stop_when_frontier_holds(pid_t pid, const std::string& db, const std::string& site,
                              int64_t entries, int* status, rusage* usage) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (frontier_size(db, site) < entries) {
    if (wait4(pid, status, WNOHANG, usage) == pid) return;  // ended on its own
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "the frontier of " << db << " did not reach " << entries
                    << " URLs in a minute";
      kill(pid, SIGKILL);
      wait4(pid, status, 0, usage);
      return;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  kill(pid, SIGTERM);
  wait4(pid, status, 0, usage);
}

// Crawls a generated site of `articles` articles listed in sitemaps of 5 000, whose robots.txt
// refuses the articles: the frontier fills with them but none is fetched, so no page is parsed
// and the archive trains no dictionary, and what remains of the RSS is the crawler's and the
// frontier's. Stops the crawl once the frontier holds every article.
MeasuredCrawl crawl_frontier_of(int articles) {
  FixtureWeb web;
  FixtureHost& host = web.add_host("big");
  BigSite site;
  site.shape = BigSiteShape::kSitemap;
  site.articles = articles;
  site.per_document = 5000;
  site.disallow = "/tin-tuc/";
  add_big_site(host, site);
  const std::string dir = temp_dir();
  const std::string config = dir + "/config", db = dir + "/archive.sqlite";
  write_test_site(config, "big", {host.authority()}, big_site_crawl_toml(0));

  MeasuredCrawl measured;
  pid_t pid = spawn({provarc_binary(), "--config", config, "--db", db, "crawl"},
                    dir + "/out.txt", dir + "/err.txt");
  if (pid == 0) return measured;
  int status = 0;
  rusage usage{};
  stop_when_frontier_holds(pid, db, "big", articles, &status, &usage);
  measured.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  measured.frontier = frontier_size(db, "big");
  measured.peak_rss_kib = usage.ru_maxrss;  // kilobytes on Linux
  measured.err = read_file(dir + "/err.txt");
  return measured;
}

TEST(CliMemory, PeakRssStaysFlatAsTheFrontierGrowsTenfold) {
#ifdef PROVARC_UNDER_ASAN
  GTEST_SKIP() << "RSS is not meaningful under AddressSanitizer";
#endif
  MeasuredCrawl small = crawl_frontier_of(10000);
  MeasuredCrawl large = crawl_frontier_of(100000);
  for (const MeasuredCrawl* m : {&small, &large}) {
    // 0: it finished refusing every article first; 3: stopped by the signal.
    EXPECT_TRUE(m->exit_code == 0 || m->exit_code == 3) << m->exit_code << "\n" << m->err;
  }
  EXPECT_GE(small.frontier, 10000);
  EXPECT_GE(large.frontier, 100000);
  const int64_t growth_kib = large.peak_rss_kib - small.peak_rss_kib;
  std::cout << "peak RSS: " << small.peak_rss_kib / 1024 << " MiB with 10 000 URLs, "
            << large.peak_rss_kib / 1024 << " MiB with 100 000 (+" << growth_kib << " KiB)\n";
  // Keeping the 90 000 more URLs in memory, even as bare strings, would cost about 10 MB; the
  // archive's page cache is bounded (2 MB by default) and already full with 10 000.
  EXPECT_LT(growth_kib, 5 * 1024);
  // The bound for a 100 000-URL frontier, with room to spare (measured: about 35 MiB).
  EXPECT_LT(large.peak_rss_kib, 100 * 1024);
}

}  // namespace
}  // namespace provarc::testing
