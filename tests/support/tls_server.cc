#include "tests/support/tls_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

namespace provarc::testing {

namespace {

constexpr int kPollMs = 50;              // how often the server looks at `stopping_`
constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr int kSocketTimeoutSeconds = 2;  // a silent client cannot hold the server longer

[[noreturn]] void openssl_failed(const std::string& call) {
  char reason[256] = "no OpenSSL error queued";
  unsigned long code = ERR_get_error();
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  throw std::runtime_error("tls server: " + call + " failed: " + reason);
}

// A certificate for 127.0.0.1 valid from an hour ago for a day, signed by `key` itself.
X509* self_signed_certificate(EVP_PKEY* key) {
  X509* cert = X509_new();
  if (cert == nullptr) openssl_failed("X509_new");
  X509_set_version(cert, 2);  // v3, for the subjectAltName extension
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  // The name matches the address: verification fails on trust alone, not on a name mismatch.
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* alt_name =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
  if (alt_name == nullptr || X509_add_ext(cert, alt_name, -1) != 1) {
    openssl_failed("adding subjectAltName");
  }
  X509_EXTENSION_free(alt_name);
  if (X509_sign(cert, key, EVP_sha256()) == 0) openssl_failed("X509_sign");
  return cert;
}

std::string response(int status, const std::string& body) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
                     "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return head + body;
}

}  // namespace

struct TlsServer::Tls {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  SSL_CTX* context = nullptr;
  ~Tls() {
    SSL_CTX_free(context);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

TlsServer::TlsServer(std::map<std::string, std::string> pages)
    : pages_(std::move(pages)), tls_(std::make_unique<Tls>()) {
  tls_->key = EVP_EC_gen("P-256");
  if (tls_->key == nullptr) openssl_failed("EVP_EC_gen");
  tls_->cert = self_signed_certificate(tls_->key);
  tls_->context = SSL_CTX_new(TLS_server_method());
  if (tls_->context == nullptr) openssl_failed("SSL_CTX_new");
  if (SSL_CTX_use_certificate(tls_->context, tls_->cert) != 1) {
    openssl_failed("SSL_CTX_use_certificate");
  }
  if (SSL_CTX_use_PrivateKey(tls_->context, tls_->key) != 1) {
    openssl_failed("SSL_CTX_use_PrivateKey");
  }

  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("tls server: socket() failed");
  int yes = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("tls server: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

TlsServer::~TlsServer() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::string TlsServer::authority() const { return "127.0.0.1:" + std::to_string(port_); }

std::string TlsServer::url(const std::string& target) const {
  return "https://" + authority() + target;
}

std::vector<std::string> TlsServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void TlsServer::serve() {
  // OpenSSL writes with plain write(): a client that hung up must give EPIPE, not kill the
  // test process. SIGPIPE is synchronous, so blocking it in this thread is enough.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (!stopping_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, kPollMs) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    timeval timeout{kSocketTimeoutSeconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    serve_connection(fd);
    ::close(fd);
  }
}

void TlsServer::serve_connection(int fd) {
  SSL* ssl = SSL_new(tls_->context);
  if (ssl == nullptr) return;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {  // the client refused the certificate, or went away
    ERR_clear_error();
    SSL_free(ssl);
    return;
  }
  ++handshakes_;
  std::string head;
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxHeadBytes) {
    int n = SSL_read(ssl, buffer, sizeof buffer);
    if (n <= 0) break;
    head.append(buffer, static_cast<size_t>(n));
  }
  std::istringstream first_line(head.substr(0, head.find("\r\n")));
  std::string method, target;
  if (first_line >> method >> target) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(target);
    }
    auto page = pages_.find(target);
    std::string answer = page == pages_.end() ? response(404, "<html><body>404</body></html>")
                                              : response(200, page->second);
    SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
  }
  SSL_shutdown(ssl);
  ERR_clear_error();
  SSL_free(ssl);
}

}  // namespace provarc::testing
