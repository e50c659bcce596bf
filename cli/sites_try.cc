// `provarc sites try FILE (--url URL | --html PAGE)`: one page read with a site file that may not
// be installed yet, for whoever writes it: which rule or generic finder decided each field (the
// extractor's own provenance), and the article they give.
// With --url the page is fetched as the crawler would (crawler/fetch_one.h); with --html it is
// read from disk and nothing touches the network.
#include <fstream>
#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/ingest.h"
#include "cli/rules.h"
#include "cli/run_report.h"
#include "config/config.h"
#include "crawler/fetch_one.h"
#include "crawler/scope.h"
#include "parsers/extract.h"

namespace provarc {
namespace {

using OrderedJson = nlohmann::ordered_json;

// A page to read: its bytes and how they were obtained.
struct TriedPage {
  std::string url;           // "" when unknown (--html without --url)
  std::string content_type;
  std::string body;
  std::string robots;        // --url: how robots.txt allowed the fetch
  int status = 0;            // --url: the HTTP status
  std::string redirect;      // --url: where a 3xx pointed
};

Result<std::string> read_page_file(const std::string& path, int64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open the page file");
  std::string bytes(static_cast<size_t>(max_bytes) + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return fail(path + ": read error");
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (static_cast<int64_t>(bytes.size()) > max_bytes) {
    return fail(path + ": larger than the site's max_body_bytes (" + std::to_string(max_bytes) +
                " bytes); the crawler would not keep it either");
  }
  return bytes;
}

Result<TriedPage> page_from_file(const SitesTryOptions& options, const SiteConfig& site) {
  auto body = read_page_file(options.html_file, site.crawl.max_body_bytes);
  if (!body.ok()) return body.failure();
  TriedPage page;
  page.url = options.url;
  page.content_type = options.content_type;
  page.body = std::move(*body);
  return page;
}

Result<TriedPage> page_from_web(const SitesTryOptions& options, const SiteConfig& site) {
  auto fetched = fetch_one(site, options.url);
  if (!fetched.ok()) return fetched.failure();
  TriedPage page;
  page.url = fetched->capture.url;
  page.content_type = header_value(fetched->capture.response_headers, "Content-Type");
  page.body = std::move(fetched->capture.body);
  page.robots = fetched->robots;
  page.status = fetched->capture.status;
  page.redirect = fetched->capture.redirect_target;
  return page;
}

// What the crawl would make of `url`: "article", "listing", "start or listing URL", "other page",
// or why it is out of the site's scope.
std::string crawl_role(const SiteConfig& site, const std::string& url) {
  if (url.empty()) return "unknown (no --url)";
  SiteScope scope(site);
  auto canonical = scope.canonicalize(url);
  if (!canonical.ok()) return "not crawlable: " + canonical.error();
  for (const std::string& seed : site.start_urls) {
    auto s = scope.canonicalize(seed);
    if (s.ok() && *s == *canonical) return "start or listing URL";
  }
  for (const std::string& seed : site.crawl.listing_urls) {
    auto s = scope.canonicalize(seed);
    if (s.ok() && *s == *canonical) return "start or listing URL";
  }
  std::string rejection = scope.page_rejection(*canonical, 0);
  if (!rejection.empty()) return "out of the crawl's scope: " + rejection;
  switch (scope.role_of(*canonical)) {
    case PageRole::kArticle: return "article (matches article_url_patterns)";
    case PageRole::kListing: return "listing (matches listing_url_patterns)";
    case PageRole::kSeed: return "start or listing URL";
    case PageRole::kOther: return "other page (followed for its links, not extracted)";
  }
  return "other page";
}

// What a provenance value means for whoever writes the site file.
std::string explain(const std::string& field, const std::string& source) {
  if (source.empty()) return "(none found)";
  if (source.rfind("fallback:", 0) == 0) {
    return source + "  <- the " + field + " rules gave nothing plausible: fix them";
  }
  return source;
}

void print_text(const SiteConfig& site, const TriedPage& page, const std::string& role,
                const Result<Article>& article) {
  std::cout << "site        " << site.id << " (" << site.platform << " preset), parser "
            << parser_version(site.extract) << "\n";
  std::cout << "url         " << (page.url.empty() ? "(none)" : page.url) << "\n";
  std::cout << "crawl role  " << role << "\n";
  if (!page.robots.empty()) {
    std::cout << "robots.txt  " << page.robots << "\n";
    std::cout << "fetched     HTTP " << page.status << ", " << human_bytes(page.body.size())
              << ", " << (page.content_type.empty() ? "no Content-Type" : page.content_type)
              << "\n";
  }
  if (!article.ok()) {
    std::cout << "\nno article: " << article.error() << "\n";
    return;
  }
  const Article& a = *article;
  // The extractor's own trace: which rule or generic finder decided each field.
  const Provenance& p = a.provenance;
  std::cout << "\nhow each field was found\n";
  for (const auto& [field, source] :
       {std::pair<const char*, const std::string*>{"body", &p.body}, {"title", &p.title},
        {"published", &p.published}, {"updated", &p.updated}, {"author", &p.author},
        {"lead", &p.lead}}) {
    std::string name = field;
    std::cout << "  " << name << std::string(10 - name.size(), ' ') << explain(name, *source)
              << "\n";
  }
  std::cout << "\narticle\n";
  std::cout << "  title     " << (a.title.empty() ? "(none)" : a.title) << "\n";
  std::cout << "  published " << a.published.value_or("(none)") << "\n";
  std::cout << "  updated   " << a.updated.value_or("(none)") << "\n";
  std::cout << "  author    " << a.author.value_or("(none)") << "\n";
  std::cout << "  blocks    " << a.blocks.size() << ", images " << a.images.size()
            << ", attachments " << a.attachments.size() << "\n\n";
  std::cout << a.text() << "\n";
}

void print_json(const SiteConfig& site, const TriedPage& page, const std::string& role,
                const Result<Article>& article) {
  OrderedJson out;
  out["site"] = site.id;
  out["url"] = page.url.empty() ? OrderedJson() : OrderedJson(page.url);
  out["crawl_role"] = role;
  out["robots"] = page.robots.empty() ? OrderedJson() : OrderedJson(page.robots);
  out["status"] = page.status == 0 ? OrderedJson() : OrderedJson(page.status);
  out["error"] = article.ok() ? OrderedJson() : OrderedJson(article.error());
  // The article's JSON holds its provenance: the extractor's own trace, not a second reading.
  out["article"] = article.ok() ? OrderedJson::parse(article_to_json(*article, -1))
                                : OrderedJson();
  std::cout << out.dump(2, ' ', false, OrderedJson::error_handler_t::replace) << "\n";
}

}  // namespace

int run_sites_try(const SitesTryOptions& options, const GlobalOptions& global) {
  auto report = [](const std::string& message, int code) {
    std::cerr << "provarc sites try: " << message << "\n";
    return code;
  };
  if (options.html_file.empty() && options.url.empty()) {
    return report("give --url URL (fetched politely) or --html FILE (read offline)", kExitUsage);
  }
  auto site = load_site(options.site_file, platforms_dir(global));
  if (!site.ok()) return report(site.error(), kExitUsage);
  auto page = options.html_file.empty() ? page_from_web(options, *site)
                                        : page_from_file(options, *site);
  if (!page.ok()) return report(page.error(), kExitFailure);
  if (!page->redirect.empty()) {
    return report(page->url + ": HTTP " + std::to_string(page->status) + " redirects to " +
                      page->redirect + "; try that URL",
                  kExitFailure);
  }
  if (page->status != 0 && (page->status < 200 || page->status > 299)) {
    return report(page->url + ": HTTP " + std::to_string(page->status) + "; no page to read",
                  kExitFailure);
  }
  std::string role = crawl_role(*site, page->url);
  Result<Article> article = extract_article(page->body, page->content_type, page->url,
                                            site->extract);
  if (article.ok()) {
    article->site = site->id;
    article->url = page->url;
  }
  if (options.format == "json") {
    print_json(*site, *page, role, article);
  } else {
    print_text(*site, *page, role, article);
  }
  if (!article.ok()) return report(article.error(), kExitFailure);
  return kExitOk;
}

}  // namespace provarc
