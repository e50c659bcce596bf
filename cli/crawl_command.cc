// provarc crawl: fetches the configured sites into the archive (crawler/crawler.h over the archive,
// each capture through cli/ingest.h), with a live display on a terminal and a summary at the end.
// Every run is recorded with per-site counts and a template check (cli/run_report.h); --report
// writes the same as JSON for monitoring.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "cli/commands.h"
#include "cli/crawl_lock.h"
#include "cli/ingest.h"
#include "cli/rules.h"
#include "cli/run_report.h"
#include "common/ascii.h"
#include "common/units.h"
#include "config/config.h"
#include "crawler/crawler.h"

namespace provarc {
namespace {

// ---- The archive as the crawler's store

// The CrawlStore of a real crawl: the archive's frontier, and every capture through ingest. It
// also tallies each site's template health as article pages are extracted (the crawler knows
// nothing of extraction). Not thread-safe (neither is the Archive); the crawler uses it from one
// thread, but for extract(), which reads only the sites' configs.
class ArchiveCrawlStore : public CrawlStore {
 public:
  ArchiveCrawlStore(Archive& archive, int64_t run_id, const std::vector<SiteConfig>& sites)
      : archive_(archive), run_id_(run_id) {
    for (const SiteConfig& site : sites) {
      sites_.emplace(site.id, &site);
      tallies_[site.id].site = site.id;
    }
  }

  // The template health tallied for `site` (see tally_template): the template fields of a
  // RunSiteCounts, the others zero.
  RunSiteCounts tally(const std::string& site) const {
    auto it = tallies_.find(site);
    return it == tallies_.end() ? RunSiteCounts{} : it->second;
  }

  Status atomically(const std::function<Status()>& body) override {
    return archive_.transaction(body);
  }

  Result<Enqueued> enqueue(const FrontierEntry& entry, bool revisit) override {
    auto offered = archive_.offer(entry, revisit ? EnqueueMode::kRevisit : EnqueueMode::kIfNew);
    if (!offered.ok()) return offered.failure();
    Enqueued out;
    out.added = offered->added;
    out.queued = offered->added || offered->requeued;
    out.respelled = offered->respelled;
    out.id = offered->id;
    out.url = offered->url;
    out.state = offered->state;
    return out;
  }

  Result<bool> respell(int64_t id, const std::string& url, const std::string& key,
                       int spelling) override {
    return archive_.respell(id, url, key, spelling);
  }

  Status record_alias(const std::string& site, const UrlAlias& alias,
                      int64_t capture_id) override {
    return archive_.record_alias(site, alias, capture_id, run_id_);
  }

  Result<std::vector<LearnedSession>> learned_sessions(const std::string& site) override {
    return archive_.learned_sessions(site);
  }

  Status record_session(const std::string& site, const LearnedSession& session) override {
    return archive_.record_learned_session(site, session, run_id_);
  }

  Result<std::vector<FrontierEntry>> claim(const std::string& site, const std::string& now,
                                           int limit) override {
    return archive_.claim(site, now, limit, run_id_);
  }

  Status mark_done(int64_t id) override { return archive_.mark_done(id); }
  Status mark_failed(int64_t id, const std::string& error) override {
    return archive_.mark_failed(id, error);
  }
  Status retry_at(int64_t id, const std::string& not_before, const std::string& error) override {
    return archive_.retry_at(id, not_before, error);
  }
  Result<int64_t> requeue_in_progress() override { return archive_.requeue_in_progress(); }

  Result<int64_t> pending_count(const std::string& site) override {
    auto counts = archive_.frontier_counts(site);
    if (!counts.ok()) return counts.failure();
    return counts->queued + counts->in_progress;
  }

  Result<std::string> last_fetched(const std::string& url) override {
    auto latest = archive_.latest_capture(url, /*with_body=*/false);
    if (!latest.ok()) return latest.failure();
    return *latest ? (*latest)->capture.fetched_at : std::string();
  }

  Result<CachedValidators> validators(const std::string& url) override {
    auto v = archive_.validators(url);
    if (!v.ok()) return v.failure();
    return CachedValidators{v->etag, v->last_modified};
  }

  Result<std::vector<FrontierEntry>> stale_pages(const std::string& site,
                                                 const std::string& before, int64_t after_id,
                                                 int limit) override {
    return archive_.stale_pages(site, before, after_id, limit);
  }

  // The extraction half of ingest (cli/ingest.h): reads only the site's config, thread-safe.
  struct Prepared : Extraction {
    PreparedIngest ingest;
  };
  std::unique_ptr<Extraction> extract(const Capture& capture, bool is_article) const override {
    auto site = sites_.find(capture.site);
    if (site == sites_.end()) return nullptr;  // record_extracted() reports it
    auto prepared = std::make_unique<Prepared>();
    prepared->ingest = prepare_ingest(capture, *site->second, is_article);
    return prepared;
  }

  Result<RecordedCapture> record(const Capture& capture, bool is_article) override {
    return record_extracted(capture, is_article, nullptr, Hints{});
  }

  Result<RecordedCapture> record_extracted(const Capture& capture, bool is_article,
                                           std::unique_ptr<Extraction> extracted,
                                           const Hints& hints) override {
    auto site = sites_.find(capture.site);
    if (site == sites_.end()) return fail("crawl: capture of unknown site \"" + capture.site + "\"");
    auto* prepared = dynamic_cast<Prepared*>(extracted.get());
    auto outcome = write_ingest(archive_, capture, *site->second, run_id_, is_article,
                                prepared != nullptr
                                    ? std::move(prepared->ingest)
                                    : prepare_ingest(capture, *site->second, is_article),
                                /*alias_by_content=*/true, hints.twin_marker);
    if (!outcome.ok()) return outcome.failure();
    tally_template(tallies_[capture.site], *outcome, !site->second->extract.body.empty(),
                   capture.url);
    RecordedCapture recorded;
    recorded.capture_id = outcome->capture_id;
    recorded.change = outcome->change;
    recorded.images = std::move(outcome->images);
    recorded.attachments = std::move(outcome->attachments);
    recorded.parse_error = outcome->error;
    recorded.gone = outcome->newly_gone;
    recorded.same_as = outcome->same_as;
    return recorded;
  }

 private:
  Archive& archive_;
  int64_t run_id_;
  std::map<std::string, const SiteConfig*> sites_;
  std::map<std::string, RunSiteCounts> tallies_;
};

// ---- Command line values

// "90", "90s", "1500ms", "5m", "2h", "1d", "1h30m": a duration in milliseconds (common/units.h;
// a bare number is seconds here); fails naming the value and the expected form.
Result<std::chrono::milliseconds> parse_duration(const std::string& text) {
  const bool bare = !text.empty() && text.size() <= 12 &&
                    std::all_of(text.begin(), text.end(), ascii::is_digit);
  auto ms = parse_duration_ms(bare ? text + "s" : text);
  if (!ms.ok() || *ms <= 0) {
    return fail("--max-time \"" + text + "\": expected a duration such as 90s, 30m, 2h or 1h30m");
  }
  return std::chrono::milliseconds(*ms);
}

// ---- Stop on SIGINT / SIGTERM

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
  // A second signal ends the process the usual way.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
}

// ---- Output: a live display on a terminal, log lines otherwise

class Display {
 public:
  explicit Display(bool live) : live_(live) {}

  void log(const std::string& line) {
    erase();
    std::cerr << "provarc crawl: " << line << "\n";
    draw();
  }

  void update(const std::vector<SiteProgress>& sites) {
    if (!live_) return;
    erase();
    sites_ = sites;
    draw();
  }

  // Removes the live lines before the summary.
  void finish() { erase(); }

 private:
  void erase() {
    if (!live_ || drawn_ == 0) return;
    for (int i = 0; i < drawn_; ++i) std::cerr << "\x1b[1A\x1b[2K";
    drawn_ = 0;
  }

  void draw() {
    if (!live_ || sites_.empty()) return;
    for (const SiteProgress& p : sites_) {
      char line[256];
      std::snprintf(line, sizeof line,
                    "%-16.16s fetched %6lld  queued %6lld  errors %4lld  new %5lld  delay %5.2fs",
                    p.site.c_str(), static_cast<long long>(p.fetched),
                    static_cast<long long>(p.queued), static_cast<long long>(p.errors),
                    static_cast<long long>(p.new_articles), p.delay_ms / 1000.0);
      std::cerr << line;
      if (!p.stop_reason.empty()) std::cerr << "  (" << p.stop_reason << ")";
      std::cerr << "\n";
    }
    drawn_ = static_cast<int>(sites_.size());
    std::cerr.flush();
  }

  bool live_;
  int drawn_ = 0;
  std::vector<SiteProgress> sites_;
};

std::string summary_table(const CrawlSummary& summary) {
  std::string out = site_counts_headings() + "  status\n";
  for (const SiteProgress& p : summary.sites) {
    out += site_counts_columns(p) + "  " +
           (p.finished ? "finished" : "unfinished: " + p.stop_reason) + "\n";
  }
  return out;
}

std::string counts_json(const CrawlSummary& summary) {
  nlohmann::ordered_json sites = nlohmann::ordered_json::object();
  for (const SiteProgress& p : summary.sites) {
    sites[p.site] = {{"fetched", p.fetched},   {"pages", p.pages},
                     {"new", p.new_articles},  {"changed", p.changed},
                     {"unchanged", p.unchanged}, {"not_modified", p.not_modified},
                     {"errors", p.errors},     {"failed", p.failed},
                     {"disallowed", p.disallowed}, {"parse_failures", p.parse_failures},
                     {"gone", p.gone},         {"bytes", p.bytes},
                     {"links_dropped", p.links_dropped},
                     {"finished", p.finished},  {"refused", p.refused},
                     {"collapsed", p.collapsed}, {"aliases", p.aliases}};
  }
  return nlohmann::ordered_json{{"sites", sites},
                                {"time_limit_reached", summary.time_limit_reached},
                                {"stopped", summary.stopped}}
      .dump();
}

// The run's record of a site: the crawler's counts and the template health the store tallied.
RunSiteCounts site_counts_of(const SiteProgress& p, const ArchiveCrawlStore& store) {
  RunSiteCounts c = store.tally(p.site);
  static_cast<SiteProgress&>(c) = p;
  return c;
}

// Records the run's per-site counts, with the template check against each site's earlier runs,
// and its end; returns the run as recorded.
Result<RunRecord> record_run(Archive& archive, int64_t run_id, const CrawlSummary& summary,
                             const ArchiveCrawlStore& store) {
  Status recorded = archive.transaction([&]() -> Status {
    for (const SiteProgress& p : summary.sites) {
      RunSiteCounts counts = site_counts_of(p, store);
      auto history = archive.site_history(p.site, run_id, kTemplateHistoryRuns);
      if (!history.ok()) return history.failure();
      counts.template_changed = template_seems_changed(counts, *history);
      if (Status s = archive.record_run_site(run_id, counts); !s.ok()) return s;
    }
    return archive.end_run(run_id, counts_json(summary));
  });
  if (!recorded.ok()) return recorded.failure();
  return archive.run(run_id);
}

// Writes `report` to `path` (atomically: a monitor never reads half a file). Fails naming it.
Status write_report(const std::string& path, const nlohmann::ordered_json& report) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    out.close();
    if (!out) return fail(path + ": cannot write the report");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return fail(path + ": cannot write the report (rename failed)");
  }
  return Status::Ok();
}

struct CrawlArgs {
  std::vector<std::string> sites;
  bool all = false;         // --all: every configured site (also the default without --site)
  int64_t max_pages = -1;
  std::string max_time;
  std::string report_path;  // --report FILE
};

Result<std::vector<SiteConfig>> load_sites(const GlobalOptions& global, const CrawlArgs& args) {
  if (args.sites.empty()) {
    auto all = load_all_sites(config_dir(global) + "/sites", platforms_dir(global));
    if (!all.ok()) return all.failure();
    if (all->empty()) return fail(config_dir(global) + "/sites: no site configs to crawl");
    return all;
  }
  std::vector<SiteConfig> sites;
  for (const std::string& id : args.sites) {
    auto site = site_by_id(global, id);
    if (!site.ok()) return site.failure();
    sites.push_back(std::move(*site));
  }
  return sites;
}

// A run that could not complete still leaves a report, so that a monitor sees the failure.
void report_failure(const std::string& path, int64_t run_id, const std::string& error,
                    Display& display) {
  if (path.empty()) return;
  // No run yet (the lock or the archive could not be opened): "run" is null.
  nlohmann::ordered_json report = {{"run", run_id > 0 ? nlohmann::ordered_json(run_id) : nullptr},
                                   {"kind", "crawl"},
                                   {"status", "failed"},
                                   {"exit_code", kExitFailure},
                                   {"error", error},
                                   {"sites", nlohmann::ordered_json::array()},
                                   {"template_changed", nlohmann::ordered_json::array()}};
  if (Status s = write_report(path, report); !s.ok()) display.log(s.error());
}

// Prints the summary table and a note per site suspected of a template change, writes the report
// (when `report_path` is set), and returns the exit code of the run as recorded.
int report_run(const CrawlSummary& summary, const RunRecord& run, const std::string& report_path,
               Display& display) {
  std::cout << summary_table(summary);
  for (const SiteProgress& p : summary.sites) {
    std::string note = identity_note(p);
    if (!note.empty()) std::cout << note << "\n";
    if (p.links_dropped == 0) continue;
    std::cout << "links not followed: " << p.site << ": " << p.links_dropped
              << " past the cap of one page or sitemap (see the warnings)\n";
  }
  for (const RunSiteCounts& c : run.site_counts) {
    std::string note = template_note(c);
    if (note.empty()) continue;
    std::cout << note << "\n";
    display.log("warning: " + note + "; fix the site's config, then `provarc reparse`");
  }
  std::cout.flush();
  if (!report_path.empty()) {
    if (Status s = write_report(report_path, run_to_json(run)); !s.ok()) display.log(s.error());
  }
  return exit_code_for_status(run_status(run));
}

int run_crawl(GlobalOptions& global, const CrawlArgs& args) {
  Display display(isatty(STDERR_FILENO) == 1);
  CrawlOptions options;
  options.max_pages = args.max_pages;
  if (!args.max_time.empty()) {
    auto max_time = parse_duration(args.max_time);
    if (!max_time.ok()) {
      display.log(max_time.error());
      return kExitUsage;
    }
    options.max_time = *max_time;
  }
  auto sites = load_sites(global, args);
  if (!sites.ok()) {
    display.log(sites.error());
    return kExitUsage;
  }
  CrawlLock lock;
  Result<bool> locked = lock.acquire(global.db_path);
  if (!locked.ok() || !*locked) {
    if (locked.ok()) {
      display.log(global.db_path + ": another provarc crawl is running on this archive (" +
                  CrawlLock::path_for(global.db_path) + ")");
      return kExitLocked;
    }
    display.log(locked.error());
    report_failure(args.report_path, 0, locked.error(), display);
    return kExitFailure;
  }
  auto archive = Archive::open(global.db_path);
  if (!archive.ok()) {
    display.log(archive.error());
    report_failure(args.report_path, 0, archive.error(), display);
    return kExitFailure;
  }
  std::vector<std::string> ids;
  for (const SiteConfig& site : *sites) ids.push_back(site.id);
  auto run_id = (*archive)->begin_run("crawl", ids);
  if (!run_id.ok()) {
    display.log(run_id.error());
    return kExitFailure;
  }
  ArchiveCrawlStore store(**archive, *run_id, *sites);
  g_stop.store(false);
  options.stop = &g_stop;
  options.on_log = [&](const std::string& line) { display.log(line); };
  options.on_progress = [&](const std::vector<SiteProgress>& p) { display.update(p); };
  signal(SIGINT, on_stop_signal);
  signal(SIGTERM, on_stop_signal);
  auto summary = crawl(*sites, store, options);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  display.finish();
  // A run that failed ends as failed (`provarc runs` says so, not "not ended").
  if (!summary.ok()) {
    display.log("stopped: " + summary.error());
    end_failed_run(**archive, *run_id, summary.error());
    report_failure(args.report_path, *run_id, summary.error(), display);
    return kExitFailure;
  }
  auto run = record_run(**archive, *run_id, *summary, store);
  if (!run.ok()) {
    display.log("stopped: " + run.error());
    end_failed_run(**archive, *run_id, run.error());
    report_failure(args.report_path, *run_id, run.error(), display);
    return kExitFailure;
  }
  return report_run(*summary, *run, args.report_path, display);
}

}  // namespace

void add_crawl_command(CLI::App& app, GlobalOptions& options) {
  auto args = std::make_shared<CrawlArgs>();
  CLI::App* cmd = app.add_subcommand(
      "crawl", "fetch the configured sites politely into the archive (resumes an interrupted run)");
  auto* site = cmd->add_option("--site", args->sites,
                               "crawl only this site id (repeatable; default: all)");
  cmd->add_flag("--all", args->all, "crawl every configured site (the default without --site)")
      ->excludes(site);
  cmd->add_option("--max-pages", args->max_pages, "page budget per site for this run")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-time", args->max_time,
                  "stop starting fetches after this long (90s, 30m, 2h, 1h30m)");
  cmd->add_option("--report", args->report_path,
                  "write the run's counts and template check as JSON to FILE (for monitoring)");
  cmd->callback([&options, args] { options.exit_code = run_crawl(options, *args); });
}

}  // namespace provarc
