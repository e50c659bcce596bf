// cli/commands.h: the subcommands of `provarc`, one registration function per file, and the
// options every subcommand shares. Each subcommand sets `options.exit_code` when it runs.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "archive/archive.h"

namespace provarc {

struct GlobalOptions {
  std::string config_dir;                 // --config DIR; "" means default_config_dir()
  std::string db_path = "archive.sqlite"; // --db PATH
  int exit_code = 0;                      // set by the subcommand that ran
};

// Exit codes (README "Exit codes").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     // the command failed (message on stderr)
inline constexpr int kExitUsage = 2;       // bad command line or config
inline constexpr int kExitPartial = 3;     // finished, but some items failed (see summary)
inline constexpr int kExitLocked = 4;      // another provarc holds the archive lock
inline constexpr int kExitTemplate = 5;    // a crawl finished but a site's template seems changed

void add_parse_command(CLI::App& app, GlobalOptions& options);     // cli/parse_command.cc
void add_sites_commands(CLI::App& app, GlobalOptions& options);    // cli/sites_command.cc
void add_archive_commands(CLI::App& app, GlobalOptions& options);  // cli/archive_commands.cc
void add_robots_command(CLI::App& app, GlobalOptions& options);    // cli/robots_command.cc
void add_crawl_command(CLI::App& app, GlobalOptions& options);     // cli/crawl_command.cc
void add_warc_commands(CLI::App& app, GlobalOptions& options);     // cli/warc_commands.cc
void add_runs_command(CLI::App& app, GlobalOptions& options);      // cli/runs_command.cc
void add_search_commands(CLI::App& app, GlobalOptions& options);  // cli/search_command.cc
void add_serve_command(CLI::App& app, GlobalOptions& options);    // cli/serve_command.cc

// `provarc export --format warc --out DIR [--site ID] [--since DATE] [--until DATE]`
// (cli/warc_commands.cc): writes the captures `filter` selects as WARC files and their CDXJ index
// into `out_dir` (created when missing), prints what it wrote, and returns the exit code.
int run_export_warc(const std::string& out_dir, const CaptureFilter& filter,
                    const GlobalOptions& global);

// `provarc export --format wacz --out FILE.wacz [--site ID] [--since DATE] [--until DATE]`
// (cli/warc_commands.cc): writes the captures `filter` selects, and the article pages read from
// them, as one WACZ package (archive/wacz.h); progress on stderr when it is a terminal. Returns
// the exit code: 0 written, 1 failed (nothing left at `out`), 2 bad command line.
int run_export_wacz(const std::string& out, const CaptureFilter& filter,
                    const GlobalOptions& global);

// `provarc sites try FILE (--url URL | --html PAGE)` (cli/sites_try.cc): reads one page with the
// site file FILE (fetched politely with --url, from disk with --html) and prints which rules
// matched and the article extracted. Returns the exit code: 0 when an article came out, 1 when
// the page could not be fetched or held no article, 2 for a bad site file or command line.
struct SitesTryOptions {
  std::string site_file;
  std::string url;           // the page's address (with --html: used to resolve its links)
  std::string html_file;     // read the page from this file instead of fetching it
  std::string content_type;  // with --html: the Content-Type it was served with
  std::string format = "text";
};
int run_sites_try(const SitesTryOptions& options, const GlobalOptions& global);

// `provarc sites check FILE` for one file (cli/sites_command.cc): loads it as a preset (a file
// in a platforms/ directory) or a site, and tries a site's crawl patterns on its start and listing
// URLs and `urls`. The failure's message starts with the file and position at fault.
Status check_config_file(const std::string& path, const std::vector<std::string>& urls,
                         const GlobalOptions& global);

// `provarc sites new ID URL [--name NAME] [--province NAME] [--out FILE] [--pages N] [--delay D]
// [--contact-url URL]` (cli/sites_new.cc): drafts a site file from the site itself (survey/),
// checks it as `sites check` does, writes it and prints a summary. Returns the exit code: 0
// written, 1 the site could not be surveyed (unreachable, robots.txt, no articles) or the file
// not written, 2 a bad command line.
struct SitesNewOptions {
  std::string id, url, name, province, out, contact_url;
  int pages = 40;
  std::string delay = "1s";
};
int run_sites_new(const SitesNewOptions& options, const GlobalOptions& global);

}  // namespace provarc
