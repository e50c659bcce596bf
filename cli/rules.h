// cli/rules.h: finding a site's config or a platform's rules from the command line's --config,
// shared by every subcommand that reads pages.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/result.h"
#include "config/config.h"

namespace provarc {

// The config directory: --config, else default_config_dir().
std::string config_dir(const GlobalOptions& global);

// The presets: <config>/platforms when the config dir has one, else the default config's, so a
// user's config dir may hold only sites/.
std::string platforms_dir(const GlobalOptions& global);

// The site `id` from <config>/sites/<id>.toml. An unknown id fails listing the known ones.
Result<SiteConfig> site_by_id(const GlobalOptions& global, const std::string& id);

Result<ExtractRules> rules_for_site(const GlobalOptions& global, const std::string& id);
Result<ExtractRules> rules_for_platform(const GlobalOptions& global, const std::string& name);

}  // namespace provarc
