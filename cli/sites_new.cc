// `provarc sites new ID URL ...`: wires survey/ (the drafting) to crawler/fetch_one.h's
// PoliteFetcher (robots.txt first, the delay kept) and to `sites check`'s validation.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/rules.h"
#include "common/capture.h"
#include "common/url.h"
#include "config/config.h"
#include "common/units.h"
#include "crawler/fetch_one.h"
#include "crawler/fetcher.h"
#include "survey/survey.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

// The survey's pages, fetched as `sites try --url` fetches one.
class PoliteSource : public PageSource {
 public:
  PoliteSource(const SiteConfig& site, Transport& transport) : fetcher_(site, transport) {}
  Result<FetchedPage> get(const std::string& url) override {
    auto one = fetcher_.fetch(url);
    if (!one.ok()) return one.failure();
    FetchedPage page;
    page.url = one->capture.url.empty() ? url : one->capture.url;
    page.status = one->capture.status;
    page.content_type = header_value(one->capture.response_headers, "Content-Type");
    page.location = one->capture.redirect_target;
    page.body = std::move(one->capture.body);
    return page;
  }

 private:
  PoliteFetcher fetcher_;
};

// A fresh directory for the intermediate drafts, removed with it.
struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "provarc-sites-new-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

int report(const std::string& message, int code) {
  std::cerr << "provarc sites new: " << message << "\n";
  return code;
}

}  // namespace

int run_sites_new(const SitesNewOptions& options, const GlobalOptions& global) {
  if (!is_config_name(options.id)) {
    return report(options.id + ": not a site id; expected 1 to 64 of a-z, 0-9 and -", kExitUsage);
  }
  if (auto parts = parse_url(options.url); !parts.ok()) {
    return report(options.url + ": not an absolute http(s) URL", kExitUsage);
  }
  auto delay = parse_duration_ms(options.delay);
  if (!delay.ok()) return report("--delay " + options.delay + ": " + delay.error(), kExitUsage);
  std::string out = options.out.empty() ? options.id + ".toml" : options.out;
  if (fs::path(out).stem().string() != options.id || fs::path(out).extension() != ".toml") {
    return report("--out " + out + ": a site file is named after its id; expected .../" +
                      options.id + ".toml",
                  kExitUsage);
  }
  if (fs::exists(out)) return report(out + ": exists; not overwritten", kExitUsage);
  TempDir work;
  if (work.path.empty()) return report("cannot create a temporary directory", kExitFailure);

  SurveyOptions survey;
  survey.id = options.id;
  survey.start_url = options.url;
  survey.name = options.name;
  survey.province = options.province;
  survey.contact_url = options.contact_url;
  survey.platforms_dir = platforms_dir(global);
  survey.work_dir = work.path;
  survey.max_pages = options.pages;
  survey.delay_ms = *delay;

  // What the fetcher needs of a site: the User-Agent's contact, the delay, the defaults.
  SiteConfig fetching;
  fetching.id = options.id;
  fetching.contact_url =
      options.contact_url.empty() ? "https://github.com/provarc/provarc" : options.contact_url;
  fetching.crawl.delay_ms = *delay;
  auto transport = Fetcher::create();
  if (!transport.ok()) return report(transport.error(), kExitFailure);
  PoliteSource source(fetching, **transport);

  auto findings = survey_site(survey, source);
  if (!findings.ok()) return report(findings.error(), kExitFailure);
  std::string toml = draft_toml(survey, *findings);
  {
    std::ofstream file(out);
    file << toml;
    if (!file) return report(out + ": cannot write", kExitFailure);
  }
  // Checked as `provarc sites check` checks it.
  if (Status checked = check_config_file(out, {}, global); !checked.ok()) {
    return report("the draft fails `sites check` (a bug; it is left for a look): " +
                      checked.error(),
                  kExitFailure);
  }
  std::cout << survey_summary(*findings) << "\nwrote " << out
            << " (sites check: ok). Next: provarc sites try " << out << " --url <an article>\n";
  return kExitOk;
}

}  // namespace provarc
