#include "tests/support/fixtures.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/paths.h"

namespace provarc::testing {

namespace fs = std::filesystem;

void PrintTo(const FixturePage& page, std::ostream* os) { *os << page.folder << "/" << page.file; }

std::vector<FixturePage> all_fixture_pages() {
  std::vector<FixturePage> pages;
  fs::path root = fs::path(source_dir()) / "tests" / "fixtures";
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(root, ec)) {
    fs::path manifest = dir.path() / "manifest.json";
    if (!fs::exists(manifest)) continue;
    auto json = nlohmann::json::parse(read_file(manifest.string()), nullptr, false);
    if (!json.is_array()) {
      ADD_FAILURE() << manifest << ": not a JSON array";
      continue;
    }
    for (const auto& entry : json) {
      FixturePage page;
      page.folder = dir.path().filename().string();
      page.file = entry.value("file", "");
      page.path = (dir.path() / page.file).string();
      std::string stem = fs::path(page.file).stem().string();
      page.golden_path = (dir.path() / (stem + ".expected.json")).string();
      page.url = entry.value("url", "");
      page.content_type = entry.value("content_type", "");
      if (fs::exists(page.golden_path)) {
        auto golden = nlohmann::json::parse(read_file(page.golden_path), nullptr, false);
        if (golden.is_object() && golden["site"].is_string()) {
          page.site = golden["site"].get<std::string>();
        }
      }
      pages.push_back(std::move(page));
    }
  }
  std::sort(pages.begin(), pages.end(), [](const FixturePage& a, const FixturePage& b) {
    return std::tie(a.folder, a.file) < std::tie(b.folder, b.file);
  });
  return pages;
}

std::vector<std::string> chrome_strings(const std::string& folder) {
  std::vector<std::string> out;
  fs::path path = fs::path(fixture_path(folder)) / "chrome.txt";
  if (!fs::exists(path)) return out;
  std::istringstream in(read_file(path.string()));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

std::string config_dir_for(const std::string& site) {
  std::string shipped = source_dir() + "/config";
  if (site.empty() || fs::exists(shipped + "/sites/" + site + ".toml")) return shipped;
  return fixture_path("config");
}

ExtractRules rules_for(const std::string& site) {
  static std::map<std::string, ExtractRules> cache;
  auto it = cache.find(site);
  if (it != cache.end()) return it->second;
  std::string dir = config_dir_for(site);
  // Test-only sites use the shipped presets: a new province needs only its site file.
  std::string platforms = source_dir() + "/config/platforms";
  Result<ExtractRules> rules =
      site.empty() ? load_platform(platforms, "generic")
                   : [&]() -> Result<ExtractRules> {
                       auto s = load_site(dir + "/sites/" + site + ".toml", platforms);
                       if (!s.ok()) return s.failure();
                       return s->extract;
                     }();
  if (!rules.ok()) {
    ADD_FAILURE() << "rules for site \"" << site << "\": " << rules.error();
    return ExtractRules{};
  }
  cache.emplace(site, *rules);
  return *rules;
}

double token_f1(const std::string& got, const std::string& want) {
  auto tokens = [](const std::string& s) {
    std::map<std::string, int> counts;
    std::istringstream in(s);
    std::string t;
    while (in >> t) counts[t]++;
    return counts;
  };
  auto g = tokens(got), w = tokens(want);
  size_t total_g = 0, total_w = 0, overlap = 0;
  for (auto& [t, n] : g) total_g += n;
  for (auto& [t, n] : w) {
    total_w += n;
    auto it = g.find(t);
    if (it != g.end()) overlap += std::min(n, it->second);
  }
  if (total_g == 0 && total_w == 0) return 1.0;
  if (total_g == 0 || total_w == 0) return 0.0;
  double p = static_cast<double>(overlap) / total_g, r = static_cast<double>(overlap) / total_w;
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

}  // namespace provarc::testing
