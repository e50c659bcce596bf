// `provarc robots`: which URLs a robots.txt lets an agent fetch, and the line that decided.
// The robots.txt is a local file, "-" for stdin, or an http(s) URL fetched as RFC 9309 2.3.1 says.
//
// Output, one line per URL, tab-separated so scripts can cut it:
//   <URL> TAB allowed|disallowed TAB line <N>: <rule>     e.g. "line 4: Disallow: /private"
//   <URL> TAB allowed|disallowed TAB <why no rule decided> e.g. "no matching rule"
// Exit 0 when every URL was decided, 1 when the robots.txt could not be read, 2 on a usage error.
#include <curl/curl.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli/commands.h"
#include "common/url.h"
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

// curl write callback: keeps at most RobotsTxt::kMaxBytes + 1 bytes. Returning less than it was
// given makes curl stop the transfer with CURLE_WRITE_ERROR, which fetch_robots() expects.
size_t keep_bounded(char* data, size_t size, size_t count, void* userdata) {
  auto* body = static_cast<std::string*>(userdata);
  size_t room = RobotsTxt::kMaxBytes + 1 - body->size();
  size_t n = size * count;
  body->append(data, std::min(n, room));
  return n <= room ? n : 0;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

// Fetches robots.txt from `url` and applies RFC 9309 2.3.1: a 2xx body is parsed; 4xx (and more
// than five redirects) means "unavailable": everything allowed; 5xx, any other status and network
// errors mean "unreachable": everything disallowed. Those two cases are reported on `notes`.
// Never fails: every outcome is some RobotsTxt.
RobotsTxt fetch_robots(const std::string& url, const std::string& agent, std::ostream& notes) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    notes << "provarc robots: " << url << ": cannot start libcurl; treating as unreachable\n";
    return RobotsTxt::disallow_all();
  }
  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);  // RFC 9309 2.3.1.2: at least five
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // any; the callback bounds decoded bytes
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_bounded);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);

  bool cut_at_limit = rc == CURLE_WRITE_ERROR && body.size() > RobotsTxt::kMaxBytes;
  if (rc == CURLE_TOO_MANY_REDIRECTS) {
    notes << "provarc robots: " << url << ": more than 5 redirects: robots.txt unavailable, "
          << "everything allowed (RFC 9309 2.3.1.2)\n";
    return RobotsTxt::allow_all();
  }
  if (rc != CURLE_OK && !cut_at_limit) {
    notes << "provarc robots: " << url << ": " << (error[0] ? error : curl_easy_strerror(rc))
          << ": robots.txt unreachable, everything disallowed (RFC 9309 2.3.1.4)\n";
    return RobotsTxt::disallow_all();
  }
  if (status >= 200 && status < 300) return RobotsTxt::parse(body);
  if (status >= 400 && status < 500) {
    notes << "provarc robots: " << url << ": HTTP " << status
          << ": robots.txt unavailable, everything allowed (RFC 9309 2.3.1.3)\n";
    return RobotsTxt::allow_all();
  }
  notes << "provarc robots: " << url << ": HTTP " << status
        << ": robots.txt unreachable, everything disallowed (RFC 9309 2.3.1.4)\n";
  return RobotsTxt::disallow_all();
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
  RobotsTxt robots = RobotsTxt::allow_all();
  if (is_remote(options.source)) {
    robots = fetch_robots(options.source, options.agent, std::cerr);
  } else {
    Result<std::string> bytes = read_robots_file(options.source);
    if (!bytes.ok()) {
      std::cerr << "provarc robots: " << bytes.error() << "\n";
      return kExitFailure;
    }
    robots = RobotsTxt::parse(*bytes);
  }
  for (const std::string& url : options.urls) {
    RobotsTxt::Decision decision = robots.check(options.agent, url);
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
      "Fetching: redirects are followed (5 at most); 4xx means everything allowed, 5xx or a\n"
      "network error everything disallowed (a note on stderr says so).");
  robots->callback([options, &global] { global.exit_code = run_robots(*options); });
}

}  // namespace provarc
