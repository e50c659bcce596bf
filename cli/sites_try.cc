// `provarc sites try FILE (--url URL | --html PAGE)`: one page read with a site file that may not
// be installed yet, for whoever writes it: which of its rules matched, and the article they give.
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
#include "html/dom.h"
#include "html/text.h"
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

// Which selector of a rule list the page matched, as the extractor tries them: in order, the first
// with an element holding text wins.
struct RuleMatch {
  std::string name;     // "title", "date", ...
  std::string matched;  // the selector's source, "" when none matched
  size_t tried = 0;     // how many selectors the list has
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

// The first selector of `selectors` with an element holding text in `root`.
RuleMatch first_match(const std::string& name, const std::vector<Selector>& selectors,
                      GumboNode* root) {
  RuleMatch match{name, "", selectors.size()};
  for (const Selector& selector : selectors) {
    for (GumboNode* node : selector.select_all(root)) {
      if (!is_blank(text_content(node))) {
        match.matched = selector.source();
        return match;
      }
    }
  }
  return match;
}

// The field rules (kExtractRules' kFieldElements: title, date, updated, author, lead) the page
// matches, read on the page after the chrome rules, as the extractor reads it. (The body rule is
// the extractor's own answer.)
std::vector<RuleMatch> matched_rules(const TriedPage& page, const ExtractRules& rules) {
  DecodedText text = decode_html(page.body, page.content_type);
  std::unique_ptr<Document> doc = Document::parse(text.utf8);
  GumboNode* root = doc->root();
  for (const RuleField& field : kExtractRules) {
    if (field.kind != RuleKind::kChromeElements) continue;
    for (const Selector& selector : rules.*field.selectors) {
      for (GumboNode* node : selector.select_all(root)) remove_node(node);
    }
  }
  std::vector<RuleMatch> matches;
  for (const RuleField& field : kExtractRules) {
    if (field.kind != RuleKind::kFieldElements || field.selectors == &ExtractRules::body) continue;
    matches.push_back(first_match(std::string(field.key), rules.*field.selectors, root));
  }
  return matches;
}

std::string describe(const RuleMatch& match) {
  if (!match.matched.empty()) return match.matched;
  if (match.tried == 0) return "(no " + match.name + " rules)";
  return "(none of " + std::to_string(match.tried) + " matched)";
}

std::string fallback_note(const RuleMatch& match) {
  if (!match.matched.empty()) return "";
  if (match.name == "title") return "; the title comes from <title> minus title_strip";
  if (match.name == "date") return "; dates are looked for in the text near the title";
  if (match.name == "author") return "; a short last body block may be taken as the byline";
  return "";
}

void print_text(const SiteConfig& site, const TriedPage& page, const std::string& role,
                const std::vector<RuleMatch>& matches, const Result<Article>& article) {
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
  std::cout << "\nrules that matched\n";
  std::string body_rule = article.ok() ? article->body_rule : "";
  if (body_rule == "generic") body_rule = "generic fallback (no body rule matched)";
  std::cout << "  body      " << (article.ok() ? body_rule : "none: " + article.error()) << "\n";
  for (const RuleMatch& match : matches) {
    size_t pad = match.name.size() < 10 ? 10 - match.name.size() : 1;  // a rule of any name
    std::cout << "  " << match.name << std::string(pad, ' ') << describe(match)
              << fallback_note(match) << "\n";
  }
  if (!article.ok()) return;
  const Article& a = *article;
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
                const std::vector<RuleMatch>& matches, const Result<Article>& article) {
  OrderedJson rules;
  rules["body"] = article.ok() ? OrderedJson(article->body_rule) : OrderedJson();
  for (const RuleMatch& match : matches) {
    rules[match.name] = match.matched.empty() ? OrderedJson() : OrderedJson(match.matched);
  }
  OrderedJson out;
  out["site"] = site.id;
  out["url"] = page.url.empty() ? OrderedJson() : OrderedJson(page.url);
  out["crawl_role"] = role;
  out["robots"] = page.robots.empty() ? OrderedJson() : OrderedJson(page.robots);
  out["status"] = page.status == 0 ? OrderedJson() : OrderedJson(page.status);
  out["rules"] = rules;
  out["error"] = article.ok() ? OrderedJson() : OrderedJson(article.error());
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
  std::vector<RuleMatch> matches = matched_rules(*page, site->extract);
  Result<Article> article = extract_article(page->body, page->content_type, page->url,
                                            site->extract);
  if (article.ok()) {
    article->site = site->id;
    article->url = page->url;
  }
  if (options.format == "json") {
    print_json(*site, *page, role, matches, article);
  } else {
    print_text(*site, *page, role, matches, article);
  }
  if (!article.ok()) return report(article.error(), kExitFailure);
  return kExitOk;
}

}  // namespace provarc
