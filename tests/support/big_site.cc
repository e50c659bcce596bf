#include "tests/support/big_site.h"

#include <algorithm>
#include <optional>

namespace provarc::testing {
namespace {

// The n of a target "<prefix><n><suffix>" with 1 <= n <= max, or nullopt.
std::optional<int> number_in(const std::string& target, const std::string& prefix,
                             const std::string& suffix, int max) {
  if (target.size() <= prefix.size() + suffix.size()) return std::nullopt;
  if (target.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  if (target.compare(target.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  std::string digits = target.substr(prefix.size(), target.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.size() > 9 || digits[0] == '0') return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int n = std::stoi(digits);
  if (n > max) return std::nullopt;
  return n;
}

int documents_of(const BigSite& site) {
  return (site.articles + site.per_document - 1) / site.per_document;
}

std::string hub_target(int h) { return "/chuyen-muc/" + std::to_string(h) + "/"; }

std::string sitemap_target(int k) { return "/sitemap-" + std::to_string(k) + ".xml"; }

FixtureResponse html(std::string body) {
  FixtureResponse r;
  r.body = std::move(body);
  return r;
}

FixtureResponse xml(std::string body) {
  FixtureResponse r;
  r.content_type = "application/xml";
  r.body = std::move(body);
  return r;
}

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><nav><a href=\"/\">Trang chủ</a></nav>" + body + "</body></html>";
}

std::string home(const BigSite& site) {
  std::string links;
  if (site.shape == BigSiteShape::kHubs) {
    for (int h = 1; h <= documents_of(site); ++h) {
      links += "<li><a href=\"" + hub_target(h) + "\">Chuyên mục " + std::to_string(h) +
               "</a></li>";
    }
  }
  return page("Trang chủ", "<ul>" + links + "</ul>");
}

// The articles of hub or sitemap `k`: [first, last].
std::pair<int, int> articles_of(const BigSite& site, int k) {
  int first = (k - 1) * site.per_document + 1;
  return {first, std::min(site.articles, k * site.per_document)};
}

std::string hub(const BigSite& site, int h) {
  std::string items;
  auto [first, last] = articles_of(site, h);
  items.reserve(static_cast<size_t>(last - first + 1) * 64);
  for (int n = first; n <= last; ++n) {
    items += "<li><a href=\"" + big_site_article_target(n) + "\">Bản tin " + std::to_string(n) +
             "</a></li>";
  }
  return page("Chuyên mục " + std::to_string(h), "<ul>" + items + "</ul>");
}

std::string sitemap_index(const BigSite& site, const std::string& origin) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (int k = 1; k <= documents_of(site); ++k) {
    body += "<sitemap><loc>" + origin + sitemap_target(k) + "</loc></sitemap>\n";
  }
  return body + "</sitemapindex>\n";
}

std::string sitemap(const BigSite& site, int k, const std::string& origin) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  auto [first, last] = articles_of(site, k);
  body.reserve(static_cast<size_t>(last - first + 1) * 80);
  for (int n = first; n <= last; ++n) {
    body += "<url><loc>" + origin + big_site_article_target(n) + "</loc></url>\n";
  }
  return body + "</urlset>\n";
}

std::string article(const BigSite& site, int n) {
  std::string title = "Bản tin số " + std::to_string(n);
  std::string related;
  for (int next = n + 1; next <= std::min(site.articles, n + 3); ++next) {
    related += "<li><a href=\"" + big_site_article_target(next) + "\">Bản tin số " +
               std::to_string(next) + "</a></li>";
  }
  std::string up;
  if (site.shape == BigSiteShape::kHubs) {
    up = "<a href=\"" + hub_target((n - 1) / site.per_document + 1) + "\">Chuyên mục</a>";
  }
  return page(title, up + "<article><h1>" + title + "</h1><p>Ngày đăng: 12/04/2023</p>"
                     "<p>Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ chuyển "
                     "đổi số năm " + std::to_string(2000 + n % 25) + ", với sự tham dự của lãnh "
                     "đạo các phòng, đơn vị trực thuộc.</p><p>Hội nghị thảo luận về hạ tầng số, "
                     "an toàn thông tin và dịch vụ công trực tuyến.</p></article>"
                     "<h3>Tin khác</h3><ul>" + related + "</ul>");
}

}  // namespace

std::string big_site_article_target(int n) { return "/tin-tuc/bai-" + std::to_string(n) + ".html"; }

void add_big_site(FixtureHost& host, const BigSite& site) {
  const std::string origin = host.url("");
  FixtureResponse robots;
  robots.content_type = "text/plain";
  robots.body = "User-agent: *\nDisallow:" + (site.disallow.empty() ? "" : " " + site.disallow) +
                "\n";
  if (site.shape == BigSiteShape::kSitemap) robots.body += "Sitemap: " + origin + "/sitemap.xml\n";
  host.set_route("/robots.txt", Route({robots}));
  host.add_dynamic([site, origin](const std::string& target) -> std::optional<FixtureResponse> {
    const int documents = documents_of(site);
    if (target == "/") return html(home(site));
    if (auto n = number_in(target, "/tin-tuc/bai-", ".html", site.articles)) {
      return html(article(site, *n));
    }
    if (site.shape == BigSiteShape::kHubs) {
      if (auto h = number_in(target, "/chuyen-muc/", "/", documents)) return html(hub(site, *h));
      return std::nullopt;
    }
    if (target == "/sitemap.xml") return xml(sitemap_index(site, origin));
    if (auto k = number_in(target, "/sitemap-", ".xml", documents)) {
      return xml(sitemap(site, *k, origin));
    }
    return std::nullopt;
  });
}

std::string big_site_crawl_toml(int delay_ms) {
  return "delay = \"" + std::to_string(delay_ms) + "ms\"\n"
         "article_url_patterns = ['/tin-tuc/bai-[0-9]+\\.html$']\n"
         "listing_url_patterns = ['/chuyen-muc/[0-9]+/$']\n"
         "max_pages = 1000000\n"  // the default budget (100 000) would stop short of the site
         "fetch_images = false\n"
         "fetch_attachments = false\n"
         "connect_timeout = \"2s\"\n";
}

}  // namespace provarc::testing
