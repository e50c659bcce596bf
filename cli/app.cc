#include "cli/app.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace provarc {

int run_app(int argc, char** argv) {
  CLI::App app{"provarc: crawler and archiver for Vietnam's provincial Sở TT&TT websites"};
  app.set_version_flag("--version", std::string("provarc ") + PROVARC_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // --config and --db may follow the subcommand too
  GlobalOptions options;
  app.add_option("--config", options.config_dir,
                 "config directory holding sites/ and platforms/ (default: $PROVARC_CONFIG, "
                 "./config, or the installed one)");
  app.add_option("--db", options.db_path, "archive database (default: ./archive.sqlite)");

  // Subcommands: each registration line below belongs to one file of cli/.
  // (registrations)
  add_crawl_command(app, options);
  add_runs_command(app, options);
  add_serve_command(app, options);
  add_warc_commands(app, options);
  add_archive_commands(app, options);
  add_search_commands(app, options);
  add_robots_command(app, options);
  add_sites_commands(app, options);
  add_parse_command(app, options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  return options.exit_code;
}

}  // namespace provarc
