#include "archive/cdxj.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/ascii.h"
#include "common/url.h"

namespace provarc {
namespace {

// "www.", "www1.", "www22." at the start of a host.
size_t www_prefix_length(std::string_view host) {
  if (host.substr(0, 3) != "www") return 0;
  size_t i = 3;
  while (i < host.size() && ascii::is_digit(host[i])) ++i;
  return i < host.size() && host[i] == '.' ? i + 1 : 0;
}

std::string sorted_query(std::string_view query) {
  std::vector<std::string> params;
  size_t start = 0;
  while (true) {
    size_t amp = query.find('&', start);
    params.emplace_back(query.substr(start, amp == std::string_view::npos ? amp : amp - start));
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += '&';
    out += params[i];
  }
  return out;
}

}  // namespace

std::string surt(std::string_view url) {
  Result<UrlParts> parts = parse_url(ascii::lowercase(url));
  if (!parts.ok()) return std::string(url);
  std::string_view host = parts->host;
  host.remove_prefix(www_prefix_length(host));
  // Reverse the labels: "sotttt.backan.gov.vn" -> "vn,gov,backan,sotttt".
  std::vector<std::string_view> labels;
  while (true) {
    size_t dot = host.find('.');
    labels.push_back(host.substr(0, dot));
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  std::string key;
  for (size_t i = labels.size(); i-- > 0;) {
    key.append(labels[i]);
    if (i > 0) key += ',';
  }
  if (!parts->port.empty()) key += ":" + parts->port;
  key += ')';
  key += parts->path;
  if (!parts->query.empty()) key += "?" + sorted_query(parts->query);
  return key;
}

std::string cdxj_timestamp(std::string_view warc_date) {
  std::string digits;
  for (char c : warc_date) {
    if (digits.size() == 14) break;
    if (ascii::is_digit(c)) digits += c;
  }
  return digits;
}

std::string cdxj_line(const CdxjEntry& entry) {
  nlohmann::ordered_json block = {{"url", entry.url}};
  if (!entry.mime.empty()) block["mime"] = entry.mime;
  block["status"] = std::to_string(entry.status);
  if (!entry.digest.empty()) block["digest"] = entry.digest;
  block["length"] = std::to_string(entry.length);
  block["offset"] = std::to_string(entry.offset);
  block["filename"] = entry.filename;
  return surt(entry.url) + " " + cdxj_timestamp(entry.date) + " " +
         block.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace provarc
