// bench_parse: single-core extraction throughput against Gumbo's own parse of the same bytes.
// Usage: provarc_bench_parse CONFIG_DIR CORPUS_DIR
//   CORPUS_DIR holds <site>/<n>.html files (site "generic" uses the generic platform).
// Prints pages/s and MB/s for (a) gumbo_parse alone and (b) the whole extraction: decoding,
// parsing, chrome stripping, normalising and JSON, and their ratio.
#include <gumbo.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "parsers/extract.h"

namespace fs = std::filesystem;

struct Page {
  std::string site;
  std::string bytes;
};

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CONFIG_DIR CORPUS_DIR\n", argv[0]);
    return 2;
  }
  std::string config = argv[1];
  std::vector<Page> pages;
  size_t total = 0;
  for (const auto& site_dir : fs::directory_iterator(argv[2])) {
    if (!site_dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(site_dir.path())) {
      std::ifstream in(f.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      pages.push_back({site_dir.path().filename().string(), ss.str()});
      total += pages.back().bytes.size();
    }
  }
  std::map<std::string, provarc::ExtractRules> rules;
  for (const Page& p : pages) {
    if (rules.count(p.site)) continue;
    auto r = p.site == "generic"
                 ? provarc::load_platform(config + "/platforms", "generic")
                 : [&]() -> provarc::Result<provarc::ExtractRules> {
                     std::string dir = fs::exists(config + "/sites/" + p.site + ".toml")
                                           ? config
                                           : std::string(PROVARC_SOURCE_CONFIG_DIR) +
                                                 "/../tests/fixtures/config";
                     auto s = provarc::load_site(dir + "/sites/" + p.site + ".toml",
                                                 config + "/platforms");
                     if (!s.ok()) return s.failure();
                     return s->extract;
                   }();
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.error().c_str());
      return 1;
    }
    rules.emplace(p.site, *r);
  }
  using Clock = std::chrono::steady_clock;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  auto t0 = Clock::now();
  for (const Page& p : pages) {
    GumboOutput* out = gumbo_parse_with_options(&options, p.bytes.data(), p.bytes.size());
    gumbo_destroy_output(&options, out);
  }
  double gumbo_s = std::chrono::duration<double>(Clock::now() - t0).count();
  size_t failed = 0, json_bytes = 0;
  auto t1 = Clock::now();
  for (const Page& p : pages) {
    auto a = provarc::extract_article(p.bytes, "", "https://example.gov.vn/x", rules[p.site]);
    if (!a.ok()) {
      ++failed;
      continue;
    }
    json_bytes += provarc::article_to_json(*a, -1).size();
  }
  double extract_s = std::chrono::duration<double>(Clock::now() - t1).count();
  double mb = static_cast<double>(total) / 1e6;
  std::printf("pages %zu, %.1f MB, failed %zu, json %.1f MB\n", pages.size(), mb, failed,
              json_bytes / 1e6);
  std::printf("gumbo_parse only : %8.3f s  %8.1f pages/s  %6.2f MB/s\n", gumbo_s,
              pages.size() / gumbo_s, mb / gumbo_s);
  std::printf("full extraction  : %8.3f s  %8.1f pages/s  %6.2f MB/s\n", extract_s,
              pages.size() / extract_s, mb / extract_s);
  std::printf("ratio extraction/gumbo: %.2f\n", extract_s / gumbo_s);
  return 0;
}
