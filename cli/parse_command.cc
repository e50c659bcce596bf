// `provarc parse`: extract articles from saved pages, no archive involved.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "cli/rules.h"
#include "parsers/extract.h"

namespace provarc {
namespace {

struct ParseOptions {
  std::string site;
  std::string platform;
  std::string url;
  std::string content_type;
  std::string format = "json";
  std::vector<std::string> files;
};

Result<std::string> read_input(const std::string& path) {
  if (path == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return data;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open file");
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return fail(path + ": read error");
  return data.str();
}

void print_text(const Article& a) {
  std::cout << "Title: " << a.title << "\n";
  if (a.published) std::cout << "Published: " << *a.published << "\n";
  if (a.updated) std::cout << "Updated: " << *a.updated << "\n";
  if (a.author) std::cout << "Author: " << *a.author << "\n";
  if (!a.url.empty()) std::cout << "URL: " << a.url << "\n";
  std::cout << "\n" << a.text() << "\n";
  for (const Image& i : a.images) {
    std::cout << "\n[image] " << i.url << (i.caption.empty() ? "" : " — " + i.caption);
  }
  for (const Attachment& t : a.attachments) std::cout << "\n[attachment] " << t.url << " — " << t.text;
  if (!a.images.empty() || !a.attachments.empty()) std::cout << "\n";
}

int run_parse(const ParseOptions& opts, const GlobalOptions& global) {
  auto rules = opts.site.empty() ? rules_for_platform(global, opts.platform)
                                 : rules_for_site(global, opts.site);
  if (!rules.ok()) {
    std::cerr << "provarc parse: " << rules.error() << "\n";
    return kExitUsage;
  }
  int exit_code = kExitOk;
  bool first = true;
  for (const std::string& file : opts.files) {
    auto bytes = read_input(file);
    if (!bytes.ok()) {
      std::cerr << "provarc parse: " << bytes.error() << "\n";
      exit_code = kExitFailure;
      continue;
    }
    auto article = extract_article(*bytes, opts.content_type, opts.url, *rules);
    if (!article.ok()) {
      std::cerr << "provarc parse: " << (file == "-" ? "<stdin>" : file) << ": " << article.error()
                << "\n";
      exit_code = kExitFailure;
      continue;
    }
    article->site = opts.site;
    if (!article->truncated.empty()) {
      std::cerr << "provarc parse: " << (file == "-" ? "<stdin>" : file) << ": "
                << article->truncated << "\n";
    }
    if (opts.format == "text") {
      if (!first) std::cout << "\n----\n\n";
      print_text(*article);
    } else {
      std::cout << article_to_json(*article, -1) << "\n";
    }
    first = false;
  }
  std::cout.flush();
  return exit_code;
}

}  // namespace

void add_parse_command(CLI::App& app, GlobalOptions& global) {
  auto opts = std::make_shared<ParseOptions>();
  CLI::App* cmd = app.add_subcommand("parse", "extract the article of saved HTML pages");
  auto* site = cmd->add_option("--site", opts->site, "site id (config/sites/<id>.toml)");
  auto* platform = cmd->add_option("--platform", opts->platform,
                                   "platform preset (sharepoint, websphere, aspnet, liferay, generic)");
  site->excludes(platform);
  cmd->add_option("--url", opts->url, "the page's URL (resolves relative links)");
  cmd->add_option("--content-type", opts->content_type,
                  "the HTTP Content-Type the page was served with (for its charset)");
  cmd->add_option("--format", opts->format, "json (one object per line) or text")
      ->check(CLI::IsMember({"json", "text"}));
  cmd->add_option("files", opts->files, "HTML files; - reads standard input")->required();
  cmd->callback([opts, &global, site, platform] {
    if (site->count() == 0 && platform->count() == 0) {
      throw CLI::RequiredError("--site or --platform");
    }
    global.exit_code = run_parse(*opts, global);
  });
}

}  // namespace provarc
