// The archive's records for scheduled crawls (schema version 2): per-site run counts and the
// history the template check reads, gone marks on articles, the stale pages a new pass
// revalidates, and the migration of a version 1 file that has none of them.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <string>

#include "archive/archive.h"
#include "archive/schema.h"
#include "archive/sqlite.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::temp_dir;

std::unique_ptr<Archive> open_archive(const std::string& path) {
  auto archive = Archive::open(path);
  EXPECT_TRUE(archive.ok()) << (archive.ok() ? "" : archive.error());
  return archive.ok() ? std::move(*archive) : nullptr;
}

Capture page(const std::string& url, const std::string& fetched_at, int status = 200) {
  Capture c;
  c.url = url;
  c.site = "news";
  c.fetched_at = fetched_at;
  c.status = status;
  c.response_headers = {{"Content-Type", "text/html"}};
  c.body = status == 200 ? "<html><body><p>" + url + "</p></body></html>" : "";
  return c;
}

RunSiteCounts counts(const std::string& site, int64_t parsed, int64_t suspect) {
  RunSiteCounts c;
  c.site = site;
  c.fetched = 10;
  c.new_articles = parsed;
  c.parsed = parsed;
  c.suspect = suspect;
  c.body_missed = suspect;
  c.examples = {"https://example.gov.vn/tin/1", "https://example.gov.vn/tin/\xff"};
  return c;
}

TEST(ArchiveRunsTest, RunSiteCountsRoundTripAndFormTheHistory) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  auto first = archive->begin_run("crawl", {"news", "other"});
  auto killed = archive->begin_run("crawl", {"news"});
  auto idle = archive->begin_run("crawl", {"news"});
  auto current = archive->begin_run("crawl", {"news"});
  ASSERT_TRUE(first.ok() && killed.ok() && idle.ok() && current.ok());

  RunSiteCounts written = counts("news", 8, 1);
  written.gone = 2;
  written.duration_ms = 1234;
  written.finished = true;
  written.template_changed = true;
  ASSERT_TRUE(archive->record_run_site(*first, written).ok());
  ASSERT_TRUE(archive->record_run_site(*first, counts("other", 3, 0)).ok());
  ASSERT_TRUE(archive->end_run(*first, R"({"stopped":false})").ok());
  ASSERT_TRUE(archive->record_run_site(*killed, counts("news", 5, 5)).ok());  // never ended
  ASSERT_TRUE(archive->record_run_site(*idle, counts("news", 0, 0)).ok());    // parsed nothing
  ASSERT_TRUE(archive->end_run(*idle, "{}").ok());

  auto run = archive->run(*first);
  ASSERT_TRUE(run.ok()) << run.error();
  EXPECT_EQ(run->kind, "crawl");
  EXPECT_EQ(run->sites, (std::vector<std::string>{"news", "other"}));
  EXPECT_FALSE(run->ended_at.empty());
  EXPECT_EQ(run->counts_json, R"({"stopped":false})");
  ASSERT_EQ(run->site_counts.size(), 2u);
  const RunSiteCounts& news = run->site_counts[0];  // by site id
  EXPECT_EQ(news.site, "news");
  EXPECT_EQ(news.fetched, 10);
  EXPECT_EQ(news.new_articles, 8);
  EXPECT_EQ(news.gone, 2);
  EXPECT_EQ(news.duration_ms, 1234);
  EXPECT_TRUE(news.finished);
  EXPECT_TRUE(news.template_changed);
  EXPECT_EQ(news.parsed, 8);
  EXPECT_EQ(news.suspect, 1);
  ASSERT_EQ(news.examples.size(), 2u) << "invalid UTF-8 from the network is kept, replaced";
  EXPECT_EQ(news.examples[0], "https://example.gov.vn/tin/1");

  // Recording again replaces.
  ASSERT_TRUE(archive->record_run_site(*first, counts("news", 9, 0)).ok());
  EXPECT_EQ(archive->run(*first)->site_counts[0].parsed, 9);

  // The history of the current run: ended runs that parsed something, newest first.
  auto history = archive->site_history("news", *current, 5);
  ASSERT_TRUE(history.ok()) << history.error();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].parsed, 9);
  EXPECT_TRUE(archive->site_history("news", *first, 5)->empty());

  auto recent = archive->recent_runs(2);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].id, *current);
  EXPECT_EQ((*recent)[0].ended_at, "");
  EXPECT_EQ((*recent)[1].id, *idle);

  Status unknown = archive->record_run_site(999, counts("news", 1, 0));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("no run 999"), std::string::npos) << unknown.error();
  EXPECT_EQ(unknown.code(), ErrorCode::kNotFound);  // told by SQLITE_CONSTRAINT_FOREIGNKEY
  auto missing = archive->run(999);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("no run 999"), std::string::npos) << missing.error();
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
}

TEST(ArchiveRunsTest, GoneMarksKeepTheArticleAndTheFirstMark) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  const std::string url = "https://example.gov.vn/tin/1";
  auto not_article = archive->mark_gone(url, 404, "2026-01-02T00:00:00.000Z");
  ASSERT_TRUE(not_article.ok());
  EXPECT_FALSE(*not_article) << "only registered articles are marked";

  ASSERT_TRUE(archive->ensure_article("news", url).ok());
  auto marked = archive->mark_gone(url, 410, "2026-01-02T00:00:00.000Z");
  ASSERT_TRUE(marked.ok());
  EXPECT_TRUE(*marked);
  auto again = archive->mark_gone(url, 404, "2026-01-03T00:00:00.000Z");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  auto mark = archive->gone_mark(url);
  ASSERT_TRUE(mark.ok() && *mark);
  EXPECT_EQ((*mark)->status, 410);
  EXPECT_EQ((*mark)->since, "2026-01-02T00:00:00.000Z");

  // A capture older than the mark (imported late) does not bring it back; a newer one does.
  ASSERT_TRUE(archive->clear_gone(url, "2026-01-01T00:00:00.000Z").ok());
  EXPECT_TRUE(*archive->gone_mark(url));
  ASSERT_TRUE(archive->clear_gone(url, "2026-01-05T00:00:00.000Z").ok());
  EXPECT_FALSE(*archive->gone_mark(url));
  auto article = archive->ensure_article("news", url);
  ASSERT_TRUE(article.ok()) << "the article was never deleted";
}

TEST(ArchiveRunsTest, StalePagesAreDonePagesLastFetchedBeforeTheCutoff) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  auto add = [&](const std::string& url, CaptureKind kind, const std::string& fetched_at,
                 bool done) -> int64_t {
    FrontierEntry entry;
    entry.site = "news";
    entry.url = url;
    entry.kind = kind;
    EXPECT_TRUE(archive->enqueue(entry).ok());
    auto stored = archive->frontier_entry("news", url);
    EXPECT_TRUE(stored.ok() && *stored);
    Capture c = page(url, fetched_at);
    c.kind = kind;
    EXPECT_TRUE(archive->store_capture(c, 0).ok());
    if (done) {
      EXPECT_TRUE(archive->mark_done((*stored)->id).ok());
    }
    return (*stored)->id;
  };
  const std::string old_time = "2020-01-01T00:00:00.000Z";
  int64_t a = add("https://example.gov.vn/tin/a", CaptureKind::kPage, old_time, true);
  add("https://example.gov.vn/tin/fresh", CaptureKind::kPage, "2026-06-01T00:00:00.000Z", true);
  add("https://example.gov.vn/anh/a.jpg", CaptureKind::kImage, old_time, true);
  add("https://example.gov.vn/tin/queued", CaptureKind::kPage, old_time, false);
  add("https://example.gov.vn/tin/b", CaptureKind::kPage, old_time, true);
  // b was fetched again since: its latest capture decides.
  ASSERT_TRUE(archive->store_capture(page("https://example.gov.vn/tin/b",
                                          "2026-06-02T00:00:00.000Z"), 0).ok());
  int64_t c = add("https://example.gov.vn/tin/c", CaptureKind::kPage, old_time, true);

  const std::string cutoff = "2026-01-01T00:00:00.000Z";
  auto stale = archive->stale_pages("news", cutoff, 0, 10);
  ASSERT_TRUE(stale.ok()) << stale.error();
  ASSERT_EQ(stale->size(), 2u);
  EXPECT_EQ((*stale)[0].id, a);
  EXPECT_EQ((*stale)[1].id, c);
  auto paged = archive->stale_pages("news", cutoff, a, 1);
  ASSERT_TRUE(paged.ok());
  ASSERT_EQ(paged->size(), 1u);
  EXPECT_EQ((*paged)[0].url, "https://example.gov.vn/tin/c");
  EXPECT_TRUE(archive->stale_pages("other", cutoff, 0, 10)->empty());
}

TEST(ArchiveRunsTest, AVersion1ArchiveIsMigratedKeepingItsArticles) {
  std::string path = temp_dir() + "/v1.sqlite";
  {
    auto db = sql::Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(migrate(**db, path, {archive_migrations().front()}).ok());
    ASSERT_EQ(*(*db)->query_int("PRAGMA user_version"), 1);
    ASSERT_TRUE((*db)->exec("INSERT INTO articles (url, site, registered_at) VALUES "
                            "('https://example.gov.vn/tin/1', 'news', '2020-01-01T00:00:00Z')")
                    .ok());
  }
  auto archive = open_archive(path);
  ASSERT_TRUE(archive);
  auto marked = archive->mark_gone("https://example.gov.vn/tin/1", 404, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(marked.ok()) << marked.error();
  EXPECT_TRUE(*marked);
  auto run = archive->begin_run("crawl", {"news"});
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(archive->record_run_site(*run, counts("news", 1, 0)).ok());
  archive.reset();
  auto db = sql::Connection::open(path, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->query_int("PRAGMA user_version"), archive_schema_version());
  EXPECT_EQ(archive_schema_version(), 8);  // 6: packed texts, 7: URL identity, 8: compact keys
}

}  // namespace
}  // namespace provarc
