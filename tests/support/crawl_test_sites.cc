#include "tests/support/crawl_test_sites.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/paths.h"

namespace provarc::testing {

std::string news_crawl_toml(const std::string& authority, int delay_ms, const std::string& extra) {
  return "delay = \"" + std::to_string(delay_ms) + "ms\"\n"
         "listing_urls = [\"http://" + authority + "/tin-tuc/\"]\n"
         "article_url_patterns = ['/tin-tuc/[^/?]+\\.html$']\n"
         "listing_url_patterns = ['/tin-tuc/\\?page=[0-9]+$']\n"
         "connect_timeout = \"2s\"\n" + extra;
}

std::string write_test_site(const std::string& config_dir, const std::string& id,
                            const std::vector<std::string>& authorities,
                            const std::string& crawl_toml, const std::string& platform) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(config_dir) / "sites", ec);
  if (!fs::exists(fs::path(config_dir) / "platforms")) {
    fs::copy(source_dir() + "/config/platforms", fs::path(config_dir) / "platforms",
             fs::copy_options::recursive, ec);
    EXPECT_FALSE(ec) << "copying platforms: " << ec.message();
  }
  std::string hosts;
  for (const std::string& a : authorities) hosts += (hosts.empty() ? "\"" : ", \"") + a + "\"";
  std::string path = (fs::path(config_dir) / "sites" / (id + ".toml")).string();
  std::ofstream out(path);
  out << "id = \"" << id << "\"\n"
      << "name = \"Sở Thông tin và Truyền thông (fixture " << id << ")\"\n"
      << "province = \"Fixture\"\n"
      << "platform = \"" << platform << "\"\n"
      << "hosts = [" << hosts << "]\n"
      << "start_urls = [\"http://" << authorities.front() << "/\"]\n"
      << "contact_url = \"https://example.org/provarc-tests\"\n\n"
      << "[crawl]\n"
      << crawl_toml;
  EXPECT_TRUE(out.good()) << "cannot write " << path;
  return path;
}

SiteConfig load_test_site(const std::string& config_dir, const std::string& id) {
  auto site = load_site(config_dir + "/sites/" + id + ".toml", config_dir + "/platforms");
  EXPECT_TRUE(site.ok()) << (site.ok() ? "" : site.error());
  return site.ok() ? *site : SiteConfig();
}

std::string politeness_violation(const std::vector<RequestRecord>& log,
                                 std::chrono::milliseconds min_gap) {
  for (size_t i = 1; i < log.size(); ++i) {
    auto gap = log[i].arrived - log[i - 1].arrived;
    if (gap < min_gap) {
      return log[i - 1].target + " then " + log[i].target + " on port " +
             std::to_string(log[i].port) + " only " +
             std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(gap).count()) +
             " us apart";
    }
  }
  return "";
}

}  // namespace provarc::testing
