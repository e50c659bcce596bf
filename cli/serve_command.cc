// `provarc serve`: the web reader (web/reader.h) over the archive, until SIGINT or SIGTERM.
#include <signal.h>

#include <iostream>

#include "archive/archive.h"
#include "cli/commands.h"
#include "web/reader.h"

namespace provarc {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
};

int run_serve(const ServeOptions& options, const GlobalOptions& global) {
  Result<web::ListenAddress> address = web::parse_listen_address(options.listen);
  if (!address.ok()) {
    std::cerr << "provarc serve: " << address.error() << "\n";
    return kExitUsage;
  }
  if (!web::is_loopback_host(address->host)) {
    std::cerr << "provarc serve: will not listen on " << options.listen
              << ": not a loopback address. The reader is for one person on this machine: it "
                 "serves pages from the internet to whoever reaches it. Listen on 127.0.0.1 and "
                 "forward the port (ssh -L 8080:127.0.0.1:8080 HOST) to read it from elsewhere.\n";
    return kExitUsage;
  }
  // An older archive is migrated first, when it can be written (as `provarc runs` does); the
  // reader itself only ever reads.
  (void)Archive::open(global.db_path, ArchiveOptions{.create = false});

  // The stop signals are blocked before the reader's threads start (they inherit the mask), so
  // that only sigwait below receives them.
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  web::ReaderOptions reader_options;
  reader_options.db_path = global.db_path;
  reader_options.listen = *address;
  Result<std::unique_ptr<web::Reader>> reader = web::Reader::start(reader_options);
  if (!reader.ok()) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    std::cerr << "provarc serve: " << reader.error() << "\n";
    return kExitFailure;
  }
  std::cout << "provarc serve: reading " << global.db_path << " at " << (*reader)->url()
            << " (Ctrl-C stops)" << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  (*reader)->stop();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  std::cerr << "provarc serve: stopped\n";
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "a read-only web reader over the archive, on 127.0.0.1 (Ctrl-C stops it)");
  cmd->add_option("--listen", options->listen,
                  "HOST:PORT to listen on, a loopback address (default: 127.0.0.1:8080; port 0: "
                  "any free one)");
  cmd->callback([options, &global] { global.exit_code = run_serve(*options, global); });
}

}  // namespace provarc
