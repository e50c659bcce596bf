#include "tests/support/node_tools.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "tests/support/paths.h"

namespace provarc::testing {

std::string find_node() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/node";
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string node_module(const std::string& relative) {
  return source_dir() + "/tools/node_modules/" + relative;
}

std::string missing_tools(const std::vector<std::string>& modules, bool chromium) {
  if (find_node().empty()) return "node is not installed";
  for (const std::string& module : modules) {
    if (access(module.c_str(), R_OK) != 0) return module + " is missing";
  }
  if (chromium && access(kChromium, X_OK) != 0) return std::string(kChromium) + " is missing";
  return "";
}

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false" && std::string(ci) != "0";
}

}  // namespace provarc::testing
