// WARC at the command line: `provarc import-warc FILE...` (captures from other crawlers' WARC
// files and WACZ packages, parsed like a crawl's) and the `warc` and `wacz` formats of `provarc
// export` (run_export_warc and run_export_wacz, called from cli/archive_commands.cc). The work
// itself is archive/warc.h's and archive/wacz.h's.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/wacz.h"
#include "archive/warc.h"
#include "cli/commands.h"
#include "cli/ingest.h"
#include "cli/rules.h"
#include "common/ascii.h"
#include "cli/run_report.h"
#include "common/url.h"
#include "config/config.h"
#include "crawler/scope.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

void print_error(const char* command, const std::string& message) {
  std::cerr << "provarc " << command << ": " << message << "\n";
}

// Prints the message and returns `code`, for returning from a command.
int report(const char* command, const std::string& message, int code) {
  print_error(command, message);
  return code;
}

// The configured sites, found by the authority ("host" or "host:port") of a URL.
class SiteFinder {
 public:
  explicit SiteFinder(std::vector<SiteConfig> sites) : sites_(std::move(sites)) {
    for (const SiteConfig& site : sites_) {
      scopes_.push_back(std::make_unique<SiteScope>(site));
      for (const std::string& host : site.hosts) {
        by_host_[ascii::lowercase(host)] = scopes_.size() - 1;
      }
    }
  }

  // The index of the site that claims `url`'s authority, or -1.
  int find(const std::string& url) const {
    Result<std::string> authority = url_authority(url);
    if (!authority.ok()) return -1;
    auto it = by_host_.find(ascii::lowercase(*authority));
    return it == by_host_.end() ? -1 : static_cast<int>(it->second);
  }

  const SiteConfig& site(int i) const { return sites_[i]; }
  int size() const { return static_cast<int>(sites_.size()); }

  // An article page, as a crawl of the site would have judged it: a parseable page whose URL is
  // not a start or listing URL and whose role is article.
  bool is_article(int i, const Capture& capture) const {
    const SiteConfig& site = sites_[i];
    if (!is_parseable(capture)) return false;
    auto is = [&](const std::vector<std::string>& urls) {
      return std::find(urls.begin(), urls.end(), capture.url) != urls.end();
    };
    if (is(site.start_urls) || is(site.crawl.listing_urls)) return false;
    return scopes_[i]->role_of(capture.url) == PageRole::kArticle;
  }

  std::vector<std::string> ids() const {
    std::vector<std::string> ids;
    for (const SiteConfig& site : sites_) ids.push_back(site.id);
    return ids;
  }

 private:
  std::vector<SiteConfig> sites_;
  std::vector<std::unique_ptr<SiteScope>> scopes_;
  std::map<std::string, size_t> by_host_;
};

struct ImportWarcCounts {
  int64_t changed = 0, unchanged = 0, failed = 0, stored_only = 0, unreadable_files = 0;
  std::map<std::string, int64_t> unmatched_hosts;  // authority -> captures stored unparsed
};

// Stores one capture read from a WARC file: parsed through ingest when a site claims its host,
// stored as it is otherwise (under site "").
Result<int64_t> store_warc_capture(Archive& archive, const SiteFinder& sites, int64_t run_id,
                                   Capture capture, ImportWarcCounts& counts) {
  const int i = sites.find(capture.url);
  if (i < 0) {
    Result<std::string> authority = url_authority(capture.url);
    ++counts.unmatched_hosts[authority.ok() ? *authority : capture.url];
    capture.site.clear();
    return archive.store_capture(capture, run_id);
  }
  capture.site = sites.site(i).id;
  Result<IngestOutcome> outcome =
      ingest_capture(archive, capture, sites.site(i), run_id, sites.is_article(i, capture));
  if (!outcome.ok()) return outcome.failure();
  switch (outcome->change) {
    case ArticleChange::kNew:
    case ArticleChange::kChanged: ++counts.changed; break;
    case ArticleChange::kUnchanged: ++counts.unchanged; break;
    case ArticleChange::kNone: ++counts.stored_only; break;
    case ArticleChange::kFailed:
      ++counts.failed;
      print_error("import-warc", capture.url + ": " + outcome->error);
      break;
  }
  return outcome->capture_id;
}

std::string hosts_summary(const std::map<std::string, int64_t>& hosts) {
  std::string out;
  for (const auto& [host, n] : hosts) {
    out += (out.empty() ? "" : ", ") + host + " (" + std::to_string(n) + ")";
  }
  return out;
}

// A payload is capped as a crawl of any configured site would cap it: at the largest page or
// attachment size cap among them (a gzip bomb then becomes an error capture).
WarcReaderOptions reader_options(const SiteFinder& sites) {
  WarcReaderOptions options;
  for (int i = 0; i < sites.size(); ++i) {
    const CrawlRules& rules = sites.site(i).crawl;
    options.max_payload_bytes =
        std::max({options.max_payload_bytes, rules.max_body_bytes, rules.max_attachment_bytes});
  }
  return options;
}

int run_import_warc(const std::vector<std::string>& files, const GlobalOptions& global) {
  Result<std::vector<SiteConfig>> configured =
      load_all_sites((fs::path(config_dir(global)) / "sites").string(), platforms_dir(global));
  if (!configured.ok()) return report("import-warc", configured.error(), kExitUsage);
  SiteFinder sites(std::move(*configured));
  Result<std::unique_ptr<Archive>> opened =
      Archive::open(global.db_path, ArchiveOptions{.create = true});
  if (!opened.ok()) return report("import-warc", opened.error(), kExitFailure);
  Archive& archive = **opened;
  Result<int64_t> run = archive.begin_run("import", sites.ids());
  if (!run.ok()) return report("import-warc", run.error(), kExitFailure);

  ImportWarcCounts counts;
  WarcImport import(
      archive,
      [&](const Capture& capture) {
        return store_warc_capture(archive, sites, *run, capture, counts);
      },
      reader_options(sites));
  for (const std::string& file : files) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      print_error("import-warc", file + (fs::exists(fs::symlink_status(file, ec))
                                             ? ": not a regular file"
                                             : ": no such file"));
      ++counts.unreadable_files;
      continue;
    }
    if (Status s = import.import_file(file); !s.ok()) {
      end_failed_run(archive, *run, s.error());
      return report("import-warc", s.error(), kExitFailure);
    }
  }
  const WarcImportCounts& read = import.counts();
  for (const std::string& error : read.errors) print_error("import-warc", error);
  for (const std::string& error : read.oversized) print_error("import-warc", error);
  nlohmann::ordered_json json = {{"files", read.files},
                                 {"records", read.records},
                                 {"captures", read.captures},
                                 {"already_stored", read.already_stored},
                                 {"changed", counts.changed},
                                 {"unchanged", counts.unchanged},
                                 {"failed", counts.failed},
                                 {"unreadable_records", read.errors.size()},
                                 {"oversized", read.oversized.size()},
                                 {"unresolved_revisits", read.unresolved_revisits}};
  (void)archive.end_run(*run, json.dump());

  int64_t unmatched = 0;
  for (const auto& [host, n] : counts.unmatched_hosts) unmatched += n;
  std::cout << "imported " << read.captures << " captures from " << read.files << " files ("
            << read.records << " records, " << read.other_records
            << " not captures); already stored " << read.already_stored << "; articles changed "
            << counts.changed << ", unchanged " << counts.unchanged << ", failed " << counts.failed
            << "; stored unparsed " << counts.stored_only + unmatched << "; unreadable records "
            << read.errors.size() << "; over the size cap " << read.oversized.size() << "\n";
  if (unmatched > 0) {
    std::cout << "hosts no configured site claims (stored, not parsed): "
              << hosts_summary(counts.unmatched_hosts) << "\n";
  }
  const bool partial = counts.failed > 0 || !read.errors.empty() || !read.oversized.empty() ||
                       counts.unreadable_files > 0;
  return partial ? kExitPartial : kExitOk;
}

}  // namespace

int run_export_warc(const std::string& out_dir, const CaptureFilter& filter,
                    const GlobalOptions& global) {
  if (out_dir.empty()) return report("export", "--format warc needs --out DIR", kExitUsage);
  Result<std::unique_ptr<Archive>> archive =
      Archive::open(global.db_path, ArchiveOptions{.read_only = true});
  if (!archive.ok()) return report("export", archive.error(), kExitFailure);
  WarcWriterOptions options;
  options.directory = out_dir;
  Result<WarcExportCounts> counts = export_warc(**archive, filter, options);
  if (!counts.ok()) return report("export", counts.error(), kExitFailure);
  std::cout << "wrote " << counts->files.size() << " WARC files: " << counts->responses
            << " responses, " << counts->requests << " requests, " << counts->identical_revisits
            << " identical-payload revisits, " << counts->not_modified_revisits
            << " not-modified revisits; skipped " << counts->skipped
            << " captures without a response\n";
  for (const std::string& file : counts->files) std::cout << file << "\n";
  std::cout << counts->index << "\n";
  return kExitOk;
}

namespace {

// The package's title and description, and the page a replay tool opens first: the site's first
// start URL when one site is exported and its config is at hand.
void describe_package(const CaptureFilter& filter, const GlobalOptions& global,
                      WaczOptions& options) {
  std::string what = "every site";
  options.title = "provarc archive";
  if (!filter.site.empty()) {
    what = "site " + filter.site;
    options.title = filter.site;
    Result<SiteConfig> site = site_by_id(global, filter.site);
    if (site.ok()) {
      options.title = site->name.empty() ? site->id : site->name;
      if (!site->start_urls.empty()) options.main_page_url = site->start_urls.front();
    }
  }
  std::string when;
  if (!filter.fetched.since.empty()) when += " from " + filter.fetched.since;
  if (!filter.fetched.until.empty()) when += " until " + filter.fetched.until;
  options.description = "The captures of " + what + when + " in the provarc archive " +
                        fs::path(global.db_path).filename().string() +
                        ", as WARC records; the article pages in pages/pages.jsonl carry the "
                        "text provarc extracted from them.";
}

// One line of progress on stderr, rewritten in place.
void print_progress(const WaczProgress& progress) {
  switch (progress.stage) {
    case WaczProgress::Stage::kCaptures:
      std::cerr << "\rcaptures " << progress.captures << std::flush;
      break;
    case WaczProgress::Stage::kPages:
      std::cerr << "\rpages " << progress.pages << "        " << std::flush;
      break;
    case WaczProgress::Stage::kZip:
      std::cerr << "\rwriting the package " << static_cast<int>(progress.zipped * 100) << "%   "
                << std::flush;
      break;
  }
}

}  // namespace

int run_export_wacz(const std::string& out, const CaptureFilter& filter,
                    const GlobalOptions& global) {
  if (out.empty()) return report("export", "--format wacz needs --out FILE.wacz", kExitUsage);
  if (fs::path(out).extension() != ".wacz") {
    return report("export", "--out " + out + ": a WACZ package's name must end in .wacz",
                  kExitUsage);
  }
  Result<std::unique_ptr<Archive>> archive =
      Archive::open(global.db_path, ArchiveOptions{.read_only = true});
  if (!archive.ok()) return report("export", archive.error(), kExitFailure);
  WaczOptions options;
  options.path = out;
  options.filter = filter;
  describe_package(filter, global, options);
  const bool terminal = isatty(STDERR_FILENO) == 1;
  if (terminal) options.progress = print_progress;
  Result<WaczCounts> counts = export_wacz(**archive, options);
  if (terminal) std::cerr << "\r\033[K" << std::flush;
  if (!counts.ok()) return report("export", counts.error(), kExitFailure);
  const WarcExportCounts& warc = counts->warc;
  std::cout << "wrote " << out << " (" << counts->bytes << " bytes): " << warc.files.size()
            << " WARC files with " << warc.responses << " responses, " << warc.requests
            << " requests, " << warc.identical_revisits << " identical-payload revisits, "
            << warc.not_modified_revisits << " not-modified revisits (skipped " << warc.skipped
            << " captures without a response); " << counts->pages << " article pages";
  if (!counts->main_page_url.empty()) std::cout << "; main page " << counts->main_page_url;
  std::cout << "\n";
  return kExitOk;
}

void add_warc_commands(CLI::App& app, GlobalOptions& global) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "import-warc",
      "store the captures of WARC files or WACZ packages (wget --warc-file, Heritrix, "
      "Browsertrix, provarc export) and parse the pages of configured sites");
  cmd->add_option("files", *files, "WARC files (.warc or .warc.gz) or WACZ packages (.wacz)")
      ->required();
  cmd->callback([files, &global] { global.exit_code = run_import_warc(*files, global); });
}

}  // namespace provarc
