#include "crawler/links.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <unordered_set>

#include "common/ascii.h"
#include "common/url.h"
#include "html/dom.h"
#include "html/text.h"

namespace provarc {
namespace {

std::string drop_fragment(std::string url) {
  size_t hash = url.find('#');
  if (hash != std::string::npos) url.erase(hash);
  return url;
}

// Collects resolved, deduplicated URLs up to kMaxLinksPerDocument, and counts those past it.
class UrlCollector {
 public:
  explicit UrlCollector(std::vector<std::string>& out) : out_(out) {}
  bool full() const { return out_.size() >= kMaxLinksPerDocument; }
  size_t dropped() const { return dropped_; }
  void add(std::string_view base, std::string_view ref) {
    ref = trim_url(ref);
    if (ref.empty() || ref[0] == '#') return;
    if (full()) {
      ++dropped_;
      return;
    }
    auto resolved = resolve_url(base, ref);
    if (!resolved.ok()) return;
    std::string url = drop_fragment(std::move(*resolved));
    if (seen_.insert(url).second) out_.push_back(std::move(url));
  }

 private:
  std::vector<std::string>& out_;
  std::unordered_set<std::string> seen_;
  size_t dropped_ = 0;
};

// Decodes XML's five named entities and numeric references; CDATA sections are unwrapped.
// Anything unknown is kept as written.
std::string decode_xml_text(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 9) == "<![CDATA[") {
      size_t end = text.find("]]>", i + 9);
      if (end == std::string_view::npos) end = text.size();
      out.append(text.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i++];
      continue;
    }
    std::string name(text.substr(i + 1, semi - i - 1));
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      append_utf8(std::strtoul(name.c_str() + (hex ? 2 : 1), nullptr, hex ? 16 : 10), &out);
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi + 1;
  }
  return out;
}

// The local name of the tag starting at text[lt] ('<'), lowercase, without a namespace prefix;
// "" for comments, processing instructions and closing tags.
std::string tag_at(std::string_view text, size_t lt) {
  size_t i = lt + 1;
  if (i >= text.size() || !ascii::is_alpha(text[i])) return "";
  std::string name;
  while (i < text.size() && (ascii::is_alnum(text[i]) ||
                             text[i] == ':' || text[i] == '-' || text[i] == '_')) {
    char c = ascii::to_lower(text[i++]);
    if (c == ':') name.clear(); else name += c;
  }
  return name;
}

void parse_xml_sitemap(std::string_view body, std::string_view base, UrlCollector& pages,
                       UrlCollector& sitemaps) {
  bool in_sitemap_entry = false;  // inside <sitemap> (an index entry) rather than <url>
  size_t i = 0;
  // Read to the end past the caps, to count what they drop (linear in the body, which is capped).
  while ((i = body.find('<', i)) != std::string_view::npos) {
    if (body.substr(i, 4) == "<!--") {
      size_t end = body.find("-->", i + 4);
      if (end == std::string_view::npos) return;
      i = end + 3;
      continue;
    }
    std::string tag = tag_at(body, i);
    size_t close = body.find('>', i);
    if (close == std::string_view::npos) return;
    if (tag == "sitemap") in_sitemap_entry = true;
    if (tag == "url") in_sitemap_entry = false;
    if (tag != "loc") {
      i = close + 1;
      continue;
    }
    // The text runs to the next "</": a CDATA section may hold '<' but not "</".
    size_t end = body.find("</", close + 1);
    if (end == std::string_view::npos) return;
    std::string loc = decode_xml_text(body.substr(close + 1, end - close - 1));
    (in_sitemap_entry ? sitemaps : pages).add(base, loc);
    i = end + 2;
  }
}

void parse_text_sitemap(std::string_view body, std::string_view base, UrlCollector& pages) {
  size_t i = 0;
  while (i < body.size()) {
    size_t eol = body.find('\n', i);
    if (eol == std::string_view::npos) eol = body.size();
    std::string_view line = trim_url(body.substr(i, eol - i));
    i = eol + 1;
    if (ascii::istarts_with(line, "http://") || ascii::istarts_with(line, "https://")) {
      pages.add(base, line);
    }
  }
}

// True when the rel attribute of `node` holds `token` (ASCII case-insensitive).
bool has_rel(const GumboNode* node, std::string_view token) {
  std::string rel = attr(node, "rel");
  size_t i = 0;
  while (i < rel.size()) {
    while (i < rel.size() && static_cast<unsigned char>(rel[i]) <= 0x20) ++i;
    size_t end = i;
    while (end < rel.size() && static_cast<unsigned char>(rel[end]) > 0x20) ++end;
    if (ascii::iequals(std::string_view(rel).substr(i, end - i), token)) return true;
    i = end;
  }
  return false;
}

uint64_t mix64(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

// MinHash of the word 3-shingles of `text` (words: runs of ASCII letters and digits and of bytes
// >= 0x80, so Vietnamese letters count; ASCII letters lowercased).
PageFingerprint fingerprint_of(std::string_view text) {
  std::vector<uint64_t> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(fnv1a(word));
    word.clear();
  };
  for (char c : text) {
    unsigned char b = static_cast<unsigned char>(c);
    if (ascii::is_alnum(c) || b >= 0x80) {
      word += ascii::to_lower(c);
    } else {
      flush();
    }
  }
  flush();
  PageFingerprint print;
  print.minimum.fill(UINT64_MAX);
  const size_t width = std::min<size_t>(3, words.size());
  for (size_t i = 0; width > 0 && i + width <= words.size(); ++i) {
    uint64_t shingle = 0;
    for (size_t k = 0; k < width; ++k) shingle = mix64(shingle ^ words[i + k]);
    ++print.shingles;
    for (int h = 0; h < PageFingerprint::kHashes; ++h) {
      uint64_t v = mix64(shingle + 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(h + 1));
      print.minimum[h] = std::min(print.minimum[h], v);
    }
  }
  return print;
}

}  // namespace

bool is_html(std::string_view content_type, std::string_view body) {
  std::string type;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (!ascii::is_space(c)) type += ascii::to_lower(c);
  }
  if (type == "text/html" || type == "application/xhtml+xml") return true;
  if (!type.empty() && type != "application/octet-stream") return false;
  // No usable type: sniff, as browsers do, for markup at the start.
  std::string_view start = trim_url(body.substr(0, 1024));
  return ascii::istarts_with(start, "<!doctype html") || ascii::istarts_with(start, "<html") ||
         ascii::istarts_with(start, "<head") || ascii::istarts_with(start, "<body");
}

std::vector<std::string> extract_links(std::string_view body, std::string_view content_type,
                                       std::string_view page_url, size_t* dropped) {
  PageSignals page = read_page(body, content_type, page_url);
  if (dropped != nullptr) *dropped = page.links_dropped;
  return std::move(page.links);
}

double PageFingerprint::similarity(const PageFingerprint& other) const {
  if (shingles == 0 || other.shingles == 0) return 0.0;
  int equal = 0;
  for (int i = 0; i < kHashes; ++i) equal += minimum[i] == other.minimum[i];
  return static_cast<double>(equal) / kHashes;
}

PageSignals read_page(std::string_view body, std::string_view content_type,
                      std::string_view page_url) {
  PageSignals page;
  DecodedText text = decode_html(body, content_type);
  std::unique_ptr<Document> doc = Document::parse(text.utf8);
  const std::string base = document_base_url(*doc, page_url);
  UrlCollector collector(page.links);
  walk(doc->root(), [&](GumboNode* node) {
    if (!is_element(node)) return true;
    std::string tag = tag_name(node);
    if (tag == "a" || tag == "area") collector.add(base, attr(node, "href"));
    if (tag == "frame" || tag == "iframe") collector.add(base, attr(node, "src"));
    if (tag == "link" && page.canonical.empty() && has_rel(node, "canonical")) {
      std::string href(ascii::trim(attr(node, "href")));
      if (!href.empty()) {
        auto resolved = resolve_url(base, href);
        if (resolved.ok()) page.canonical = drop_fragment(std::move(*resolved));
      }
    }
    return true;
  });
  page.fingerprint = fingerprint_of(text_content(doc->root()));
  page.links_dropped = collector.dropped();
  return page;
}

SitemapUrls parse_sitemap(std::string_view body, std::string_view sitemap_url, bool cut_off) {
  SitemapUrls urls;
  UrlCollector pages(urls.pages);
  UrlCollector sitemaps(urls.sitemaps);
  std::string_view start = body;
  if (start.substr(0, 3) == "\xEF\xBB\xBF") start.remove_prefix(3);
  start = trim_url(start);
  if (!start.empty() && start[0] == '<') {
    parse_xml_sitemap(start, sitemap_url, pages, sitemaps);
  } else {
    // Only whole lines of a cut body (npos + 1: a cut first line leaves nothing).
    if (cut_off) start = start.substr(0, start.rfind('\n') + 1);
    parse_text_sitemap(start, sitemap_url, pages);
  }
  urls.dropped = pages.dropped() + sitemaps.dropped();
  return urls;
}

}  // namespace provarc
