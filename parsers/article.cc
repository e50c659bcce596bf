#include "parsers/article.h"

#include <nlohmann/json.hpp>

namespace provarc {
namespace {

using Json = nlohmann::ordered_json;

Json optional_string(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

Result<std::optional<std::string>> read_optional(const Json& j, const char* key) {
  if (!j.contains(key)) return fail(std::string("missing key \"") + key + "\"");
  const Json& v = j.at(key);
  if (v.is_null()) return std::optional<std::string>();
  if (!v.is_string()) return fail(std::string("key \"") + key + "\": expected a string or null");
  return std::optional<std::string>(v.get<std::string>());
}

Result<std::vector<std::pair<std::string, std::string>>> read_pairs(const Json& j, const char* key,
                                                                    const char* a, const char* b) {
  if (!j.contains(key) || !j.at(key).is_array()) {
    return fail(std::string("key \"") + key + "\": expected an array");
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const Json& item : j.at(key)) {
    if (!item.is_object() || !item.contains(a) || !item.contains(b) || !item.at(a).is_string() ||
        !item.at(b).is_string()) {
      return fail(std::string("key \"") + key + "\": expected objects with string \"" + a +
                  "\" and \"" + b + "\"");
    }
    out.emplace_back(item.at(a).get<std::string>(), item.at(b).get<std::string>());
  }
  return out;
}

}  // namespace

std::string Article::text() const {
  std::string out;
  for (const Block& b : blocks) {
    if (!out.empty()) out += "\n\n";
    out += b.text;
  }
  return out;
}

std::string article_to_json(const Article& a, int indent) {
  Json j;
  j["site"] = a.site.empty() ? Json(nullptr) : Json(a.site);
  j["url"] = a.url.empty() ? Json(nullptr) : Json(a.url);
  j["title"] = a.title.empty() ? Json(nullptr) : Json(a.title);
  j["published"] = optional_string(a.published);
  j["updated"] = optional_string(a.updated);
  j["author"] = optional_string(a.author);
  j["blocks"] = Json::array();
  for (const Block& b : a.blocks) j["blocks"].push_back({{"kind", b.kind}, {"text", b.text}});
  j["text"] = a.text();
  j["images"] = Json::array();
  for (const Image& i : a.images) j["images"].push_back({{"url", i.url}, {"caption", i.caption}});
  j["attachments"] = Json::array();
  for (const Attachment& t : a.attachments) {
    j["attachments"].push_back({{"url", t.url}, {"text", t.text}});
  }
  j["parser_version"] = a.parser_version;
  // Invalid UTF-8 cannot reach here (decode_html repairs it), but never throw on it.
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Result<Article> article_from_json(std::string_view text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail("article JSON: not a JSON object");
  Article a;
  for (const char* key : {"site", "url", "title"}) {
    auto v = read_optional(j, key);
    if (!v.ok()) return fail("article JSON: " + v.error());
    std::string s = v->value_or("");
    if (std::string_view(key) == "site") a.site = s;
    else if (std::string_view(key) == "url") a.url = s;
    else a.title = s;
  }
  auto published = read_optional(j, "published");
  auto updated = read_optional(j, "updated");
  auto author = read_optional(j, "author");
  for (auto* r : {&published, &updated, &author}) {
    if (!r->ok()) return fail("article JSON: " + r->error());
  }
  a.published = *published;
  a.updated = *updated;
  a.author = *author;
  auto blocks = read_pairs(j, "blocks", "kind", "text");
  auto images = read_pairs(j, "images", "url", "caption");
  auto attachments = read_pairs(j, "attachments", "url", "text");
  for (auto* r : {&blocks, &images, &attachments}) {
    if (!r->ok()) return fail("article JSON: " + r->error());
  }
  for (auto& [k, t] : *blocks) a.blocks.push_back({k, t});
  for (auto& [u, c] : *images) a.images.push_back({u, c});
  for (auto& [u, t] : *attachments) a.attachments.push_back({u, t});
  if (!j.contains("parser_version") || !j.at("parser_version").is_string()) {
    return fail("article JSON: key \"parser_version\": expected a string");
  }
  a.parser_version = j.at("parser_version").get<std::string>();
  return a;
}

}  // namespace provarc
