// tests/support/http_get.h: one plain GET with libcurl for tests of the fixture servers
// themselves (what a server answers, byte for byte), not for the crawler's fetching.
#pragma once

#include <curl/curl.h>

#include <string>

namespace provarc::testing {

struct Fetched {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string headers;  // the response head as received
};

// GETs `url`, sending `header` ("Name: value") when given, following no redirect. With
// `decode`, a gzip or deflate body is decoded; without, it is returned as sent.
Fetched http_get(const std::string& url, const std::string& header = "", long timeout_ms = 5000,
                 bool decode = true);

}  // namespace provarc::testing
