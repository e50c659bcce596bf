#include "tests/support/fixture_sites.h"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "crawler/url_canon.h"

namespace provarc::testing {
namespace {

Result<std::string> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string listing_html(const std::vector<MirroredPage>& pages) {
  std::string html =
      "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tin tức</title>"
      "</head><body><h1>Tin tức</h1><ul>";
  for (const MirroredPage& page : pages) {
    html += "<li><a href=\"" + html_escape(page.target) + "\">" + html_escape(page.file) +
            "</a></li>";
  }
  return html + "</ul></body></html>";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string target_of(const std::string& url) {
  auto target = url_path_and_query(url);
  return target.ok() ? *target : "";
}

Result<std::vector<MirroredPage>> read_fixture_manifest(const std::string& dir) {
  const std::string path = dir + "/manifest.json";
  auto text = read_bytes(path);
  if (!text.ok()) return text.failure();
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) return fail(path + ": expected a JSON array of {file, url, content_type}");
  std::vector<MirroredPage> pages;
  for (size_t i = 0; i < json.size(); ++i) {
    const auto& entry = json[i];
    auto field = [&](const char* key) -> std::string {
      return entry.is_object() && entry.contains(key) && entry[key].is_string()
                 ? entry[key].get<std::string>()
                 : "";
    };
    MirroredPage page{field("file"), field("url"), field("content_type"), ""};
    // The crawler asks for the canonical form of every URL it finds.
    auto canonical = canonicalize_url(page.url);
    if (page.file.empty() || !canonical.ok()) {
      return fail(path + ": entry " + std::to_string(i) +
                  ": expected a \"file\" and an absolute http(s) \"url\"");
    }
    page.target = target_of(*canonical);
    pages.push_back(std::move(page));
  }
  return pages;
}

Status serve_fixture_site(FixtureHost& host, const std::string& dir,
                          const std::vector<MirroredPage>& pages,
                          const std::vector<std::string>& listing_targets) {
  for (const MirroredPage& page : pages) {
    auto body = read_bytes(dir + "/" + page.file);
    if (!body.ok()) return body.failure();
    FixtureResponse response;
    response.body = std::move(*body);
    if (!page.content_type.empty()) response.content_type = page.content_type;
    host.set_route(page.target, Route({response}));
  }
  for (const std::string& target : listing_targets) host.set_page(target, listing_html(pages));
  FixtureResponse robots;
  robots.content_type = "text/plain";
  robots.body = "User-agent: *\nAllow: /\n";
  host.set_route("/robots.txt", Route({robots}));
  host.add_dynamic(resource_route());
  return Status::Ok();
}

}  // namespace provarc::testing
