// Golden tests: every fixture page's extraction equals its hand-written expected article, field by
// field, and none of its family's chrome strings survives anywhere in the output.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "html/text.h"
#include "parsers/extract.h"
#include "tests/support/fixtures.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::FixturePage;

std::string name_of(const ::testing::TestParamInfo<FixturePage>& info) {
  std::string name = info.param.folder + "_" + info.param.file;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

Article extract_page(const FixturePage& page) {
  std::string bytes = testing::read_file(page.path);
  auto article = extract_article(bytes, page.content_type, page.url, testing::rules_for(page.site));
  EXPECT_TRUE(article.ok()) << page.path << ": " << (article.ok() ? "" : article.error());
  if (!article.ok()) return Article{};
  article->site = page.site;
  return *article;
}

class GoldenTest : public ::testing::TestWithParam<FixturePage> {};

TEST_P(GoldenTest, EveryFieldMatchesTheGolden) {
  const FixturePage& page = GetParam();
  ASSERT_TRUE(std::filesystem::exists(page.golden_path)) << page.golden_path;
  auto golden = article_from_json(testing::read_file(page.golden_path));
  ASSERT_TRUE(golden.ok()) << page.golden_path << ": " << golden.error();
  Article got = extract_page(page);

  EXPECT_EQ(got.site, golden->site);
  EXPECT_EQ(got.url, golden->url);
  EXPECT_EQ(got.title, golden->title);
  EXPECT_EQ(got.published, golden->published);
  EXPECT_EQ(got.updated, golden->updated);
  EXPECT_EQ(got.author, golden->author);
  EXPECT_EQ(got.text(), golden->text()) << "body: " << got.provenance.body;
  size_t n = std::min(got.blocks.size(), golden->blocks.size());
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(got.blocks[i].kind, golden->blocks[i].kind) << "block " << i << ": " << got.blocks[i].text;
  }
  EXPECT_EQ(got.blocks.size(), golden->blocks.size());
  EXPECT_EQ(got.images, golden->images);
  EXPECT_EQ(got.attachments, golden->attachments);
  EXPECT_GE(testing::token_f1(got.text(), golden->text()), 0.98);
  // The golden file itself states its text as the blocks joined by blank lines.
  auto raw = nlohmann::json::parse(testing::read_file(page.golden_path));
  EXPECT_EQ(raw["text"].get<std::string>(), golden->text()) << "golden's text disagrees with its blocks";
}

TEST_P(GoldenTest, NoChromeLeaks) {
  const FixturePage& page = GetParam();
  Article got = extract_page(page);
  std::string everything = got.title + "\n" + got.author.value_or("") + "\n" + got.text();
  for (const Image& i : got.images) everything += "\n" + i.caption;
  for (const Attachment& a : got.attachments) everything += "\n" + a.text;
  for (const std::string& chrome : testing::chrome_strings(page.folder)) {
    EXPECT_EQ(everything.find(collapse_whitespace(chrome)), std::string::npos)
        << "chrome \"" << chrome << "\" leaked from " << page.path;
  }
}

TEST_P(GoldenTest, ExtractionIsDeterministic) {
  const FixturePage& page = GetParam();
  EXPECT_EQ(article_to_json(extract_page(page)), article_to_json(extract_page(page)));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenTest, ::testing::ValuesIn(testing::all_fixture_pages()),
                         name_of);

TEST(Fixtures, EveryFamilyHasAtLeastFourPages) {
  std::map<std::string, int> per_folder;
  for (const FixturePage& page : testing::all_fixture_pages()) per_folder[page.folder]++;
  for (const char* folder : {"bac-kan", "nghe-an", "dong-thap", "tra-vinh", "liferay"}) {
    EXPECT_GE(per_folder[folder], 4) << folder;
  }
}

}  // namespace
}  // namespace provarc
