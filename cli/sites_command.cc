// `provarc sites`: the site registry. `sites list` shows the configured sites; `sites check`
// validates config files before they are used (each subcommand is one function below); `sites
// try` (cli/sites_try.cc) reads one page with a site file.
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/rules.h"
#include "config/config.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

struct ListOptions {
  std::string format = "text";
};

struct CheckOptions {
  std::vector<std::string> files;
  std::vector<std::string> urls;  // --url: sample URLs to try the crawl patterns on
};

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

nlohmann::ordered_json site_to_json(const SiteConfig& site) {
  nlohmann::ordered_json json;
  json["id"] = site.id;
  json["name"] = site.name;
  json["province"] = site.province;
  json["platform"] = site.platform;
  json["hosts"] = site.hosts;
  json["start_urls"] = site.start_urls;
  json["contact_url"] = site.contact_url;
  json["rules_digest"] = site.extract.digest;
  json["source_path"] = site.source_path;
  return json;
}

// One line per site, tab-separated so that scripts can cut it: id, platform, province, hosts.
int run_list(const ListOptions& options, const GlobalOptions& global) {
  const fs::path dir = config_dir(global);
  auto sites = load_all_sites((dir / "sites").string(), platforms_dir(global));
  if (!sites.ok()) {
    std::cerr << "provarc sites list: " << sites.error() << "\n";
    return kExitUsage;
  }
  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const SiteConfig& site : *sites) list.push_back(site_to_json(site));
    std::cout << list.dump(2) << "\n";
    return kExitOk;
  }
  for (const SiteConfig& site : *sites) {
    std::cout << site.id << "\t" << site.platform << "\t" << site.province << "\t"
              << join(site.hosts, ",") << "\n";
  }
  return kExitOk;
}

// The crawl patterns that ICU gives up on (its step or stack limit) for the site's start URLs,
// its listing URLs and the `extra` URLs: one line each, naming the pattern's file and line, the
// URL and what it is. A pattern that gives up on a real URL decides by its failure mode
// (crawler/scope.h), not by what it says: a config bug.
std::vector<std::string> patterns_giving_up(const SiteConfig& site,
                                            const std::vector<std::string>& extra) {
  std::vector<std::pair<std::string, std::string>> samples;  // URL, what it is
  for (const std::string& u : site.start_urls) samples.emplace_back(u, "a start URL");
  for (const std::string& u : site.crawl.listing_urls) samples.emplace_back(u, "a listing URL");
  for (const std::string& u : extra) samples.emplace_back(u, "a --url");
  const std::pair<const char*, const std::vector<Pattern>*> lists[] = {
      {"exclude", &site.crawl.exclude},
      {"include", &site.crawl.include},
      {"listing_url_patterns", &site.crawl.listing_url_patterns},
      {"article_url_patterns", &site.crawl.article_url_patterns}};
  std::vector<std::string> lines;
  for (const auto& [list, patterns] : lists) {
    for (const Pattern& p : *patterns) {
      for (const auto& [url, what] : samples) {
        if (p.matches(url) != Pattern::Found::kGaveUp) continue;
        auto origin = site.crawl.pattern_origins.find(p.source());
        lines.push_back((origin == site.crawl.pattern_origins.end() ? site.source_path
                                                                     : origin->second) +
                        ": " + list + " pattern \"" + p.source() +
                        "\" gives up (ICU's step or stack limit) on " + url + " (" + what +
                        "); expected a pattern that decides every URL in bounded time");
      }
    }
  }
  return lines;
}

}  // namespace

// A file in a directory named "platforms" is a preset; any other is a site file, whose preset is
// read from platforms_dir() (the config directory's), and whose crawl patterns are tried on its
// sample URLs.
Status check_config_file(const std::string& path, const std::vector<std::string>& urls,
                         const GlobalOptions& global) {
  const fs::path file(path);
  if (file.parent_path().filename() == "platforms") {
    auto rules = load_platform(file.parent_path().string(), file.stem().string());
    return rules.ok() ? Status::Ok() : Status(rules.failure());
  }
  auto site = load_site(path, platforms_dir(global));
  if (!site.ok()) return site.failure();
  std::string problems;
  for (const std::string& line : patterns_giving_up(*site, urls)) {
    problems += (problems.empty() ? "" : "\n") + line;
  }
  return problems.empty() ? Status::Ok() : Status(fail(problems));
}

namespace {

int run_check(const CheckOptions& options, const GlobalOptions& global) {
  int exit_code = kExitOk;
  for (const std::string& path : options.files) {
    Status status = check_config_file(path, options.urls, global);
    if (status.ok()) {
      std::cout << path << ": ok\n";
    } else {
      std::cerr << status.error() << "\n";  // the message starts with the file and position
      exit_code = kExitUsage;
    }
  }
  return exit_code;
}

}  // namespace

void add_sites_commands(CLI::App& app, GlobalOptions& global) {
  CLI::App* sites = app.add_subcommand("sites", "the configured sites and their config files");
  sites->require_subcommand(1);

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = sites->add_subcommand("list", "one line per site: id, platform, province, hosts");
  list->add_option("--format", list_options->format, "text (tab-separated) or json")
      ->check(CLI::IsMember({"text", "json"}));
  list->callback([list_options, &global] { global.exit_code = run_list(*list_options, global); });

  auto check_options = std::make_shared<CheckOptions>();
  CLI::App* check = sites->add_subcommand(
      "check", "validate site files (and platform files under a platforms/ directory)");
  check->add_option("files", check_options->files, "TOML files to validate")->required();
  check->add_option("--url", check_options->urls,
                    "also try the crawl patterns on this URL (repeatable; the start and listing "
                    "URLs are always tried)")
      ->allow_extra_args(false);
  check->callback([check_options, &global] { global.exit_code = run_check(*check_options, global); });

  auto try_options = std::make_shared<SitesTryOptions>();
  CLI::App* try_cmd = sites->add_subcommand(
      "try", "read one page with a site file: the rules that matched and the article (see README "
             "\"Add a province\")");
  try_cmd->add_option("file", try_options->site_file, "the site file (sites/<id>.toml)")
      ->required();
  try_cmd->add_option("--url", try_options->url,
                      "the page's URL: fetched politely (robots.txt first), or with --html the "
                      "address its links are resolved against");
  try_cmd->add_option("--html", try_options->html_file, "read the page from this file (offline)");
  try_cmd->add_option("--content-type", try_options->content_type,
                      "with --html: the Content-Type the page was served with (its charset)");
  try_cmd->add_option("--format", try_options->format, "text, or json")
      ->check(CLI::IsMember({"text", "json"}));
  try_cmd->callback([try_options, &global] {
    global.exit_code = run_sites_try(*try_options, global);
  });

  auto new_options = std::make_shared<SitesNewOptions>();
  CLI::App* new_cmd = sites->add_subcommand(
      "new", "draft a site file from the site itself: fetches the start URL and pages it links "
             "politely (see README \"Add a province\")");
  new_cmd->add_option("id", new_options->id, "the site id ([a-z0-9-]+)")->required();
  new_cmd->add_option("url", new_options->url, "the start URL (the site's home page)")->required();
  new_cmd->add_option("--name", new_options->name, "the department's name");
  new_cmd->add_option("--province", new_options->province, "the province");
  new_cmd->add_option("--out", new_options->out, "the file to write (default ./<id>.toml; never "
                                                  "overwritten)");
  new_cmd->add_option("--pages", new_options->pages, "pages fetched at most (default 40)")
      ->check(CLI::Range(1, 1000));
  new_cmd->add_option("--delay", new_options->delay,
                      "gap between requests, as the draft's [crawl] delay (default 1s)");
  new_cmd->add_option("--contact-url", new_options->contact_url,
                      "the page in the User-Agent (default: the placeholder, to be replaced)");
  new_cmd->callback([new_options, &global] {
    global.exit_code = run_sites_new(*new_options, global);
  });
}

}  // namespace provarc
