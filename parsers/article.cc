// parsers/article.cc: the article's text and its JSON, written directly (the bytes are a contract)
// and read back with nlohmann's parser.
#include "parsers/article.h"

#include <array>

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>
#include <vector>

#include "html/text.h"

namespace provarc {
namespace {

// Reading goes through nlohmann's parser.
using Json = nlohmann::ordered_json;

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

// ---------------------------------------------------------------------------------------------
// Writing: the article's JSON is written directly, byte for byte as nlohmann::ordered_json's
// dump(indent, ' ', false, error_handler_t::replace) writes it. Those bytes are stored in the
// archive and hashed to detect changed versions, so they must not change; building an nlohmann
// object first cost about a tenth of the whole extraction.

// Appends the escape of ASCII character `c`: the short forms JSON has, else \u00XX for the other
// control characters.
void append_escape(unsigned char c, std::string* out) {
  switch (c) {
    case '"': *out += "\\\""; return;
    case '\\': *out += "\\\\"; return;
    case '\b': *out += "\\b"; return;
    case '\f': *out += "\\f"; return;
    case '\n': *out += "\\n"; return;
    case '\r': *out += "\\r"; return;
    case '\t': *out += "\\t"; return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(escape, sizeof escape);
    }
  }
}

// Appends `text` as a JSON string: quotes, backslashes and control characters escaped, other
// characters kept as UTF-8, each ill-formed sequence replaced by U+FFFD. What needs no change is
// copied in runs, not character by character.
void append_json_string(std::string_view text, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  out->push_back('"');
  size_t copied = 0;  // text[copied, i) is still to be copied as it is
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    size_t bad = 1;
    if (c >= 0x80) {
      size_t length = utf8_sequence_length(p + i, n - i, &bad);
      if (length > 0) {
        i += length;
        continue;
      }
    }
    out->append(text.data() + copied, i - copied);
    if (c >= 0x80) {
      *out += "\xEF\xBF\xBD";
    } else {
      append_escape(c, out);
    }
    i += bad;
    copied = i;
  }
  out->append(text.data() + copied, n - copied);
  out->push_back('"');
}

// Writes JSON objects, arrays, strings and nulls laid out as nlohmann's dump(indent) lays them
// out: one line when `indent` < 0, else one member per line indented by `indent` spaces a level,
// with empty arrays as "[]".
class JsonWriter {
 public:
  explicit JsonWriter(int indent) : indent_(indent) {}

  void reserve(size_t bytes) { out_.reserve(bytes); }

  // Opens an object ('{') or an array ('[') as the next value.
  void open(char bracket) {
    before_value();
    out_ += bracket;
    empty_.push_back(true);
  }
  // Closes the innermost object ('}') or array (']').
  void close(char bracket) {
    bool empty = empty_.back();
    empty_.pop_back();
    if (!empty) new_line();
    out_ += bracket;
  }
  // Starts an object member; its value comes next.
  void key(std::string_view name) {
    before_element();
    append_json_string(name, &out_);
    out_ += indent_ >= 0 ? ": " : ":";
    after_key_ = true;
  }
  void string(std::string_view value) {
    before_value();
    append_json_string(value, &out_);
  }
  void string_or_null(std::optional<std::string_view> value) {
    if (!value) {
      before_value();
      out_ += "null";
    } else {
      string(*value);
    }
  }
  // An object of two string members, as the blocks, images and attachments are.
  void pair(std::string_view key1, std::string_view value1, std::string_view key2,
            std::string_view value2) {
    open('{');
    key(key1);
    string(value1);
    key(key2);
    string(value2);
    close('}');
  }

  std::string take() { return std::move(out_); }

 private:
  // A value follows its key directly; in an array it is an element of its own.
  void before_value() {
    if (after_key_) {
      after_key_ = false;
    } else if (!empty_.empty()) {
      before_element();
    }
  }
  void before_element() {
    if (!empty_.back()) out_ += ',';
    empty_.back() = false;
    new_line();
  }
  void new_line() {
    if (indent_ < 0) return;
    out_ += '\n';
    out_.append(empty_.size() * static_cast<size_t>(indent_), ' ');
  }

  const int indent_;
  std::string out_;
  std::vector<bool> empty_;  // per open object or array: nothing written in it yet
  bool after_key_ = false;
};

// The provenance's fields with their JSON names, in the contract's order.
template <typename P>
auto provenance_fields(P& p) {
  using S = decltype(&p.body);
  return std::array<std::pair<const char*, S>, 6>{{{"body", &p.body},
                                                    {"title", &p.title},
                                                    {"published", &p.published},
                                                    {"updated", &p.updated},
                                                    {"author", &p.author},
                                                    {"lead", &p.lead}}};
}

}  // namespace

std::vector<std::string> Provenance::fallbacks() const {
  std::vector<std::string> fields;
  for (const auto& [field, source] : provenance_fields(*this)) {
    if (source->rfind("fallback:", 0) == 0) fields.push_back(field);
  }
  return fields;
}

std::string Article::text() const {
  std::string out;
  for (const Block& b : blocks) {
    if (!out.empty()) out += "\n\n";
    out += b.text;
  }
  return out;
}

std::string article_to_json(const Article& a, int indent) {
  size_t text_bytes = 0;
  for (const Block& b : a.blocks) text_bytes += b.text.size() + 32;
  JsonWriter json(indent);
  json.reserve(2 * text_bytes + a.title.size() + 1024);
  json.open('{');
  json.key("site");
  json.string_or_null(a.site.empty() ? std::nullopt : std::optional<std::string_view>(a.site));
  json.key("url");
  json.string_or_null(a.url.empty() ? std::nullopt : std::optional<std::string_view>(a.url));
  json.key("title");
  json.string_or_null(a.title.empty() ? std::nullopt : std::optional<std::string_view>(a.title));
  json.key("published");
  json.string_or_null(a.published);
  json.key("updated");
  json.string_or_null(a.updated);
  json.key("author");
  json.string_or_null(a.author);
  json.key("blocks");
  json.open('[');
  for (const Block& b : a.blocks) json.pair("kind", b.kind, "text", b.text);
  json.close(']');
  json.key("text");
  json.string(a.text());
  json.key("images");
  json.open('[');
  for (const Image& i : a.images) json.pair("url", i.url, "caption", i.caption);
  json.close(']');
  json.key("attachments");
  json.open('[');
  for (const Attachment& t : a.attachments) json.pair("url", t.url, "text", t.text);
  json.close(']');
  json.key("parser_version");
  json.string(a.parser_version);
  json.key("provenance");
  json.open('{');
  for (const auto& [field, source] : provenance_fields(a.provenance)) {
    json.key(field);
    json.string_or_null(source->empty() ? std::nullopt
                                        : std::optional<std::string_view>(*source));
  }
  json.close('}');
  json.close('}');
  return json.take();
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
  if (j.contains("provenance")) {
    const Json& p = j.at("provenance");
    if (!p.is_object()) return fail("article JSON: key \"provenance\": expected an object");
    for (const auto& [field, source] : provenance_fields(a.provenance)) {
      auto v = read_optional(p, field);
      if (!v.ok()) return fail("article JSON: provenance: " + v.error());
      *source = v->value_or("");
    }
  }
  return a;
}

}  // namespace provarc
