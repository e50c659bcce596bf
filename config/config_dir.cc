#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "config/config.h"

namespace provarc {

std::string default_config_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("PROVARC_CONFIG"); env != nullptr && *env != '\0') return env;
  if (fs::is_directory("config/sites", ec)) return "config";
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    fs::path installed = fs::path(exe).parent_path().parent_path() / "share" / "provarc" / "config";
    if (fs::is_directory(installed / "sites", ec)) return installed.string();
  }
  return PROVARC_SOURCE_CONFIG_DIR;
}

}  // namespace provarc
