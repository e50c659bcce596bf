#include "tests/support/http_get.h"

namespace provarc::testing {
namespace {

size_t append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

Fetched http_get(const std::string& url, const std::string& header, long timeout_ms, bool decode) {
  Fetched f;
  CURL* easy = curl_easy_init();
  curl_slist* headers = header.empty() ? nullptr : curl_slist_append(nullptr, header.c_str());
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  if (decode) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &f.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &f.headers);
  if (headers) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  f.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &f.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return f;
}

}  // namespace provarc::testing
