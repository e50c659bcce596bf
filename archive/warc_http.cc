#include "archive/warc_http.h"

#include <cstring>

#include "common/ascii.h"

namespace provarc {
namespace {

constexpr std::string_view kOrigPrefix = "X-Archive-Orig-";

// RFC 9110 5.6.2 tchar.
bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (ascii::is_alnum(c)) continue;
    if (std::strchr("!#$%&'*+-.^_`|~", c) == nullptr || c == 0) return false;
  }
  return true;
}

std::string safe_value(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return out;
}

// Trimmed from header names and values: OWS, and a CR that a CR CR LF line end leaves.
bool is_field_space(char c) { return ascii::is_http_space(c) || c == '\r'; }
std::string_view trim(std::string_view s) { return ascii::trim(s, is_field_space); }

// The next line of `block` from `pos` (without its CRLF or LF); advances `pos` past it. False
// when the block ends before a line ending.
bool next_line(std::string_view block, size_t& pos, std::string_view& line) {
  size_t newline = block.find('\n', pos);
  if (newline == std::string_view::npos) return false;
  line = block.substr(pos, newline - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos = newline + 1;
  return true;
}

// Parses the header lines after the start line, up to and including the empty line.
Result<HttpHead> parse_head(std::string_view block, std::string_view what) {
  HttpHead head;
  size_t pos = 0;
  std::string_view line;
  if (!next_line(block, pos, line)) return fail(std::string(what) + " has no complete start line");
  head.start_line = std::string(line);
  while (true) {
    if (!next_line(block, pos, line)) {
      return fail(std::string(what) + " headers do not end with an empty line");
    }
    if (line.empty()) break;
    if ((line.front() == ' ' || line.front() == '\t') && !head.headers.empty()) {
      head.headers.back().value += " " + std::string(trim(line));  // obs-fold
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a header: skipped
    head.headers.push_back(
        {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  head.body_offset = pos;
  return head;
}

}  // namespace

Result<std::string> normalize_warc_date(std::string_view text) {
  // YYYY-MM-DDThh:mm:ss then an optional fraction, then Z.
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  auto bad = [&] {
    return fail("\"" + std::string(text.substr(0, 40)) +
                "\" is not a WARC date (expected YYYY-MM-DDThh:mm:ss[.fff]Z)");
  };
  if (text.size() < kShape.size() + 1 || text.back() != 'Z') return bad();
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !ascii::is_digit(text[i]) : text[i] != kShape[i]) return bad();
  }
  std::string_view fraction = text.substr(kShape.size(), text.size() - kShape.size() - 1);
  if (!fraction.empty()) {
    if (fraction.front() != '.' || fraction.size() < 2 || fraction.size() > 10) return bad();
    fraction.remove_prefix(1);
    for (char c : fraction) {
      if (!ascii::is_digit(c)) return bad();
    }
  }
  std::string millis(fraction.substr(0, 3));
  millis.resize(3, '0');
  return std::string(text.substr(0, kShape.size())) + "." + millis + "Z";
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
  }
  return "";
}

std::vector<HttpHeader> headers_for_record(const std::vector<HttpHeader>& headers,
                                           std::optional<int64_t> payload_size,
                                           std::string_view default_type) {
  std::vector<HttpHeader> out;
  bool has_length = false, has_type = false;
  for (const HttpHeader& h : headers) {
    if (!is_token(h.name)) continue;
    std::string value = safe_value(h.value);
    has_type |= ascii::iequals(h.name, "Content-Type");
    if (ascii::iequals(h.name, "Content-Encoding") ||
        ascii::iequals(h.name, "Transfer-Encoding")) {
      out.push_back({std::string(kOrigPrefix) + h.name, value});
    } else if (payload_size && ascii::iequals(h.name, "Content-Length")) {
      has_length = true;
      if (value != std::to_string(*payload_size)) {
        out.push_back({std::string(kOrigPrefix) + h.name, value});
        out.push_back({"Content-Length", std::to_string(*payload_size)});
      } else {
        out.push_back({h.name, value});
      }
    } else {
      out.push_back({h.name, value});
    }
  }
  std::string added;
  if (!has_type && !default_type.empty()) {
    out.push_back({"Content-Type", safe_value(default_type)});
    added = "Content-Type";
  }
  if (payload_size && !has_length) {
    out.push_back({"Content-Length", std::to_string(*payload_size)});
    added += added.empty() ? "Content-Length" : ", Content-Length";
  }
  if (!added.empty()) out.push_back({std::string(kSynthesizedHeader), added});
  return out;
}

std::vector<HttpHeader> original_headers(const std::vector<HttpHeader>& headers) {
  auto is_orig = [](const HttpHeader& h, std::string_view name) {
    return h.name.size() == kOrigPrefix.size() + name.size() &&
           ascii::iequals(std::string_view(h.name).substr(0, kOrigPrefix.size()),
                              kOrigPrefix) &&
           ascii::iequals(std::string_view(h.name).substr(kOrigPrefix.size()), name);
  };
  // The names of the synthesized headers, each dropped once (the last of that name: they were
  // appended after the server's).
  std::vector<std::string> synthesized;
  for (const HttpHeader& h : headers) {
    if (!ascii::iequals(h.name, kSynthesizedHeader)) continue;
    std::string_view list = h.value;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view name = trim(list.substr(0, comma));
      if (!name.empty()) synthesized.emplace_back(name);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  std::vector<bool> drop(headers.size(), false);
  for (const std::string& name : synthesized) {
    for (size_t i = headers.size(); i-- > 0;) {
      if (!drop[i] && ascii::iequals(headers[i].name, name)) {
        drop[i] = true;
        break;
      }
    }
  }
  bool length_replaced = false;
  for (const HttpHeader& h : headers) length_replaced |= is_orig(h, "Content-Length");
  std::vector<HttpHeader> out;
  for (size_t i = 0; i < headers.size(); ++i) {
    const HttpHeader& h = headers[i];
    if (drop[i] || ascii::iequals(h.name, kSynthesizedHeader)) continue;
    if (length_replaced && ascii::iequals(h.name, "Content-Length")) continue;
    if (is_orig(h, "Content-Length") || is_orig(h, "Content-Encoding") ||
        is_orig(h, "Transfer-Encoding")) {
      out.push_back({h.name.substr(kOrigPrefix.size()), h.value});
    } else {
      out.push_back(h);
    }
  }
  return out;
}

std::string http_head(std::string_view start_line, const std::vector<HttpHeader>& headers) {
  std::string head(start_line);
  head += "\r\n";
  for (const HttpHeader& h : headers) head += h.name + ": " + h.value + "\r\n";
  head += "\r\n";
  return head;
}

Result<HttpHead> parse_response_head(std::string_view block) {
  Result<HttpHead> head = parse_head(block, "HTTP response");
  if (!head.ok()) return head;
  // "HTTP/1.1 200 OK": a version, a space, three digits, then a space or the end.
  std::string_view line = head->start_line;
  size_t space = line.find(' ');
  if (line.substr(0, 5) != "HTTP/" || space == std::string_view::npos || line.size() < space + 4 ||
      !ascii::is_digit(line[space + 1]) || !ascii::is_digit(line[space + 2]) ||
      !ascii::is_digit(line[space + 3]) ||
      (line.size() > space + 4 && line[space + 4] != ' ')) {
    return fail("HTTP response has a malformed status line \"" + std::string(line.substr(0, 60)) +
                "\"");
  }
  head->version = std::string(line.substr(0, space));
  head->status =
      (line[space + 1] - '0') * 100 + (line[space + 2] - '0') * 10 + (line[space + 3] - '0');
  return head;
}

Result<HttpHead> parse_request_head(std::string_view block) {
  Result<HttpHead> head = parse_head(block, "HTTP request");
  if (!head.ok()) return head;
  std::string_view line = head->start_line;
  size_t first = line.find(' ');
  size_t last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) {
    return fail("HTTP request has a malformed request line \"" + std::string(line.substr(0, 60)) +
                "\"");
  }
  head->version = std::string(line.substr(last + 1));
  return head;
}

Result<std::string> decode_chunked(std::string_view body, int64_t max_bytes) {
  std::string out;
  size_t pos = 0;
  while (true) {
    std::string_view line;
    if (!next_line(body, pos, line)) return fail("chunked body ends inside a chunk size line");
    line = trim(line.substr(0, line.find(';')));
    if (line.empty() || line.size() > 15) return fail("chunked body has a malformed chunk size");
    uint64_t size = 0;
    for (char c : line) {
      int digit = ascii::hex_value(c);
      if (digit < 0) return fail("chunked body has a malformed chunk size");
      size = size * 16 + static_cast<uint64_t>(digit);
    }
    if (size == 0) return out;  // the last chunk; trailers are ignored
    if (size > body.size() - pos) return fail("chunked body is truncated");
    if (static_cast<int64_t>(out.size() + size) > max_bytes) {
      return fail("chunked body is larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(body.substr(pos, size));
    pos += size;
    // The CRLF after the chunk's data.
    if (body.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (body.substr(pos, 1) == "\n") {
      pos += 1;
    } else {
      return fail("chunked body has no line ending after a chunk");
    }
  }
}

}  // namespace provarc
