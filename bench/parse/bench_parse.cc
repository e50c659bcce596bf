// bench_parse: single-core extraction throughput against Gumbo's own parse of the same bytes.
// Usage: provarc_bench_parse [--repeat N] [--only gumbo|extract] [--stages] CONFIG_DIR CORPUS_DIR
//   CORPUS_DIR holds <site>/<n>.html files (site "generic" uses the generic platform).
// Prints pages/s and MB/s for (a) Gumbo alone, parse and destroy, and (b) the whole extraction:
// decoding, parsing, chrome stripping, normalising and JSON, and their ratio. Each pass runs N
// times (default 3), the passes alternating, and the fastest run of each counts: on a shared
// machine the fastest run is the one least disturbed by other work. --stages adds two passes that
// stop early, decoding only, and decoding and Document::parse, to split the extraction's time.
// Under callgrind, the inclusive costs of gumbo_pass() and extraction_pass() are the two
// figures (bench/parse/profile prints them); --only runs one pass and skips the other.
#include <gumbo.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "html/dom.h"
#include "html/text.h"
#include "parsers/extract.h"

namespace fs = std::filesystem;

namespace {

struct Page {
  std::string site;
  std::string bytes;
};

struct Options {
  int repeat = 3;
  std::string only;     // "", "gumbo" or "extract"
  bool stages = false;  // also time decode_html alone, and with Document::parse
  std::string config;
  std::string corpus;
};

bool parse_options(int argc, char** argv, Options* options) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      options->repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--stages") {
      options->stages = true;
    } else if (arg == "--only" && i + 1 < argc) {
      options->only = argv[++i];
      if (options->only != "gumbo" && options->only != "extract") return false;
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) return false;
  options->config = positional[0];
  options->corpus = positional[1];
  return true;
}

std::vector<Page> read_corpus(const std::string& corpus) {
  std::vector<Page> pages;
  for (const auto& site_dir : fs::directory_iterator(corpus)) {
    if (!site_dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(site_dir.path())) {
      std::ifstream in(f.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      pages.push_back({site_dir.path().filename().string(), ss.str()});
    }
  }
  return pages;
}

// The rules of `site`: its config in CONFIG_DIR/sites, else in the test fixtures' config (the
// fifth province), or the generic preset for "generic".
provarc::Result<provarc::ExtractRules> rules_for(const std::string& config, const std::string& site) {
  if (site == "generic") return provarc::load_platform(config + "/platforms", "generic");
  std::string dir = fs::exists(config + "/sites/" + site + ".toml")
                        ? config
                        : std::string(PROVARC_SOURCE_CONFIG_DIR) + "/../tests/fixtures/config";
  auto loaded = provarc::load_site(dir + "/sites/" + site + ".toml", config + "/platforms");
  if (!loaded.ok()) return loaded.failure();
  return loaded->extract;
}

// Gumbo alone, with the options Document::parse uses (no error list), parse and destroy.
[[gnu::noinline]] void gumbo_pass(const std::vector<Page>& pages) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  for (const Page& p : pages) {
    GumboOutput* out = gumbo_parse_with_options(&options, p.bytes.data(), p.bytes.size());
    gumbo_destroy_output(&options, out);
  }
}

// The first stages of the extraction: decoding to NFC UTF-8, and then parsing into a Document.
[[gnu::noinline]] void decode_pass(const std::vector<Page>& pages, bool parse) {
  for (const Page& p : pages) {
    provarc::DecodedText decoded = provarc::decode_html(p.bytes, "");
    if (parse) provarc::Document::parse(decoded.utf8);
  }
}

struct ExtractionTotals {
  size_t failed = 0;
  size_t json_bytes = 0;
};

// What `provarc parse` does per page: extract the article and write its JSON.
[[gnu::noinline]] ExtractionTotals extraction_pass(
    const std::vector<Page>& pages, const std::map<std::string, provarc::ExtractRules>& rules) {
  ExtractionTotals totals;
  for (const Page& p : pages) {
    auto a = provarc::extract_article(p.bytes, "", "https://example.gov.vn/x", rules.at(p.site));
    if (!a.ok()) {
      ++totals.failed;
      continue;
    }
    totals.json_bytes += provarc::article_to_json(*a, -1).size();
  }
  return totals;
}

template <typename Pass>
double seconds_of(Pass pass) {
  auto start = std::chrono::steady_clock::now();
  pass();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void print_rate(const char* what, const std::vector<double>& runs, size_t pages, double mb) {
  double best = *std::min_element(runs.begin(), runs.end());
  double worst = *std::max_element(runs.begin(), runs.end());
  std::printf("%-17s: %8.3f s  %8.1f pages/s  %6.2f MB/s  (slowest of %zu: %.3f s)\n", what,
              best, pages / best, mb / best, runs.size(), worst);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: %s [--repeat N] [--only gumbo|extract] [--stages] CONFIG_DIR CORPUS_DIR\n",
                 argv[0]);
    return 2;
  }
  std::vector<Page> pages = read_corpus(options.corpus);
  size_t total = 0;
  std::map<std::string, provarc::ExtractRules> rules;
  for (const Page& p : pages) {
    total += p.bytes.size();
    if (rules.count(p.site)) continue;
    auto r = rules_for(options.config, p.site);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.error().c_str());
      return 1;
    }
    rules.emplace(p.site, *r);
  }
  double mb = static_cast<double>(total) / 1e6;
  std::vector<double> gumbo_runs, extract_runs, decode_runs, document_runs;
  ExtractionTotals totals;
  for (int run = 0; run < options.repeat; ++run) {
    if (options.only != "extract") gumbo_runs.push_back(seconds_of([&] { gumbo_pass(pages); }));
    if (options.stages) {
      decode_runs.push_back(seconds_of([&] { decode_pass(pages, false); }));
      document_runs.push_back(seconds_of([&] { decode_pass(pages, true); }));
    }
    if (options.only != "gumbo") {
      extract_runs.push_back(seconds_of([&] { totals = extraction_pass(pages, rules); }));
    }
  }
  std::printf("pages %zu, %.1f MB, failed %zu, json %.1f MB\n", pages.size(), mb, totals.failed,
              totals.json_bytes / 1e6);
  if (!gumbo_runs.empty()) print_rate("gumbo_parse only", gumbo_runs, pages.size(), mb);
  if (!decode_runs.empty()) print_rate("decode_html", decode_runs, pages.size(), mb);
  if (!document_runs.empty()) print_rate("decode + Document", document_runs, pages.size(), mb);
  if (!extract_runs.empty()) print_rate("full extraction", extract_runs, pages.size(), mb);
  if (!gumbo_runs.empty() && !extract_runs.empty()) {
    std::printf("ratio extraction/gumbo: %.2f (fastest runs)\n",
                *std::min_element(extract_runs.begin(), extract_runs.end()) /
                    *std::min_element(gumbo_runs.begin(), gumbo_runs.end()));
  }
  return 0;
}
