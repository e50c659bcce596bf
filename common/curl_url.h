// common/curl_url.h: libcurl's URL handle (CURLU) as an owning pointer, and the few calls on it
// that common/url.cc and crawler/url_canon.cc share. Other code uses common/url.h instead.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace provarc {

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

// Parses an absolute URL of any scheme with curl_url() (unknown schemes accepted, spaces and
// non-ASCII percent-encoded). Fails, naming the URL, when it is relative, malformed or holds a
// NUL byte. The handle is the caller's; it is not shared between threads.
Result<CurlUrl> parse_curl_url(std::string_view url);

// One part of `u` as curl writes it, or "" when the part is absent.
std::string curl_url_part(CURLU* u, CURLUPart part, unsigned flags = 0);

}  // namespace provarc
