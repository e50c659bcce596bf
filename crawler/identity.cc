#include "crawler/identity.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/url.h"

namespace provarc {
namespace {

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int byte = percent_decoded_at(s, i);
    if (byte >= 0) {
      out += static_cast<char>(byte);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// A canonical URL cut at its query: "scheme://authority/path" and the query without '?'.
struct Split {
  std::string head;
  std::string query;
};

Split split(const std::string& url) {
  size_t q = url.find('?');
  if (q == std::string::npos) return {url, ""};
  return {url.substr(0, q), url.substr(q + 1)};
}

std::vector<std::string> query_params(const std::string& query) {
  std::vector<std::string> params;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    if (amp > start) params.push_back(query.substr(start, amp - start));
    start = amp + 1;
  }
  return params;
}

std::string param_name(const std::string& param) {
  return ascii::lowercase(param.substr(0, param.find('=')));
}

std::string join_query(const std::string& head, const std::vector<std::string>& params) {
  std::string out = head;
  for (size_t i = 0; i < params.size(); ++i) out += (i == 0 ? "?" : "&") + params[i];
  return out;
}

// Where the path starts in a canonical URL (after "scheme://authority").
size_t path_start(const std::string& head) {
  size_t scheme = head.find("://");
  if (scheme == std::string::npos) return head.size();
  size_t slash = head.find('/', scheme + 3);
  return slash == std::string::npos ? head.size() : slash;
}

}  // namespace

SiteIdentity::SiteIdentity(const SiteConfig& site) : site_(&site) {
  base_.strip_query_params = site.crawl.strip_query_params;
  base_.keep_query_params = site.crawl.keep_query_params;
  std::vector<std::string> raw = site.start_urls;
  raw.insert(raw.end(), site.crawl.listing_urls.begin(), site.crawl.listing_urls.end());
  for (const std::string& url : raw) {
    if (auto canonical = canonicalize_url(url, base_); canonical.ok()) seeds_.insert(*canonical);
  }
}

const CanonRules& SiteIdentity::rules_for(const std::string& host) const {
  auto it = per_host_.find(host);
  return it == per_host_.end() ? base_ : it->second;
}

Result<std::string> SiteIdentity::canonicalize(std::string_view url) const {
  if (per_host_.empty()) return canonicalize_url(url, base_);
  auto authority = url_authority(url);
  if (!authority.ok()) return canonicalize_url(url, base_);  // fails the same way, naming it
  // The learned rules are applied to the URL's canonical form, whose authority is lowercase.
  return canonicalize_url(url, rules_for(ascii::lowercase(*authority)));
}

bool SiteIdentity::keeps(const std::string& param) const {
  const std::string name = ascii::lowercase(param);
  return std::any_of(base_.keep_query_params.begin(), base_.keep_query_params.end(),
                     [&](const std::string& k) { return ascii::iequals(k, name); });
}

bool SiteIdentity::drops(const std::string& host, const std::string& param,
                         bool path_param) const {
  const CanonRules& rules = rules_for(host);
  const auto& names = path_param ? rules.strip_path_params : rules.strip_query_params;
  const std::string name = ascii::lowercase(param);
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return ascii::lowercase(n) == name; });
}

bool SiteIdentity::learn(const LearnedSession& session) {
  if (keeps(session.param) || drops(session.host, session.param, session.path_param)) return false;
  auto [it, added] = per_host_.try_emplace(session.host, base_);
  CanonRules& rules = it->second;
  (session.path_param ? rules.strip_path_params : rules.strip_query_params)
      .push_back(session.param);
  learned_.push_back(session);
  return true;
}

std::string SiteIdentity::folded(const std::string& url) const {
  if (!site_->crawl.case_insensitive_paths) return url;
  Split parts = split(url);
  size_t path = path_start(parts.head);
  std::string head = parts.head.substr(0, path) + ascii::lowercase(parts.head.substr(path));
  std::vector<std::string> params = query_params(parts.query);
  for (std::string& p : params) {
    size_t eq = p.find('=');
    p = ascii::lowercase(p.substr(0, eq)) + (eq == std::string::npos ? "" : p.substr(eq));
  }
  return join_query(head, params);
}

IdentityKey SiteIdentity::key_of(const std::string& url, PageRole role) const {
  const bool fold = site_->crawl.case_insensitive_paths;
  if (role == PageRole::kArticle) {
    for (const Pattern& pattern : site_->crawl.article_key) {
      auto match = pattern.search(url);
      if (!match) continue;
      std::string key = "key:";
      for (size_t g = 1; g < match->groups.size(); ++g) {
        std::string part = percent_decoded(match->groups[g]);
        key += (g > 1 ? "|" : "") + (fold ? ascii::lowercase(part) : part);
      }
      return {key, "article_key " + pattern.source()};
    }
  }
  if (role == PageRole::kListing) {
    Split parts = split(url);
    std::vector<std::string> params = query_params(parts.query);
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].size() < 2 || params[i].substr(params[i].size() - 2) != "=1") continue;
      std::vector<std::string> rest = params;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
      std::string first_page = join_query(parts.head, rest);
      if (seeds_.count(first_page)) return {folded(first_page), "page 1 of " + first_page};
    }
  }
  std::string key = folded(url);
  return {key, key == url ? "url" : "path case"};
}

std::string without_param(const std::string& url, const std::string& param, bool path_param) {
  const std::string name = ascii::lowercase(param);
  Split parts = split(url);
  if (!path_param) {
    std::vector<std::string> params = query_params(parts.query);
    params.erase(std::remove_if(params.begin(), params.end(),
                                [&](const std::string& p) { return param_name(p) == name; }),
                 params.end());
    return join_query(parts.head, params);
  }
  std::string head = parts.head;
  for (size_t semi = head.find(';'); semi != std::string::npos; semi = head.find(';', semi)) {
    size_t end = head.find_first_of(";/", semi + 1);
    std::string item = head.substr(semi + 1, end == std::string::npos ? std::string::npos
                                                                       : end - semi - 1);
    if (param_name(item) == name) {
      head.erase(semi, end == std::string::npos ? std::string::npos : end - semi);
    } else {
      ++semi;
    }
  }
  return join_query(head, query_params(parts.query));
}

std::string param_value(const std::string& url, const std::string& param, bool path_param,
                        bool* found) {
  const std::string name = ascii::lowercase(param);
  Split parts = split(url);
  *found = false;
  std::vector<std::string> items;
  if (path_param) {
    for (size_t semi = parts.head.find(';'); semi != std::string::npos;
         semi = parts.head.find(';', semi + 1)) {
      size_t end = parts.head.find_first_of(";/", semi + 1);
      items.push_back(parts.head.substr(
          semi + 1, end == std::string::npos ? std::string::npos : end - semi - 1));
    }
  } else {
    items = query_params(parts.query);
  }
  for (const std::string& item : items) {
    if (param_name(item) != name) continue;
    *found = true;
    size_t eq = item.find('=');
    return eq == std::string::npos ? "" : item.substr(eq + 1);
  }
  return "";
}

bool differs_only_in_query(const std::string& a, const std::string& b) {
  return a != b && split(a).head == split(b).head;
}

namespace {

bool is_twin_segment(const std::string& lower) {
  for (const char* marker : {"m", "mobile", "print", "printer", "in", "in-bai", "inbai", "ban-in",
                             "amp"}) {
    if (lower == marker) return true;
  }
  return false;
}

// A page (the last path segment) named as a print rendering: Print.aspx, PrintNews.aspx,
// NewsPrint.aspx, InBai.aspx, in-tin.html.
bool is_twin_page(const std::string& lower) {
  std::string stem = lower.substr(0, lower.find('.'));
  if (stem.size() < 4 || stem.size() == lower.size()) return false;  // a file name, not a slug
  if (stem.rfind("print", 0) == 0) return true;
  if (stem.size() >= 5 && stem.compare(stem.size() - 5, 5, "print") == 0) return true;
  return stem == "inbai" || stem == "in-bai" || stem == "intin" || stem == "in-tin";
}

std::string twin_parameter(const std::string& param) {
  const std::string name = param_name(param);
  size_t eq = param.find('=');
  if (eq == std::string::npos) return "";
  const std::string value = ascii::lowercase(percent_decoded(param.substr(eq + 1)));
  const bool yes = value == "1" || value == "true" || value == "yes";
  if ((name == "print" || name == "printview" || name == "mobile") && yes) return param;
  for (const char* named : {"layout", "view", "mode", "format", "p_p_mode", "presentationtemplate",
                            "pt"}) {
    if (name != named) continue;
    if (value.find("print") != std::string::npos || value.find("inbai") != std::string::npos ||
        value.find("in-bai") != std::string::npos) {
      return param;
    }
  }
  return "";
}

}  // namespace

std::string twin_marker(const std::string& url) {
  const Split parts = split(url);
  const size_t path = path_start(parts.head);
  const size_t scheme = parts.head.find("://");
  if (scheme != std::string::npos) {
    std::string host = ascii::lowercase(parts.head.substr(scheme + 3, path - scheme - 3));
    if (host.rfind("m.", 0) == 0) return "host " + host;
  }
  const std::string path_part = parts.head.substr(path);
  for (size_t i = 1; i < path_part.size();) {
    size_t slash = path_part.find('/', i);
    const bool last = slash == std::string::npos;
    if (last) slash = path_part.size();
    const std::string segment = path_part.substr(i, slash - i);
    const std::string lower = ascii::lowercase(segment);
    if (!last && is_twin_segment(lower)) return "path segment /" + segment + "/";
    if (last && is_twin_page(lower)) return "page " + segment;
    i = slash + 1;
  }
  for (const std::string& param : query_params(parts.query)) {
    if (std::string marker = twin_parameter(param); !marker.empty()) return "parameter " + marker;
  }
  return "";
}

}  // namespace provarc
