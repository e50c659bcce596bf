#include "common/url.h"

#include "common/ascii.h"
#include "common/curl_url.h"

namespace provarc {
namespace {

bool is_http(const std::string& scheme) { return scheme == "http" || scheme == "https"; }

}  // namespace

Result<CurlUrl> parse_curl_url(std::string_view url) {
  // curl_url_set needs a NUL-terminated string; URLs with embedded NULs are malformed anyway.
  if (url.find('\0') != std::string_view::npos) {
    return fail("malformed URL " + in_quotes(url));
  }
  CurlUrl u(curl_url());
  if (!u) return fail("out of memory parsing URL");
  std::string s(url);
  CURLUcode rc =
      curl_url_set(u.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
  if (rc != CURLUE_OK) {
    return fail("malformed URL " + in_quotes(url) + ": " + curl_url_strerror(rc));
  }
  return u;
}

std::string curl_url_part(CURLU* u, CURLUPart part, unsigned flags) {
  char* text = nullptr;
  if (curl_url_get(u, part, &text, flags) != CURLUE_OK || text == nullptr) return "";
  std::string result(text);
  curl_free(text);
  return result;
}

Result<UrlParts> parse_url(std::string_view url) {
  auto u = parse_curl_url(url);
  if (!u.ok()) return u.failure();
  UrlParts parts;
  parts.scheme = curl_url_part(u->get(), CURLUPART_SCHEME);
  if (!is_http(parts.scheme)) return fail("not an http(s) URL " + in_quotes(url));
  parts.host = ascii::lowercase(curl_url_part(u->get(), CURLUPART_HOST));
  parts.port = curl_url_part(u->get(), CURLUPART_PORT);
  if ((parts.scheme == "http" && parts.port == "80") ||
      (parts.scheme == "https" && parts.port == "443")) {
    parts.port.clear();
  }
  parts.path = curl_url_part(u->get(), CURLUPART_PATH);
  if (parts.path.empty()) parts.path = "/";
  parts.query = curl_url_part(u->get(), CURLUPART_QUERY);
  parts.fragment = curl_url_part(u->get(), CURLUPART_FRAGMENT);
  return parts;
}

Result<std::string> resolve_url(std::string_view base, std::string_view ref) {
  auto u = parse_curl_url(base);
  if (!u.ok()) return fail("cannot resolve against base: " + u.error());
  if (!is_http(curl_url_part(u->get(), CURLUPART_SCHEME))) {
    return fail("base is not an http(s) URL " + in_quotes(base));
  }
  if (ref.find('\0') != std::string_view::npos) {
    return fail("malformed link " + in_quotes(ref));
  }
  // Browsers strip leading/trailing C0 controls and spaces, and remove tabs and newlines.
  std::string cleaned;
  for (char c : ref) {
    if (c != '\t' && c != '\n' && c != '\r') cleaned += c;
  }
  size_t b = 0, e = cleaned.size();
  while (b < e && static_cast<unsigned char>(cleaned[b]) <= 0x20) ++b;
  while (e > b && static_cast<unsigned char>(cleaned[e - 1]) <= 0x20) --e;
  cleaned = cleaned.substr(b, e - b);
  CURLUcode rc = curl_url_set(u->get(), CURLUPART_URL, cleaned.c_str(),
                              CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
  if (rc != CURLUE_OK) {
    return fail("malformed link " + in_quotes(ref) + " on " + in_quotes(base) +
                ": " + curl_url_strerror(rc));
  }
  if (!is_http(curl_url_part(u->get(), CURLUPART_SCHEME))) {
    return fail("not an http(s) link " + in_quotes(ref));
  }
  std::string out = curl_url_part(u->get(), CURLUPART_URL);
  if (out.empty()) return fail("cannot resolve link " + in_quotes(ref));
  // curl decodes escapes in the host, then writes the bytes raw: "a%7Fb" comes out as a host
  // holding DEL, which no parser (curl included) accepts. Such a link names no reachable host.
  if (!parse_curl_url(out).ok()) {
    return fail("malformed link " + in_quotes(ref) + " on " + in_quotes(base));
  }
  return out;
}

Result<std::string> url_authority(std::string_view url) {
  auto parts = parse_url(url);
  if (!parts.ok()) return parts.failure();
  std::string authority = parts->host;
  if (!parts->port.empty()) authority += ":" + parts->port;
  return authority;
}

int percent_decoded_at(std::string_view text, size_t pos) {
  if (pos + 2 >= text.size() || text[pos] != '%') return -1;
  int high = ascii::hex_value(text[pos + 1]);
  int low = ascii::hex_value(text[pos + 2]);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

void append_percent_encoded(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

}  // namespace provarc
