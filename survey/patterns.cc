// survey/patterns.cc: URL sets generalised into anchored ICU patterns (survey.h).
#include <algorithm>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "survey/survey.h"

namespace provarc {
namespace {

// A canonical absolute URL cut where patterns generalise it: path segments, and the query's
// parameters in their order (name, value; value "" with has_value false for a bare name).
struct UrlPieces {
  std::vector<std::string> segments;  // path segments, without the leading "/"
  struct Param {
    std::string name, value;
    bool has_value = false;
  };
  std::vector<Param> params;
  bool has_query = false;
};

UrlPieces pieces_of(const std::string& url) {
  UrlPieces out;
  size_t scheme = url.find("://");
  size_t path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  if (path == std::string::npos) return out;
  size_t query = url.find('?', path);
  std::string path_part = url.substr(path + 1, query == std::string::npos ? std::string::npos
                                                                          : query - path - 1);
  for (size_t i = 0;;) {
    size_t slash = path_part.find('/', i);
    out.segments.push_back(path_part.substr(i, slash == std::string::npos ? slash : slash - i));
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  if (query == std::string::npos) return out;
  out.has_query = true;
  for (const std::string& param : split_query(url.substr(query + 1))) {
    size_t eq = param.find('=');
    UrlPieces::Param p;
    p.name = param.substr(0, eq);
    if (eq != std::string::npos) {
      p.has_value = true;
      p.value = param.substr(eq + 1);
    }
    out.params.push_back(std::move(p));
  }
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return ascii::is_digit(c); });
}

// The file extension common to all values (".html", ".aspx"), when there is one and it leaves
// something before it: words a sample of slugs happens to share are not kept.
std::string common_suffix(const std::vector<std::string>& values) {
  size_t dot = values.front().rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string suffix = values.front().substr(dot);
  if (!std::all_of(suffix.begin() + 1, suffix.end(), [](char c) { return ascii::is_alnum(c); })) {
    return "";
  }
  for (const std::string& v : values) {
    if (v.size() <= suffix.size() || v.compare(v.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return "";
    }
  }
  return suffix;
}

// The narrowest class of this module's vocabulary holding every character of `values`.
std::string value_class(const std::vector<std::string>& values, const char* stop) {
  if (std::all_of(values.begin(), values.end(), all_digits)) return "\\d+";
  bool upper = false, other = false;
  for (const std::string& v : values) {
    for (char c : v) {
      if ((c >= 'A' && c <= 'Z')) {
        upper = true;
      } else if (!(c >= 'a' && c <= 'z') && !ascii::is_digit(c) && c != '-') {
        other = true;
      }
    }
  }
  if (other) return std::string("[^") + stop + "]+";
  return upper ? "[A-Za-z0-9-]+" : "[a-z0-9-]+";
}

// One segment or value position over every URL: literal when all agree, else a class, a trailing
// "-<digits>" id and a common suffix kept.
std::string generalise_position(const std::vector<std::string>& values, const char* stop) {
  if (std::all_of(values.begin(), values.end(),
                  [&](const std::string& v) { return v == values.front(); })) {
    return regex_escape(values.front());
  }
  std::string suffix = common_suffix(values);
  std::vector<std::string> stems;
  for (const std::string& v : values) stems.push_back(v.substr(0, v.size() - suffix.size()));
  // "slug-2312": a slug and a numeric id, each generalised.
  bool slug_id = std::all_of(stems.begin(), stems.end(), [](const std::string& s) {
    size_t dash = s.rfind('-');
    return dash != std::string::npos && dash > 0 && all_digits(s.substr(dash + 1));
  });
  if (slug_id) {
    std::vector<std::string> slugs;
    for (const std::string& s : stems) slugs.push_back(s.substr(0, s.rfind('-')));
    return value_class(slugs, stop) + "-\\d+" + regex_escape(suffix);
  }
  return value_class(stems, stop) + regex_escape(suffix);
}

// `value` literal but for its runs of digits ("2026-12-07" -> \d+-\d+-\d+).
std::string number_or_literal(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size();) {
    if (ascii::is_digit(value[i])) {
      while (i < value.size() && ascii::is_digit(value[i])) ++i;
      out += "\\d+";
    } else {
      out += regex_escape(value.substr(i++, 1));
    }
  }
  return out;
}

// A parameter's value over every URL: generalised, or with `numbers_only` a number or literal.
std::string value_pattern(const std::vector<UrlPieces>& all, size_t i, bool numbers_only) {
  std::vector<std::string> column;
  for (const UrlPieces& p : all) column.push_back(p.params[i].value);
  return numbers_only ? number_or_literal(column.front()) : generalise_position(column, "&#");
}

// The query of URLs whose parameters come in any order (a site that shuffles them per page):
// one lookahead per parameter, and with `whole` no parameter but these ("?a=1&b=2" in any order,
// never "&print=1" beside them).
std::string any_order_query(const std::vector<UrlPieces>& all, bool numbers_only, bool whole) {
  std::string out = "\\?", names;
  const UrlPieces& first = all.front();
  for (size_t i = 0; i < first.params.size(); ++i) {
    std::string name = regex_escape(first.params[i].name);
    std::string value = first.params[i].has_value ? "=" + value_pattern(all, i, numbers_only) : "";
    out += "(?=(?:[^#]*&)?" + name + value + "(?:&|#|$))";
    names += (i ? "|" : "") + name;
  }
  if (whole) out += "(?:(?:" + names + ")(?:=[^&#]*)?(?:&|$))+";
  return out;
}

// The pattern of URLs of one structure (same_structure()): each position generalised, or with
// `numbers_only` each number made \d+ and the rest kept literal.
std::string pattern_of(const std::vector<UrlPieces>& all, bool numbers_only, bool any_order,
                       bool whole) {
  std::string out = "^https?://[^/]+";
  const UrlPieces& first = all.front();
  for (size_t i = 0; i < first.segments.size(); ++i) {
    std::vector<std::string> column;
    for (const UrlPieces& p : all) column.push_back(p.segments[i]);
    out += "/" + (numbers_only ? number_or_literal(column.front())
                               : generalise_position(column, "/?#"));
  }
  if (!first.has_query) return out;
  if (any_order && first.params.size() >= 2) return out + any_order_query(all, numbers_only, whole);
  out += "\\?";
  for (size_t i = 0; i < first.params.size(); ++i) {
    if (i > 0) out += "&";
    out += regex_escape(first.params[i].name);
    if (first.params[i].has_value) out += "=" + value_pattern(all, i, numbers_only);
  }
  return out;
}

// With `any_order`, each URL's parameters sorted by name, so that shuffled ones line up.
std::vector<UrlPieces> all_pieces(const std::vector<std::string>& urls, bool any_order) {
  std::vector<UrlPieces> all;
  for (const std::string& u : urls) {
    all.push_back(pieces_of(u));
    if (any_order) {
      std::stable_sort(all.back().params.begin(), all.back().params.end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; });
    }
  }
  return all;
}

// True when every URL has the structure of the first: as many segments, the same parameter names
// in the same order.
bool same_structure(const std::vector<UrlPieces>& all) {
  for (const UrlPieces& p : all) {
    if (p.segments.size() != all.front().segments.size() ||
        p.has_query != all.front().has_query || p.params.size() != all.front().params.size()) {
      return false;
    }
    for (size_t i = 0; i < p.params.size(); ++i) {
      if (p.params[i].name != all.front().params[i].name ||
          p.params[i].has_value != all.front().params[i].has_value) {
        return false;
      }
    }
  }
  return true;
}

std::string after_origin(const std::string& url) {
  size_t scheme = url.find("://");
  size_t path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  return path == std::string::npos ? "/" : url.substr(path);
}

}  // namespace

std::vector<std::string> split_query(const std::string& query) {
  std::vector<std::string> out;
  for (size_t i = 0; i <= query.size();) {
    size_t amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    out.push_back(query.substr(i, amp - i));
    i = amp + 1;
  }
  return out;
}

std::string regex_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string generalise_urls(const std::vector<std::string>& urls,
                            const std::vector<std::string>& not_matching, bool any_order) {
  if (urls.empty()) return "";
  std::vector<UrlPieces> all = all_pieces(urls, any_order);
  if (!same_structure(all)) {
    // Not one shape after all: the literal alternatives, still anchored.
    std::string out = "^https?://[^/]+(?:";
    for (size_t i = 0; i < urls.size(); ++i) out += (i ? "|" : "") + regex_escape(after_origin(urls[i]));
    return out + ")$";
  }
  std::string pattern = pattern_of(all, false, any_order, true);
  if (not_matching.empty()) return pattern + "$";
  // "^https?://[^/]+(?!/tin-tuc\.aspx$|/default\.aspx$)/Pages/[a-z0-9-]+\.aspx$"
  std::string head = "^https?://[^/]+";
  std::string lookahead = "(?!";
  for (size_t i = 0; i < not_matching.size(); ++i) {
    lookahead += (i ? "|" : "") + regex_escape(after_origin(not_matching[i])) + "$";
  }
  return head + lookahead + ")" + pattern.substr(head.size()) + "$";
}

std::string generalise_prefix(const std::vector<std::string>& urls, bool any_order) {
  if (urls.empty()) return "";
  std::vector<UrlPieces> all = all_pieces(urls, any_order);
  if (!same_structure(all)) all.resize(1);
  return pattern_of(all, true, any_order, false);
}

}  // namespace provarc
