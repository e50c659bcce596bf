// The reader's server: cpp-httplib on a loopback address, a pool of read-only archive
// connections, the routes of web/reader.h and the security headers every response carries.
#include "web/reader.h"

#include <httplib.h>

#include <arpa/inet.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "archive/archive.h"
#include "common/ascii.h"
#include "web/pages.h"

namespace provarc::web {
namespace {

// The reader's own pages: no script at all, nothing from another origin, never in a frame.
constexpr const char* kReaderPolicy =
    "default-src 'none'; img-src 'self'; style-src 'self'; frame-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
// Archived bodies: a sandbox (an opaque origin, no script, no forms, no popups), only the
// reader's images and styles, framed only by the reader. A user's click on a rewritten link may
// navigate the reader's page to another capture (the only links left point there).
constexpr const char* kArchivedPolicy =
    "sandbox allow-top-navigation-by-user-activation; default-src 'none'; img-src 'self'; "
    "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'";

// Headers on every response, httplib's own errors included.
httplib::Headers default_headers() {
  return {{"Content-Security-Policy", kReaderPolicy},
          {"X-Frame-Options", "DENY"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"Cross-Origin-Opener-Policy", "same-origin"},
          {"Cache-Control", "no-store"}};
}

void replace_header(httplib::Response& res, const char* name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

// Writes `reply` into `res` with the headers its kind is served under.
void send(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  if (!reply.location.empty()) replace_header(res, "Location", reply.location);
  if (reply.served != Served::kReader) {
    replace_header(res, "Content-Security-Policy", kArchivedPolicy);
    replace_header(res, "X-Frame-Options", "SAMEORIGIN");
  }
  if (reply.served == Served::kDownload) {
    replace_header(res, "Content-Disposition", "attachment; filename=\"" + reply.filename + "\"");
  }
  res.set_content(reply.body, reply.content_type.c_str());
}

// A number from a path or query parameter; `fallback` when absent or not a number.
int64_t number(std::string_view text, int64_t fallback) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : fallback;
}

// Read-only archive connections, one per request at a time (an Archive is not thread-safe).
class ArchivePool {
 public:
  explicit ArchivePool(std::string path) : path_(std::move(path)) {}

  void put(std::unique_ptr<Archive> archive) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(archive));
  }

  Result<std::unique_ptr<Archive>> take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<Archive> archive = std::move(idle_.back());
        idle_.pop_back();
        return archive;
      }
    }
    return Archive::open(path_, ArchiveOptions{.read_only = true});
  }

 private:
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Archive>> idle_;
};

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  ListenAddress address;
  std::string_view host = text, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return fail("--listen " + std::string(text) + ": no ']'");
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return fail("--listen " + std::string(text) + ": expected ':PORT' after ']'");
    }
    if (!rest.empty()) port = rest.substr(1);
  } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) {
      return fail("--listen " + std::string(text) + ": write an IPv6 address as [ADDRESS]:PORT");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (!host.empty()) address.host = std::string(host);
  if (!port.empty() || (!text.empty() && text.back() == ':')) {
    int64_t value = number(port, -1);
    if (value < 0 || value > 65535) {
      return fail("--listen " + std::string(text) + ": the port must be a number from 0 to 65535");
    }
    address.port = static_cast<int>(value);
  }
  return address;
}

bool is_loopback_host(std::string_view host) {
  if (ascii::iequals(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

struct Reader::State {
  explicit State(const std::string& db_path) : pool(db_path) {}

  ArchivePool pool;
  httplib::Server server;
  std::thread thread;
  std::string url;
  std::vector<std::string> hosts;  // the Host header values accepted, lowercase
  bool stopped = false;
  std::atomic<bool> listen_returned{false};

  // Runs `render` with an archive connection and sends its reply.
  void serve(httplib::Response& res, const std::function<Reply(Archive&)>& render) {
    Result<std::unique_ptr<Archive>> archive = pool.take();
    if (!archive.ok()) {
      send(error_page(503, archive.error()), res);
      return;
    }
    send(render(**archive), res);
    pool.put(std::move(*archive));
  }

  void add_routes();
};

void Reader::State::add_routes() {
  using httplib::Request;
  using httplib::Response;
  auto id = [](const Request& req) { return number(req.matches[1].str(), 0); };
  server.Get("/", [this](const Request&, Response& res) {
    serve(res, [](Archive& a) { return sites_page(a); });
  });
  server.Get(R"(/site/([^/]+))", [this](const Request& req, Response& res) {
    std::string site = req.matches[1].str();
    int64_t page_number = number(req.get_param_value("page"), 1);
    serve(res, [&](Archive& a) { return site_page(a, site, page_number); });
  });
  server.Get(R"(/article/(\d{1,18}))", [this, id](const Request& req, Response& res) {
    int version = static_cast<int>(number(req.get_param_value("version"), 0));
    serve(res, [&](Archive& a) { return article_page(a, id(req), version); });
  });
  server.Get(R"(/article/(\d{1,18})/diff)", [this, id](const Request& req, Response& res) {
    int from = static_cast<int>(number(req.get_param_value("from"), 0));
    int to = static_cast<int>(number(req.get_param_value("to"), 0));
    serve(res, [&](Archive& a) { return diff_page(a, id(req), from, to); });
  });
  server.Get("/search", [this](const Request& req, Response& res) {
    SearchParams params;
    params.query = req.get_param_value("q");
    params.site = req.get_param_value("site");
    params.since = req.get_param_value("since");
    params.until = req.get_param_value("until");
    params.all_versions = req.get_param_value("versions") == "all";
    params.page = number(req.get_param_value("page"), 1);
    serve(res, [&](Archive& a) { return search_page(a, params); });
  });
  server.Get("/runs", [this](const Request& req, Response& res) {
    int64_t before = number(req.get_param_value("before"), 0);
    serve(res, [&](Archive& a) { return runs_page(a, before); });
  });
  server.Get(R"(/capture/(\d{1,18}))", [this, id](const Request& req, Response& res) {
    serve(res, [&](Archive& a) { return capture_page(a, id(req)); });
  });
  server.Get(R"(/archived/(\d{1,18}))", [this, id](const Request& req, Response& res) {
    serve(res, [&](Archive& a) { return archived_body(a, id(req)); });
  });
  server.Get(R"(/raw/(\d{1,18}))", [this, id](const Request& req, Response& res) {
    serve(res, [&](Archive& a) { return raw_body(a, id(req)); });
  });
  server.Get("/url", [this](const Request& req, Response& res) {
    std::string url = req.get_param_value("u");
    serve(res, [&](Archive& a) { return url_page(a, url); });
  });
  server.Get("/static/reader.css", [](const Request&, Response& res) {
    Reply reply;
    reply.content_type = "text/css; charset=utf-8";
    reply.body = std::string(stylesheet());
    send(reply, res);
  });
}

Result<std::unique_ptr<Reader>> Reader::start(const ReaderOptions& options) {
  const ListenAddress& listen = options.listen;
  if (!is_loopback_host(listen.host)) {
    return fail("will not listen on " + listen.host +
                ": it is not a loopback address. The reader is for one person on this machine "
                "(it serves pages from the internet to whoever reaches it); listen on 127.0.0.1 "
                "and forward it (ssh -L 8080:127.0.0.1:8080 HOST) to read it from elsewhere");
  }
  Result<std::unique_ptr<Archive>> first =
      Archive::open(options.db_path, ArchiveOptions{.read_only = true});
  if (!first.ok()) return first.failure();
  auto state = std::make_unique<State>(options.db_path);
  state->pool.put(std::move(*first));

  httplib::Server& server = state->server;
  const int threads = std::max(options.threads, 1);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib's default sets SO_REUSEPORT, which lets a second reader listen on the same port and
  // share its connections. SO_REUSEADDR alone: a restart may bind at once, a second one fails.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_default_headers(default_headers());
  server.set_payload_max_length(64 * 1024);  // GET only: no request needs a body
  server.set_read_timeout(10, 0);
  server.set_write_timeout(30, 0);
  server.set_keep_alive_timeout(2);  // also bounds how long stop() waits for idle connections
  State* raw_state = state.get();
  server.set_pre_routing_handler([raw_state](const httplib::Request& req, httplib::Response& res) {
    const std::string host = ascii::lowercase(req.get_header_value("Host"));
    for (const std::string& allowed : raw_state->hosts) {
      if (host == allowed) return httplib::Server::HandlerResponse::Unhandled;
    }
    res.status = 421;
    res.set_content("provarc serve answers only to the address it listens on\n",
                    "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  });
  using HandlerResponse = httplib::Server::HandlerResponse;
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) -> HandlerResponse {
    if (!res.body.empty()) return HandlerResponse::Unhandled;
    Reply reply = error_page(res.status, res.status == 404 ? "Không có trang nào ở địa chỉ này."
                                                          : "Yêu cầu không hợp lệ.");
    res.set_content(reply.body, reply.content_type.c_str());
    return HandlerResponse::Handled;
  }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send(error_page(500, "Lỗi bên trong bản đọc."), res);
      });
  state->add_routes();

  int port = listen.port;
  if (port == 0) {
    port = server.bind_to_any_port(listen.host);
  } else if (!server.bind_to_port(listen.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return fail("cannot listen on " + bracketed(listen.host) + ":" +
                std::to_string(listen.port) +
                " (the port is taken, or the address is not this machine's)");
  }
  const std::string authority = bracketed(listen.host) + ":" + std::to_string(port);
  state->url = "http://" + authority + "/";
  state->hosts.push_back(ascii::lowercase(authority));
  if (!ascii::iequals(listen.host, "localhost")) {
    state->hosts.push_back("localhost:" + std::to_string(port));
  }
  state->thread = std::thread([raw_state] {
    raw_state->server.listen_after_bind();
    raw_state->listen_returned = true;
  });
  // stop() does nothing to a server not yet running: wait until it runs (or could not).
  while (!server.is_running() && !state->listen_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<Reader>(new Reader(std::move(state)));
}

Reader::Reader(std::unique_ptr<State> state) : state_(std::move(state)) {}

Reader::~Reader() { stop(); }

std::string Reader::url() const { return state_->url; }

void Reader::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  state_->server.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace provarc::web
