// The config module: the shipped presets and sites, merging a site over its preset, the rules'
// digest, the duration and size syntax, and every kind of bad file, each reported at its
// file:line:column.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "common/units.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using testing::fixture_path;
using testing::source_dir;

std::string shipped_sites() { return source_dir() + "/config/sites"; }
std::string shipped_platforms() { return source_dir() + "/config/platforms"; }
std::string error_sites() { return fixture_path("config-errors/sites"); }
std::string error_platforms() { return fixture_path("config-errors/platforms"); }

void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The error of loading the bad site file `name` from the fixtures (empty when it loaded).
std::string site_error(const std::string& name) {
  auto site = load_site(error_sites() + "/" + name, error_platforms());
  if (site.ok()) {
    ADD_FAILURE() << name << " loaded, but should not have";
    return "";
  }
  return site.error();
}

std::vector<std::string> sources(const std::vector<Selector>& selectors) {
  std::vector<std::string> out;
  for (const Selector& s : selectors) out.push_back(s.source());
  return out;
}

std::vector<std::string> sources(const std::vector<Pattern>& patterns) {
  std::vector<std::string> out;
  for (const Pattern& p : patterns) out.push_back(p.source());
  return out;
}

bool any_matches(const std::vector<Pattern>& patterns, const std::string& text) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const Pattern& p) { return p.search(text).has_value(); });
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// A site file for the preset `platform`, with `extra` TOML after the required keys.
std::string site_toml(const std::string& id, const std::string& platform,
                      const std::string& extra = "") {
  return "id = \"" + id + "\"\n" +
         "name = \"Sở Thông tin và Truyền thông tỉnh Thử\"\n"
         "province = \"Thử\"\n"
         "platform = \"" + platform + "\"\n"
         "hosts = [\"stttt.example.gov.vn\", \"127.0.0.1:8080\"]\n"
         "start_urls = [\"https://stttt.example.gov.vn/\", \"http://127.0.0.1:8080/tin\"]\n"
         "contact_url = \"https://example.org/contact\"\n" + extra;
}

const char* kPreset = R"(name = "family"
description = "a preset for the merge tests"

[extract]
remove = ["nav", "footer"]
body = ["article", ".content"]
chrome_lines = ["Đầu trang"]
stop_lines = ["Tin khác"]
title_strip = ['\s+-\s+Sở.*$']
author_max_words = 6

[crawl]
exclude = ['/_layouts/']
delay = "2s"
max_pages = 500
)";

// ---------------------------------------------------------------------------------------------
// Durations and sizes.

TEST(ConfigUnits, DurationsInMilliseconds) {
  EXPECT_EQ(*parse_duration_ms("250ms"), 250);
  EXPECT_EQ(*parse_duration_ms("0ms"), 0);
  EXPECT_EQ(*parse_duration_ms("1s"), 1000);
  EXPECT_EQ(*parse_duration_ms("1.5s"), 1500);
  EXPECT_EQ(*parse_duration_ms("2m"), 120000);
  EXPECT_EQ(*parse_duration_ms("12h"), 12 * 3600 * 1000);
  EXPECT_EQ(*parse_duration_ms("7d"), 7LL * 24 * 3600 * 1000);
  EXPECT_EQ(*parse_duration_ms("0.25h"), 15 * 60 * 1000);
  // Compound, as --max-time takes them: each term in a smaller unit than the one before.
  EXPECT_EQ(*parse_duration_ms("1h30m"), 90 * 60 * 1000);
  EXPECT_EQ(*parse_duration_ms("1d2h3m4s5ms"), ((((24 + 2) * 60 + 3) * 60 + 4) * 1000LL) + 5);
}

TEST(ConfigUnits, BadDurationsFailSayingWhatWasExpected) {
  for (const char* text : {"", "1", "s", "1 s", "1S", "1sec", "-1s", "1.s", ".5s", "1.5ms",
                           "1.0001s", "1e3ms", "1000000000000s", "30m1h", "1h1h", "1h30", "h30m",
                           "1h 30m", "1.5ms1s"}) {
    auto ms = parse_duration_ms(text);
    ASSERT_FALSE(ms.ok()) << text;
    EXPECT_NE(ms.error().find("expected"), std::string::npos) << ms.error();
  }
  auto huge = parse_duration_ms("999999999999d");  // 12 digits of days overflow int64 ms
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().find("too large"), std::string::npos) << huge.error();
}

TEST(ConfigUnits, SizesInBytes) {
  EXPECT_EQ(*parse_size_bytes("20MB"), 20'000'000);
  EXPECT_EQ(*parse_size_bytes("512KiB"), 512 * 1024);
  EXPECT_EQ(*parse_size_bytes("1.5MiB"), 1536 * 1024);
  EXPECT_EQ(*parse_size_bytes("2gib"), 2LL << 30);
  EXPECT_EQ(*parse_size_bytes("100B"), 100);
  EXPECT_EQ(*parse_size_bytes("1.5B"), 1);  // a fraction of a byte is dropped
  for (const char* text : {"", "20", "MB", "20 MB", "20TB", "20mbit", "-1MB", "1,5MB"}) {
    EXPECT_FALSE(parse_size_bytes(text).ok()) << text;
  }
}

TEST(ConfigUnits, FormatsTheShortestExactSpelling) {
  EXPECT_EQ(format_duration_ms(3600 * 1000), "1h");
  EXPECT_EQ(format_duration_ms(1500), "1500ms");
  EXPECT_EQ(format_duration_ms(0), "0ms");
  EXPECT_EQ(format_duration_ms(3650LL * 24 * 3600 * 1000), "3650d");
  EXPECT_EQ(format_size_bytes(20 << 20), "20MiB");
  EXPECT_EQ(format_size_bytes(1000), "1000B");
}

// ---------------------------------------------------------------------------------------------
// The shipped presets and sites.

TEST(ShippedConfig, EveryPresetLoads) {
  for (const char* name : {"sharepoint", "websphere", "aspnet", "liferay", "generic"}) {
    auto rules = load_platform(shipped_platforms(), name);
    ASSERT_TRUE(rules.ok()) << rules.error();
    EXPECT_EQ(rules->platform, name);
    EXPECT_FALSE(rules->remove.empty()) << name;
    EXPECT_TRUE(rules->generic_fallback) << name;
    EXPECT_EQ(rules->digest.size(), 64u);
    if (std::string(name) == "generic") {
      EXPECT_TRUE(rules->body.empty());
      EXPECT_TRUE(rules->title.empty());
      EXPECT_TRUE(contains(sources(rules->remove), "nav"));
    } else {
      EXPECT_FALSE(rules->body.empty()) << name;
    }
  }
}

TEST(ShippedConfig, PresetsCarryThePortalsChrome) {
  auto sharepoint = load_platform(shipped_platforms(), "sharepoint");
  ASSERT_TRUE(sharepoint.ok()) << sharepoint.error();
  EXPECT_TRUE(contains(sharepoint->chrome_lines, "Skip Ribbon Commands"));
  EXPECT_TRUE(contains(sharepoint->chrome_lines, "Skip to main content"));

  auto websphere = load_platform(shipped_platforms(), "websphere");
  ASSERT_TRUE(websphere.ok()) << websphere.error();
  EXPECT_TRUE(contains(websphere->chrome_lines, "Skip portletPortlet Menu"));
  EXPECT_TRUE(contains(websphere->stop_lines, "Tin đã đưa:"));
  // The WCM title's date suffix is stripped, the title kept.
  const std::string title = "Giao ban tổng kết công tác Thông tin và Truyền thông Cụm 2 năm 2018";
  std::string stripped = title + " (03/12/2018 10:10 AM)";
  for (const Pattern& p : websphere->title_strip) stripped = p.replace_all(stripped, "");
  EXPECT_EQ(stripped, title);
}

TEST(ShippedConfig, FourSitesSortedById) {
  auto sites = load_all_sites(shipped_sites(), shipped_platforms());
  ASSERT_TRUE(sites.ok()) << sites.error();
  std::vector<std::string> ids, platforms;
  for (const SiteConfig& site : *sites) {
    ids.push_back(site.id);
    platforms.push_back(site.platform);
    EXPECT_EQ(site.crawl.delay_ms, 1000) << site.id;
    EXPECT_EQ(site.contact_url, "https://github.com/provarc/provarc");
    EXPECT_EQ(site.extract.platform, site.platform);
    EXPECT_EQ(site.extract.digest.size(), 64u);
    EXPECT_FALSE(site.crawl.article_url_patterns.empty()) << site.id;
    EXPECT_EQ(fs::path(site.source_path).filename(), site.id + ".toml");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"bac-kan", "dong-thap", "nghe-an", "tra-vinh"}));
  EXPECT_EQ(platforms, (std::vector<std::string>{"sharepoint", "aspnet", "websphere", "aspnet"}));
  const SiteConfig& bac_kan = (*sites)[0];
  EXPECT_EQ(bac_kan.province, "Bắc Kạn");
  EXPECT_EQ(bac_kan.hosts, (std::vector<std::string>{"sotttt.backan.gov.vn"}));
  EXPECT_EQ(bac_kan.start_urls, (std::vector<std::string>{"https://sotttt.backan.gov.vn/"}));
}

TEST(ShippedConfig, DongThapReadsDatesMonthFirstAndOthersDayFirst) {
  auto sites = load_all_sites(shipped_sites(), shipped_platforms());
  ASSERT_TRUE(sites.ok()) << sites.error();
  for (const SiteConfig& site : *sites) {
    DateOrder expected = site.id == "dong-thap" ? DateOrder::kMonthFirst : DateOrder::kDayFirst;
    EXPECT_EQ(site.extract.date_order, expected) << site.id;
  }
}

TEST(ShippedConfig, BacKanCrawlRulesClassifyItsUrls) {
  auto site = load_site(shipped_sites() + "/bac-kan.toml", shipped_platforms());
  ASSERT_TRUE(site.ok()) << site.error();
  const CrawlRules& crawl = site->crawl;
  EXPECT_TRUE(any_matches(crawl.article_url_patterns,
                          "https://sotttt.backan.gov.vn/Pages/hoi-nghi-so-ket-quy-i-2023.aspx"));
  EXPECT_TRUE(any_matches(crawl.article_url_patterns,
                          "https://sotttt.backan.gov.vn/Lists/TinTuc/DispForm.aspx?ID=412"));
  EXPECT_FALSE(any_matches(crawl.article_url_patterns,
                           "https://sotttt.backan.gov.vn/Pages/default.aspx"));
  // The preset's exclusions reach the site.
  EXPECT_TRUE(any_matches(crawl.exclude, "https://sotttt.backan.gov.vn/_layouts/15/start.aspx"));
  EXPECT_TRUE(any_matches(crawl.exclude,
                          "https://sotttt.backan.gov.vn/Documents/Forms/AllItems.aspx"));
  EXPECT_FALSE(any_matches(crawl.exclude,
                           "https://sotttt.backan.gov.vn/Pages/hoi-nghi-so-ket-quy-i-2023.aspx"));
  EXPECT_TRUE(contains(crawl.strip_query_params, "Source"));
}

TEST(ShippedConfig, TraVinhAddsItsWidgetsToTheAspnetPreset) {
  auto preset = load_platform(shipped_platforms(), "aspnet");
  ASSERT_TRUE(preset.ok()) << preset.error();
  auto site = load_site(shipped_sites() + "/tra-vinh.toml", shipped_platforms());
  ASSERT_TRUE(site.ok()) << site.error();
  const ExtractRules& rules = site->extract;
  // Appended: the preset's lists come first, whole, then the site's.
  std::vector<std::string> preset_remove = sources(preset->remove);
  std::vector<std::string> site_remove = sources(rules.remove);
  ASSERT_GT(site_remove.size(), preset_remove.size());
  EXPECT_TRUE(std::equal(preset_remove.begin(), preset_remove.end(), site_remove.begin()));
  EXPECT_TRUE(contains(site_remove, ".box-thongke"));
  EXPECT_TRUE(contains(rules.chrome_lines, "Tin khác"));
  EXPECT_TRUE(contains(rules.chrome_lines, "Thống kê truy cập"));
  auto is_chrome = [&](const std::string& line) {
    return std::any_of(rules.chrome_patterns.begin(), rules.chrome_patterns.end(),
                       [&](const Pattern& p) { return p.full_match(line); });
  };
  EXPECT_TRUE(is_chrome("• Đang online: 81"));
  EXPECT_TRUE(is_chrome("Tất cả: 1,891,451"));
  EXPECT_TRUE(is_chrome("1 2 3 4 5 ..."));
  EXPECT_FALSE(is_chrome("N.Đậm"));
  EXPECT_FALSE(is_chrome("Quang cảnh Hội nghị."));
  EXPECT_NE(rules.digest, preset->digest);
  EXPECT_TRUE(any_matches(site->crawl.article_url_patterns,
                          "https://stttt.travinh.gov.vn/1446/38995/68251/637244/tin-noi-bat/"
                          "so-ket-cong-tac-thong-tin-va-truyen-thong-6-thang-dau-nam-2022"));
  EXPECT_TRUE(any_matches(site->crawl.article_url_patterns,
                          "https://stttt.travinh.gov.vn/Default.aspx?sid=1446&pageid=38995&"
                          "catid=68251&id=637244&catname=tin-noi-bat"));
  EXPECT_FALSE(any_matches(site->crawl.article_url_patterns,
                           "https://stttt.travinh.gov.vn/Default.aspx?sid=1446&pageid=38995&"
                           "catid=68251"));
}

// ---------------------------------------------------------------------------------------------
// Every rule of html/extract_rules.h's table is read: adding a row is all a new rule needs.

// A TOML value for the rule `field` that differs from ExtractRules' defaults.
std::string toml_value(const RuleField& field) {
  switch (field.kind) {
    case RuleKind::kFieldElements:
    case RuleKind::kChromeElements:
    case RuleKind::kBodyElements: return "[\"div.rule\"]";
    case RuleKind::kPatterns: return "['^rule$']";
    case RuleKind::kLines: return "[\"Một dòng\"]";
    case RuleKind::kExtensions: return "[\"odp\"]";
    case RuleKind::kDateOrder: return "\"month-first\"";
    case RuleKind::kFlag: return ExtractRules().*field.flag ? "false" : "true";
    case RuleKind::kCount: return std::to_string(field.max);
  }
  return "";
}

// The rule `field` of `rules` as text, to compare two rule sets by one rule.
std::string rule_text(const RuleField& field, const ExtractRules& rules) {
  std::vector<std::string> values;
  if (field.selectors != nullptr) values = sources(rules.*field.selectors);
  if (field.patterns != nullptr) values = sources(rules.*field.patterns);
  if (field.strings != nullptr) values = rules.*field.strings;
  if (field.date_order != nullptr) {
    values = {rules.*field.date_order == DateOrder::kDayFirst ? "day-first" : "month-first"};
  }
  if (field.flag != nullptr) values = {rules.*field.flag ? "true" : "false"};
  if (field.count != nullptr) values = {std::to_string(rules.*field.count)};
  std::string out;
  for (const std::string& value : values) out += value + ";";
  return out;
}

TEST(ConfigRules, ThePresetLoaderReadsEveryRuleOfTheTable) {
  const std::string dir = testing::temp_dir();
  const std::string head = "name = \"rule\"\ndescription = \"one rule\"\n";
  write_file(dir + "/rule.toml", head);
  auto plain = load_platform(dir, "rule");
  ASSERT_TRUE(plain.ok()) << plain.error();
  for (const RuleField& field : kExtractRules) {
    write_file(dir + "/rule.toml",
               head + "[extract]\n" + std::string(field.key) + " = " + toml_value(field) + "\n");
    auto rules = load_platform(dir, "rule");
    ASSERT_TRUE(rules.ok()) << field.key << ": " << rules.error();
    EXPECT_NE(rule_text(field, *rules), rule_text(field, *plain)) << field.key;
    EXPECT_NE(rules->digest, plain->digest) << field.key;
  }
}

TEST(ConfigRules, TheSiteLoaderAppendsToEveryListOfTheTable) {
  const std::string dir = testing::temp_dir();
  write_file(dir + "/platforms/base.toml", "name = \"base\"\ndescription = \"no rules\"\n");
  for (const RuleField& field : kExtractRules) {
    std::string site = "id = \"s\"\nname = \"S\"\nprovince = \"P\"\nplatform = \"base\"\n"
                       "hosts = [\"s.vn\"]\nstart_urls = [\"https://s.vn/\"]\n"
                       "contact_url = \"https://example.org/\"\n\n[extract.append]\n" +
                       std::string(field.key) + " = " + toml_value(field) + "\n";
    write_file(dir + "/sites/s.toml", site);
    auto loaded = load_site(dir + "/sites/s.toml", dir + "/platforms");
    if (!field.is_list()) {
      ASSERT_FALSE(loaded.ok()) << field.key << " is no list, yet [extract.append] took it";
      EXPECT_NE(loaded.error().find("[extract.append] (lists only)"), std::string::npos)
          << loaded.error();
      continue;
    }
    ASSERT_TRUE(loaded.ok()) << field.key << ": " << loaded.error();
    std::string defaults = rule_text(field, ExtractRules());
    EXPECT_EQ(rule_text(field, loaded->extract).rfind(defaults, 0), 0u) << field.key;
    EXPECT_GT(rule_text(field, loaded->extract).size(), defaults.size()) << field.key;
  }
}

// ---------------------------------------------------------------------------------------------
// Merging a site over its preset.

class ConfigMerge : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir();
    write_file(platforms() + "/family.toml", kPreset);
  }
  std::string platforms() const { return dir_ + "/platforms"; }
  std::string site_path(const std::string& id) const { return dir_ + "/sites/" + id + ".toml"; }
  Result<SiteConfig> load(const std::string& id, const std::string& extra) {
    write_file(site_path(id), site_toml(id, "family", extra));
    return load_site(site_path(id), platforms());
  }
  std::string dir_;
};

TEST_F(ConfigMerge, WithoutOverridesTheSiteHasThePresetsRules) {
  auto site = load("plain", "");
  ASSERT_TRUE(site.ok()) << site.error();
  auto preset = load_platform(platforms(), "family");
  ASSERT_TRUE(preset.ok()) << preset.error();
  EXPECT_EQ(sources(site->extract.body), (std::vector<std::string>{"article", ".content"}));
  EXPECT_EQ(site->extract.author_max_words, 6);
  EXPECT_EQ(site->extract.digest, preset->digest);
  EXPECT_EQ(site->crawl.delay_ms, 2000);
  EXPECT_EQ(site->crawl.max_pages, 500);
  EXPECT_EQ(site->crawl.max_depth, CrawlRules().max_depth);  // neither file sets it
  EXPECT_EQ(site->source_path, site_path("plain"));
  EXPECT_EQ(site->hosts, (std::vector<std::string>{"stttt.example.gov.vn", "127.0.0.1:8080"}));
}

TEST_F(ConfigMerge, SiteKeysReplaceAndAppendTablesAppend) {
  auto site = load("merged", R"(
[extract]
body = ["main"]
author_max_words = 3
date_order = "month-first"

[extract.append]
remove = ["aside"]
chrome_lines = ["Thống kê truy cập"]
title_strip = ['\s*\(\d+\)$']

[crawl]
delay = "250ms"
listing_urls = ["http://127.0.0.1:8080/tin-tuc"]

[crawl.append]
exclude = ['/_vti_bin/']
)");
  ASSERT_TRUE(site.ok()) << site.error();
  const ExtractRules& rules = site->extract;
  EXPECT_EQ(sources(rules.body), (std::vector<std::string>{"main"}));
  EXPECT_EQ(sources(rules.remove), (std::vector<std::string>{"nav", "footer", "aside"}));
  EXPECT_EQ(rules.chrome_lines, (std::vector<std::string>{"Đầu trang", "Thống kê truy cập"}));
  EXPECT_EQ(sources(rules.title_strip),
            (std::vector<std::string>{"\\s+-\\s+Sở.*$", "\\s*\\(\\d+\\)$"}));
  EXPECT_EQ(rules.stop_lines, (std::vector<std::string>{"Tin khác"}));  // untouched
  EXPECT_EQ(rules.author_max_words, 3);
  EXPECT_EQ(rules.date_order, DateOrder::kMonthFirst);
  EXPECT_EQ(site->crawl.delay_ms, 250);
  EXPECT_EQ(site->crawl.max_pages, 500);  // the preset's value stays
  EXPECT_EQ(sources(site->crawl.exclude), (std::vector<std::string>{"/_layouts/", "/_vti_bin/"}));
  EXPECT_EQ(site->crawl.listing_urls, (std::vector<std::string>{"http://127.0.0.1:8080/tin-tuc"}));
}

TEST_F(ConfigMerge, EveryCrawlKeyIsRead) {
  auto site = load("crawl", R"(
[crawl]
article_url_patterns = ['/tin/\d+']
listing_url_patterns = ['[?&]page=\d+']
include = ['^https://stttt\.example\.gov\.vn/']
exclude = ['/login']
strip_query_params = ["utm_source"]
keep_query_params = ["Token"]
article_key = ['[?&]ID=(\d+)']
case_insensitive_paths = true
learn_session_params = false
delay = "1.5s"
max_crawl_delay = "1m"
revisit_interval = "12h"
connect_timeout = "10s"
total_timeout = "2m"
max_pages = 1234
max_depth = 7
max_url_length = 512
max_repeated_segments = 2
max_retries = 1
max_body_bytes = "512KiB"
max_attachment_bytes = 1048576
fetch_attachments = false
fetch_images = false
use_sitemaps = false
verify_tls = false
)");
  ASSERT_TRUE(site.ok()) << site.error();
  const CrawlRules& c = site->crawl;
  EXPECT_EQ(sources(c.article_url_patterns), (std::vector<std::string>{"/tin/\\d+"}));
  EXPECT_EQ(sources(c.listing_url_patterns), (std::vector<std::string>{"[?&]page=\\d+"}));
  EXPECT_EQ(c.include.size(), 1u);
  EXPECT_EQ(sources(c.exclude), (std::vector<std::string>{"/login"}));  // replaced, not appended
  EXPECT_EQ(c.strip_query_params, (std::vector<std::string>{"utm_source"}));
  EXPECT_EQ(c.keep_query_params, (std::vector<std::string>{"Token"}));
  EXPECT_EQ(sources(c.article_key), (std::vector<std::string>{"[?&]ID=(\\d+)"}));
  EXPECT_TRUE(c.case_insensitive_paths);
  EXPECT_FALSE(c.learn_session_params);
  EXPECT_EQ(c.delay_ms, 1500);
  EXPECT_EQ(c.max_crawl_delay_ms, 60000);
  EXPECT_EQ(c.revisit_interval_ms, 12LL * 3600 * 1000);
  EXPECT_EQ(c.connect_timeout_ms, 10000);
  EXPECT_EQ(c.total_timeout_ms, 120000);
  EXPECT_EQ(c.max_pages, 1234);
  EXPECT_EQ(c.max_depth, 7);
  EXPECT_EQ(c.max_url_length, 512);
  EXPECT_EQ(c.max_repeated_segments, 2);
  EXPECT_EQ(c.max_retries, 1);
  EXPECT_EQ(c.max_body_bytes, 512 * 1024);
  EXPECT_EQ(c.max_attachment_bytes, 1048576);
  EXPECT_FALSE(c.fetch_attachments);
  EXPECT_FALSE(c.fetch_images);
  EXPECT_FALSE(c.use_sitemaps);
  EXPECT_FALSE(c.verify_tls);
}

TEST_F(ConfigMerge, AnArticleKeyMustCaptureAndParameterNamesMustBeNames) {
  auto uncaptured = load("nokey", R"(
[crawl]
article_key = ['[?&]ID=\d+']
)");
  ASSERT_FALSE(uncaptured.ok());
  EXPECT_NE(uncaptured.error().find("captures nothing"), std::string::npos) << uncaptured.error();
  EXPECT_NE(uncaptured.error().find("nokey.toml:"), std::string::npos) << uncaptured.error();
  auto bad_name = load("badname", R"(
[crawl]
keep_query_params = ["sid=1"]
)");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.error().find("invalid query parameter name \"sid=1\""), std::string::npos)
      << bad_name.error();
}

TEST_F(ConfigMerge, LinesAreNormalisedLikePageText) {
  // NBSP runs, a zero-width space, a trailing space, and "Thống" typed decomposed (NFD).
  auto site = load("lines", "[extract]\nchrome_lines = [\"Tin\u00a0\u00a0 khác \", "
                            "\"Tho\u0302\u0301ng\u200b kê\"]\n");
  ASSERT_TRUE(site.ok()) << site.error();
  EXPECT_EQ(site->extract.chrome_lines, (std::vector<std::string>{"Tin khác", "Thống kê"}));
}

TEST_F(ConfigMerge, DigestFollowsEveryRuleOfPresetAndSite) {
  auto base = load("digest", "");
  ASSERT_TRUE(base.ok()) << base.error();
  auto again = load("digest", "");
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(base->extract.digest, again->extract.digest);

  // Crawl rules are not extraction rules: the digest stays.
  auto crawl_only = load("digest", "[crawl]\ndelay = \"5s\"\n");
  ASSERT_TRUE(crawl_only.ok()) << crawl_only.error();
  EXPECT_EQ(crawl_only->extract.digest, base->extract.digest);

  // The same line spelled with other white space normalises to the same rules.
  auto respelled = load("digest", "[extract]\nchrome_lines = [\"Đầu\u00a0 trang \"]\n");
  ASSERT_TRUE(respelled.ok()) << respelled.error();
  EXPECT_EQ(respelled->extract.digest, base->extract.digest);

  std::vector<std::string> digests = {base->extract.digest};
  for (const char* extra : {"[extract]\nbody = [\"main\"]\n",
                            "[extract]\nbody = [\".content\", \"article\"]\n",  // order matters
                            "[extract.append]\nstop_lines = [\"Tin liên quan\"]\n",
                            "[extract]\ngeneric_fallback = false\n",
                            "[extract]\nauthor_max_words = 7\n",
                            "[extract]\ndate_order = \"month-first\"\n",
                            "[extract]\nattachment_extensions = [\"pdf\"]\n"}) {
    auto site = load("digest", extra);
    ASSERT_TRUE(site.ok()) << site.error();
    EXPECT_FALSE(contains(digests, site->extract.digest)) << extra;
    digests.push_back(site->extract.digest);
  }

  // A change in the preset changes the digest of the site that uses it.
  std::string preset = kPreset;
  preset.replace(preset.find("author_max_words = 6"), 20, "author_max_words = 5");
  write_file(platforms() + "/family.toml", preset);
  auto changed = load("digest", "");
  ASSERT_TRUE(changed.ok()) << changed.error();
  EXPECT_NE(changed->extract.digest, base->extract.digest);
}

// ---------------------------------------------------------------------------------------------
// Bad files: each error names the file, line and column, and says what was expected.

TEST(ConfigErrors, SyntaxError) {
  std::string error = site_error("syntax-error.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/syntax-error.toml:3:", 0), 0u) << error;
  EXPECT_NE(error.find("TOML syntax error"), std::string::npos) << error;
}

TEST(ConfigErrors, UnknownTopLevelKeySuggestsTheClosest) {
  std::string error = site_error("unknown-key.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/unknown-key.toml:8:1: unknown key \"hots\"", 0), 0u)
      << error;
  EXPECT_NE(error.find("did you mean \"hosts\"?"), std::string::npos) << error;
  EXPECT_NE(error.find("; expected one of id, name, province, platform, hosts, start_urls, "
                       "contact_url, extract, crawl"),
            std::string::npos)
      << error;
}

TEST(ConfigErrors, UnknownExtractKeyInAPreset) {
  auto rules = load_platform(error_platforms(), "unknown-key");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.error().rfind(error_platforms() + "/unknown-key.toml:5:1: unknown key "
                                "\"boddy\" in [extract] (did you mean \"body\"?); expected one of "
                                "remove, body, title,",
                                0),
            0u)
      << rules.error();
}

TEST(ConfigErrors, PresetsHaveNoAppendTable) {
  auto rules = load_platform(error_platforms(), "append");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.error().rfind(error_platforms() + "/append.toml:4:", 0), 0u) << rules.error();
  EXPECT_NE(rules.error().find("unknown key \"append\""), std::string::npos) << rules.error();
}

TEST(ConfigErrors, WrongType) {
  EXPECT_EQ(site_error("wrong-type.toml"),
            error_sites() + "/wrong-type.toml:5:9: \"hosts\" is a string; expected an array of "
                            "strings");
}

TEST(ConfigErrors, OutOfRangeNumber) {
  EXPECT_EQ(site_error("out-of-range.toml"),
            error_sites() + "/out-of-range.toml:10:13: \"crawl.max_depth\" is 5000, out of range; "
                            "expected an integer from 0 to 1000");
}

TEST(ConfigErrors, MissingRequiredKeyPointsAtTheFileStart) {
  std::string error = site_error("missing-key.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/missing-key.toml:1:1: missing required key "
                        "\"province\"; expected",
                        0),
            0u)
      << error;
}

TEST(ConfigErrors, InvalidSelectorAtItsString) {
  std::string error = site_error("bad-selector.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/bad-selector.toml:10:16: invalid selector in "
                        "\"extract.title\": ",
                        0),
            0u)
      << error;
  EXPECT_NE(error.find("h1 >"), std::string::npos) << error;
}

TEST(ConfigErrors, InvalidSelectorInAPresetUsedByASite) {
  // The site's platform key, then the preset's own file and position.
  std::string error = site_error("broken-preset.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/broken-preset.toml:4:12: platform \"bad-selector\" is "
                        "invalid: " + error_platforms() + "/bad-selector.toml:5:20: invalid selector "
                        "in \"extract.body\"",
                        0),
            0u)
      << error;
}

TEST(ConfigErrors, InvalidRegex) {
  std::string error = site_error("bad-regex.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/bad-regex.toml:10:26: invalid regex in "
                        "\"crawl.exclude\": ",
                        0),
            0u)
      << error;
  auto rules = load_platform(error_platforms(), "bad-regex");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.error().rfind(error_platforms() + "/bad-regex.toml:5:20: invalid regex in "
                                "\"extract.chrome_patterns\": ",
                                0),
            0u)
      << rules.error();
}

TEST(ConfigErrors, UnknownPlatformListsThePresets) {
  EXPECT_EQ(site_error("unknown-platform.toml"),
            error_sites() + "/unknown-platform.toml:4:12: unknown platform \"wordpress\"; "
                            "expected one of append, bad-regex, bad-selector, basic, unknown-key, "
                            "wrong-name (the presets in " + error_platforms() + ")");
  auto rules = load_platform(shipped_platforms(), "../sites/bac-kan");
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.error().find("unknown platform \"../sites/bac-kan\"; expected one of aspnet, "
                               "generic, liferay, sharepoint, websphere"),
            std::string::npos)
      << rules.error();
}

TEST(ConfigErrors, IdMustEqualTheFileStem) {
  EXPECT_EQ(site_error("id-mismatch.toml"),
            error_sites() + "/id-mismatch.toml:1:6: id \"some-other-id\" differs from the file "
                            "name; expected id = \"id-mismatch\"");
  auto rules = load_platform(error_platforms(), "wrong-name");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.error(), error_platforms() + "/wrong-name.toml:1:8: name \"other-name\" differs "
                                               "from the file name; expected name = \"wrong-name\"");
}

TEST(ConfigErrors, BadDurationAndSize) {
  std::string duration = site_error("bad-duration.toml");
  EXPECT_EQ(duration.rfind(error_sites() + "/bad-duration.toml:10:9: \"crawl.delay\": invalid "
                           "duration unit in \"1 sec\"; expected a number and a unit",
                           0),
            0u)
      << duration;
  std::string size = site_error("bad-size.toml");
  EXPECT_EQ(size.rfind(error_sites() + "/bad-size.toml:10:18: \"crawl.max_body_bytes\": invalid "
                       "size unit in \"20 parsecs\"; expected",
                       0),
            0u)
      << size;
}

TEST(ConfigErrors, StartUrlMustBeAbsoluteAndOnTheSitesHosts) {
  std::string relative = site_error("relative-start-url.toml");
  EXPECT_EQ(relative.rfind(error_sites() + "/relative-start-url.toml:6:48: invalid URL in "
                           "\"start_urls\"",
                           0),
            0u)
      << relative;
  EXPECT_NE(relative.find("expected an absolute http(s) URL"), std::string::npos) << relative;
  EXPECT_EQ(site_error("foreign-start-url.toml"),
            error_sites() + "/foreign-start-url.toml:6:15: host \"www.example.gov.vn\" of "
                            "\"https://www.example.gov.vn/\" in \"start_urls\" is not in hosts; "
                            "expected a URL on one of the site's hosts: stttt.example.gov.vn");
  std::string listing = site_error("listing-off-site.toml");
  EXPECT_EQ(listing.rfind(error_sites() + "/listing-off-site.toml:10:17: host "
                          "\"elsewhere.example.com\"",
                          0),
            0u)
      << listing;
}

TEST(ConfigErrors, HostsAreBareAuthorities) {
  EXPECT_EQ(site_error("bad-host.toml"),
            error_sites() + "/bad-host.toml:5:10: invalid host \"https://stttt.example.gov.vn/\" "
                            "in \"hosts\"; expected a lowercase host name with an optional "
                            "\":port\", without scheme or path");
}

TEST(ConfigErrors, OnlyListsCanBeAppended) {
  std::string error = site_error("bad-append-key.toml");
  EXPECT_EQ(error.rfind(error_sites() + "/bad-append-key.toml:10:1: unknown key \"date_order\" "
                        "in [extract.append] (lists only); expected one of remove, body,",
                        0),
            0u)
      << error;
}

TEST(ConfigErrors, EnumeratedValuesAndExtensions) {
  EXPECT_EQ(site_error("bad-date-order.toml"),
            error_sites() + "/bad-date-order.toml:10:14: \"extract.date_order\" is "
                            "\"year-first\"; expected \"day-first\" or \"month-first\"");
  std::string extension = site_error("bad-extension.toml");
  EXPECT_EQ(extension.rfind(error_sites() + "/bad-extension.toml:10:33: invalid extension "
                            "\".docx\"",
                            0),
            0u)
      << extension;
}

TEST(ConfigErrors, UnreadableFileIsNamed) {
  auto site = load_site(error_sites() + "/no-such-file.toml", error_platforms());
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.error().rfind(error_sites() + "/no-such-file.toml: cannot read", 0), 0u)
      << site.error();
}

// ---------------------------------------------------------------------------------------------
// Hostile files end in an error, never a crash or a hang.

TEST(ConfigHostile, DeepNestingIsASyntaxError) {
  std::string dir = testing::temp_dir();
  std::string path = dir + "/deep.toml";
  write_file(path, "id = " + std::string(100000, '[') + std::string(100000, ']') + "\n");
  auto site = load_site(path, shipped_platforms());
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.error().rfind(path + ":1:", 0), 0u) << site.error().substr(0, 300);
}

TEST(ConfigHostile, OversizedBinaryAndEmptyFiles) {
  std::string dir = testing::temp_dir();
  write_file(dir + "/big.toml", "# " + std::string(2 << 20, 'x') + "\n");
  auto big = load_site(dir + "/big.toml", shipped_platforms());
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().find("expected at most 1MiB"), std::string::npos) << big.error();

  write_file(dir + "/binary.toml", std::string("id = \"\xff\xfe\0\x01\"\n", 11));
  auto binary = load_site(dir + "/binary.toml", shipped_platforms());
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.error().rfind(dir + "/binary.toml:1:", 0), 0u) << binary.error();

  write_file(dir + "/empty.toml", "");
  auto empty = load_site(dir + "/empty.toml", shipped_platforms());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().rfind(dir + "/empty.toml:1:1: missing required key \"id\"", 0), 0u)
      << empty.error();
}

// ---------------------------------------------------------------------------------------------
// The registry.

TEST(ConfigRegistry, LoadAllSitesFailsOnTheFirstBadFile) {
  std::string dir = testing::temp_dir();
  write_file(dir + "/platforms/family.toml", kPreset);
  write_file(dir + "/sites/b-site.toml", site_toml("b-site", "family"));
  write_file(dir + "/sites/a.toml", site_toml("a", "family"));
  write_file(dir + "/sites/a-b.toml", site_toml("a-b", "family"));
  write_file(dir + "/sites/notes.txt", "not a site");
  auto sites = load_all_sites(dir + "/sites", dir + "/platforms");
  ASSERT_TRUE(sites.ok()) << sites.error();
  std::vector<std::string> ids;
  for (const SiteConfig& site : *sites) ids.push_back(site.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "a-b", "b-site"}));

  write_file(dir + "/sites/c.toml", site_toml("c", "family", "[crawl]\ndelay = 5\n"));
  auto broken = load_all_sites(dir + "/sites", dir + "/platforms");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().rfind(dir + "/sites/c.toml:9:9: \"crawl.delay\" is an integer", 0), 0u)
      << broken.error();
}

TEST(ConfigRegistry, MissingSitesDirectoryFails) {
  auto sites = load_all_sites("/nonexistent/provarc/sites", shipped_platforms());
  ASSERT_FALSE(sites.ok());
  EXPECT_NE(sites.error().find("/nonexistent/provarc/sites: not a directory"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// docs/config.md: its examples load, so the documentation stays true.

// The ```toml blocks of docs/config.md whose first line is "# platforms/<name>.toml" or
// "# sites/<id>.toml", written under `dir` at that path.
int write_doc_examples(const std::string& dir) {
  std::istringstream doc(testing::read_file(source_dir() + "/docs/config.md"));
  std::string line, block, target;
  bool in_block = false;
  int written = 0;
  while (std::getline(doc, line)) {
    if (!in_block && line == "```toml") {
      in_block = true;
      block.clear();
      target.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      if (!target.empty()) {
        write_file(dir + "/" + target, block);
        ++written;
      }
    } else if (in_block) {
      if (block.empty() && line.rfind("# platforms/", 0) == 0) target = line.substr(2);
      if (block.empty() && line.rfind("# sites/", 0) == 0) target = line.substr(2);
      block += line + "\n";
    }
  }
  return written;
}

TEST(ConfigDocs, FullExamplesLoad) {
  std::string dir = testing::temp_dir();
  ASSERT_EQ(write_doc_examples(dir), 2);
  auto sites = load_all_sites(dir + "/sites", dir + "/platforms");
  ASSERT_TRUE(sites.ok()) << sites.error();
  ASSERT_EQ(sites->size(), 1u);
  const SiteConfig& site = (*sites)[0];
  EXPECT_FALSE(site.extract.body.empty());
  EXPECT_FALSE(site.crawl.exclude.empty());
  EXPECT_FALSE(site.crawl.listing_urls.empty());
}

}  // namespace
}  // namespace provarc
