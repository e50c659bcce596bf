#include "tests/support/fixture_web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/ascii.h"

namespace provarc::testing {

using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr int kPollMs = 50;                    // how often blocked threads look at `stopping`
constexpr auto kIdleTimeout = std::chrono::seconds(30);  // keep-alive connections

// What a request gets, decided under the host's lock.
struct Answer {
  FixtureResponse response;
  int delay_ms = 0;
  bool reset = false;
  bool reset_at_once = false;
  int trickle_ms = 0;
  bool endless_chunked = false;
  std::string etag;
};

FixtureResponse not_found() {
  FixtureResponse r;
  r.status = 404;
  r.body = "<html><body><h1>404</h1></body></html>";
  return r;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

std::string trim(const std::string& s) { return std::string(ascii::trim(s)); }

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// One parsed request head.
struct Request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

bool parse_head(const std::string& head, Request& request) {
  std::istringstream in(head);
  std::string line;
  if (!std::getline(in, line)) return false;
  std::istringstream first(line);
  std::string version;
  if (!(first >> request.method >> request.target >> version)) return false;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    request.headers[ascii::lowercase(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return true;
}

}  // namespace

// The server of one host: a listening socket, an accept thread, a thread per connection, and
// the routes. Everything below `mutex` is guarded by it.
struct FixtureHost::Server {
  int listen_fd = -1;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::condition_variable stopping_cv;
  std::vector<std::thread> connections;
  std::vector<int> open_fds;
  std::map<std::string, Route> routes;
  std::map<std::string, size_t> hits;  // requests per routed target, to step through responses
  std::vector<DynamicRoute> dynamic;
};

FixtureHost::FixtureHost(FixtureWeb* web, std::string name, bool abortive_close)
    : web_(web),
      name_(std::move(name)),
      abortive_close_(abortive_close),
      server_(std::make_unique<Server>()) {}

FixtureHost::~FixtureHost() { stop(); }

std::string FixtureHost::authority() const { return "127.0.0.1:" + std::to_string(port_); }

std::string FixtureHost::url(const std::string& target) const {
  return "http://" + authority() + target;
}

void FixtureHost::set_route(const std::string& target, Route route) {
  std::lock_guard<std::mutex> lock(server_->mutex);
  server_->routes[target] = std::move(route);
  server_->hits.erase(target);
}

void FixtureHost::set_page(const std::string& target, const std::string& html) {
  FixtureResponse page;
  page.body = html;
  set_route(target, Route{{page}});
}

void FixtureHost::set_redirect(const std::string& target, const std::string& location,
                               int status) {
  FixtureResponse redirect;
  redirect.status = status;
  redirect.body = "<html><body>moved</body></html>";
  redirect.headers.push_back({"Location", location});
  set_route(target, Route{{redirect}});
}

void FixtureHost::add_dynamic(DynamicRoute route) {
  std::lock_guard<std::mutex> lock(server_->mutex);
  server_->dynamic.push_back(std::move(route));
}

bool FixtureHost::start() {
  Server* s = server_.get();
  s->listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd < 0) return false;
  int yes = 1;
  setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // the system picks a free port
  socklen_t len = sizeof addr;
  if (::bind(s->listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(s->listen_fd, 128) != 0 ||
      ::getsockname(s->listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(s->listen_fd);
    s->listen_fd = -1;
    return false;
  }
  port_ = ntohs(addr.sin_port);
  s->acceptor = std::thread([this] { accept_loop(); });
  return true;
}

void FixtureHost::accept_loop() {
  Server* s = server_.get();
  while (!s->stopping) {
    pollfd pfd{s->listen_fd, POLLIN, 0};
    if (::poll(&pfd, 1, kPollMs) <= 0) continue;
    int fd = ::accept4(s->listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (abortive_close_) {
      // A zero linger makes close() send an RST: a "reset" route really resets.
      linger abort_on_close{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    }
    std::lock_guard<std::mutex> lock(s->mutex);
    if (s->stopping) {
      ::close(fd);
      break;
    }
    s->open_fds.push_back(fd);
    s->connections.emplace_back([this, fd] { serve_connection(fd); });
  }
}

void FixtureHost::serve_connection(int fd) {
  Server* s = server_.get();
  std::string buffer;
  auto idle_since = Clock::now();
  bool keep_open = true;
  while (keep_open && !s->stopping) {
    size_t end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (buffer.size() > kMaxHeadBytes || Clock::now() - idle_since > kIdleTimeout) break;
      pollfd pfd{fd, POLLIN, 0};
      if (::poll(&pfd, 1, kPollMs) <= 0) continue;
      char chunk[8192];
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
      continue;
    }
    Request request;
    bool parsed = parse_head(buffer.substr(0, end), request);
    buffer.erase(0, end + 4);
    if (!parsed) break;
    keep_open = ascii::lowercase(request.header("connection")) != "close";
    if (!answer(fd, request.method, request.target, request.header("user-agent"),
                request.header("if-none-match"), request.header("if-modified-since"))) {
      break;
    }
    idle_since = Clock::now();
  }
  std::lock_guard<std::mutex> lock(s->mutex);
  auto it = std::find(s->open_fds.begin(), s->open_fds.end(), fd);
  if (it != s->open_fds.end()) {
    s->open_fds.erase(it);
    ::close(fd);
  }
}

bool FixtureHost::answer(int fd, const std::string& method, const std::string& target,
                         const std::string& user_agent, const std::string& if_none_match,
                         const std::string& if_modified_since) {
  Server* s = server_.get();
  RequestRecord record;
  record.host = name_;
  record.port = port_;
  record.method = method;
  record.target = target;
  record.arrived = Clock::now();
  record.user_agent = user_agent;
  record.if_none_match = if_none_match;
  record.if_modified_since = if_modified_since;
  Answer answer;
  {
    std::unique_lock<std::mutex> lock(s->mutex);
    auto it = s->routes.find(target);
    if (it != s->routes.end()) {
      const Route& route = it->second;
      size_t n = s->hits[target]++;
      answer.response = route.responses.empty()
                            ? not_found()
                            : route.responses[std::min(n, route.responses.size() - 1)];
      answer.delay_ms = route.delay_ms;
      answer.reset = route.reset;
      answer.reset_at_once = route.reset_at_once;
      answer.trickle_ms = route.trickle_ms;
      answer.endless_chunked = route.endless_chunked;
      answer.etag = route.etag;
    } else {
      answer.response = not_found();
      for (const DynamicRoute& dynamic : s->dynamic) {
        if (auto r = dynamic(target)) {
          answer.response = std::move(*r);
          break;
        }
      }
    }
  }
  FixtureResponse& response = answer.response;
  if (!answer.etag.empty() && if_none_match == answer.etag) {
    response.status = 304;
    response.body.clear();
  }
  // Logged on arrival, so that a request whose answer is held back is seen at once.
  record.status = answer.reset || answer.reset_at_once ? 0 : response.status;
  record.bytes = answer.endless_chunked ? 0 : response.body.size();
  web_->log(record);
  if (answer.reset_at_once) return false;
  if (answer.delay_ms > 0 && !wait_unless_stopping(answer.delay_ms)) return false;
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " +
                     reason_phrase(response.status) + "\r\n";
  if (response.status != 304) head += "Content-Type: " + response.content_type + "\r\n";
  if (!answer.etag.empty()) head += "ETag: " + answer.etag + "\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  std::string& body = response.body;
  if (answer.endless_chunked) {
    return send_endlessly(fd, head, body.empty() ? std::string(64 * 1024, 'x') : body);
  }
  if (answer.reset && body.empty()) body.assign(4096, 'x');
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  if (answer.reset) {
    // Promise the whole body, send half of it, then drop the connection.
    send_all(fd, head + body.substr(0, body.size() / 2));
    return false;
  }
  if (method == "HEAD") return send_all(fd, head);
  if (answer.trickle_ms > 0) {
    return send_all(fd, head) && send_trickling(fd, body, answer.trickle_ms);
  }
  // One send: a head sent alone would wait for its ACK (Nagle) before the body follows.
  return send_all(fd, head + body);
}

bool FixtureHost::wait_unless_stopping(int ms) {
  Server* s = server_.get();
  std::unique_lock<std::mutex> lock(s->mutex);
  return !s->stopping_cv.wait_for(lock, std::chrono::milliseconds(ms),
                                  [s] { return s->stopping.load(); });
}

bool FixtureHost::send_trickling(int fd, const std::string& body, int interval_ms) {
  for (char byte : body) {
    if (!wait_unless_stopping(interval_ms) || !send_all(fd, std::string(1, byte))) return false;
  }
  return true;
}

bool FixtureHost::send_endlessly(int fd, const std::string& head, const std::string& chunk) {
  std::ostringstream size;
  size << std::hex << chunk.size();
  std::string framed = size.str() + "\r\n" + chunk + "\r\n";
  if (!send_all(fd, head + "Transfer-Encoding: chunked\r\n\r\n")) return false;
  // Ends when the client closes (send fails) or stop() shuts the socket down.
  while (!server_->stopping && send_all(fd, framed)) {
  }
  return false;
}

void FixtureHost::stop() {
  Server* s = server_.get();
  if (s == nullptr || s->listen_fd < 0) return;
  {
    std::lock_guard<std::mutex> lock(s->mutex);
    s->stopping = true;
    // Wake connections blocked in recv or send.
    for (int fd : s->open_fds) ::shutdown(fd, SHUT_RDWR);
  }
  s->stopping_cv.notify_all();
  if (s->acceptor.joinable()) s->acceptor.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard<std::mutex> lock(s->mutex);
    connections.swap(s->connections);
  }
  for (std::thread& t : connections) t.join();
  ::close(s->listen_fd);
  s->listen_fd = -1;
}

FixtureWeb::FixtureWeb() = default;

FixtureWeb::~FixtureWeb() { stop(); }

FixtureHost& FixtureWeb::add_host(const std::string& name, bool abortive_close) {
  std::unique_ptr<FixtureHost> host(new FixtureHost(this, name, abortive_close));
  if (!host->start()) throw std::runtime_error("fixture web: cannot start host " + name);
  FixtureHost& ref = *host;
  std::lock_guard<std::mutex> lock(mutex_);
  hosts_.push_back(std::move(host));
  return ref;
}

void FixtureWeb::stop() {
  std::vector<FixtureHost*> hosts;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& h : hosts_) hosts.push_back(h.get());
  }
  for (FixtureHost* h : hosts) h->stop();
}

void FixtureWeb::set_observer(std::function<void(const RequestRecord&)> observer) {
  std::lock_guard<std::mutex> lock(mutex_);
  observer_ = std::move(observer);
}

void FixtureWeb::log(RequestRecord record) {
  std::function<void(const RequestRecord&)> observer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    log_.push_back(record);
    observer = observer_;
  }
  if (observer) observer(record);
}

std::vector<RequestRecord> FixtureWeb::requests() const {
  std::vector<RequestRecord> copy;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    copy = log_;
  }
  // Threads log concurrently: order by arrival.
  std::stable_sort(copy.begin(), copy.end(), [](const RequestRecord& a, const RequestRecord& b) {
    return a.arrived < b.arrived;
  });
  return copy;
}

std::vector<RequestRecord> FixtureWeb::requests_to(const FixtureHost& host) const {
  std::vector<RequestRecord> all = requests();
  std::vector<RequestRecord> mine;
  for (RequestRecord& r : all) {
    if (r.port == host.port()) mine.push_back(std::move(r));
  }
  return mine;
}

int FixtureWeb::count(const FixtureHost& host, const std::string& target) const {
  int n = 0;
  for (const RequestRecord& r : requests_to(host)) n += r.target == target;
  return n;
}

void FixtureWeb::clear_log() {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.clear();
}

// ---- Content helpers

namespace {

// Writes bits least-significant first, as deflate (RFC 1951) packs them.
class BitWriter {
 public:
  void bits(uint32_t value, int count) {
    for (int i = 0; i < count; ++i) {
      if (used_ == 0) out_.push_back('\0');
      if ((value >> i) & 1u) out_.back() = static_cast<char>(out_.back() | (1 << used_));
      used_ = (used_ + 1) % 8;
    }
  }
  // Huffman codes go most-significant bit first.
  void code(uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) bits((value >> i) & 1u, 1);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  int used_ = 0;
};

uint32_t crc32_of_zeros(size_t size) {
  uint32_t table[256];
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) crc = table[crc & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void append_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string gzip_of_zeros(size_t size) {
  BitWriter w;
  w.bits(1, 1);  // BFINAL
  w.bits(1, 2);  // BTYPE 01: fixed Huffman codes
  size_t produced = 0;
  if (size > 0) {
    w.code(0x30, 8);  // literal 0
    produced = 1;
  }
  // Each match copies 258 bytes from distance 1: length symbol 285 (8 bits, 11000101), distance
  // code 0 (5 bits): 13 bits for 258 bytes.
  while (size - produced >= 258) {
    w.code(0xC5, 8);
    w.code(0, 5);
    produced += 258;
  }
  while (produced < size) {
    w.code(0x30, 8);
    ++produced;
  }
  w.code(0, 7);  // end of block (symbol 256)
  std::string gzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  gzip += w.take();
  append_le32(gzip, crc32_of_zeros(size));
  append_le32(gzip, static_cast<uint32_t>(size));
  return gzip;
}

std::string generated_article_html(const std::string& title, const std::string& image_target,
                                   const std::string& attachment_target) {
  std::string html =
      "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
      " - Sở Thông tin và Truyền thông</title></head><body>"
      "<header><nav><a href=\"/\">Trang chủ</a> <a href=\"/tin-tuc/\">Tin tức</a></nav></header>"
      "<main><article><h1>" + title + "</h1>"
      "<p class=\"date\">Ngày đăng: 12/04/2023</p>"
      "<p>Ngày 06/4/2023, Sở Thông tin và Truyền thông tổ chức hội nghị về " + title +
      ", với sự tham dự của lãnh đạo các phòng, đơn vị trực thuộc Sở.</p>"
      "<p><img src=\"" + image_target + "\" alt=\"\"></p>"
      "<p>Hội nghị đã thảo luận các nhiệm vụ trọng tâm trong thời gian tới, trong đó có "
      "chuyển đổi số, an toàn thông tin và phát triển hạ tầng viễn thông trên địa bàn tỉnh.</p>";
  if (!attachment_target.empty()) {
    html += "<p>Văn bản kèm theo: <a href=\"" + attachment_target + "\">Kế hoạch (PDF)</a></p>";
  }
  html += "<p>Nguyễn Văn A</p></article></main><footer>Cơ quan chủ quản: Sở TT&amp;TT</footer>"
          "</body></html>";
  return html;
}

DynamicRoute resource_route() {
  return [](const std::string& target) -> std::optional<FixtureResponse> {
    std::string path = target.substr(0, target.find('?'));
    size_t dot = path.rfind('.');
    if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return std::nullopt;
    std::string ext = path.substr(dot + 1);
    ext = ascii::lowercase(ext);
    static const std::map<std::string, std::string> kTypes = {
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},
        {"gif", "image/gif"}, {"pdf", "application/pdf"}, {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xls", "application/vnd.ms-excel"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"zip", "application/zip"}, {"rar", "application/vnd.rar"}};
    auto it = kTypes.find(ext);
    if (it == kTypes.end()) return std::nullopt;
    FixtureResponse r;
    r.content_type = it->second;
    r.body = "fixture " + ext + " bytes for " + path;
    return r;
  };
}

std::vector<std::string> add_news_site(FixtureHost& host, const std::string& fixture_dir,
                                       int article_count, int per_page) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> articles;  // target, html
  std::error_code ec;
  if (!fixture_dir.empty() && fs::is_directory(fixture_dir, ec)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fixture_dir, ec)) {
      if (entry.path().extension() == ".html") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      if (static_cast<int>(articles.size()) >= article_count) break;
      articles.push_back({"/tin-tuc/" + file.stem().string() + ".html",
                          read_whole_file(file.string())});
    }
  }
  for (int i = static_cast<int>(articles.size()); i < article_count; ++i) {
    std::string n = std::to_string(i + 1);
    articles.push_back({"/tin-tuc/bai-viet-" + n + ".html",
                        generated_article_html("Bài viết số " + n, "/anh/bai-viet-" + n + ".jpg",
                                               i % 2 == 0 ? "/van-ban/ke-hoach-" + n + ".pdf" : "")});
  }
  std::vector<std::string> targets;
  for (const auto& [target, html] : articles) {
    host.set_page(target, html);
    targets.push_back(target);
  }
  int pages = std::max(1, (article_count + per_page - 1) / per_page);
  for (int p = 1; p <= pages; ++p) {
    std::string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tin tức - trang " +
                       std::to_string(p) + "</title></head><body><h1>Tin tức</h1><ul>";
    for (int i = (p - 1) * per_page; i < std::min(article_count, p * per_page); ++i) {
      html += "<li><a href=\"" + targets[i] + "\">Bài " + std::to_string(i + 1) + "</a></li>";
    }
    html += "</ul>";
    if (p < pages) html += "<a class=\"next\" href=\"/tin-tuc/?page=" + std::to_string(p + 1) + "\">Trang sau</a>";
    html += "</body></html>";
    host.set_page(p == 1 ? "/tin-tuc/" : "/tin-tuc/?page=" + std::to_string(p), html);
  }
  host.set_page("/", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Trang chủ</title>"
                     "</head><body><a href=\"/tin-tuc/\">Tin tức</a></body></html>");
  host.add_dynamic(resource_route());
  return targets;
}

}  // namespace provarc::testing
