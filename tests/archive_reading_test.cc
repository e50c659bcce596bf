// The archive's read queries for readers (archive.h "Reading"): sites with their counts and last
// crawl, a site's articles by date and paged, an article, a URL's captures, runs paged.
#include <gtest/gtest.h>

#include "archive/archive.h"
#include "tests/support/paths.h"
#include "tests/support/reader_archive.h"

namespace provarc::testing {
namespace {

class ArchiveReadingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    built_ = build_reader_archive(temp_dir());
    Result<std::unique_ptr<Archive>> archive =
        Archive::open(built_.db_path, ArchiveOptions{.read_only = true});
    ASSERT_TRUE(archive.ok()) << archive.error();
    archive_ = std::move(*archive);
  }

  ReaderArchive built_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(ArchiveReadingTest, SitesHaveTheirCountsAndLastCrawl) {
  Result<std::vector<SiteSummary>> sites = archive_->site_summaries();
  ASSERT_TRUE(sites.ok()) << sites.error();
  ASSERT_EQ(sites->size(), 2u);
  const SiteSummary& dong_thap = (*sites)[0];
  EXPECT_EQ(dong_thap.site, "dong-thap");
  EXPECT_EQ(dong_thap.articles, 4);
  EXPECT_EQ(dong_thap.versions, 5);  // one article was edited
  EXPECT_EQ(dong_thap.captures, 5);
  EXPECT_EQ(dong_thap.last_crawl_run, 1);
  EXPECT_FALSE(dong_thap.last_crawl_ended_at.empty());
  EXPECT_EQ(dong_thap.last_crawl.new_articles, 4);
  EXPECT_FALSE(dong_thap.last_crawl.template_changed);
  const SiteSummary& hostile = (*sites)[1];
  EXPECT_EQ(hostile.site, "thu-nghiem");
  EXPECT_EQ(hostile.articles, 1);
  EXPECT_EQ(hostile.captures, 4);
  EXPECT_EQ(hostile.last_crawl_run, 2);
  EXPECT_TRUE(hostile.last_crawl.template_changed);
  EXPECT_EQ(hostile.last_crawl.examples.size(), 1u);
}

TEST_F(ArchiveReadingTest, ASitesArticlesAreNewestFirstAndPaged) {
  Result<ArticlePage> all = archive_->site_articles("dong-thap", 0, 10);
  ASSERT_TRUE(all.ok()) << all.error();
  EXPECT_EQ(all->total, 4);
  ASSERT_EQ(all->articles.size(), 4u);
  for (size_t i = 1; i < all->articles.size(); ++i) {
    ASSERT_TRUE(all->articles[i].published);
    EXPECT_GT(*all->articles[i - 1].published, *all->articles[i].published);
  }
  EXPECT_EQ(all->articles[0].id, built_.dong_thap_article);  // 2020, the newest
  Result<ArticlePage> second = archive_->site_articles("dong-thap", 2, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->total, 4);
  ASSERT_EQ(second->articles.size(), 2u);
  EXPECT_EQ(second->articles[0].id, all->articles[2].id);
  Result<ArticlePage> none = archive_->site_articles("khong-co", 0, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
}

TEST_F(ArchiveReadingTest, AnArticleIsItsIdentityAndLatestVersion) {
  Result<std::optional<ArticleSummary>> edited = archive_->article(built_.edited_article);
  ASSERT_TRUE(edited.ok() && *edited);
  EXPECT_EQ((*edited)->site, "dong-thap");
  EXPECT_EQ((*edited)->version_count, 2);
  EXPECT_NE((*edited)->latest_version_id, 0);
  EXPECT_EQ((*edited)->title.rfind("Triển khai Kế hoạch", 0), 0u);
  EXPECT_FALSE((*edited)->gone);
  Result<std::optional<ArticleSummary>> hostile = archive_->article(built_.hostile_article);
  ASSERT_TRUE(hostile.ok() && *hostile);
  EXPECT_EQ((*hostile)->title, kHostileTitle);
  Result<std::optional<ArticleSummary>> missing = archive_->article(987654);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

TEST_F(ArchiveReadingTest, CapturesOfAUrlAreNewestFirst) {
  Result<std::optional<ArticleSummary>> edited = archive_->article(built_.edited_article);
  ASSERT_TRUE(edited.ok() && *edited);
  Result<std::vector<StoredCapture>> captures = archive_->captures_of((*edited)->url, 10);
  ASSERT_TRUE(captures.ok()) << captures.error();
  ASSERT_EQ(captures->size(), 2u);
  EXPECT_GT((*captures)[0].capture.fetched_at, (*captures)[1].capture.fetched_at);
  EXPECT_TRUE((*captures)[0].capture.body.empty()) << "no bodies";
  Result<std::vector<StoredCapture>> one = archive_->captures_of((*edited)->url, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST_F(ArchiveReadingTest, TheLatestBodyCaptureOfAUrl) {
  Result<int64_t> image =
      archive_->latest_body_capture("https://thu-nghiem.example.gov.vn/anh/bieu-do.png");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(*image, built_.image_capture);
  Result<int64_t> unknown = archive_->latest_body_capture("https://khong.example/");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(*unknown, 0);
}

TEST_F(ArchiveReadingTest, RunsArePagedBackwards) {
  Result<std::vector<RunRecord>> newest = archive_->recent_runs(1);
  ASSERT_TRUE(newest.ok() && newest->size() == 1u);
  EXPECT_EQ((*newest)[0].id, 2);
  Result<std::vector<RunRecord>> older = archive_->recent_runs(10, (*newest)[0].id);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->size(), 1u);
  EXPECT_EQ((*older)[0].id, 1);
  EXPECT_EQ((*older)[0].site_counts.size(), 1u);
}

}  // namespace
}  // namespace provarc::testing
