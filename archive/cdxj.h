// archive/cdxj.h: CDXJ index lines (the pywb / OpenWayback index of WARC records): SURT URL keys,
// 14-digit timestamps and the JSON block that locates a record in its WARC file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace provarc {

// The SURT key of an absolute http(s) URL, as warcio and pywb compute it: lowercased, the scheme
// and a leading "www" (or "www2", ...) label dropped, the host's labels reversed and joined by
// ',', a non-default port kept, then ')' and the path, and the query's parameters sorted:
// "https://www.Example.com:8080/a/B?z=1&a=2" -> "com,example:8080)/a/b?a=2&z=1". A URL that
// cannot be parsed is returned as it is. Pure function, thread-safe.
std::string surt(std::string_view url);

// "20261121235525" from a WARC-Date such as "2026-11-21T23:55:25.123Z" (digits only, cut to 14).
std::string cdxj_timestamp(std::string_view warc_date);

// Where a record is and what it holds, for one index line.
struct CdxjEntry {
  std::string url;
  std::string date;  // its WARC-Date
  std::string mime;  // Content-Type without parameters; "warc/revisit" for revisits
  int status = 0;
  std::string digest;  // "sha1:<base32>" payload digest, "" when the record has none
  int64_t length = 0;  // bytes of the record in the file (its gzip member)
  int64_t offset = 0;
  std::string filename;  // the WARC file's name, without directory
};

// `<surt> <timestamp> {"url":..,"mime":..,"status":"200","digest":"sha1:..","length":"..",
// "offset":"..","filename":".."}`, without a newline. Numbers are JSON strings, as pywb and
// warcio write them; "digest" is left out when empty. Invalid UTF-8 is replaced, never thrown on.
std::string cdxj_line(const CdxjEntry& entry);

}  // namespace provarc
