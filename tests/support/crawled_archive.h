// tests/support/crawled_archive.h: an archive made the way users make theirs, by `provarc crawl`
// of a generated news site on 127.0.0.1 (tests/support/fixture_web.h), for the export tests.
#pragma once

#include <string>
#include <vector>

namespace provarc::testing {

struct CrawledArchive {
  std::string config_dir;  // the site's config (sites/ and platforms/)
  std::string db;          // the archive
  std::string site = "tin-tuc";
  std::string start_url;  // the site's start URL, "http://127.0.0.1:<port>/"
  std::vector<std::string> articles;  // article URLs, in listing order
  std::vector<std::string> headlines;  // their titles
  std::string image_url;  // the first article's image, a real PNG (tiny_png())
  // A word that only the second article's text holds (not its title, not another article).
  std::string text_word = "kiosk";
};

// Crawls a news site of `articles` generated articles (each with an image, every other one with
// a PDF) into a new archive under a fresh temp dir, then stops the site's server, so that
// nothing can be fetched from it afterwards. Fails the test when the crawl does.
CrawledArchive crawl_news_site(int articles);

// A 4x4 red PNG that browsers decode (built with zlib: signature, IHDR, IDAT, IEND).
std::string tiny_png();

}  // namespace provarc::testing
