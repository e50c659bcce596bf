// The archive's model: captures and blobs, articles and versions, exports, stats, dictionaries,
// the frontier and runs. Uses made-up article JSON: no parser involved.
#include "archive/archive.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/digest.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::temp_dir;

std::unique_ptr<Archive> open_archive(const std::string& path, ArchiveOptions options = {}) {
  Result<std::unique_ptr<Archive>> archive = Archive::open(path, options);
  EXPECT_TRUE(archive.ok()) << (archive.ok() ? "" : archive.error());
  return archive.ok() ? std::move(*archive) : nullptr;
}

Capture page(const std::string& url, const std::string& body, const std::string& fetched_at) {
  Capture c;
  c.url = url;
  c.site = "backan";
  c.fetched_at = fetched_at;
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"User-Agent", "provarc/0.1"}};
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                        {"ETag", "\"e-" + std::to_string(body.size()) + "\""},
                        {"Last-Modified", "Tue, 03 Jul 2018 11:29:27 GMT"}};
  c.body = body;
  c.ip = "127.0.0.1";
  return c;
}

// What ingest would record for an article whose text is `text`.
ParseRecord parsed(int64_t capture_id, const std::string& text,
                   const std::string& parser_version = "0.1.0+aaaa") {
  ParseRecord r;
  r.capture_id = capture_id;
  r.parser_version = parser_version;
  r.ok = true;
  r.title = "Tiêu đề " + text.substr(0, 8);
  r.published = "2023-04-12";
  r.content_hash = sha256_hex(text);
  r.json = R"({"title":"t","text":")" + text + R"(","parser_version":")" + parser_version + "\"}";
  return r;
}

int64_t count_rows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string sql = "SELECT count(*) FROM " + table;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

// A portal page: a large template shared by every page around a short unique text.
std::string templated_page(int i) {
  std::string chrome;
  for (int k = 0; k < 200; ++k) {
    chrome += "<li class=\"menu-item\"><a href=\"/SitePages/muc-" + std::to_string(k) +
              ".aspx\">Mục tin số " + std::to_string(k) +
              " của Sở Thông tin và Truyền thông</a></li>\n";
  }
  std::string text;
  for (int k = 0; k < 20; ++k) {
    text += "<p>Đoạn " + std::to_string(k) + " của bài " + std::to_string(i) + ": " +
            std::to_string(i * 7919 + k * 104729) + " người dân tham gia chuyển đổi số.</p>\n";
  }
  return "<html><head><title>Bài " + std::to_string(i) + "</title></head><body><ul>" + chrome +
         "</ul><div class=\"article\">" + text + "</div><footer>" + chrome +
         "</footer></body></html>";
}

TEST(ArchiveTest, CreatesTheSchemaAtTheCurrentVersion) {
  std::string path = temp_dir() + "/a.sqlite";
  auto archive = open_archive(path);
  ASSERT_TRUE(archive);
  EXPECT_EQ(archive->path(), path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), archive_schema_version());
  sqlite3_finalize(stmt);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_TRUE(archive->check_integrity().ok());
}

TEST(ArchiveTest, StoresAndReadsBackACapture) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  Result<int64_t> run = archive->begin_run("crawl", {"backan"});
  ASSERT_TRUE(run.ok());
  Capture c = page("https://sotttt.backan.gov.vn/a.aspx", "<html>Bắc Kạn</html>",
                   "2023-04-12T03:00:00.000Z");
  Result<int64_t> id = archive->store_capture(c, *run);
  ASSERT_TRUE(id.ok()) << id.error();
  Result<StoredCapture> back = archive->capture(*id, /*with_body=*/true);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->id, *id);
  EXPECT_EQ(back->run_id, *run);
  EXPECT_EQ(back->capture.url, c.url);
  EXPECT_EQ(back->capture.site, "backan");
  EXPECT_EQ(back->capture.fetched_at, c.fetched_at);
  EXPECT_EQ(back->capture.status, 200);
  EXPECT_EQ(back->capture.http_version, "HTTP/1.1");
  EXPECT_EQ(back->capture.request_headers, c.request_headers);
  EXPECT_EQ(back->capture.response_headers, c.response_headers);
  EXPECT_EQ(back->capture.ip, "127.0.0.1");
  EXPECT_EQ(back->capture.body, c.body);
  EXPECT_EQ(back->payload_digest, sha256_hex(c.body));
  EXPECT_EQ(back->body_size, static_cast<int64_t>(c.body.size()));

  Result<StoredCapture> without = archive->capture(*id, /*with_body=*/false);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->capture.body, "");

  Result<StoredCapture> missing = archive->capture(*id + 100, true);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("no capture " + std::to_string(*id + 100)), std::string::npos);
  EXPECT_TRUE(archive->end_run(*run, R"({"pages":1})").ok());
}

TEST(ArchiveTest, IdenticalBodiesAreStoredOnceAndNotModifiedAddsNoBlob) {
  std::string path = temp_dir() + "/a.sqlite";
  auto archive = open_archive(path);
  ASSERT_TRUE(archive);
  std::string body = templated_page(1);
  ASSERT_TRUE(
      archive->store_capture(page("https://x.vn/a", body, "2023-01-01T00:00:00.000Z"), 0).ok());
  ASSERT_TRUE(
      archive->store_capture(page("https://x.vn/b", body, "2023-01-01T00:00:01.000Z"), 0).ok());
  Capture not_modified = page("https://x.vn/a", "", "2023-01-02T00:00:00.000Z");
  not_modified.status = 304;
  not_modified.outcome = CaptureOutcome::kNotModified;
  ASSERT_TRUE(archive->store_capture(not_modified, 0).ok());
  Capture error = page("https://x.vn/c", "", "2023-01-02T00:00:01.000Z");
  error.status = 0;
  error.outcome = CaptureOutcome::kError;
  error.error = "timeout after 120 s";
  ASSERT_TRUE(archive->store_capture(error, 0).ok());

  EXPECT_EQ(count_rows(path, "captures"), 4);
  EXPECT_EQ(count_rows(path, "blobs"), 1);
  Result<std::vector<SiteStats>> stats = archive->stats();
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].captures, 4);
  EXPECT_EQ((*stats)[0].blobs, 1);
  EXPECT_EQ((*stats)[0].raw_bytes, 2 * static_cast<int64_t>(body.size()));
  EXPECT_GT((*stats)[0].stored_bytes, 0);
  EXPECT_LT((*stats)[0].stored_bytes, static_cast<int64_t>(body.size()) / 4);

  Result<std::optional<StoredCapture>> latest = archive->latest_capture("https://x.vn/a", true);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->capture.outcome, CaptureOutcome::kNotModified);
  EXPECT_EQ((*latest)->capture.body, "");
  Result<std::optional<StoredCapture>> none = archive->latest_capture("https://x.vn/zzz", true);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  Result<std::optional<StoredCapture>> failed = archive->latest_capture("https://x.vn/c", false);
  ASSERT_TRUE(failed.ok() && failed->has_value());
  EXPECT_EQ((*failed)->capture.error, "timeout after 120 s");
}

TEST(ArchiveTest, ValidatorsComeFromTheLatestOkCaptureWithABody) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  Capture first = page("https://x.vn/a", "one", "2023-01-01T00:00:00.000Z");
  Capture second = page("https://x.vn/a", "two!", "2023-01-02T00:00:00.000Z");
  Capture not_modified = page("https://x.vn/a", "", "2023-01-03T00:00:00.000Z");
  not_modified.status = 304;
  not_modified.outcome = CaptureOutcome::kNotModified;
  not_modified.response_headers = {{"ETag", "\"other\""}};
  for (const Capture& c : {first, second, not_modified})
    ASSERT_TRUE(archive->store_capture(c, 0).ok());
  Result<Validators> v = archive->validators("https://x.vn/a");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->etag, "\"e-4\"");
  EXPECT_EQ(v->last_modified, "Tue, 03 Jul 2018 11:29:27 GMT");
  Result<Validators> none = archive->validators("https://x.vn/b");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->etag, "");
}

TEST(ArchiveTest, AVersionIsWrittenOnlyWhenTheContentChanges) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  const std::string url = "https://x.vn/bai-1";
  ASSERT_TRUE(archive->ensure_article("backan", url).ok());
  std::vector<int64_t> captures;
  const char* times[] = {"2023-01-01T00:00:00.000Z", "2023-01-02T00:00:00.000Z",
                         "2023-01-03T00:00:00.000Z", "2023-01-04T00:00:00.000Z"};
  const char* texts[] = {"A", "A", "B", "A"};  // the last one reverts the edit
  std::vector<ArticleChange> effects;
  for (int i = 0; i < 4; ++i) {
    Result<int64_t> id = archive->store_capture(
        page(url, std::string("body ") + texts[i] + std::to_string(i), times[i]), 0);
    ASSERT_TRUE(id.ok());
    captures.push_back(*id);
    Result<ParseWrite> w = archive->record_parse(parsed(*id, texts[i]));
    ASSERT_TRUE(w.ok()) << w.error();
    effects.push_back(w->change);
  }
  // The first version makes a new article; the revert is a new version too.
  EXPECT_EQ(effects, (std::vector<ArticleChange>{ArticleChange::kNew, ArticleChange::kUnchanged,
                                                 ArticleChange::kChanged, ArticleChange::kChanged}));
  Result<std::vector<ArticleVersion>> history = archive->versions(url);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].number, 1);
  EXPECT_EQ((*history)[0].capture_id, captures[0]);
  EXPECT_EQ((*history)[0].captured_at, times[0]);
  EXPECT_EQ((*history)[1].capture_id, captures[2]);
  EXPECT_EQ((*history)[2].capture_id, captures[3]);
  EXPECT_EQ((*history)[2].number, 3);
  EXPECT_EQ((*history)[2].content_hash, sha256_hex("A"));
  EXPECT_EQ((*history)[2].url, url);
  EXPECT_EQ((*history)[2].site, "backan");
  EXPECT_EQ((*history)[2].published, "2023-04-12");

  Result<std::optional<ArticleVersion>> latest = archive->latest_version(url);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->id, (*history)[2].id);
  Result<std::optional<ArticleVersion>> by_id = archive->latest_version((*latest)->article_id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->json, (*latest)->json);
  Result<std::optional<ArticleVersion>> unknown = archive->latest_version("https://x.vn/none");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST(ArchiveTest, ANewParserWritesVersionsOnlyWhereItsOutputDiffers) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  const std::string changed_url = "https://x.vn/doi";
  const std::string same_url = "https://x.vn/giu";
  std::vector<int64_t> changed_captures, same_captures;
  for (const std::string& url : {changed_url, same_url}) {
    ASSERT_TRUE(archive->ensure_article("backan", url).ok());
    for (int i = 0; i < 3; ++i) {
      std::string time = "2023-01-0" + std::to_string(i + 1) + "T00:00:00.000Z";
      Result<int64_t> id = archive->store_capture(page(url, url + std::to_string(i), time), 0);
      ASSERT_TRUE(id.ok());
      (url == changed_url ? changed_captures : same_captures).push_back(*id);
      // Old parser: text "X" then "Y" (an edit), then "Y" again.
      ASSERT_TRUE(archive->record_parse(parsed(*id, i == 0 ? "X" : "Y", "old")).ok());
    }
  }
  Result<std::vector<int64_t>> pending = archive->pending_parses("backan", "new");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 6u);
  // By URL then time: doi first.
  EXPECT_EQ((*pending)[0], changed_captures[0]);
  EXPECT_EQ((*pending)[2], changed_captures[2]);
  EXPECT_EQ((*pending)[3], same_captures[0]);
  std::vector<ArticleChange> effects;
  for (int64_t id : *pending) {
    bool is_changed_url =
        id == changed_captures[0] || id == changed_captures[1] || id == changed_captures[2];
    std::string text = id == changed_captures[0] || id == same_captures[0] ? "X" : "Y";
    if (is_changed_url) text += " (fixed)";
    Result<ParseWrite> w = archive->record_parse(parsed(id, text, "new"));
    ASSERT_TRUE(w.ok()) << w.error();
    effects.push_back(w->change);
  }
  EXPECT_EQ(effects,
            (std::vector<ArticleChange>{ArticleChange::kChanged, ArticleChange::kChanged,
                                        ArticleChange::kUnchanged, ArticleChange::kUnchanged,
                                        ArticleChange::kUnchanged, ArticleChange::kUnchanged}));
  Result<std::optional<ArticleVersion>> latest = archive->latest_version(changed_url);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->parser_version, "new");
  EXPECT_EQ((*latest)->content_hash, sha256_hex("Y (fixed)"));
  EXPECT_EQ((*latest)->number, 4);
  Result<std::optional<ArticleVersion>> same = archive->latest_version(same_url);
  ASSERT_TRUE(same.ok() && same->has_value());
  EXPECT_EQ((*same)->parser_version, "old");
  EXPECT_EQ((*same)->number, 2);
  // Nothing left to do for this parser version.
  pending = archive->pending_parses("backan", "new");
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST(ArchiveTest, FailuresAreRecordedAndPendingSkipsWhatCannotBeParsed) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  const std::string url = "https://x.vn/bai";
  ASSERT_TRUE(archive->ensure_article("backan", url).ok());
  Result<int64_t> ok_capture =
      archive->store_capture(page(url, "x", "2023-01-01T00:00:00.000Z"), 0);
  ASSERT_TRUE(ok_capture.ok());
  Capture not_found = page(url, "not found", "2023-01-02T00:00:00.000Z");
  not_found.status = 404;
  Capture not_modified = page(url, "", "2023-01-03T00:00:00.000Z");
  not_modified.status = 304;
  not_modified.outcome = CaptureOutcome::kNotModified;
  Capture image = page(url, "\x89PNG", "2023-01-04T00:00:00.000Z");
  image.kind = CaptureKind::kImage;
  Capture listing = page("https://x.vn/danh-muc", "list", "2023-01-01T00:00:00.000Z");
  for (const Capture& c : {not_found, not_modified, image, listing}) {
    ASSERT_TRUE(archive->store_capture(c, 0).ok());
  }
  Result<std::vector<int64_t>> pending = archive->pending_parses("backan", "v1");
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, std::vector<int64_t>{*ok_capture});

  ParseRecord failure;
  failure.capture_id = *ok_capture;
  failure.parser_version = "v1";
  failure.error = "no article body: no body selector matched";
  Result<ParseWrite> w = archive->record_parse(failure);
  ASSERT_TRUE(w.ok()) << w.error();
  EXPECT_EQ(w->change, ArticleChange::kFailed);
  EXPECT_EQ(w->version_id, 0);
  Result<std::string> error = archive->last_parse_error(url);
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(*error, failure.error);
  pending = archive->pending_parses("backan", "v1");
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  Result<std::optional<ArticleVersion>> latest = archive->latest_version(url);
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());

  // A listing page is not an article: its parse cannot be recorded.
  Result<int64_t> listing_id =
      archive->store_capture(page("https://x.vn/danh-muc", "list2", "2023-01-05T00:00:00.000Z"), 0);
  ASSERT_TRUE(listing_id.ok());
  Result<ParseWrite> refused = archive->record_parse(parsed(*listing_id, "L"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("https://x.vn/danh-muc is not a registered article"),
            std::string::npos);
}

TEST(ArchiveTest, ExportVisitsLatestOrAllVersionsOfASite) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  for (const std::string site : {"backan", "nghean"}) {
    std::string url = "https://" + site + ".vn/bai";
    ASSERT_TRUE(archive->ensure_article(site, url).ok());
    for (int i = 0; i < 2; ++i) {
      Capture c = page(url, site + std::to_string(i),
                       "2023-01-0" + std::to_string(i + 1) + "T00:00:00.000Z");
      c.site = site;
      Result<int64_t> id = archive->store_capture(c, 0);
      ASSERT_TRUE(id.ok());
      ASSERT_TRUE(archive->record_parse(parsed(*id, site + std::to_string(i))).ok());
    }
  }
  auto collect = [&](VersionFilter filter) {
    std::vector<std::string> seen;
    Status s = archive->for_each_version(filter, [&](const ArticleVersion& v) {
      seen.push_back(v.site + "#" + std::to_string(v.number));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error();
    return seen;
  };
  EXPECT_EQ(collect({}), (std::vector<std::string>{"backan#2", "nghean#2"}));
  EXPECT_EQ(collect({"nghean", true}), (std::vector<std::string>{"nghean#1", "nghean#2"}));
  EXPECT_EQ(collect({"", true}).size(), 4u);
  // A failing visitor stops the walk and its failure comes back.
  int calls = 0;
  Status stopped = archive->for_each_version({"", true}, [&](const ArticleVersion&) {
    ++calls;
    return Status(fail("stdout closed"));
  });
  EXPECT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error(), "stdout closed");
  EXPECT_EQ(calls, 1);

  Result<std::vector<SiteStats>> stats = archive->stats();
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->size(), 2u);
  EXPECT_EQ((*stats)[1].site, "nghean");
  EXPECT_EQ((*stats)[1].articles, 1);
  EXPECT_EQ((*stats)[1].versions, 2);
  EXPECT_EQ((*stats)[1].captures, 2);
  Result<std::vector<std::string>> sites = archive->article_sites();
  ASSERT_TRUE(sites.ok());
  EXPECT_EQ(*sites, (std::vector<std::string>{"backan", "nghean"}));
}

TEST(ArchiveTest, ATransactionIsAllOrNothing) {
  std::string path = temp_dir() + "/a.sqlite";
  auto archive = open_archive(path);
  ASSERT_TRUE(archive);
  Status s = archive->transaction([&]() -> Status {
    if (!archive->store_capture(page("https://x.vn/1", "one", "2023-01-01T00:00:00.000Z"), 0)
             .ok()) {
      return fail("store failed");
    }
    return fail("the extraction crashed");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "the extraction crashed");
  EXPECT_EQ(count_rows(path, "captures"), 0);
  EXPECT_EQ(count_rows(path, "blobs"), 0);

  // Nested: the inner failure is undone, the outer work is kept.
  s = archive->transaction([&]() -> Status {
    if (!archive->store_capture(page("https://x.vn/2", "two", "2023-01-01T00:00:00.000Z"), 0)
             .ok()) {
      return fail("store failed");
    }
    Status inner = archive->transaction([&]() -> Status {
      (void)archive->store_capture(page("https://x.vn/3", "three", "2023-01-01T00:00:00.000Z"), 0);
      return fail("inner");
    });
    EXPECT_FALSE(inner.ok());
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(count_rows(path, "captures"), 1);
  Result<std::optional<StoredCapture>> kept = archive->latest_capture("https://x.vn/2", true);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->capture.body, "two");
}

TEST(ArchiveTest, SiteDictionariesCompressTemplatedPagesAndOldBlobsStayReadable) {
  std::string path = temp_dir() + "/a.sqlite";
  ArchiveOptions options;
  options.dictionary_min_pages = 16;
  options.dictionary_size = 32 * 1024;
  auto archive = open_archive(path, options);
  ASSERT_TRUE(archive);
  const int kPages = 80;
  int64_t raw = 0;
  for (int i = 0; i < kPages; ++i) {
    std::string body = templated_page(i);
    raw += static_cast<int64_t>(body.size());
    ASSERT_TRUE(
        archive
            ->store_capture(
                page("https://x.vn/" + std::to_string(i), body, "2023-01-01T00:00:00.000Z"), 0)
            .ok());
  }
  // Trained at 16 and at 64 pages.
  EXPECT_EQ(count_rows(path, "dictionaries WHERE kind = 'page'"), 2);
  EXPECT_EQ(count_rows(path, "blobs WHERE dictionary_id IS NULL"), 16);
  Result<std::vector<SiteStats>> before = archive->stats();
  ASSERT_TRUE(before.ok());

  Result<CompactCounts> rewritten = archive->compact("");
  ASSERT_TRUE(rewritten.ok()) << rewritten.error();
  EXPECT_GT(rewritten->blobs, 0);
  // Every page blob now uses the newest dictionary; the unused one is gone.
  EXPECT_EQ(count_rows(path, "dictionaries WHERE kind = 'page'"), 1);
  EXPECT_EQ(count_rows(path, "blobs WHERE dictionary_id = (SELECT max(id) FROM dictionaries WHERE kind = 'page')"),
            kPages);
  Result<std::vector<SiteStats>> after = archive->stats();
  ASSERT_TRUE(after.ok());
  EXPECT_LT((*after)[0].stored_bytes, (*before)[0].stored_bytes);
  EXPECT_EQ((*after)[0].raw_bytes, raw);

  // Every body still reads back exactly, from this connection and from a fresh one.
  auto reader = open_archive(path, ArchiveOptions{.read_only = true});
  ASSERT_TRUE(reader);
  for (int i = 0; i < kPages; i += 7) {
    for (Archive* a : {archive.get(), reader.get()}) {
      Result<std::optional<StoredCapture>> c =
          a->latest_capture("https://x.vn/" + std::to_string(i), true);
      ASSERT_TRUE(c.ok()) << c.error();
      ASSERT_TRUE(c->has_value());
      EXPECT_EQ((*c)->capture.body, templated_page(i));
    }
  }
  // A second compact has nothing to do.
  rewritten = archive->compact("");
  ASSERT_TRUE(rewritten.ok());
  EXPECT_EQ(rewritten->blobs, 0);
  EXPECT_EQ(rewritten->versions, 0);
  EXPECT_EQ(rewritten->captures, 0);
}

TEST(ArchiveTest, ADamagedBlobIsReportedNotReturned) {
  std::string path = temp_dir() + "/a.sqlite";
  auto archive = open_archive(path);
  ASSERT_TRUE(archive);
  Result<int64_t> id = archive->store_capture(
      page("https://x.vn/a", templated_page(3), "2023-01-01T00:00:00.000Z"), 0);
  ASSERT_TRUE(id.ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE blobs SET data = substr(data, 1, 20) || zeroblob(50)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result<StoredCapture> c = archive->capture(*id, true);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("is damaged"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("https://x.vn/a"), std::string::npos) << c.error();
}

TEST(ArchiveTest, FrontierIsIdempotentOrderedAndResumable) {
  auto archive = open_archive(temp_dir() + "/a.sqlite");
  ASSERT_TRUE(archive);
  Result<int64_t> run = archive->begin_run("crawl", {"backan"});
  ASSERT_TRUE(run.ok());
  auto entry = [](const std::string& url, int priority, const std::string& not_before) {
    FrontierEntry e;
    e.site = "backan";
    e.url = url;
    e.priority = priority;
    e.not_before = not_before;
    return e;
  };
  Result<bool> added = archive->enqueue(entry("https://x.vn/low", 0, ""));
  ASSERT_TRUE(added.ok() && *added);
  added = archive->enqueue(entry("https://x.vn/low", 9, ""));  // already there: unchanged
  ASSERT_TRUE(added.ok());
  EXPECT_FALSE(*added);
  FrontierEntry image = entry("https://x.vn/anh.jpg", 5, "");
  image.kind = CaptureKind::kImage;
  image.parent_url = "https://x.vn/low";
  image.depth = 2;
  ASSERT_TRUE(archive->enqueue(image).ok());
  ASSERT_TRUE(archive->enqueue(entry("https://x.vn/later", 9, "2030-01-01T00:00:00.000Z")).ok());
  FrontierEntry other_site = entry("https://other.vn/x", 0, "");
  other_site.site = "nghean";
  ASSERT_TRUE(archive->enqueue(other_site).ok());

  const std::string now = "2026-01-01T00:00:00.000Z";
  Result<std::vector<FrontierEntry>> claimed = archive->claim("backan", now, 10, *run);
  ASSERT_TRUE(claimed.ok()) << claimed.error();
  ASSERT_EQ(claimed->size(), 2u);  // "later" is not due; other.vn belongs to another site
  EXPECT_EQ((*claimed)[0].url, "https://x.vn/anh.jpg");
  EXPECT_EQ((*claimed)[0].kind, CaptureKind::kImage);
  EXPECT_EQ((*claimed)[0].parent_url, "https://x.vn/low");
  EXPECT_EQ((*claimed)[0].depth, 2);
  EXPECT_EQ((*claimed)[0].state, FrontierState::kInProgress);
  EXPECT_EQ((*claimed)[1].url, "https://x.vn/low");
  // Claimed entries are not handed out twice.
  Result<std::vector<FrontierEntry>> again = archive->claim("backan", now, 10, *run);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());

  ASSERT_TRUE(archive->mark_done((*claimed)[0].id).ok());
  ASSERT_TRUE(archive->retry_at((*claimed)[1].id, "2026-01-01T00:10:00.000Z", "HTTP 503").ok());
  Result<std::optional<FrontierEntry>> low = archive->frontier_entry("backan", "https://x.vn/low");
  ASSERT_TRUE(low.ok() && low->has_value());
  EXPECT_EQ((*low)->state, FrontierState::kQueued);
  EXPECT_EQ((*low)->attempts, 1);
  EXPECT_EQ((*low)->last_error, "HTTP 503");
  again = archive->claim("backan", now, 10, *run);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());  // not due before 00:10
  again = archive->claim("backan", "2026-01-01T00:10:00.000Z", 10, *run);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  ASSERT_TRUE(archive->mark_failed((*again)[0].id, "HTTP 404").ok());

  // Revisit: done and failed entries come back; a queued one keeps its time.
  added = archive->enqueue(entry("https://x.vn/anh.jpg", 1, ""), EnqueueMode::kRevisit);
  ASSERT_TRUE(added.ok() && *added);
  added = archive->enqueue(entry("https://x.vn/later", 1, ""), EnqueueMode::kRevisit);
  ASSERT_TRUE(added.ok());
  EXPECT_FALSE(*added);

  // A killed run leaves entries in progress; requeueing puts them back.
  claimed = archive->claim("backan", now, 10, *run);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  Result<FrontierCounts> counts = archive->frontier_counts("backan");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->in_progress, 1);
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->queued, 1);  // "later"
  Result<int64_t> requeued = archive->requeue_in_progress();
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1);
  counts = archive->frontier_counts("backan");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->in_progress, 0);
  EXPECT_EQ(counts->queued, 2);
  EXPECT_FALSE(archive->mark_done(987654).ok());
}

TEST(ArchiveTest, FormatUtcIsIsoWithMilliseconds) {
  using namespace std::chrono;
  system_clock::time_point t{milliseconds(1700000000123)};
  EXPECT_EQ(format_utc(t), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(utc_now().size(), 24u);
}

}  // namespace
}  // namespace provarc
