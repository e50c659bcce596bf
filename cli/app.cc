#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace provarc {

int run_app(int argc, char** argv) {
  CLI::App app{"provarc: crawler and archiver for Vietnam's provincial Sở TT&TT websites"};
  app.set_version_flag("--version", std::string("provarc ") + PROVARC_VERSION);
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

}  // namespace provarc
