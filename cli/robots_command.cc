// `provarc robots`: which URLs a robots.txt lets an agent fetch, and the line that decided.
// The robots.txt is a local file, "-" for stdin, or an http(s) URL fetched and read exactly as a
// crawl reads it (crawler/fetch_one.h, crawler/robots_policy.h: RFC 9309 2.3.1, 429 as 5xx).
//
// Output, one line per URL, tab-separated so scripts can cut it:
//   <URL> TAB allowed|disallowed TAB line <N>: <rule>     e.g. "line 4: Disallow: /private"
//   <URL> TAB allowed|disallowed TAB <why no rule decided> e.g. "no matching rule"
// Exit 0 when every URL was decided, 1 when the robots.txt could not be read, 2 on a usage error.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/url.h"
#include "crawler/fetch_one.h"
#include "crawler/fetcher.h"
#include "crawler/robots.h"

namespace provarc {
namespace {

struct RobotsOptions {
  std::string source;  // robots.txt: a file path, "-" or an http(s) URL
  std::string agent = "provarc";
  std::vector<std::string> urls;
};

bool is_remote(std::string_view source) {
  return source.starts_with("http://") || source.starts_with("https://");
}

// Reads a local robots.txt, or stdin for "-". Reads one byte past RobotsTxt::kMaxBytes so that the
// parser still sees whether the limit cut a line; the rest is never read.
Result<std::string> read_robots_file(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return fail(path + ": cannot open file");
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string bytes(RobotsTxt::kMaxBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return fail(path + ": read error");
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

// Fetches the robots.txt at `url` as a crawl reads it (crawler/fetch_one.h, with the default
// [crawl] timeouts): the verdict of crawler/robots_policy.h, redirects followed. A verdict without
// rules (unavailable: everything allowed; unreachable: everything disallowed) is noted on `notes`.
Result<RobotsTxt> fetch_robots_txt(const std::string& url, const std::string& agent,
                                   std::ostream& notes) {
  auto fetcher = Fetcher::create();
  if (!fetcher.ok()) return fetcher.failure();
  FetchedRobots fetched = fetch_robots(**fetcher, url, agent, CrawlRules());
  if (!fetched.verdict.reason.empty()) {
    notes << "provarc robots: " << fetched.final_url << ": " << fetched.verdict.reason << "\n";
  }
  return std::move(fetched.verdict.rules);
}

// "line 4: Disallow: /private", or why no rule decided.
std::string evidence(const RobotsTxt::Decision& decision) {
  if (decision.line == 0) return decision.note;
  return "line " + std::to_string(decision.line) + ": " + decision.rule;
}

int run_robots(const RobotsOptions& options) {
  // Check every URL before reading anything: a typo is a usage error, not a "/" to match.
  for (const std::string& url : options.urls) {
    if (!url.starts_with("/") && !parse_url(url).ok()) {
      std::cerr << "provarc robots: \"" << url
                << "\": expected an absolute http(s) URL or a path starting with '/'\n";
      return kExitUsage;
    }
  }
  Result<RobotsTxt> robots = RobotsTxt::allow_all();
  if (is_remote(options.source)) {
    robots = fetch_robots_txt(options.source, options.agent, std::cerr);
  } else {
    Result<std::string> bytes = read_robots_file(options.source);
    if (bytes.ok()) robots = RobotsTxt::parse(*bytes);
    else robots = bytes.failure();
  }
  if (!robots.ok()) {
    std::cerr << "provarc robots: " << robots.error() << "\n";
    return kExitFailure;
  }
  for (const std::string& url : options.urls) {
    RobotsTxt::Decision decision = robots->check(options.agent, url);
    std::cout << url << '\t' << (decision.allowed ? "allowed" : "disallowed") << '\t'
              << evidence(decision) << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_robots_command(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<RobotsOptions>();
  CLI::App* robots = app.add_subcommand(
      "robots", "whether a robots.txt allows URLs, and which line decided (RFC 9309)");
  robots->add_option("robots_txt", options->source,
                     "robots.txt: a file, - for stdin, or an http(s) URL to fetch")
      ->type_name("FILE|URL")
      ->required();
  robots->add_option("urls", options->urls, "absolute URLs or paths (\"/a?b\") to check")
      ->type_name("URL")
      ->required();
  robots->add_option("--agent", options->agent,
                     "User-Agent string or product token (default: provarc)");
  robots->footer(
      "Output: one line per URL: URL<TAB>allowed|disallowed<TAB>evidence, where evidence is\n"
      "\"line N: <rule>\" or why no rule decided (e.g. \"no matching rule\").\n"
      "Fetching: as a crawl reads robots.txt: redirects are followed (5 at most); 4xx means\n"
      "everything allowed; 5xx, 429 or a network error everything disallowed (a note on\n"
      "stderr says so).");
  robots->callback([options, &global] { global.exit_code = run_robots(*options); });
}

}  // namespace provarc
