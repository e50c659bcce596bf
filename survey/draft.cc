// survey/draft.cc: the findings as a commented site TOML and as the summary `sites new` prints
// (survey.h).
#include <sstream>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "survey/survey.h"

namespace provarc {
namespace {

// The placeholder the shipped sites use (docs/config.md "Operators").
constexpr const char* kPlaceholderContact = "https://github.com/provarc/provarc";

// A TOML string: a literal one ('...', backslashes single, as docs/config.md asks for patterns)
// when it can be, else a basic one as toml++ writes it.
std::string quote(const std::string& text) {
  bool literal = text.find('\'') == std::string::npos;
  for (char c : text) literal = literal && (static_cast<unsigned char>(c) >= 0x20 || c == '\t');
  if (literal) return "'" + text + "'";
  std::ostringstream out;
  out << toml::value<std::string>(text);
  return out.str();
}

std::string basic(const std::string& text) {
  std::ostringstream out;
  out << toml::value<std::string>(text);
  return out.str();
}

std::string list(const std::vector<std::string>& items, bool literal) {
  if (items.empty()) return "[]";
  if (items.size() == 1) return "[" + (literal ? quote(items[0]) : basic(items[0])) + "]";
  std::string out = "[\n";
  for (const std::string& item : items) out += "  " + (literal ? quote(item) : basic(item)) + ",\n";
  return out + "]";
}

std::string duration(int64_t ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

// A comment line per item ("# " + text), cut at a readable length.
std::string comment(const std::string& text) {
  std::string cut = text.size() > 160 ? text.substr(0, 157) + "..." : text;
  for (char& c : cut) c = (c == '\n' || c == '\r') ? ' ' : c;
  return "# " + cut + "\n";
}

std::string crawl_section(const SurveyOptions& options, const SurveyFindings& f) {
  std::string out = "\n[crawl]\n";
  out += "delay = " + basic(duration(options.delay_ms)) + "\n";
  if (!f.listing_urls.empty()) {
    out += comment("The page(s) linking the most articles; fetched at every run.");
    out += "listing_urls = " + list(f.listing_urls, false) + "\n";
  }
  if (!f.listing_patterns.empty()) {
    out += comment("Their pagination (" + std::to_string(f.pagination_seen.size()) +
                   " next pages seen, e.g. " + f.pagination_seen.front() + ").");
    out += "listing_url_patterns = " + list(f.listing_patterns, true) + "\n";
  }
  if (!f.article_patterns.empty()) {
    out += comment("Articles: " + std::to_string(f.articles_seen.size()) + " URLs seen, " +
                   std::to_string(f.articles_read) +
                   " pages read as articles (title, text, date); ids and slugs generalised.");
    out += "article_url_patterns = " + list(f.article_patterns, true) + "\n";
  } else if (!f.articles_seen.empty()) {
    out += comment("Articles: the preset's article_url_patterns take all " +
                   std::to_string(f.articles_seen.size()) +
                   " article URLs seen and none of the other pages read; kept.");
  }
  if (!f.strip_query_params.empty()) {
    std::vector<std::string> names;
    for (const Proposal& p : f.strip_query_params) {
      out += comment(p.value + ": " + p.why);
      names.push_back(p.value);
    }
    out += comment("(the crawl would learn these too: docs/crawl-identity.md; stated here, no "
                   "probe is spent)");
    out += "strip_query_params = " + list(names, false) + "\n";
  }
  if (!f.exclude.empty()) {
    out += "\n[crawl.append]\n";
    out += comment("Traps met on the walk, added to the preset's excludes:");
    out += "exclude = [\n";
    for (const Proposal& p : f.exclude) out += "  " + comment(p.why) + "  " + quote(p.value) + ",\n";
    out += "]\n";
  }
  return out;
}

}  // namespace

std::string draft_toml(const SurveyOptions& options, const SurveyFindings& f) {
  std::string out;
  out += comment("Drafted by `provarc sites new " + options.id + " " + options.start_url +
                 "` from " + std::to_string(f.pages_fetched) + " pages.");
  out += comment("Review it: `provarc sites check` this file, then `provarc sites try` it on a "
                 "few articles (README \"Add a province\").");
  out += "id = " + basic(options.id) + "\n";
  if (options.name.empty()) out += comment("Not given (--name): replace with the department's name.");
  out += "name = " + basic(options.name.empty() ? "Sở Thông tin và Truyền thông (" + options.id + ")"
                                                : options.name) + "\n";
  if (options.province.empty()) out += comment("Not given (--province): replace with the province.");
  out += "province = " + basic(options.province.empty() ? options.id : options.province) + "\n";
  for (const std::string& e : f.platform.evidence) out += comment("platform: " + e);
  out += "platform = " + basic(f.platform.platform) + "\n";
  out += "hosts = " + list(f.hosts, false) + "\n";
  out += "start_urls = " + list({f.start_url}, false) + "\n";
  if (options.contact_url.empty()) {
    out += comment("The User-Agent's contact, seen by the site's owners: REPLACE with a page "
                   "where they can reach you before crawling.");
  }
  out += "contact_url = " +
         basic(options.contact_url.empty() ? kPlaceholderContact : options.contact_url) + "\n";
  out += crawl_section(options, f);
  if (!f.date_order.empty()) {
    out += "\n[extract]\n" + comment(f.date_order_why);
    out += "date_order = " + basic(f.date_order) + "\n";
  }
  return out;
}

std::string survey_summary(const SurveyFindings& f) {
  std::ostringstream out;
  out << "platform   " << f.platform.platform << "\n";
  for (const std::string& e : f.platform.evidence) out << "           " << e << "\n";
  out << "pages      " << f.pages_fetched << " fetched\n";
  for (const std::string& u : f.listing_urls) out << "listing    " << u << "\n";
  for (const std::string& p : f.listing_patterns) out << "pagination " << p << "\n";
  for (const std::string& p : f.article_patterns) out << "articles   " << p << "\n";
  if (f.article_patterns.empty()) out << "articles   the preset's article_url_patterns\n";
  out << "           " << f.articles_seen.size() << " article URLs seen, " << f.articles_read
      << " read as articles\n";
  for (const Proposal& p : f.strip_query_params) out << "strip      " << p.value << ": " << p.why << "\n";
  for (const Proposal& p : f.exclude) out << "exclude    " << p.value << ": " << p.why << "\n";
  for (const std::string& t : f.twins) out << "alias      " << t << "\n";
  if (!f.date_order.empty()) out << "dates      " << f.date_order << ": " << f.date_order_why << "\n";
  for (const SampleArticle& s : f.samples) {
    const Article& a = s.article;
    const Provenance& p = a.provenance;
    out << "\nsample     " << s.url << "\n"
        << "  title     " << (a.title.empty() ? "(none)" : a.title) << "   [" << p.title << "]\n"
        << "  published " << a.published.value_or("(none)") << "   ["
        << (p.published.empty() ? "none found" : p.published) << "]\n"
        << "  author    " << a.author.value_or("(none)") << "   ["
        << (p.author.empty() ? "none found" : p.author) << "]\n"
        << "  body      " << a.blocks.size() << " blocks   [" << p.body << "]\n";
  }
  return out.str();
}

}  // namespace provarc
