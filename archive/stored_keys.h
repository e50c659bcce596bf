// archive/stored_keys.h: the archive's keys as it stores them (schema v8), and the SQL functions
// that write and read them. Internal to archive/.
//
// - SHA-256 digests (blobs.digest, article_versions.content_hash) are 32-byte BLOBs, not 64 hex
//   digits: half the bytes, in the row and again in the blobs' unique index. Code above archive/
//   still sees 64 lowercase hex digits: SQL writes or compares a digest as provarc_unhex(?) and
//   reads one as provarc_hex(column). A value that is not hex digits (an old archive's, a test's)
//   stays the TEXT it is both ways, so it still reads and compares as written.
// - The captures' URL index (captures_by_url) is over captures.url_key, a 64-bit key of the URL
//   (the first 8 bytes of its SHA-256, big-endian, as a signed integer), not over the URL's text:
//   about 13 bytes an entry instead of 80. A lookup asks `url_key = provarc_url_key(?1) AND
//   url = ?1`, so two URLs sharing a key cost a comparison, never a wrong answer.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace provarc {

// provarc_unhex(value): TEXT of an even number of hex digits (either case) as the BLOB of their
// bytes; any other value (other TEXT, a BLOB, NULL) as it is.
inline constexpr const char* kUnhexFunction = "provarc_unhex";

// provarc_hex(value): a BLOB as lowercase hex digits; any other value as it is.
inline constexpr const char* kHexFunction = "provarc_hex";

// provarc_url_key(text): url_key() of its argument; NULL for NULL.
inline constexpr const char* kUrlKeyFunction = "provarc_url_key";

// The key of `url` in captures.url_key. Deterministic, the same on every platform.
int64_t url_key(std::string_view url);

// Registers the three functions on `db` (deterministic and innocuous: the migration to v8 and
// every statement on digests or captures' URLs use them). Fails when SQLite refuses.
Status register_stored_keys(sqlite3* db);

}  // namespace provarc
