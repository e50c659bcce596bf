#include "crawler/url_canon.h"

#include "common/ascii.h"
#include "common/curl_url.h"
#include "common/url.h"

namespace provarc {
namespace {

// Bytes that may stand raw in a path or query (RFC 3986 pchar, '/', '?', and '%' escapes are
// handled by the caller). Everything else is escaped.
bool may_stay_raw(unsigned char c) {
  if (is_unreserved(static_cast<char>(c))) return true;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
    case ';': case '=': case ':': case '@': case '/': case '?':
      return true;
    default:
      return false;
  }
}

bool named_in(const std::string& name, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    if (ascii::lowercase(n) == name) return true;
  }
  return false;
}

// True when the path parameter starting at `param` ("name=value...") is a session to remove.
bool is_path_session(std::string_view param, const CanonRules& rules) {
  size_t eq = param.find('=');
  if (eq == std::string_view::npos) return false;
  std::string name = ascii::lowercase(param.substr(0, eq));
  if (named_in(name, rules.keep_query_params)) return false;
  return name == "jsessionid" || named_in(name, rules.strip_path_params);
}

// Removes ";jsessionid=..." parameters (and the rules' other path parameters) from path segments,
// and ASP.NET cookieless session segments such as "/(S(lit3py55t21z5v55vlm25s55))/": both put a
// session in the path.
std::string strip_path_sessions(std::string_view path, const CanonRules& rules) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    size_t slash = path.find('/', i + 1);
    std::string_view segment = path.substr(i, slash == std::string_view::npos ? path.size() - i
                                                                              : slash - i);
    i += segment.size();
    // `segment` starts with '/' (the path always does).
    std::string_view name = segment.substr(1);
    if (name.size() > 5 && name.front() == '(' && name.back() == ')' && name[2] == '(' &&
        std::string_view("SAFsaf").find(name[1]) != std::string_view::npos) {
      continue;  // "(S(...))", "(A(...))", "(F(...))"
    }
    size_t semi = 0;
    std::string kept(segment);
    size_t from = 0;
    while ((semi = kept.find(';', from)) != std::string::npos) {
      size_t end = kept.find(';', semi + 1);
      std::string_view param = std::string_view(kept).substr(
          semi + 1, end == std::string::npos ? std::string_view::npos : end - semi - 1);
      if (is_path_session(param, rules)) {
        kept.erase(semi, end == std::string::npos ? std::string::npos : end - semi);
      } else {
        from = semi + 1;
      }
    }
    out += kept;
  }
  return out.empty() ? "/" : out;
}

bool all_hex(std::string_view s) {
  for (char c : s) {
    if (!ascii::is_hex_digit(c)) return false;
  }
  return true;
}

// True for query parameters that carry a session and never identify a resource.
bool is_session_param(const std::string& name, std::string_view value) {
  static const char* const kNames[] = {"jsessionid", "phpsessid", "cfid", "cftoken",
                                       "sessionid", "session_id", "oscsid"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  if (name.rfind("aspsessionid", 0) == 0) return true;
  return name == "sid" && value.size() == 32 && all_hex(value);
}

std::string normalize_query(std::string_view query, const CanonRules& rules) {
  std::string out;
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string param = normalize_percent_encoding(query.substr(i, amp - i));
    i = amp + 1;
    if (param.empty()) continue;
    size_t eq = param.find('=');
    std::string name = ascii::lowercase(param.substr(0, eq));
    std::string_view value =
        eq == std::string::npos ? std::string_view() : std::string_view(param).substr(eq + 1);
    bool drop = (is_session_param(name, value) || named_in(name, rules.strip_query_params)) &&
                !named_in(name, rules.keep_query_params);
    if (drop) continue;
    if (!out.empty()) out += '&';
    out += param;
  }
  return out;
}

Result<CurlUrl> parse(std::string_view url) {
  auto u = parse_curl_url(url);
  if (!u.ok()) return u.failure();
  std::string scheme = ascii::lowercase(curl_url_part(u->get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return fail("not an http(s) URL " + in_quotes(url));
  }
  return u;
}

// curl writes an IPv4 host in dotted decimal ("0x9", "011" and "9" are all "0.0.0.9"), but only
// when it sees one: "9." (whose dot host_of() then drops) and "%39" (which curl decodes) pass as
// they are. Asking curl again about a host that could be a number gives the form that a second
// canonicalisation would give.
std::string numeric_host_as_curl_writes_it(const std::string& host) {
  if (host.empty() || host.find_first_not_of("0123456789abcdefx.") != std::string::npos) {
    return host;
  }
  CurlUrl u(curl_url());
  const std::string url = "http://" + host + "/";
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return host;
  std::string written = ascii::lowercase(curl_url_part(u.get(), CURLUPART_HOST));
  return written.empty() ? host : written;
}

// curl decodes escapes in a host and then accepts some bytes it would refuse raw: "a%25aa" is the
// host "a%aa", which read again would be "a\xaa", and "a%7F" holds a DEL that curl refuses raw.
// Those bytes are escaped again so that the canonical URL reads back as the same host.
std::string escape_host_bytes(const std::string& host) {
  std::string out;
  for (char c : host) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte == '%' || byte < 0x20 || byte == 0x7f) {
      append_percent_encoded(out, byte);
    } else {
      out += c;
    }
  }
  return out;
}

std::string host_of(CURLU* u) {
  // Not CURLU_PUNYCODE: libcurl converts through the process locale, and a canonical form must
  // not depend on the environment. Internationalised hosts stay in UTF-8 (ASCII lowercased).
  std::string host = ascii::lowercase(curl_url_part(u, CURLUPART_HOST));
  while (host.size() > 1 && host.back() == '.') host.pop_back();  // "a.." too
  return escape_host_bytes(numeric_host_as_curl_writes_it(host));
}

std::string origin_of(CURLU* u) {
  std::string scheme = ascii::lowercase(curl_url_part(u, CURLUPART_SCHEME));
  std::string port = curl_url_part(u, CURLUPART_PORT);
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port.clear();
  std::string origin = scheme + "://" + host_of(u);
  if (!port.empty()) origin += ":" + port;
  return origin;
}

// RFC 3986 5.2.4 on a path that starts with '/'. curl removes the dot segments it sees, but
// "%2E%2E" becomes ".." only in normalize_percent_encoding() and "..;jsessionid=1" only in
// strip_path_sessions(), both after curl: without this pass a canonical URL could still hold
// dot segments, and canonicalising it again would change it.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t begin = 1;
  while (true) {
    size_t slash = path.find('/', begin);
    bool last = slash == std::string_view::npos;
    std::string_view segment = path.substr(begin, last ? std::string_view::npos : slash - begin);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      if (last) segments.push_back("");  // "/a/b/.." is "/a/"
    } else if (segment == ".") {
      if (last) segments.push_back("");
    } else {
      segments.push_back(segment);
    }
    if (last) break;
    begin = slash + 1;
  }
  std::string out;
  for (std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  return out.empty() ? "/" : out;
}

}  // namespace

std::string normalize_percent_encoding(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '%') {
      int decoded = percent_decoded_at(text, i);
      if (decoded < 0) {
        out += "%25";
        continue;
      }
      if (is_unreserved(static_cast<char>(decoded))) {
        out += static_cast<char>(decoded);
      } else {
        append_percent_encoded(out, static_cast<unsigned char>(decoded));
      }
      i += 2;
    } else if (may_stay_raw(c)) {
      out += static_cast<char>(c);
    } else {
      append_percent_encoded(out, c);
    }
  }
  return out;
}

Result<std::string> canonicalize_url(std::string_view url,
                                     const std::vector<std::string>& strip_query_params) {
  CanonRules rules;
  rules.strip_query_params = strip_query_params;
  return canonicalize_url(url, rules);
}

Result<std::string> canonicalize_url(std::string_view url, const CanonRules& rules) {
  auto u = parse(url);
  if (!u.ok()) return u.failure();
  std::string path = curl_url_part(u->get(), CURLUPART_PATH);
  if (path.empty() || path[0] != '/') path = "/" + path;
  path = remove_dot_segments(normalize_percent_encoding(strip_path_sessions(path, rules)));
  std::string query = normalize_query(curl_url_part(u->get(), CURLUPART_QUERY), rules);
  std::string out = origin_of(u->get()) + path;
  if (!query.empty()) out += "?" + query;
  return out;
}

Result<std::string> url_path_and_query(std::string_view url) {
  auto u = parse(url);
  if (!u.ok()) return u.failure();
  std::string path = curl_url_part(u->get(), CURLUPART_PATH);
  if (path.empty()) path = "/";
  std::string query = curl_url_part(u->get(), CURLUPART_QUERY);
  return query.empty() ? path : path + "?" + query;
}

Result<std::string> url_origin(std::string_view url) {
  auto u = parse(url);
  if (!u.ok()) return u.failure();
  return origin_of(u->get());
}

}  // namespace provarc
