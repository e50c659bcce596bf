// tests/support/fixtures.h: the fixture pages under tests/fixtures/<site>/ (manifest.json, pages,
// goldens, chrome.txt) and the rules that read them, for golden, leak and benchmark code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "parsers/extract.h"

namespace provarc::testing {

struct FixturePage {
  std::string folder;        // "bac-kan"
  std::string file;          // "seed-000.html"
  std::string path;          // absolute path of the page
  std::string golden_path;   // absolute path of <name>.expected.json
  std::string url;
  std::string content_type;
  std::string site;          // golden's site id, "" for generic pages
};

// Names the page in test output (instead of gtest's byte dump).
void PrintTo(const FixturePage& page, std::ostream* os);

// Every page listed by a tests/fixtures/*/manifest.json, sorted by folder then file.
std::vector<FixturePage> all_fixture_pages();

// Chrome strings of a fixture folder (its chrome.txt), empty when it has none.
std::vector<std::string> chrome_strings(const std::string& folder);

// The rules for a golden's site id: config/sites/<id>.toml, else the test-only
// tests/fixtures/config/sites/<id>.toml; "" means the generic platform. Aborts the test on error.
ExtractRules rules_for(const std::string& site);

// The config dir holding a site: the shipped config/ or tests/fixtures/config/.
std::string config_dir_for(const std::string& site);

// Token-level F1 of `got` against `want` (whitespace tokens, multiset overlap).
double token_f1(const std::string& got, const std::string& want);

}  // namespace provarc::testing
