// tests/support/fixture_web.h: a small web on 127.0.0.1 for crawler tests and benchmarks: one
// HTTP server per fake host (a host is 127.0.0.1:<port>, since tests cannot use DNS), scripted
// routes (pages, redirects, errors, Retry-After, slow, reset, short, trickled and endless bodies,
// oversized, gzip bomb, traps), and a log of every request with its monotonic arrival time. A
// small HTTP/1.1 server of its own (POSIX sockets, a thread per connection, keep-alive) rather
// than cpp-httplib, so that it can reset a connection, hold an answer back and send a body byte
// for byte as scripted (httplib compresses on its own); it depends on nothing but the standard
// library, so benchmarks build it alone.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace provarc::testing {

struct FixtureResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// What one path answers.
struct Route {
  Route() = default;
  explicit Route(std::vector<FixtureResponse> answers) : responses(std::move(answers)) {}

  // Answers for successive requests: the first request gets responses[0], and so on; the last
  // repeats. Empty means 404.
  std::vector<FixtureResponse> responses;
  int delay_ms = 0;    // wait this long before answering (a slow page)
  // Send the head, whose Content-Length promises the whole body, and half the body, then drop
  // the connection: a FIN (a body shorter than its Content-Length), or an RST on a host added
  // with abortive_close (a connection reset mid-body).
  bool reset = false;
  // Read the request and drop the connection without a byte of answer: on a host added with
  // abortive_close, a TCP reset and no response at all.
  bool reset_at_once = false;
  // Send the body one byte every trickle_ms (the head and its Content-Length at once): a server
  // that is alive but never finishes. 0 sends it all at once.
  int trickle_ms = 0;
  // An endless body: Transfer-Encoding: chunked, the body (64 KiB of 'x' when empty) sent again
  // and again as chunks until the client goes away or the server stops.
  bool endless_chunked = false;
  // Conditional GET: a request whose If-None-Match equals `etag` gets 304 (when etag is set).
  std::string etag;
};

// Builds answers for paths no route names (a calendar trap, catch-all resources). Returns nullopt
// when it does not handle the path. `target` is the request target: path and query as sent.
using DynamicRoute = std::function<std::optional<FixtureResponse>(const std::string& target)>;

struct RequestRecord {
  std::string host;     // the FixtureHost's name
  int port = 0;
  std::string method;
  std::string target;   // path and query as sent
  std::chrono::steady_clock::time_point arrived;  // monotonic: comparable across processes
  int status = 0;       // what was answered (0 for a reset)
  size_t bytes = 0;     // the body's Content-Length as answered (compressed if it was; 0 endless)
  std::string user_agent;
  std::string if_none_match;
  std::string if_modified_since;
};

class FixtureWeb;

// One fake host: an HTTP/1.1 server on 127.0.0.1 with a port chosen by the system (GET and HEAD;
// request bodies are not read). Thread-safe: routes may change while it serves.
class FixtureHost {
 public:
  const std::string& name() const { return name_; }
  int port() const { return port_; }
  std::string authority() const;                       // "127.0.0.1:<port>"
  std::string url(const std::string& target) const;    // "http://127.0.0.1:<port>" + target

  // `target` is matched exactly against the request target (path and query as sent).
  void set_route(const std::string& target, Route route);
  // A 200 text/html page.
  void set_page(const std::string& target, const std::string& html);
  // A redirect with `status` to `location` (absolute, or a target on this host).
  void set_redirect(const std::string& target, const std::string& location, int status = 301);
  // Tried, in order, for targets without a route.
  void add_dynamic(DynamicRoute route);

  ~FixtureHost();

 private:
  friend class FixtureWeb;
  struct Server;
  FixtureHost(FixtureWeb* web, std::string name, bool abortive_close);
  bool start();
  void stop();
  void accept_loop();
  void serve_connection(int fd);
  // Answers one request on `fd` and logs it; false when the connection must close.
  bool answer(int fd, const std::string& method, const std::string& target,
              const std::string& user_agent, const std::string& if_none_match,
              const std::string& if_modified_since);
  // Waits `ms` unless the server stops first; false when it stopped.
  bool wait_unless_stopping(int ms);
  // Sends `body` a byte every `interval_ms`; false when the client or the server went away.
  bool send_trickling(int fd, const std::string& body, int interval_ms);
  // Sends `head` and then `chunk` as chunks forever; returns false (close) once either side stops.
  bool send_endlessly(int fd, const std::string& head, const std::string& chunk);

  FixtureWeb* web_;
  std::string name_;
  bool abortive_close_;
  int port_ = 0;
  std::unique_ptr<Server> server_;
};

// A set of hosts and their common request log. Stops every server when destroyed.
class FixtureWeb {
 public:
  FixtureWeb();
  ~FixtureWeb();
  FixtureWeb(const FixtureWeb&) = delete;
  FixtureWeb& operator=(const FixtureWeb&) = delete;

  // Starts a new host; throws std::runtime_error if no port can be bound. With
  // `abortive_close`, the host's connections end with an RST (SO_LINGER 0): give "reset" routes
  // a host of their own.
  FixtureHost& add_host(const std::string& name, bool abortive_close = false);

  // Every request so far, in arrival order.
  std::vector<RequestRecord> requests() const;
  // Those to one host, in arrival order.
  std::vector<RequestRecord> requests_to(const FixtureHost& host) const;
  // How many requests asked for `target` on `host`.
  int count(const FixtureHost& host, const std::string& target) const;
  void clear_log();

  // Called with every request as it is logged (on arrival, from the serving thread, outside the
  // log's lock): a program's request log file. Set it before the first request.
  void set_observer(std::function<void(const RequestRecord&)> observer);

  // Stops every server now (waiting for handlers; slow pages are cut short).
  void stop();

 private:
  friend class FixtureHost;
  void log(RequestRecord record);

  mutable std::mutex mutex_;
  std::vector<RequestRecord> log_;
  std::function<void(const RequestRecord&)> observer_;
  std::vector<std::unique_ptr<FixtureHost>> hosts_;
};

// ---- Content helpers

// A gzip stream (RFC 1952, fixed-Huffman deflate) that inflates to `size` zero bytes, built by
// hand: about size / 160 bytes on the wire. Served with Content-Encoding: gzip it is a gzip bomb.
std::string gzip_of_zeros(size_t size);

// A simple article page the "generic" platform reads: <article> with an <h1>, a date, paragraphs,
// an image and optionally a PDF attachment (targets on the same host).
std::string generated_article_html(const std::string& title, const std::string& image_target,
                                   const std::string& attachment_target);

// Answers any target whose path ends in an image or office document extension with a small body
// of the right type (so articles' images and attachments resolve on the fixture host).
DynamicRoute resource_route();

// A news site on `host`: "/" links the listing "/tin-tuc/" whose pages ("/tin-tuc/?page=N")
// link `per_page` articles each and the next page. Articles are "/tin-tuc/<name>.html": first
// the HTML files of `fixture_dir` (sorted; may be "" or missing), then generated ones up to
// `article_count` in all. Returns the article targets in listing order. Resources resolve through
// resource_route().
std::vector<std::string> add_news_site(FixtureHost& host, const std::string& fixture_dir,
                                       int article_count, int per_page);

}  // namespace provarc::testing
