// The five reference articles (seeds/): their clean expected extractions agree with the seed texts,
// and the parser produces them from the fixture pages that carry those articles.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "html/text.h"
#include "parsers/article.h"
#include "parsers/extract.h"
#include "tests/support/fixtures.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> seed_stems() {
  std::vector<std::string> stems;
  for (const auto& e : fs::directory_iterator(testing::source_dir() + "/seeds")) {
    if (e.path().extension() == ".txt") stems.push_back(e.path().stem().string());
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

class SeedTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string seed_path() const { return testing::source_dir() + "/seeds/" + GetParam() + ".txt"; }
  std::string golden_path() const {
    return testing::source_dir() + "/seeds/" + GetParam() + ".expected.json";
  }
};

TEST_P(SeedTest, ExpectedTextComesFromTheSeed) {
  auto golden = article_from_json(testing::read_file(golden_path()));
  ASSERT_TRUE(golden.ok()) << golden.error();
  std::string seed = collapse_whitespace(testing::read_file(seed_path()));
  ASSERT_FALSE(golden->blocks.empty());
  for (const Block& b : golden->blocks) {
    EXPECT_NE(seed.find(b.text), std::string::npos) << "not in the seed: " << b.text;
  }
  EXPECT_NE(seed.find(golden->title), std::string::npos);
  if (golden->author) EXPECT_NE(seed.find(*golden->author), std::string::npos);
  // Nearly every word of the seed that is not chrome is in the expected article.
  double f1 = testing::token_f1(golden->title + " " + golden->author.value_or("") + " " +
                                    golden->text(),
                                seed);
  EXPECT_GT(f1, 0.85) << "the expected article drops much of the seed";
}

TEST_P(SeedTest, ParserProducesTheExpectedArticleFromTheFixturePage) {
  auto golden = article_from_json(testing::read_file(golden_path()));
  ASSERT_TRUE(golden.ok()) << golden.error();
  const testing::FixturePage* page = nullptr;
  auto pages = testing::all_fixture_pages();
  for (const auto& p : pages) {
    if (p.url == golden->url) page = &p;
  }
  ASSERT_NE(page, nullptr) << "no fixture page has the seed's URL " << golden->url;
  auto got = extract_article(testing::read_file(page->path), page->content_type, page->url,
                             testing::rules_for(page->site));
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got->title, golden->title);
  EXPECT_EQ(got->published, golden->published);
  EXPECT_EQ(got->author, golden->author);
  EXPECT_EQ(got->text(), golden->text());
  EXPECT_GE(testing::token_f1(got->text(), golden->text()), 0.98);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedTest, ::testing::ValuesIn(seed_stems()));

}  // namespace
}  // namespace provarc
