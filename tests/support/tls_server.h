// tests/support/tls_server.h: an HTTPS server on 127.0.0.1 whose certificate is self-signed, made
// in memory when it starts (OpenSSL), for tests of certificate verification. No key or
// certificate is read from or written to disk.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace provarc::testing {

// Serves fixed pages over HTTP/1.1 on TLS, one connection at a time (Connection: close), on a
// port chosen by the system. Its certificate (EC P-256, CN and subjectAltName 127.0.0.1) is
// signed by its own key, so a client that verifies certificates rejects it as self-signed, and
// one that does not gets the pages. Thread-safe: the accessors may be called while it serves.
class TlsServer {
 public:
  // Starts serving `pages` (request target -> HTML body; other targets answer 404). Throws
  // std::runtime_error, naming the OpenSSL or socket call that failed, when it cannot start.
  explicit TlsServer(std::map<std::string, std::string> pages);
  ~TlsServer();  // stops serving and waits for the server thread
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  int port() const { return port_; }
  std::string authority() const;                     // "127.0.0.1:<port>"
  std::string url(const std::string& target) const;  // "https://127.0.0.1:<port>" + target

  int connections() const { return connections_; }  // TCP connections accepted
  int handshakes() const { return handshakes_; }    // ... whose TLS handshake succeeded
  std::vector<std::string> requests() const;        // targets requested, in arrival order

 private:
  struct Tls;  // the OpenSSL context, key and certificate
  void serve();
  void serve_connection(int fd);

  std::map<std::string, std::string> pages_;
  std::unique_ptr<Tls> tls_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> handshakes_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace provarc::testing
