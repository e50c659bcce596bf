// cli/app.h: the application layer: the `provarc` command's subcommands over the modules.
// main() only calls run_app(); tests may call it too.
#pragma once

namespace provarc {

// Runs the command line; returns the process exit code (see README "Exit codes").
int run_app(int argc, char** argv);

}  // namespace provarc
