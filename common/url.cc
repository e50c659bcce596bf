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
    return fail("malformed URL " + quoted_for_message(url));
  }
  CurlUrl u(curl_url());
  if (!u) return fail("out of memory parsing URL");
  std::string s(url);
  CURLUcode rc =
      curl_url_set(u.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
  if (rc != CURLUE_OK) {
    return fail("malformed URL " + quoted_for_message(url) + ": " + curl_url_strerror(rc));
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

std::string quoted_for_message(std::string_view s) {
  // Keep error messages one line and bounded, whatever the input.
  std::string out = "\"";
  for (char c : s.substr(0, 200)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (s.size() > 200) out += "...";
  return out + "\"";
}

Result<UrlParts> parse_url(std::string_view url) {
  auto u = parse_curl_url(url);
  if (!u.ok()) return u.failure();
  UrlParts parts;
  parts.scheme = curl_url_part(u->get(), CURLUPART_SCHEME);
  if (!is_http(parts.scheme)) return fail("not an http(s) URL " + quoted_for_message(url));
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
    return fail("base is not an http(s) URL " + quoted_for_message(base));
  }
  if (ref.find('\0') != std::string_view::npos) {
    return fail("malformed link " + quoted_for_message(ref));
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
    return fail("malformed link " + quoted_for_message(ref) + " on " + quoted_for_message(base) +
                ": " + curl_url_strerror(rc));
  }
  if (!is_http(curl_url_part(u->get(), CURLUPART_SCHEME))) {
    return fail("not an http(s) link " + quoted_for_message(ref));
  }
  std::string out = curl_url_part(u->get(), CURLUPART_URL);
  if (out.empty()) return fail("cannot resolve link " + quoted_for_message(ref));
  // curl decodes escapes in the host, then writes the bytes raw: "a%7Fb" comes out as a host
  // holding DEL, which no parser (curl included) accepts. Such a link names no reachable host.
  if (!parse_curl_url(out).ok()) {
    return fail("malformed link " + quoted_for_message(ref) + " on " + quoted_for_message(base));
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
