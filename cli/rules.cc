#include "cli/rules.h"

#include <algorithm>
#include <filesystem>

namespace provarc {

std::string config_dir(const GlobalOptions& global) {
  return global.config_dir.empty() ? default_config_dir() : global.config_dir;
}

std::string platforms_dir(const GlobalOptions& global) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path own = fs::path(config_dir(global)) / "platforms";
  if (fs::is_directory(own, ec)) return own.string();
  return (fs::path(default_config_dir()) / "platforms").string();
}

Result<SiteConfig> site_by_id(const GlobalOptions& global, const std::string& id) {
  namespace fs = std::filesystem;
  const std::string dir = config_dir(global);
  const fs::path path = fs::path(dir) / "sites" / (id + ".toml");
  std::error_code ec;
  // Any entry at the path is the site's file: one that cannot be read (a dangling link, a FIFO)
  // is reported by load_site naming it, not taken for an unknown id.
  const bool present =
      is_config_name(id) && fs::symlink_status(path, ec).type() != fs::file_type::not_found;
  if (!present) {
    std::vector<std::string> known;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / "sites", ec)) {
      if (entry.path().extension() == ".toml") known.push_back(entry.path().stem().string());
    }
    std::sort(known.begin(), known.end());
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    return fail("unknown site id \"" + id + "\" (no " + path.string() + "; known: " +
                (list.empty() ? "none" : list) + ")");
  }
  return load_site(path.string(), platforms_dir(global));
}

Result<ExtractRules> rules_for_site(const GlobalOptions& global, const std::string& id) {
  auto site = site_by_id(global, id);
  if (!site.ok()) return site.failure();
  return site->extract;
}

Result<ExtractRules> rules_for_platform(const GlobalOptions& global, const std::string& name) {
  return load_platform(platforms_dir(global), name);
}

}  // namespace provarc
