// web/reader.h: the web reader (`provarc serve`): a read-only web site over one archive on a
// loopback address, its routes, and the rules that keep archived pages from running or fetching.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace provarc::web {

// Where the reader listens.
struct ListenAddress {
  std::string host = "127.0.0.1";  // an IP address or "localhost"; IPv6 without brackets
  int port = 8080;                 // 0: any free port (the tests' choice)
};

// Parses "HOST:PORT", "[IPV6]:PORT", "HOST" (port 8080) or ":PORT" (host 127.0.0.1). Fails, naming
// the text, for a malformed address or a port outside 0..65535.
Result<ListenAddress> parse_listen_address(std::string_view text);

// True for "localhost", 127.0.0.0/8 and ::1: addresses only this machine reaches.
bool is_loopback_host(std::string_view host);

struct ReaderOptions {
  std::string db_path;
  ListenAddress listen;
  int threads = 4;  // requests served at once, each with its own read-only archive connection
};

// The reader's routes (all GET; HEAD too):
//   /                              the sites: counts, last crawl, template alarm
//   /site/<id>?page=N              a site's articles by date, newest first, 50 a page
//   /article/<id>[?version=N]      an article: its text, images, attachments, versions, fetches
//   /article/<id>/diff?from=A&to=B the word diff of two versions (default: the last two)
//   /search?q=QUERY                search (with the archive's folding and filters)
//   /runs[?before=RUN]             crawl, import and re-parse runs, newest first
//   /capture/<id>                  a capture as archived: its facts, its body in a sandboxed frame
//   /archived/<id>                 that body, rewritten (web/archived.h), for the frame
//   /raw/<id>                      a body as stored: images and CSS as such, the rest a download
//   /url?u=URL                     the article or newest capture of URL
//   /static/reader.css             the stylesheet
//
// The rules (every response; web/reader.cc security_headers()):
// - the reader's pages: Content-Security-Policy "default-src 'none'; img-src 'self';
//   style-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none';
//   frame-ancestors 'none'" (no script at all, nothing from another origin), X-Frame-Options DENY;
// - archived bodies (/archived, /raw): CSP "sandbox allow-top-navigation-by-user-activation;
//   default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none';
//   form-action 'none'; frame-ancestors 'self'": an opaque origin that runs no script, fetches
//   nothing outside the reader and may be framed only by it; X-Frame-Options SAMEORIGIN; what
//   is not a picture or a stylesheet is served as application/octet-stream with
//   Content-Disposition: attachment, never as HTML;
// - always: X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
//   Cross-Origin-Opener-Policy: same-origin, Cache-Control: no-store;
// - a request whose Host header is not the address the reader listens on is refused with 421
//   (a DNS-rebinding page cannot read the archive through a name of its own).
//
// Thread-safety: start() and stop() from one thread; requests are served on the reader's own.
class Reader {
 public:
  // Opens the archive read-only (so it may be read while a crawl writes), binds the address and
  // starts serving in threads of its own. Fails with a message naming the archive or the address
  // when the archive cannot be opened, the address is not loopback (refused: the reader is for
  // one person on this machine; ssh -L forwards it elsewhere) or cannot be bound.
  static Result<std::unique_ptr<Reader>> start(const ReaderOptions& options);
  ~Reader();  // stop()
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // "http://127.0.0.1:8080/": where it serves (with the port chosen when 0 was asked).
  std::string url() const;

  // Stops accepting, finishes the requests in progress and joins the threads. Idempotent.
  void stop();

 private:
  struct State;
  explicit Reader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace provarc::web
