// common/digest.h: the digests the archive and WARC files use, computed by OpenSSL's libcrypto.
// Pure functions, thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace provarc {

// SHA-256 of `data` as 64 lowercase hex digits (content addresses, content hashes).
std::string sha256_hex(std::string_view data);

// SHA-1 of `data` in RFC 4648 base32, as WARC's "sha1:<base32>" digests use (without "sha1:").
std::string sha1_base32(std::string_view data);

// SHA-256 of data given in pieces (a file as it is written), for files too large to hold whole.
// Not thread-safe; each instance is independent.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // The digest of everything given since construction or the last hex(), as 64 lowercase hex
  // digits (what sha256_hex() of the concatenation gives); starts over afterwards.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace provarc
