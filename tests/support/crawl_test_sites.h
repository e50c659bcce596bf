// tests/support/crawl_test_sites.h: site configs for crawler tests, written as TOML into a temp
// config directory (sites/ plus a copy of the shipped platforms/) and loaded through config/.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/config.h"
#include "tests/support/fixture_web.h"

namespace provarc::testing {

// The [crawl] lines of a fixture news site (see add_news_site): articles "/tin-tuc/*.html",
// listing "/tin-tuc/" and its "?page=N" pagination, the delay and a 2 s connect timeout. `extra`
// lines are appended (a key given twice is a TOML error: override by not using this helper).
std::string news_crawl_toml(const std::string& authority, int delay_ms,
                            const std::string& extra = "");

// Writes <config_dir>/sites/<id>.toml for a site on `authorities` (the first is its start URL
// "http://<authority>/") with the given [crawl] body, and copies the shipped presets to
// <config_dir>/platforms on first use. Returns the file's path. Fails the test on I/O errors.
std::string write_test_site(const std::string& config_dir, const std::string& id,
                            const std::vector<std::string>& authorities,
                            const std::string& crawl_toml, const std::string& platform = "generic");

// Loads what write_test_site() wrote; fails the test (and returns an empty config) on errors.
SiteConfig load_test_site(const std::string& config_dir, const std::string& id);

// Checks that no two requests of `log` (one host's, in arrival order) started closer than
// `min_gap` (the server's own clock). Returns "" or a description of the first violation.
std::string politeness_violation(const std::vector<RequestRecord>& log,
                                 std::chrono::milliseconds min_gap);

}  // namespace provarc::testing
