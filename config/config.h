// config/config.h: site configs (config/sites/<id>.toml) and platform presets
// (config/platforms/<name>.toml), loaded with toml++ and validated with file:line:column errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "html/extract_rules.h"
#include "html/pattern.h"

namespace provarc {

// How one site is crawled (issue: the polite crawler). Durations are in milliseconds.
struct CrawlRules {
  std::vector<std::string> listing_urls;       // category/listing pages revisited each run
  std::vector<Pattern> article_url_patterns;   // a URL matching any is an article page
  std::vector<Pattern> listing_url_patterns;   // pagination of listings (followed)
  std::vector<Pattern> include;                // in scope only if matching any (empty: all)
  std::vector<Pattern> exclude;                // never fetched when matching any
  // Where each of the four pattern lists' patterns was configured: source text ->
  // "<file>:<line>:<column>" (the site file or its platform preset), for warnings.
  std::map<std::string, std::string> pattern_origins;
  std::vector<std::string> strip_query_params; // removed when canonicalising (session ids, ...)
  // Never removed when canonicalising: wins over strip_query_params, the built-in session names
  // and the parameters a crawl learned as sessions (crawler/identity.h).
  std::vector<std::string> keep_query_params;
  // An article's identity: the first pattern that matches an article URL gives it, its capture
  // groups joined (the family's content key: a WCM content path, a Liferay urlTitle, an ASP.NET
  // ID=). URLs with one key are one article, whatever else they carry (print=1, navigation state).
  std::vector<Pattern> article_key;
  // The server reads paths and parameter names without regard to case (IIS): URLs that differ
  // only so are one resource.
  bool case_insensitive_paths = false;
  // Learn session parameters from the pages (crawler/session_params.h); false: only the built-in
  // names and strip_query_params.
  bool learn_session_params = true;
  int64_t delay_ms = 1000;                     // minimum gap between request starts to a host
  int64_t max_crawl_delay_ms = 30000;          // cap on robots.txt Crawl-delay
  int64_t revisit_interval_ms = 7LL * 24 * 3600 * 1000;  // revalidate known articles after this
  int64_t max_pages = 100000;                  // page budget per run
  int max_depth = 20;
  int max_url_length = 2048;
  int max_repeated_segments = 3;
  int64_t max_body_bytes = 20LL * 1024 * 1024;        // pages (also bounds decompressed bytes)
  int64_t max_attachment_bytes = 50LL * 1024 * 1024;  // images and attachments
  bool fetch_attachments = true;
  bool fetch_images = true;
  bool use_sitemaps = true;
  bool verify_tls = true;                      // false logs a warning at every run
  int64_t connect_timeout_ms = 15000;
  int64_t total_timeout_ms = 120000;
  int max_retries = 4;
};

struct SiteConfig {
  std::string id;        // file stem, [a-z0-9-]+
  std::string name;      // "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"
  std::string province;  // "Bắc Kạn"
  std::string platform;  // preset name
  std::vector<std::string> hosts;       // authorities in scope ("host" or "host:port")
  std::vector<std::string> start_urls;  // absolute
  std::string contact_url;              // for the User-Agent "provarc/<v> (+<contact_url>)"
  ExtractRules extract;                 // preset merged with the site's overrides
  CrawlRules crawl;
  std::string source_path;              // the file it was loaded from
};

// True for a valid site id or preset name: 1 to 64 of a-z, 0-9 and "-" (the file's stem).
bool is_config_name(std::string_view name);

// Loads the platform preset `name` from `platforms_dir/<name>.toml`.
Result<ExtractRules> load_platform(const std::string& platforms_dir, const std::string& name);

// Loads one site file; its `platform` preset is read from `platforms_dir`. Errors are
// "<file>:<line>:<column>: <what is wrong>; expected <what>" (unknown keys, wrong types, invalid
// selectors or regexes, missing required keys, unknown platform).
Result<SiteConfig> load_site(const std::string& path, const std::string& platforms_dir);

// Loads every `*.toml` in `sites_dir`, sorted by id. Fails on the first bad file, or when two files
// claim the same id.
Result<std::vector<SiteConfig>> load_all_sites(const std::string& sites_dir,
                                               const std::string& platforms_dir);

// The config directory used when --config is not given: $PROVARC_CONFIG, else ./config when it
// holds sites/, else the directory installed beside the binary (<exe>/../share/provarc/config),
// else the source tree's config/ (PROVARC_SOURCE_CONFIG_DIR, set at build time).
std::string default_config_dir();

}  // namespace provarc
