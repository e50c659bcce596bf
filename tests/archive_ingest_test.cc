// ingest (cli/ingest.h): the one path from a capture to an article version, as the crawler and
// import use it, on a real fixture page and the shipped Bắc Kạn config.
#include "cli/ingest.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "parsers/extract.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using nlohmann::json;
using testing::fixture_path;
using testing::read_file;
using testing::source_dir;
using testing::temp_dir;

const char* const kUrl =
    "https://sotttt.backan.gov.vn/Pages/so-ket-cong-tac-6-thang-dau-nam-va-trien-khai-nhiem-vu-6-"
    "thang-cuoi-nam-2022.aspx";

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SiteConfig> site =
        load_site(source_dir() + "/config/sites/bac-kan.toml", source_dir() + "/config/platforms");
    ASSERT_TRUE(site.ok()) << site.error();
    site_ = *site;
    Result<std::unique_ptr<Archive>> archive = Archive::open(temp_dir() + "/a.sqlite");
    ASSERT_TRUE(archive.ok()) << archive.error();
    archive_ = std::move(*archive);
  }

  Capture fetched(const std::string& url, const std::string& body, const std::string& at) {
    Capture c;
    c.url = url;
    c.site = site_.id;
    c.fetched_at = at;
    c.status = 200;
    c.response_headers = {{"Content-Type", "text/html; charset=utf-8"}};
    c.body = body;
    return c;
  }

  SiteConfig site_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(IngestTest, AnArticlePageBecomesItsFirstVersion) {
  const std::string html = read_file(fixture_path("bac-kan/seed-001.html"));
  Result<IngestOutcome> outcome = ingest_capture(
      *archive_, fetched(kUrl, html, "2023-01-01T00:00:00.000Z"), site_, 0, /*is_article=*/true);
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  EXPECT_EQ(outcome->change, ArticleChange::kNew);
  EXPECT_GT(outcome->capture_id, 0);
  EXPECT_GT(outcome->version_id, 0);

  // The stored version is exactly what extract_article gives, stamped with the site.
  Result<Article> direct = extract_article(html, "text/html; charset=utf-8", kUrl, site_.extract);
  ASSERT_TRUE(direct.ok());
  direct->site = site_.id;
  Result<std::optional<ArticleVersion>> latest = archive_->latest_version(kUrl);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->json, article_to_json(*direct, -1));
  EXPECT_EQ((*latest)->parser_version, direct->parser_version);
  EXPECT_EQ((*latest)->parser_version, parser_version(site_.extract));
  EXPECT_EQ((*latest)->content_hash, content_hash(*direct));
  EXPECT_EQ((*latest)->title, direct->title);

  // What the crawler fetches next: the body's images and attachments.
  json expected = json::parse(read_file(fixture_path("bac-kan/seed-001.expected.json")));
  ASSERT_EQ(outcome->images.size(), expected["images"].size());
  for (size_t i = 0; i < outcome->images.size(); ++i) {
    EXPECT_EQ(outcome->images[i], expected["images"][i]["url"]);
  }
  ASSERT_EQ(outcome->attachments.size(), expected["attachments"].size());
  EXPECT_EQ(outcome->attachments[0], expected["attachments"][0]["url"]);
}

TEST_F(IngestTest, RevisitsNotModifiedAndNonArticlesWriteNoVersion) {
  const std::string html = read_file(fixture_path("bac-kan/seed-001.html"));
  Result<IngestOutcome> first =
      ingest_capture(*archive_, fetched(kUrl, html, "2023-01-01T00:00:00.000Z"), site_, 0, true);
  ASSERT_TRUE(first.ok());

  // The same bytes a week later: a capture, no blob, no version.
  Result<IngestOutcome> revisit =
      ingest_capture(*archive_, fetched(kUrl, html, "2023-01-08T00:00:00.000Z"), site_, 0, true);
  ASSERT_TRUE(revisit.ok()) << revisit.error();
  EXPECT_EQ(revisit->change, ArticleChange::kUnchanged);
  EXPECT_EQ(revisit->version_id, first->version_id);
  EXPECT_NE(revisit->capture_id, first->capture_id);

  Capture not_modified = fetched(kUrl, "", "2023-01-15T00:00:00.000Z");
  not_modified.status = 304;
  not_modified.outcome = CaptureOutcome::kNotModified;
  Result<IngestOutcome> unchanged = ingest_capture(*archive_, not_modified, site_, 0, true);
  ASSERT_TRUE(unchanged.ok()) << unchanged.error();
  EXPECT_EQ(unchanged->change, ArticleChange::kNone);
  EXPECT_EQ(unchanged->article_id, first->article_id);
  EXPECT_EQ(unchanged->version_id, 0);

  const std::string listing_url = "https://sotttt.backan.gov.vn/Pages/tin-tuc-su-kien.aspx";
  Result<IngestOutcome> listing = ingest_capture(
      *archive_, fetched(listing_url, html + "<!-- listing -->", "2023-01-15T00:00:01.000Z"), site_,
      0, /*is_article=*/false);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->change, ArticleChange::kNone);
  EXPECT_EQ(listing->article_id, 0);

  Result<std::vector<ArticleVersion>> versions = archive_->versions(kUrl);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 1u);
  Result<std::vector<SiteStats>> stats = archive_->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].captures, 4);
  EXPECT_EQ((*stats)[0].blobs, 2);
  EXPECT_EQ((*stats)[0].articles, 1);
  // Nothing for reparse to do: the article's one parseable body was parsed; the listing is no
  // article.
  Result<std::vector<int64_t>> pending =
      archive_->pending_parses(site_.id, parser_version(site_.extract));
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_F(IngestTest, StoredCapturesAndFailuresGoThroughTheSamePath) {
  Result<int64_t> stored = archive_->store_capture(
      fetched(kUrl, read_file(fixture_path("bac-kan/seed-001.html")), "2023-01-01T00:00:00.000Z"),
      0);
  ASSERT_TRUE(stored.ok());
  Result<IngestOutcome> outcome = ingest_stored(*archive_, *stored, site_);
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  EXPECT_EQ(outcome->capture_id, *stored);
  EXPECT_EQ(outcome->change, ArticleChange::kNew);

  const std::string empty_url = "https://sotttt.backan.gov.vn/Pages/trong.aspx";
  Result<IngestOutcome> failed = ingest_capture(
      *archive_, fetched(empty_url, "<html><body></body></html>", "2023-01-02T00:00:00.000Z"),
      site_, 0, true);
  ASSERT_TRUE(failed.ok()) << failed.error();
  EXPECT_EQ(failed->change, ArticleChange::kFailed);
  EXPECT_NE(failed->error.find("no article body"), std::string::npos) << failed->error;
  EXPECT_EQ(failed->version_id, 0);
  Result<std::string> error = archive_->last_parse_error(empty_url);
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(*error, failed->error);

  Result<IngestOutcome> missing = ingest_stored(*archive_, 9999, site_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("no capture 9999"), std::string::npos) << missing.error();
}

// How a field was found is no news: a re-parse whose rules find the same article by other means
// (here without title rules, so a generic finder decides the title) records the parse under the
// new parser_version but makes no new version (issue 10; content_hash excludes provenance).
TEST_F(IngestTest, ProvenanceAloneMakesNoNewVersion) {
  Result<int64_t> stored = archive_->store_capture(
      fetched(kUrl, read_file(fixture_path("bac-kan/seed-001.html")), "2023-01-01T00:00:00.000Z"),
      0);
  ASSERT_TRUE(stored.ok());
  Result<IngestOutcome> first = ingest_stored(*archive_, *stored, site_);
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_EQ(first->change, ArticleChange::kNew);

  SiteConfig other = site_;
  other.extract.title.clear();
  other.extract.digest = "0123456789abcdef";  // another parser version
  Result<Article> before = extract_article(read_file(fixture_path("bac-kan/seed-001.html")),
                                           "text/html; charset=utf-8", kUrl, site_.extract);
  Result<Article> after = extract_article(read_file(fixture_path("bac-kan/seed-001.html")),
                                          "text/html; charset=utf-8", kUrl, other.extract);
  ASSERT_TRUE(before.ok() && after.ok());
  ASSERT_EQ(before->title, after->title);
  ASSERT_NE(before->provenance.title, after->provenance.title);  // the test's premise
  EXPECT_EQ(content_hash(*before), content_hash(*after));

  Result<IngestOutcome> again = ingest_stored(*archive_, *stored, other);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->change, ArticleChange::kUnchanged);
  EXPECT_EQ(again->version_id, first->version_id);
}

TEST_F(IngestTest, OnlyOkTwoHundredPagesWithABodyAreParseable) {
  Capture c = fetched(kUrl, "<p>x</p>", "2023-01-01T00:00:00.000Z");
  EXPECT_TRUE(is_parseable(c));
  Capture redirect = c;
  redirect.status = 301;
  EXPECT_FALSE(is_parseable(redirect));
  Capture image = c;
  image.kind = CaptureKind::kImage;
  EXPECT_FALSE(is_parseable(image));
  Capture error = c;
  error.outcome = CaptureOutcome::kError;
  EXPECT_FALSE(is_parseable(error));
  Capture empty = c;
  empty.body.clear();
  EXPECT_FALSE(is_parseable(empty));
}

}  // namespace
}  // namespace provarc
