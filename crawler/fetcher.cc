#include "crawler/fetcher.h"

#include <curl/curl.h>

#include <map>
#include <mutex>
#include <thread>

#include "common/ascii.h"

namespace provarc {

namespace {

// curl_global_init is not thread-safe: do it once, before the first handle.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Splits "Name: value" header lines of a request or response head; other lines are skipped.
void append_header_line(std::vector<HttpHeader>& headers, std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  // Names and values without the white space around them, and the line end (RFC 9110 5.6.3).
  headers.push_back({std::string(ascii::trim(line.substr(0, colon))),
                     std::string(ascii::trim(line.substr(colon + 1)))});
}

const char* http_version_name(long version) {
  switch (version) {
    case CURL_HTTP_VERSION_1_0: return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1: return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0: return "HTTP/2";
    case CURL_HTTP_VERSION_3: return "HTTP/3";
    default: return "";
  }
}

}  // namespace

// One transfer in flight: its easy handle and what the callbacks collect.
struct Fetcher::Transfer {
  FetchRequest request;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  FetchResult result;
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string request_head;  // what CURLOPT_DEBUGFUNCTION saw going out
  bool answered = false;     // a byte of the response has arrived

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    size_t n = size * count;
    // Counted after decoding, so the cap holds however well the server compressed the body.
    int64_t room = t->request.max_body_bytes - static_cast<int64_t>(t->result.capture.body.size());
    if (static_cast<int64_t>(n) > room) {
      if (t->request.keep_truncated_body) t->result.capture.body.append(data, room);
      t->result.body_too_large = true;
      return CURL_WRITEFUNC_ERROR;
    }
    t->result.capture.body.append(data, n);
    return n;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    std::string_view line(data, size * count);
    // The first byte of the answer: the server surely had the whole request by now.
    if (!t->answered) {
      t->answered = true;
      t->result.received_by = std::chrono::steady_clock::now();
    }
    // A new status line (after a 1xx) starts a new head.
    if (line.substr(0, 5) == "HTTP/") t->result.capture.response_headers.clear();
    if (t->result.capture.response_headers.size() < 1000) {
      append_header_line(t->result.capture.response_headers, line);
    }
    return size * count;
  }

  // Fills `result` once libcurl reports the transfer done with `code`.
  void finish(CURLcode code);
  // The capture's error for a transfer that failed with `code`.
  std::string error_message(CURLcode code) const;

  static int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* self) {
    auto* t = static_cast<Transfer*>(self);
    if (type == CURLINFO_HEADER_OUT && t->request_head.size() < 65536) {
      t->request_head.assign(data, size);
    }
    return 0;
  }
};

struct Fetcher::Impl {
  CURLM* multi = nullptr;
  std::map<CURL*, std::unique_ptr<Transfer>> transfers;
  std::vector<FetchResult> failed_to_start;

  ~Impl() {
    for (auto& [easy, transfer] : transfers) curl_multi_remove_handle(multi, easy);
    transfers.clear();
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
};

Fetcher::Fetcher() : impl_(std::make_unique<Impl>()) {}
Fetcher::~Fetcher() = default;

Result<std::unique_ptr<Fetcher>> Fetcher::create() {
  init_curl_once();
  std::unique_ptr<Fetcher> fetcher(new Fetcher());
  fetcher->impl_->multi = curl_multi_init();
  if (fetcher->impl_->multi == nullptr) return fail("cannot initialise libcurl (curl_multi_init)");
  CURLM* multi = fetcher->impl_->multi;
  // Politeness is the crawler's job, but never more than one connection per host, whatever.
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 256L);  // keep idle connections to many hosts
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  return fetcher;
}

size_t Fetcher::in_flight() const { return impl_->transfers.size(); }

void Fetcher::sleep_for(std::chrono::steady_clock::duration duration) {
  std::this_thread::sleep_for(duration);
}

void Fetcher::start(const FetchRequest& request) {
  SteadyTime now = this->now();
  auto transfer = std::make_unique<Transfer>();
  transfer->request = request;
  transfer->result.token = request.token;
  transfer->result.capture.url = request.url;
  transfer->result.started = now;
  transfer->result.received_by = now;
  CURL* easy = curl_easy_init();
  if (easy == nullptr) {
    transfer->result.capture.outcome = CaptureOutcome::kError;
    transfer->result.capture.error = "cannot create a libcurl handle (out of memory)";
    impl_->failed_to_start.push_back(std::move(transfer->result));
    return;
  }
  transfer->easy = easy;
  Transfer* t = transfer.get();
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are recorded, then enqueued
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
  // No connection is reused: libcurl resends, at once and unasked, a request whose reused
  // connection dies before any answer (a TCP reset; "Connection died, retrying a fresh connect"),
  // so the server saw two requests 0.3 ms apart on a site asking for a Crawl-delay (issue 13;
  // libcurl 7.88 has no option against it). At a request per second or slower per host, a fresh
  // connection costs the crawl little.
  curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  curl_easy_setopt(easy, CURLOPT_USERAGENT, request.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout_ms));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout_ms));
  // A Content-Length over the cap ends the transfer before the body; a body that may be kept in
  // part must reach on_body, which enforces the cap on decoded bytes anyway.
  if (!request.keep_truncated_body) {
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(request.max_body_bytes));
  }
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, request.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, request.verify_tls ? 2L : 0L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
  // The debug callback is how libcurl shows the request head as sent (for WARC request records).
  curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &Transfer::on_debug);
  curl_easy_setopt(easy, CURLOPT_DEBUGDATA, t);
  curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
  for (const HttpHeader& h : request.extra_headers) {
    transfer->headers = curl_slist_append(transfer->headers, (h.name + ": " + h.value).c_str());
  }
  if (transfer->headers != nullptr) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
  CURLMcode rc = curl_multi_add_handle(impl_->multi, easy);
  if (rc != CURLM_OK) {
    transfer->result.capture.outcome = CaptureOutcome::kError;
    transfer->result.capture.error = std::string("cannot start transfer: ") + curl_multi_strerror(rc);
    impl_->failed_to_start.push_back(std::move(transfer->result));
    return;
  }
  impl_->transfers.emplace(easy, std::move(transfer));
}

// What failed, in words that name the limit or the cause, with libcurl's details after a colon.
std::string Fetcher::Transfer::error_message(CURLcode code) const {
  std::string details = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  if (result.body_too_large) {
    return "body larger than " + std::to_string(request.max_body_bytes) +
           " bytes (after decoding): cut off";
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    // libcurl reports both limits with one code. Once the request went out the connection was
    // made (or reused: its connect time then reads 0), so the total one fired.
    bool request_sent = !request_head.empty();
    if (request_sent || request.total_timeout_ms <= request.connect_timeout_ms) {
      return "total timeout of " + std::to_string(request.total_timeout_ms) +
             " ms reached: " + details;
    }
    return "connect timeout of " + std::to_string(request.connect_timeout_ms) +
           " ms reached: " + details;
  }
  if (code == CURLE_PEER_FAILED_VERIFICATION) {
    return "TLS certificate verification failed: " + details +
           " (verify_tls = false in the site's [crawl] accepts it)";
  }
  if (code == CURLE_PARTIAL_FILE) {
    return "body cut short (the connection closed early): " + details;
  }
  if (error_buffer[0] == '\0') return curl_easy_strerror(code);
  return std::string(curl_easy_strerror(code)) + ": " + details;
}

void Fetcher::wake() { curl_multi_wakeup(impl_->multi); }

std::vector<FetchResult> Fetcher::wait(Millis timeout) {
  std::vector<FetchResult> done = std::move(impl_->failed_to_start);
  impl_->failed_to_start.clear();
  int running = 0;
  curl_multi_perform(impl_->multi, &running);
  auto collect = [&] {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode code = msg->data.result;
      auto it = impl_->transfers.find(easy);
      if (it == impl_->transfers.end()) continue;
      Transfer* t = it->second.get();
      t->finish(code);
      done.push_back(std::move(t->result));
      curl_multi_remove_handle(impl_->multi, easy);
      impl_->transfers.erase(it);
    }
  };
  collect();
  if (done.empty() && timeout.count() > 0) {
    curl_multi_poll(impl_->multi, nullptr, 0, static_cast<int>(timeout.count()), nullptr);
    curl_multi_perform(impl_->multi, &running);
    collect();
  }
  return done;
}

void Fetcher::Transfer::finish(CURLcode code) {
  Capture& capture = result.capture;
  // Timed on our own clock rather than from curl's timers, whose start is not when start() ran.
  if (!answered) result.received_by = std::chrono::steady_clock::now();  // no answer: now is late enough
  size_t line_start = 0;
  while (line_start < request_head.size()) {
    size_t eol = request_head.find('\n', line_start);
    if (eol == std::string::npos) eol = request_head.size();
    if (line_start > 0) {  // the first line is the request line
      append_header_line(capture.request_headers,
                         std::string_view(request_head).substr(line_start, eol - line_start));
    }
    line_start = eol + 1;
  }
  char* ip = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    capture.ip = ip;
  }
  bool kept_truncated = request.keep_truncated_body && result.body_too_large &&
                        (code == CURLE_WRITE_ERROR || code == CURLE_FILESIZE_EXCEEDED);
  if (code != CURLE_OK && !kept_truncated) {
    capture.outcome = CaptureOutcome::kError;
    capture.body.clear();
    capture.response_headers.clear();
    result.body_too_large = result.body_too_large || code == CURLE_FILESIZE_EXCEEDED;
    result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    result.tls_failure = code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CONNECT_ERROR ||
                         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CACERT_BADFILE;
    result.host_not_found = code == CURLE_COULDNT_RESOLVE_HOST;
    result.reset = code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING;
    capture.error = error_message(code);
    capture.status = 0;
    return;
  }
  if (kept_truncated) {
    capture.error = "body larger than " + std::to_string(request.max_body_bytes) +
                    " bytes (after decoding): the first " +
                    std::to_string(request.max_body_bytes) + " bytes are kept";
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  capture.status = static_cast<int>(status);
  long version = 0;
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  capture.http_version = http_version_name(version);
  char* location = nullptr;
  if (status >= 300 && status < 400 &&
      curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location != nullptr) {
    capture.redirect_target = location;
  }
  capture.outcome = status == 304 ? CaptureOutcome::kNotModified : CaptureOutcome::kOk;
  if (status == 304) capture.body.clear();
}

}  // namespace provarc
