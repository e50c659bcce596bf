// common/ascii.h: byte-wise ASCII helpers for protocol text (HTTP fields, URLs, robots.txt, HTML
// tag, attribute and charset names, config units): case, digits, hex, white space and trimming.
// Bytes >= 0x80 are never letters, digits or space here, whatever the C locale says, so UTF-8 text
// passes through unchanged. Everything is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace provarc::ascii {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// The value of a hex digit (0-9, a-f, A-F): 0 to 15, or -1 for any other byte.
constexpr int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr bool is_hex_digit(char c) { return hex_value(c) >= 0; }

// White space, three ways, as the standards say:
// - is_space: SP, HT, LF, VT, FF, CR (C's isspace() in the "C" locale);
// - is_html_space: SP, HT, LF, FF, CR (WHATWG "ASCII whitespace", also CSS white space);
// - is_http_space: SP, HT (RFC 9110 5.6.3 OWS, and WARC's header continuation).
constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}
constexpr bool is_http_space(char c) { return c == ' ' || c == '\t'; }

constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// `text` with A-Z lowercased (every other byte as it is).
inline std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower(c);
  return out;
}

// True when `a` and `b` are equal once A-Z are lowercased. Inline: selector matching compares
// attribute names with it for every element.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

// True when `text` starts with `prefix`, A-Z compared case-insensitively.
inline bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// `text` without the leading and trailing bytes for which `is_trimmed(byte)` is true.
template <typename Predicate>
constexpr std::string_view trim(std::string_view text, Predicate is_trimmed) {
  while (!text.empty() && is_trimmed(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_trimmed(text.back())) text.remove_suffix(1);
  return text;
}
// `text` without leading and trailing is_space() bytes.
constexpr std::string_view trim(std::string_view text) { return trim(text, is_space); }

}  // namespace provarc::ascii
