// common/digest.h: the digests the archive and WARC files use, computed by OpenSSL's libcrypto.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace provarc {

// SHA-256 of `data` as 64 lowercase hex digits (content addresses, content hashes).
std::string sha256_hex(std::string_view data);

// SHA-1 of `data` in RFC 4648 base32, as WARC's "sha1:<base32>" digests use (without "sha1:").
std::string sha1_base32(std::string_view data);

}  // namespace provarc
