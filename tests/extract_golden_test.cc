// Golden tests: every fixture page's extraction equals its hand-written expected article, field by
// field, and none of its family's chrome strings survives anywhere in the output.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>
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

const std::string* known_miss(const FixturePage& page);

// The page's article; an empty one (and a failure, unless the page is a known miss) when the
// extractor finds none.
Article extract_page(const FixturePage& page) {
  std::string bytes = testing::read_file(page.path);
  auto article = extract_article(bytes, page.content_type, page.url, testing::rules_for(page.site));
  EXPECT_TRUE(article.ok() || known_miss(page) != nullptr)
      << page.path << ": " << (article.ok() ? "" : article.error());
  if (!article.ok()) return Article{};
  article->site = page.site;
  return *article;
}

// The sixth and seventh held-out rounds' pages the extractor does not read exactly yet, each with
// what it misses (docs/extraction.md, "Sixth round: after the fixes" and "Seventh round";
// `bench/extraction/score --misses tests/fixtures/holdout6-* tests/fixtures/holdout7-*` prints the
// rest). Their goldens stand as written: these pages are
// skipped, not passed, and a page listed here that the extractor now reads exactly fails the test
// until it is removed from the list. Every other page, of every round, must be exact.
const std::map<std::string, std::string>& known_misses() {
  static const std::map<std::string, std::string> misses = {
      {"holdout6-bac-kan/sp2013-webpart-bang-h3-trong-o-ngay-gach-tin-lien-quan-giua-bai-2022.html",
       "the tool row's print and e-mail icons kept as images"},
      {"holdout6-generic/nextjs-css-module-ngay-gach-gio-next-data-an-hidden-2024.html",
       "a related item's <time> taken as published"},
      {"holdout6-generic/vnpt-portal-ngay-gio-tach-sapo-div-tin-lien-quan-giua-chu-hoa-video-2023.html",
       "date and time in two elements: published null"},
      {"holdout6-liferay/lr62-wcd-span-tieude-br-ngay-yyyy-mm-dd-theo-bao-hau-giang-2020.html",
       "a <br>-split headline and its date line stay at the top of the body"},
      {"holdout6-liferay/lr7-blogs-ngay-thang-chu-phut-doc-user-info-2023.html",
       "the body rule matches only the visitor counter's web content"},
      {"holdout6-nghe-an/wcm-tieude-trong-thanh-tieu-de-portlet-ngay-dong-dau-noidung-2018.html",
       "headline in the portlet title bar not seen; a ticker link and its date taken instead"},
      // The seventh held-out round at first contact (docs/extraction.md, "Seventh round").
      {"holdout7-bac-kan/sp2013-tieude-chi-o-breadcrumb-og-thu-hai-gach-gio-tac-gia-nhan-bang-anh-2022.html",
       "published null"},
      {"holdout7-generic/drupal7-bartik-thu-hai-ngay-m-d-y-gach-gio-truong-anh-chu-thich-tac-gia-tep-pdf-2022.html",
       "blocks; images; attachments; body F1 0.162 (the caption field chosen as the body)"},
      {"holdout7-generic/aspnet-mvc-bootstrap-cap-nhat-luc-15h40-ngay-sapo-tin-lien-quan-giua-chu-hoa-2021.html",
       "author null; blocks; images; body F1 0.735"},
      {"holdout7-nghe-an/wcm-bang-chuyen-muc-tren-tieude-thu-nam-ngay-gach-gio-24h-tac-gia-cung-hang-2018.html",
       "title \"Lê Thanh Hà\" (was \"Thứ Năm, 15/11/2018 - 16:20 Lê Thanh Hà\"); published null"},
      {"holdout7-tra-vinh/tv-default-aspx-span-tieude-ngay-en-us-tostring-sapo-span-bang-strong-2019.html",
       "blocks; body F1 0.809"},
  };
  return misses;
}

const std::string* known_miss(const FixturePage& page) {
  auto it = known_misses().find(page.folder + "/" + page.file);
  return it == known_misses().end() ? nullptr : &it->second;
}

// The chrome strings of the page's folder found in the article's output.
std::vector<std::string> leaks(const FixturePage& page, const Article& got) {
  std::string everything = got.title + "\n" + got.author.value_or("") + "\n" + got.text();
  for (const Image& i : got.images) everything += "\n" + i.caption;
  for (const Attachment& a : got.attachments) everything += "\n" + a.text;
  std::vector<std::string> found;
  for (const std::string& chrome : testing::chrome_strings(page.folder)) {
    if (everything.find(collapse_whitespace(chrome)) != std::string::npos) found.push_back(chrome);
  }
  return found;
}

// True when `got` equals `golden` in every field the golden test compares.
bool exact(const Article& got, const Article& golden) {
  return got.site == golden.site && got.url == golden.url && got.title == golden.title &&
         got.published == golden.published && got.updated == golden.updated &&
         got.author == golden.author && got.blocks == golden.blocks &&
         got.images == golden.images && got.attachments == golden.attachments;
}

class GoldenTest : public ::testing::TestWithParam<FixturePage> {};

TEST_P(GoldenTest, EveryFieldMatchesTheGolden) {
  const FixturePage& page = GetParam();
  ASSERT_TRUE(std::filesystem::exists(page.golden_path)) << page.golden_path;
  auto golden = article_from_json(testing::read_file(page.golden_path));
  ASSERT_TRUE(golden.ok()) << page.golden_path << ": " << golden.error();
  Article got = extract_page(page);
  if (const std::string* miss = known_miss(page)) {
    ASSERT_FALSE(exact(got, *golden) && leaks(page, got).empty())
        << page.path << " is now read exactly: remove it from known_misses()";
    GTEST_SKIP() << "known miss: " << *miss;
  }

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
  std::vector<std::string> found = leaks(page, got);
  if (known_miss(page) != nullptr && !found.empty()) GTEST_SKIP() << "known miss, leaks";
  for (const std::string& chrome : found) {
    ADD_FAILURE() << "chrome \"" << chrome << "\" leaked from " << page.path;
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
