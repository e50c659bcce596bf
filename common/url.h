// common/url.h: URL parsing and resolution, done by libcurl's curl_url() (RFC 3986), shared by
// the parsers (resolving links in a page) and the crawler (canonicalisation, scope).
#pragma once

#include <string>
#include <string_view>

#include "common/ascii.h"
#include "common/result.h"

namespace provarc {

// The parts of an absolute URL as curl_url() splits them. Empty when absent; `port` is empty when
// the URL uses its scheme's default port.
struct UrlParts {
  std::string scheme;  // lowercase
  std::string host;    // lowercase
  std::string port;
  std::string path;    // at least "/"
  std::string query;   // without '?'
  std::string fragment;
};

// Parses an absolute http(s) URL. Fails, naming the URL, when it is relative or malformed.
Result<UrlParts> parse_url(std::string_view url);

// Resolves `ref` (absolute, relative, protocol-relative) against the absolute URL `base`, as a
// browser would. Fails, naming both, when `base` is not absolute or `ref` is malformed.
// Non-http(s) schemes (javascript:, mailto:, data:) fail too: they are never fetched.
Result<std::string> resolve_url(std::string_view base, std::string_view ref);

// "host" or "host:port" (port only when not the scheme's default): the politeness key.
Result<std::string> url_authority(std::string_view url);

// `text` without the C0 controls and spaces the URL standard strips from both ends of a URL before
// parsing it (an href of " /a\n" is "/a").
constexpr std::string_view trim_url(std::string_view text) {
  return ascii::trim(text, [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

// Percent-encoding (RFC 3986 2.1), for the normalisations of crawler/url_canon.h and
// crawler/robots.h.
// - is_unreserved: RFC 3986 2.3 ALPHA / DIGIT / "-" / "." / "_" / "~", which never need escaping;
// - percent_decoded_at: the byte a "%XY" at text[pos] stands for, or -1 when there is none;
// - append_percent_encoded: "%XY" for `byte`, with the uppercase digits RFC 3986 2.1 recommends.
constexpr bool is_unreserved(char c) {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
int percent_decoded_at(std::string_view text, size_t pos);
void append_percent_encoded(std::string& out, unsigned char byte);

}  // namespace provarc
