// `provarc robots`: runs the built binary on local files, stdin, and robots.txt served by a
// fixture HTTP server on 127.0.0.1 (200, 4xx, 5xx, redirects, a closed port), and checks that it
// reads a 429 robots.txt as the crawl does.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "crawler/crawler.h"
#include "crawler/robots.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/memory_crawl_store.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::RunResult;
using testing::provarc_binary;
using testing::run_command;

constexpr char kRobots[] =
    "User-agent: *\n"
    "Disallow: /admin\n"
    "\n"
    "User-agent: provarc\n"
    "Allow: /tin-tuc/\n"
    "Disallow: /\n";

std::string write_file(const std::string& name, const std::string& contents) {
  std::string path = testing::temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

RunResult robots(const std::vector<std::string>& args, const std::string& stdin_data = "") {
  std::vector<std::string> argv = {provarc_binary(), "robots"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, stdin_data);
}

TEST(CliRobots, PrintsOneTabSeparatedLinePerUrl) {
  std::string file = write_file("robots.txt", kRobots);
  RunResult r = robots({file, "https://example.org/tin-tuc/a.html", "https://example.org/khac",
                        "/robots.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "https://example.org/tin-tuc/a.html\tallowed\tline 5: Allow: /tin-tuc/\n"
            "https://example.org/khac\tdisallowed\tline 6: Disallow: /\n"
            "/robots.txt\tallowed\t/robots.txt is always allowed (RFC 9309 2.2.2)\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliRobots, AgentSelectsTheGroup) {
  std::string file = write_file("robots.txt", kRobots);
  RunResult other = robots({file, "--agent", "OtherBot/2.0 (+https://x.example)", "/khac",
                            "/admin/x"});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(other.out,
            "/khac\tallowed\tno matching rule\n"
            "/admin/x\tdisallowed\tline 2: Disallow: /admin\n");
  RunResult ours = robots({file, "/khac", "--agent", "provarc/0.1 (+https://example.org)"});
  EXPECT_EQ(ours.out, "/khac\tdisallowed\tline 6: Disallow: /\n");
}

TEST(CliRobots, ReadsStdin) {
  RunResult r = robots({"-", "/a", "/b"}, "User-agent: *\nDisallow: /a\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "/a\tdisallowed\tline 2: Disallow: /a\n/b\tallowed\tno matching rule\n");
}

TEST(CliRobots, UsageErrorsExitTwo) {
  std::string file = write_file("robots.txt", kRobots);
  RunResult no_url = robots({file});
  EXPECT_EQ(no_url.exit_code, 2);
  EXPECT_EQ(no_url.out, "");
  RunResult nothing = robots({});
  EXPECT_EQ(nothing.exit_code, 2);
  RunResult bad_url = robots({file, "/ok", "example.org/no-scheme"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_EQ(bad_url.out, "");  // nothing is printed before every URL is known to be valid
  EXPECT_NE(bad_url.err.find("example.org/no-scheme"), std::string::npos) << bad_url.err;
  RunResult bad_option = robots({file, "/ok", "--no-such-option"});
  EXPECT_EQ(bad_option.exit_code, 2);
}

TEST(CliRobots, MissingFileExitsOneNamingIt) {
  std::string missing = testing::temp_dir() + "/absent/robots.txt";
  RunResult r = robots({missing, "/a"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
}

// A port on 127.0.0.1 that nothing listens on: bound by the kernel's choice, then released.
int unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// A tiny HTTP/1.0 fixture server on 127.0.0.1 (the tests link no HTTP server library): one
// connection at a time, the response chosen by the request path, "Connection: close".
//   /ok/robots.txt       200 with a robots.txt (and the User-Agent header recorded)
//   /missing/robots.txt  404 (with a disallow-all body that must be ignored)
//   /broken/robots.txt   503
//   /hop/N/robots.txt    302 to /hop/N-1/robots.txt; /hop/0/robots.txt is a robots.txt
class CliRobotsFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(listener_, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(addr);
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(listen(listener_, 16), 0);
    ASSERT_EQ(getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &length), 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  void TearDown() override {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string user_agent() {
    std::lock_guard<std::mutex> lock(mutex_);
    return user_agent_;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (poll(&ready, 1, 50) <= 0) continue;
      int connection = accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
        ssize_t n = recv(connection, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      std::string response = respond(request);
      send(connection, response.data(), response.size(), MSG_NOSIGNAL);
      close(connection);
    }
  }

  std::string respond(const std::string& request) {
    size_t path_start = request.find(' ') + 1;
    std::string path = request.substr(path_start, request.find(' ', path_start) - path_start);
    if (path == "/ok/robots.txt") {
      size_t ua = request.find("User-Agent: ");
      std::lock_guard<std::mutex> lock(mutex_);
      if (ua != std::string::npos) {
        user_agent_ = request.substr(ua + 12, request.find("\r\n", ua) - ua - 12);
      }
      return reply("200 OK", "User-agent: *\nDisallow: /private\n");
    }
    if (path == "/missing/robots.txt") return reply("404 Not Found", "User-agent: *\nDisallow: /\n");
    if (path == "/broken/robots.txt") return reply("503 Service Unavailable", "");
    if (path.starts_with("/hop/")) {
      int hops = std::atoi(path.c_str() + 5);
      if (hops == 0) return reply("200 OK", "User-agent: *\nDisallow: /deep\n");
      return reply("302 Found", "", "Location: /hop/" + std::to_string(hops - 1) + "/robots.txt\r\n");
    }
    return reply("404 Not Found", "");
  }

  static std::string reply(const std::string& status, const std::string& body,
                           const std::string& headers = "") {
    return "HTTP/1.0 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n" + headers + "\r\n" + body;
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::string user_agent_;  // as the server last saw it
};

TEST_F(CliRobotsFetch, Ok) {
  RunResult r = robots({url("/ok/robots.txt"), "--agent", "provarc/0.1", "/private/a", "/a"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "/private/a\tdisallowed\tline 2: Disallow: /private\n"
            "/a\tallowed\tno matching rule\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(user_agent(), "provarc/0.1");
}

TEST_F(CliRobotsFetch, NotFoundAllowsAll) {
  RunResult r = robots({url("/missing/robots.txt"), "/a"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 11), "/a\tallowed\t") << r.out;
  EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << r.err;
}

TEST_F(CliRobotsFetch, ServerErrorDisallowsAll) {
  RunResult r = robots({url("/broken/robots.txt"), "/a", "/robots.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 14), "/a\tdisallowed\t") << r.out;
  EXPECT_NE(r.out.find("/robots.txt\tallowed\t"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("HTTP 503"), std::string::npos) << r.err;
}

TEST_F(CliRobotsFetch, FollowsUpToFiveRedirects) {
  RunResult five = robots({url("/hop/5/robots.txt"), "/deep"});
  EXPECT_EQ(five.out, "/deep\tdisallowed\tline 2: Disallow: /deep\n") << five.err;
  EXPECT_EQ(five.err, "");
  // A sixth redirect makes it "unavailable": everything allowed, with a note.
  RunResult six = robots({url("/hop/6/robots.txt"), "/deep"});
  EXPECT_EQ(six.exit_code, 0);
  EXPECT_EQ(six.out.substr(0, 14), "/deep\tallowed\t") << six.out;
  EXPECT_NE(six.err.find("redirects"), std::string::npos) << six.err;
}

TEST_F(CliRobotsFetch, UnreachableDisallowsAll) {
  int closed_port = unused_port();
  ASSERT_GT(closed_port, 0);
  RunResult r =
      robots({"http://127.0.0.1:" + std::to_string(closed_port) + "/robots.txt", "/a"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 14), "/a\tdisallowed\t") << r.out;
  EXPECT_NE(r.err.find("unreachable"), std::string::npos) << r.err;
}

// RFC 9309 puts 429 among the 4xx ("unavailable: crawl anything"); provarc reads it as
// unreachable (crawler/robots_policy.h). `provarc robots` and a crawl must say the same.
TEST(CliRobotsAgreement, A429RobotsTxtDisallowsEverythingForRobotsAndForTheCrawl) {
  testing::FixtureWeb web;
  testing::FixtureHost& host = web.add_host("busy");
  testing::FixtureResponse busy;
  busy.status = 429;
  busy.content_type = "text/plain";
  busy.body = "User-agent: *\nDisallow:\n";  // not rules: a 429's body is no robots.txt
  busy.headers = {{"Retry-After", "1"}};
  host.set_route("/robots.txt", testing::Route({busy}));
  host.set_page("/", "<html><body><a href=\"/tin-tuc/1.html\">1</a></body></html>");

  RunResult r = robots({host.url("/robots.txt"), "/", "/tin-tuc/1.html", "/robots.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 13), "/\tdisallowed\t") << r.out;
  EXPECT_NE(r.out.find("/tin-tuc/1.html\tdisallowed\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/robots.txt\tallowed\t"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("HTTP 429: too many requests: robots.txt unreachable"), std::string::npos)
      << r.err;
  ASSERT_EQ(web.count(host, "/robots.txt"), 1);

  // A crawl of a site on that host asks robots.txt again after each Retry-After, and nothing else.
  web.clear_log();
  std::string config_dir = testing::temp_dir();
  testing::write_test_site(config_dir, "busy", {host.authority()}, "delay = \"100ms\"\n");
  std::vector<SiteConfig> sites = {testing::load_test_site(config_dir, "busy")};
  testing::MemoryCrawlStore store(sites);
  CrawlOptions options;
  options.max_time = std::chrono::milliseconds(2500);
  std::string log;
  options.on_log = [&](const std::string& line) { log += line + "\n"; };
  auto summary = crawl(sites, store, options);
  ASSERT_TRUE(summary.ok()) << summary.error();
  std::vector<testing::RequestRecord> asked = web.requests_to(host);
  ASSERT_GE(asked.size(), 2u);
  for (size_t i = 0; i < asked.size(); ++i) {
    EXPECT_EQ(asked[i].target, "/robots.txt");
    if (i > 0) {
      EXPECT_GE(asked[i].arrived - asked[i - 1].arrived, std::chrono::milliseconds(999));
    }
  }
  EXPECT_EQ(summary->sites[0].pages, 0);
  EXPECT_FALSE(summary->sites[0].finished);
  EXPECT_NE(log.find("HTTP 429: too many requests: robots.txt unreachable"), std::string::npos)
      << log;
}

}  // namespace
}  // namespace provarc
