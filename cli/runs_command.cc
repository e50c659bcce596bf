// `provarc runs`: the recorded runs (crawls, imports, re-parses), newest first, with each crawl's
// per-site counts and template check; `--format json` prints what `provarc crawl --report` writes.
#include <iostream>

#include "archive/archive.h"
#include "cli/commands.h"
#include "cli/run_report.h"

namespace provarc {
namespace {

struct RunsOptions {
  int limit = 10;
  std::string format = "text";
};

int run_runs(const RunsOptions& options, const GlobalOptions& global) {
  // Opened for writing when possible, to migrate an older file; runs itself only reads.
  auto archive = Archive::open(global.db_path, ArchiveOptions{.create = false});
  if (!archive.ok()) archive = Archive::open(global.db_path, ArchiveOptions{.read_only = true});
  if (!archive.ok()) {
    std::cerr << "provarc runs: " << archive.error() << "\n";
    return kExitFailure;
  }
  auto runs = (*archive)->recent_runs(options.limit);
  if (!runs.ok()) {
    std::cerr << "provarc runs: " << runs.error() << "\n";
    return kExitFailure;
  }
  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const RunRecord& run : *runs) list.push_back(run_to_json(run));
    std::cout << list.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
    return kExitOk;
  }
  if (runs->empty()) std::cout << "no runs recorded in " << global.db_path << "\n";
  for (const RunRecord& run : *runs) std::cout << run_to_text(run);
  return kExitOk;
}

}  // namespace

void add_runs_command(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<RunsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "runs", "the recorded runs, newest first, with each crawl's per-site counts");
  cmd->add_option("--limit", options->limit, "how many runs (default: 10)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--format", options->format, "text, or json (as `crawl --report` writes)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([options, &global] { global.exit_code = run_runs(*options, global); });
}

}  // namespace provarc
