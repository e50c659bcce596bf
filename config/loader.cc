// Loading platform presets and site configs: every value is checked where it stands in its file,
// then the site's overrides are merged over the preset. See docs/config.md for the schema.
#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "common/ascii.h"
#include "common/url.h"
#include "config/config.h"
#include "config/toml_file.h"
#include "html/text.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kMinuteMs = 60 * kSecondMs;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

// Replace: a key given in a later file replaces the earlier value. Append: list values are added
// after the earlier ones (the [extract.append] and [crawl.append] tables).
enum class Merge { kReplace, kAppend };

template <typename T>
void merge_list(std::vector<T>& into, std::vector<T> values, Merge merge) {
  if (merge == Merge::kReplace) into.clear();
  for (T& value : values) into.push_back(std::move(value));
}

std::string file_stem(const std::string& path) { return fs::path(path).stem().string(); }

// ---------------------------------------------------------------------------------------------
// Typed lists: selectors, patterns, lines and extensions, each checked where it stands.

Result<std::vector<Selector>> read_selectors(const TomlFile& file, const toml::node& node,
                                             const std::string& name) {
  auto values = read_string_array(file, node, name);
  if (!values.ok()) return values.failure();
  std::vector<Selector> selectors;
  for (const StringValue& value : *values) {
    Result<Selector> selector = Selector::parse(value.text);
    if (!selector.ok()) {
      return file.error(value.where, "invalid selector in " + in_quotes(name) + ": " + selector.error(),
                        "a CSS selector of the subset in html/selector.h");
    }
    selectors.push_back(std::move(*selector));
  }
  return selectors;
}

Result<std::vector<Pattern>> read_patterns(const TomlFile& file, const toml::node& node,
                                           const std::string& name) {
  auto values = read_string_array(file, node, name);
  if (!values.ok()) return values.failure();
  std::vector<Pattern> patterns;
  for (const StringValue& value : *values) {
    Result<Pattern> pattern = Pattern::compile(value.text);
    if (!pattern.ok()) {
      return file.error(value.where, "invalid regex in " + in_quotes(name) + ": " + pattern.error(),
                        "an ICU regular expression");
    }
    patterns.push_back(std::move(*pattern));
  }
  return patterns;
}

// Lines are compared with page text after the same normalisation, so normalise them here.
Result<std::vector<std::string>> read_lines(const TomlFile& file, const toml::node& node,
                                            const std::string& name) {
  auto values = read_string_array(file, node, name);
  if (!values.ok()) return values.failure();
  std::vector<std::string> lines;
  for (const StringValue& value : *values) {
    std::string line = collapse_whitespace(to_nfc(value.text));
    if (line.empty()) {
      return file.error(value.where, "blank line in " + in_quotes(name), "a line with visible text");
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

Result<std::vector<std::string>> read_extensions(const TomlFile& file, const toml::node& node,
                                                 const std::string& name) {
  auto values = read_string_array(file, node, name);
  if (!values.ok()) return values.failure();
  std::vector<std::string> extensions;
  for (const StringValue& value : *values) {
    bool valid = value.text.size() <= 16 &&
                 std::all_of(value.text.begin(), value.text.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                 });
    if (!valid) {
      return file.error(value.where, "invalid extension " + in_quotes(value.text) + " in " + in_quotes(name),
                        "lowercase letters and digits without a dot, such as \"pdf\"");
    }
    extensions.push_back(value.text);
  }
  return extensions;
}

// ---------------------------------------------------------------------------------------------
// [extract]: the rules of ExtractRules, as html/extract_rules.h's kExtractRules names them.

// The keys [extract] may hold (`lists_only`: those [extract.append] may hold), in the table's order.
std::vector<std::string_view> extract_keys(bool lists_only) {
  std::vector<std::string_view> keys;
  for (const RuleField& field : kExtractRules) {
    if (!lists_only || field.is_list()) keys.push_back(field.key);
  }
  return keys;
}

Status read_date_order(const TomlFile& file, const toml::node& node, const std::string& name,
                       DateOrder& order) {
  auto text = read_string(file, node, name);
  if (!text.ok()) return text.failure();
  if (*text == "day-first") {
    order = DateOrder::kDayFirst;
  } else if (*text == "month-first") {
    order = DateOrder::kMonthFirst;
  } else {
    return file.error(node.source(), in_quotes(name) + " is " + in_quotes(*text),
                      "\"day-first\" or \"month-first\"");
  }
  return Status::Ok();
}

// Reads the value of the rule `field` at `node` into `rules`; a list replaces the earlier value or
// (`merge` kAppend: [extract.append]) is added after it.
Status apply_extract_rule(const TomlFile& file, const RuleField& field, const toml::node& node,
                          const std::string& name, Merge merge, ExtractRules& rules) {
  switch (field.kind) {
    case RuleKind::kFieldElements:
    case RuleKind::kChromeElements:
    case RuleKind::kBodyElements: {
      auto selectors = read_selectors(file, node, name);
      if (!selectors.ok()) return selectors.failure();
      merge_list(rules.*field.selectors, std::move(*selectors), merge);
      return Status::Ok();
    }
    case RuleKind::kPatterns: {
      auto patterns = read_patterns(file, node, name);
      if (!patterns.ok()) return patterns.failure();
      merge_list(rules.*field.patterns, std::move(*patterns), merge);
      return Status::Ok();
    }
    case RuleKind::kLines:
    case RuleKind::kExtensions: {
      auto strings = field.kind == RuleKind::kLines ? read_lines(file, node, name)
                                                    : read_extensions(file, node, name);
      if (!strings.ok()) return strings.failure();
      merge_list(rules.*field.strings, std::move(*strings), merge);
      return Status::Ok();
    }
    case RuleKind::kDateOrder:
      return read_date_order(file, node, name, rules.*field.date_order);
    case RuleKind::kFlag: {
      auto flag = read_bool(file, node, name);
      if (!flag.ok()) return flag.failure();
      rules.*field.flag = *flag;
      return Status::Ok();
    }
    case RuleKind::kCount: {
      auto count = read_integer(file, node, name, field.min, field.max);
      if (!count.ok()) return count.failure();
      rules.*field.count = static_cast<int>(*count);  // within [min, max], so it fits
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// Applies an [extract] table over `rules`: its keys replace, then (when `allow_append`, for a site)
// the lists of its [extract.append] subtable are appended.
Status apply_extract_table(const TomlFile& file, const toml::table& table, bool allow_append,
                           ExtractRules& rules) {
  for (const auto& [key, node] : table) {
    if (allow_append && key.str() == "append") continue;  // after every replacement
    const RuleField* field = find_rule(key.str());
    if (field == nullptr) {
      std::vector<std::string_view> valid = extract_keys(/*lists_only=*/false);
      if (allow_append) valid.push_back("append");
      return unknown_key(file, key, "[extract]", valid);
    }
    const std::string name = "extract." + std::string(key.str());
    Status applied = apply_extract_rule(file, *field, node, name, Merge::kReplace, rules);
    if (!applied.ok()) return applied;
  }
  const toml::node* append_node = allow_append ? table.get("append") : nullptr;
  if (append_node == nullptr) return Status::Ok();
  auto append = read_table(file, *append_node, "extract.append");
  if (!append.ok()) return append.failure();
  for (const auto& [key, node] : **append) {
    const RuleField* field = find_rule(key.str());
    if (field == nullptr || !field->is_list()) {
      return unknown_key(file, key, "[extract.append] (lists only)",
                         extract_keys(/*lists_only=*/true));
    }
    const std::string name = "extract.append." + std::string(key.str());
    Status applied = apply_extract_rule(file, *field, node, name, Merge::kAppend, rules);
    if (!applied.ok()) return applied;
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// [crawl]: the keys of CrawlRules, described by tables so that the valid keys are listed once.

struct DurationField {
  std::string_view key;
  int64_t CrawlRules::*member;
  int64_t min_ms;
  int64_t max_ms;
};
constexpr DurationField kDurationFields[] = {
    {"delay", &CrawlRules::delay_ms, 0, kHourMs},
    {"max_crawl_delay", &CrawlRules::max_crawl_delay_ms, 0, kDayMs},
    {"revisit_interval", &CrawlRules::revisit_interval_ms, kMinuteMs, 3650 * kDayMs},
    {"connect_timeout", &CrawlRules::connect_timeout_ms, 100, 10 * kMinuteMs},
    {"total_timeout", &CrawlRules::total_timeout_ms, kSecondMs, kDayMs},
};

struct SizeField {
  std::string_view key;
  int64_t CrawlRules::*member;
  int64_t min;
  int64_t max;
};
constexpr SizeField kSizeFields[] = {
    {"max_body_bytes", &CrawlRules::max_body_bytes, 1LL << 10, 1LL << 30},
    {"max_attachment_bytes", &CrawlRules::max_attachment_bytes, 1LL << 10, 4LL << 30},
};

// max_pages is 64-bit; the other counts are int.
struct CountField {
  std::string_view key;
  int64_t CrawlRules::*member;
  int64_t min;
  int64_t max;
};
constexpr CountField kCountFields[] = {
    {"max_pages", &CrawlRules::max_pages, 1, 1'000'000'000},
};

struct IntField {
  std::string_view key;
  int CrawlRules::*member;
  int min;
  int max;
};
constexpr IntField kIntFields[] = {
    {"max_depth", &CrawlRules::max_depth, 0, 1000},
    {"max_url_length", &CrawlRules::max_url_length, 64, 65536},
    {"max_repeated_segments", &CrawlRules::max_repeated_segments, 1, 100},
    {"max_retries", &CrawlRules::max_retries, 0, 20},
};

struct BoolField {
  std::string_view key;
  bool CrawlRules::*member;
};
constexpr BoolField kBoolFields[] = {
    {"fetch_attachments", &CrawlRules::fetch_attachments},
    {"fetch_images", &CrawlRules::fetch_images},
    {"use_sitemaps", &CrawlRules::use_sitemaps},
    {"verify_tls", &CrawlRules::verify_tls},
    {"case_insensitive_paths", &CrawlRules::case_insensitive_paths},
    {"learn_session_params", &CrawlRules::learn_session_params},
};

std::vector<Pattern>* crawl_pattern_field(CrawlRules& rules, std::string_view key) {
  if (key == "article_url_patterns") return &rules.article_url_patterns;
  if (key == "listing_url_patterns") return &rules.listing_url_patterns;
  if (key == "include") return &rules.include;
  if (key == "exclude") return &rules.exclude;
  return nullptr;
}

// Query parameter names (compared without case): non-empty, without '=', '&', '?', '#' or spaces.
Result<std::vector<std::string>> read_param_names(const TomlFile& file, const toml::node& node,
                                                  const std::string& name) {
  auto values = read_string_array(file, node, name);
  if (!values.ok()) return values.failure();
  std::vector<std::string> params;
  for (StringValue& value : *values) {
    bool valid = !value.text.empty() && value.text.size() <= 128 &&
                 value.text.find_first_of("=&?# \t\r\n") == std::string::npos;
    if (!valid) {
      return file.error(value.where,
                        "invalid query parameter name " + in_quotes(value.text) + " in " +
                            in_quotes(name),
                        "a parameter name such as \"sid\" (no '=', '&', '?', '#' or spaces)");
    }
    params.push_back(std::move(value.text));
  }
  return params;
}

// article_key patterns: each must capture the identity in at least one group.
Result<std::vector<Pattern>> read_key_patterns(const TomlFile& file, const toml::node& node,
                                               const std::string& name) {
  auto patterns = read_patterns(file, node, name);
  if (!patterns.ok()) return patterns.failure();
  auto values = read_string_array(file, node, name);  // for the positions; already checked
  for (size_t i = 0; i < patterns->size(); ++i) {
    if ((*patterns)[i].group_count() == 0) {
      return file.error((*values)[i].where,
                        "pattern " + in_quotes((*patterns)[i].source()) + " in " + in_quotes(name) +
                            " captures nothing",
                        "a pattern whose capture group is the article's identity, such as "
                        "'[?&]ID=(\\d+)'");
    }
  }
  return patterns;
}

// listing_urls name hosts, so only a site's [crawl] may hold them.
std::vector<std::string_view> crawl_list_keys(bool for_site) {
  std::vector<std::string_view> keys = {"article_url_patterns", "listing_url_patterns", "include",
                                        "exclude", "strip_query_params", "keep_query_params",
                                        "article_key"};
  if (for_site) keys.insert(keys.begin(), "listing_urls");
  return keys;
}

std::vector<std::string_view> crawl_keys(bool for_site) {
  std::vector<std::string_view> keys = crawl_list_keys(for_site);
  for (const auto& field : kDurationFields) keys.push_back(field.key);
  for (const auto& field : kCountFields) keys.push_back(field.key);
  for (const auto& field : kIntFields) keys.push_back(field.key);
  for (const auto& field : kSizeFields) keys.push_back(field.key);
  for (const auto& field : kBoolFields) keys.push_back(field.key);
  if (for_site) keys.push_back("append");
  return keys;
}

// An absolute http(s) URL whose authority is one of `hosts`; fails at `where` otherwise.
Status check_url_in_hosts(const TomlFile& file, const StringValue& url, const std::string& name,
                          const std::vector<std::string>& hosts) {
  Result<std::string> authority = url_authority(url.text);
  if (!authority.ok()) {
    return file.error(url.where, "invalid URL in " + in_quotes(name) + ": " + authority.error(),
                      "an absolute http(s) URL such as \"https://" +
                          (hosts.empty() ? std::string("host") : hosts[0]) + "/\"");
  }
  if (std::find(hosts.begin(), hosts.end(), *authority) == hosts.end()) {
    return file.error(url.where,
                      "host " + in_quotes(*authority) + " of " + in_quotes(url.text) + " in " +
                          in_quotes(name) + " is not in hosts",
                      "a URL on one of the site's hosts: " + join(hosts));
  }
  return Status::Ok();
}

// Applies one list key of [crawl] or [crawl.append]; false when `key` is not a list key.
// `hosts` is null for a platform file.
Result<bool> apply_crawl_list(const TomlFile& file, std::string_view key, const toml::node& node,
                              const std::string& name, Merge merge,
                              const std::vector<std::string>* hosts, CrawlRules& rules) {
  if (std::vector<Pattern>* field = crawl_pattern_field(rules, key)) {
    auto patterns = read_patterns(file, node, name);
    if (!patterns.ok()) return patterns.failure();
    auto values = read_string_array(file, node, name);
    if (values.ok()) {
      for (const StringValue& value : *values) {
        rules.pattern_origins[value.text] = file.path() + ":" +
                                            std::to_string(value.where.begin.line) + ":" +
                                            std::to_string(value.where.begin.column);
      }
    }
    merge_list(*field, std::move(*patterns), merge);
  } else if (key == "strip_query_params" || key == "keep_query_params") {
    auto params = read_param_names(file, node, name);
    if (!params.ok()) return params.failure();
    merge_list(key == "strip_query_params" ? rules.strip_query_params : rules.keep_query_params,
               std::move(*params), merge);
  } else if (key == "article_key") {
    auto patterns = read_key_patterns(file, node, name);
    if (!patterns.ok()) return patterns.failure();
    merge_list(rules.article_key, std::move(*patterns), merge);
  } else if (key == "listing_urls" && hosts != nullptr) {
    auto values = read_string_array(file, node, name);
    if (!values.ok()) return values.failure();
    std::vector<std::string> urls;
    for (StringValue& value : *values) {
      Status in_scope = check_url_in_hosts(file, value, name, *hosts);
      if (!in_scope.ok()) return in_scope.failure();
      urls.push_back(std::move(value.text));
    }
    merge_list(rules.listing_urls, std::move(urls), merge);
  } else {
    return false;
  }
  return true;
}

// Applies one scalar key of [crawl]; false when `key` is not a scalar key.
Result<bool> apply_crawl_scalar(const TomlFile& file, std::string_view key, const toml::node& node,
                                const std::string& name, CrawlRules& rules) {
  for (const DurationField& field : kDurationFields) {
    if (field.key != key) continue;
    auto ms = read_duration_ms(file, node, name, field.min_ms, field.max_ms);
    if (!ms.ok()) return ms.failure();
    rules.*field.member = *ms;
    return true;
  }
  for (const SizeField& field : kSizeFields) {
    if (field.key != key) continue;
    auto bytes = read_size_bytes(file, node, name, field.min, field.max);
    if (!bytes.ok()) return bytes.failure();
    rules.*field.member = *bytes;
    return true;
  }
  for (const CountField& field : kCountFields) {
    if (field.key != key) continue;
    auto value = read_integer(file, node, name, field.min, field.max);
    if (!value.ok()) return value.failure();
    rules.*field.member = *value;
    return true;
  }
  for (const IntField& field : kIntFields) {
    if (field.key != key) continue;
    auto value = read_integer(file, node, name, field.min, field.max);
    if (!value.ok()) return value.failure();
    rules.*field.member = static_cast<int>(*value);  // within [min, max], so it fits
    return true;
  }
  for (const BoolField& field : kBoolFields) {
    if (field.key != key) continue;
    auto flag = read_bool(file, node, name);
    if (!flag.ok()) return flag.failure();
    rules.*field.member = *flag;
    return true;
  }
  return false;
}

// Applies a [crawl] table over `rules`: its keys replace, then for a site (`hosts` not null) the
// lists of its [crawl.append] subtable are appended.
Status apply_crawl_table(const TomlFile& file, const toml::table& table,
                         const std::vector<std::string>* hosts, CrawlRules& rules) {
  const bool for_site = hosts != nullptr;
  for (const auto& [key, node] : table) {
    if (for_site && key.str() == "append") continue;  // after every replacement
    const std::string name = "crawl." + std::string(key.str());
    Result<bool> applied =
        apply_crawl_list(file, key.str(), node, name, Merge::kReplace, hosts, rules);
    if (applied.ok() && !*applied) applied = apply_crawl_scalar(file, key.str(), node, name, rules);
    if (!applied.ok()) return applied.failure();
    if (!*applied) return unknown_key(file, key, "[crawl]", crawl_keys(for_site));
  }
  const toml::node* append_node = for_site ? table.get("append") : nullptr;
  if (append_node == nullptr) return Status::Ok();
  auto append = read_table(file, *append_node, "crawl.append");
  if (!append.ok()) return append.failure();
  for (const auto& [key, node] : **append) {
    const std::string name = "crawl.append." + std::string(key.str());
    Result<bool> applied =
        apply_crawl_list(file, key.str(), node, name, Merge::kAppend, hosts, rules);
    if (!applied.ok()) return applied.failure();
    if (!*applied) return unknown_key(file, key, "[crawl.append] (lists only)", crawl_list_keys(true));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Platform presets.

struct Preset {
  ExtractRules extract;
  CrawlRules crawl;  // CrawlRules' defaults with the preset's [crawl] applied
};

// Stems of the *.toml files in `dir`, sorted; empty when the directory cannot be read.
// Every entry named *.toml, whatever it is: one that is not a readable regular file (a dangling
// or looping link, a FIFO, a device) is then reported by name when it is read, never skipped.
std::vector<std::string> toml_stems(const std::string& dir) {
  std::vector<std::string> stems;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".toml") stems.push_back(it->path().stem().string());
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

bool platform_exists(const std::string& platforms_dir, const std::string& name) {
  std::error_code ec;
  return is_config_name(name) &&
         fs::is_regular_file(fs::path(platforms_dir) / (name + ".toml"), ec);
}

std::string available_platforms(const std::string& platforms_dir) {
  std::vector<std::string> stems = toml_stems(platforms_dir);
  if (stems.empty()) return "a preset in " + platforms_dir + " (none found)";
  return "one of " + join(stems) + " (the presets in " + platforms_dir + ")";
}

// Reads a required, non-empty string key of a file's root table.
Result<StringValue> required_string(const TomlFile& file, std::string_view key,
                                    std::string_view expected) {
  auto node = require_key(file, file.root(), key, expected);
  if (!node.ok()) return node.failure();
  auto text = read_string(file, **node, key);
  if (!text.ok()) return text.failure();
  if (text->empty()) return file.error((*node)->source(), in_quotes(key) + " is empty", expected);
  return StringValue{std::move(*text), (*node)->source()};
}

Result<Preset> read_preset(const std::string& path) {
  auto file = TomlFile::open(path);
  if (!file.ok()) return file.failure();
  Status keys = check_keys(*file, file->root(), "the platform file",
                           {"name", "description", "extract", "crawl"});
  if (!keys.ok()) return keys.failure();
  const std::string stem = file_stem(path);
  auto name = required_string(*file, "name", "name = \"" + stem + "\" (the file name)");
  if (!name.ok()) return name.failure();
  if (name->text != stem) {
    return file->error(name->where, "name " + in_quotes(name->text) + " differs from the file name",
                       "name = \"" + stem + "\"");
  }
  auto description = required_string(*file, "description", "description = \"<one line>\"");
  if (!description.ok()) return description.failure();

  Preset preset;
  preset.extract.platform = stem;
  if (const toml::node* node = file->root().get("extract")) {
    auto table = read_table(*file, *node, "extract");
    if (!table.ok()) return table.failure();
    Status applied = apply_extract_table(*file, **table, /*allow_append=*/false, preset.extract);
    if (!applied.ok()) return applied.failure();
  }
  if (const toml::node* node = file->root().get("crawl")) {
    auto table = read_table(*file, *node, "crawl");
    if (!table.ok()) return table.failure();
    Status applied = apply_crawl_table(*file, **table, /*hosts=*/nullptr, preset.crawl);
    if (!applied.ok()) return applied.failure();
  }
  return preset;
}

// ---------------------------------------------------------------------------------------------
// Site files.

Result<std::vector<std::string>> read_hosts(const TomlFile& file) {
  constexpr std::string_view kExpected = "hosts = [\"<host or host:port>\", ...]";
  auto node = require_key(file, file.root(), "hosts", kExpected);
  if (!node.ok()) return node.failure();
  auto values = read_string_array(file, **node, "hosts");
  if (!values.ok()) return values.failure();
  if (values->empty()) return file.error((*node)->source(), "\"hosts\" is empty", "at least one host");
  std::vector<std::string> hosts;
  for (StringValue& value : *values) {
    // A host is valid when curl reads it back unchanged as the authority of http://<host>/.
    Result<std::string> authority = url_authority("http://" + value.text + "/");
    if (!authority.ok() || *authority != value.text) {
      return file.error(value.where, "invalid host " + in_quotes(value.text) + " in \"hosts\"",
                        "a lowercase host name with an optional \":port\", without scheme or path");
    }
    hosts.push_back(std::move(value.text));
  }
  return hosts;
}

Result<std::vector<std::string>> read_start_urls(const TomlFile& file,
                                                 const std::vector<std::string>& hosts) {
  constexpr std::string_view kExpected = "start_urls = [\"https://<host>/\", ...]";
  auto node = require_key(file, file.root(), "start_urls", kExpected);
  if (!node.ok()) return node.failure();
  auto values = read_string_array(file, **node, "start_urls");
  if (!values.ok()) return values.failure();
  if (values->empty()) return file.error((*node)->source(), "\"start_urls\" is empty", kExpected);
  std::vector<std::string> urls;
  for (StringValue& value : *values) {
    Status in_scope = check_url_in_hosts(file, value, "start_urls", hosts);
    if (!in_scope.ok()) return in_scope.failure();
    urls.push_back(std::move(value.text));
  }
  return urls;
}

// The site's identity: id, name, province, contact_url. Fails on the first bad key.
Status read_identity(const TomlFile& file, SiteConfig& site) {
  const std::string stem = file_stem(file.path());
  auto id = required_string(file, "id", "id = \"" + stem + "\" (the file name)");
  if (!id.ok()) return id.failure();
  if (!is_config_name(id->text)) {
    return file.error(id->where, "invalid id " + in_quotes(id->text),
                      "1 to 64 of the characters a-z, 0-9 and \"-\"");
  }
  if (id->text != stem) {
    return file.error(id->where, "id " + in_quotes(id->text) + " differs from the file name",
                      "id = \"" + stem + "\"");
  }
  site.id = id->text;
  auto name = required_string(file, "name", "name = \"<the department's full name>\"");
  if (!name.ok()) return name.failure();
  site.name = name->text;
  auto province = required_string(file, "province", "province = \"<province name>\"");
  if (!province.ok()) return province.failure();
  site.province = province->text;
  auto contact = required_string(file, "contact_url", "contact_url = \"https://<your contact page>\"");
  if (!contact.ok()) return contact.failure();
  Result<UrlParts> parts = parse_url(contact->text);
  if (!parts.ok()) {
    return file.error(contact->where, "invalid \"contact_url\": " + parts.error(),
                      "an absolute http(s) URL where site operators can reach you");
  }
  site.contact_url = contact->text;
  return Status::Ok();
}

}  // namespace

bool is_config_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || ascii::is_digit(c) || c == '-';
         });
}

Result<ExtractRules> load_platform(const std::string& platforms_dir, const std::string& name) {
  if (!platform_exists(platforms_dir, name)) {
    return fail("unknown platform " + in_quotes(name) + "; expected " +
                available_platforms(platforms_dir));
  }
  auto preset = read_preset((fs::path(platforms_dir) / (name + ".toml")).string());
  if (!preset.ok()) return preset.failure();
  preset->extract.digest = rules_digest(preset->extract);
  return std::move(preset->extract);
}

Result<SiteConfig> load_site(const std::string& path, const std::string& platforms_dir) {
  auto file = TomlFile::open(path);
  if (!file.ok()) return file.failure();
  Status keys = check_keys(*file, file->root(), "the site file",
                           {"id", "name", "province", "platform", "hosts", "start_urls",
                            "contact_url", "extract", "crawl"});
  if (!keys.ok()) return keys.failure();

  SiteConfig site;
  site.source_path = path;
  Status identity = read_identity(*file, site);
  if (!identity.ok()) return identity.failure();

  auto platform = required_string(*file, "platform", "platform = \"<a preset name>\"");
  if (!platform.ok()) return platform.failure();
  if (!platform_exists(platforms_dir, platform->text)) {
    return file->error(platform->where, "unknown platform " + in_quotes(platform->text),
                       available_platforms(platforms_dir));
  }
  // A broken preset's error names its own file and position; the prefix says which site used it.
  auto preset = read_preset((fs::path(platforms_dir) / (platform->text + ".toml")).string());
  if (!preset.ok()) {
    return file->error(platform->where, "platform " + in_quotes(platform->text) + " is invalid: " +
                       preset.error(), "");
  }
  site.platform = platform->text;

  auto hosts = read_hosts(*file);
  if (!hosts.ok()) return hosts.failure();
  site.hosts = std::move(*hosts);
  auto start_urls = read_start_urls(*file, site.hosts);
  if (!start_urls.ok()) return start_urls.failure();
  site.start_urls = std::move(*start_urls);

  site.extract = std::move(preset->extract);
  if (const toml::node* node = file->root().get("extract")) {
    auto table = read_table(*file, *node, "extract");
    if (!table.ok()) return table.failure();
    Status applied = apply_extract_table(*file, **table, /*allow_append=*/true, site.extract);
    if (!applied.ok()) return applied.failure();
  }
  site.crawl = std::move(preset->crawl);
  if (const toml::node* node = file->root().get("crawl")) {
    auto table = read_table(*file, *node, "crawl");
    if (!table.ok()) return table.failure();
    Status applied = apply_crawl_table(*file, **table, &site.hosts, site.crawl);
    if (!applied.ok()) return applied.failure();
  }
  site.extract.digest = rules_digest(site.extract);
  return site;
}

Result<std::vector<SiteConfig>> load_all_sites(const std::string& sites_dir,
                                               const std::string& platforms_dir) {
  std::error_code ec;
  if (!fs::is_directory(sites_dir, ec)) {
    return fail(sites_dir + ": not a directory; expected a directory of <id>.toml site files");
  }
  std::vector<SiteConfig> sites;
  std::map<std::string, std::string> path_of_id;
  for (const std::string& stem : toml_stems(sites_dir)) {
    auto site = load_site((fs::path(sites_dir) / (stem + ".toml")).string(), platforms_dir);
    if (!site.ok()) return site.failure();
    // Unreachable while ids must equal file stems, but kept as the registry's invariant in case
    // that rule is ever relaxed.
    auto [it, inserted] = path_of_id.emplace(site->id, site->source_path);
    if (!inserted) {
      return fail(site->source_path + ":1:1: duplicate site id " + in_quotes(site->id) +
                  ", already defined in " + it->second + "; expected unique ids");
    }
    sites.push_back(std::move(*site));
  }
  std::sort(sites.begin(), sites.end(),
            [](const SiteConfig& a, const SiteConfig& b) { return a.id < b.id; });
  return sites;
}

}  // namespace provarc
