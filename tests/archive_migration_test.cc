// The schema v8 migration (compact keys, issue 17): an archive of schema v7 with real rows opens,
// migrates in place, and reads back exactly as before — every capture (headers, digest, body),
// every article version and its content hash, aliases, the frontier — and goes on working:
// bodies and frontier entries it already has are not stored again.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/sqlite.h"
#include "common/digest.h"
#include "tests/support/archive_rows.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::temp_dir;

constexpr int kPages = 60;  // beyond dictionary_min_pages (32): packed rows use dictionaries
const char* const kSite = "bac-kan";

std::string page_url(int i) { return "https://backan.gov.vn/tin/" + std::to_string(i); }

Capture page(int i, int edit) {
  Capture c;
  c.url = page_url(i);
  c.site = kSite;
  c.fetched_at = "2024-0" + std::to_string(1 + edit) + "-01T00:00:" + (i < 10 ? "0" : "") +
                 std::to_string(i) + ".000Z";
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"User-Agent", "provarc/0.1"}};
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                        {"ETag", "\"" + std::to_string(i) + "-" + std::to_string(edit) + "\""}};
  c.body = "<html><body><h1>Tin " + std::to_string(i) + "</h1><p>Bản " + std::to_string(edit) +
           "</p></body></html>";
  if (i % 7 == 0) c.requested_url = c.url + "?sid=abc";
  return c;
}

// Stores two captures of each page (the second an edit for even pages, the same body for odd
// ones), parsed; a 304 without a body; aliases; frontier entries by URL and by another identity.
void fill(Archive& archive) {
  for (int edit = 0; edit < 2; ++edit) {
    for (int i = 0; i < kPages; ++i) {
      Capture c = page(i, i % 2 == 0 ? edit : 0);
      c.fetched_at = page(i, edit).fetched_at;
      Result<int64_t> id = archive.store_capture(c, 0);
      ASSERT_TRUE(id.ok()) << id.error();
      ASSERT_TRUE(archive.ensure_article(c.site, c.url).ok());
      ParseRecord r;
      r.capture_id = *id;
      r.parser_version = "0.1.0+abc";
      r.ok = true;
      r.title = "Tin " + std::to_string(i);
      r.published = "2024-01-01";
      r.json = R"({"title":"Tin )" + std::to_string(i) + R"(","text":")" + c.body + R"("})";
      r.content_hash = sha256_hex(r.json);
      ASSERT_TRUE(archive.record_parse(r).ok());
    }
  }
  Capture not_modified = page(1, 0);
  not_modified.fetched_at = "2024-05-01T00:00:00.000Z";
  not_modified.status = 304;
  not_modified.outcome = CaptureOutcome::kNotModified;
  not_modified.body.clear();
  ASSERT_TRUE(archive.store_capture(not_modified, 0).ok());
  for (int i = 0; i < 5; ++i) {
    UrlAlias alias{page_url(i) + "/print", page_url(i), "print twin"};
    ASSERT_TRUE(archive.record_alias(kSite, alias, 1, 0).ok());
  }
  for (int i = 0; i < kPages; ++i) {
    FrontierEntry e;
    e.site = kSite;
    e.url = page_url(i);
    if (i % 3 == 0) e.key = "backan.gov.vn/tin/" + std::to_string(i);  // an identity of its own
    e.parent_url = "https://backan.gov.vn/";
    e.depth = 1;
    Result<FrontierOffer> offered = archive.offer(e);
    ASSERT_TRUE(offered.ok()) << offered.error();
    if (i % 2 == 0) {
      ASSERT_TRUE(archive.mark_done(offered->id).ok());
    }
  }
}

// Everything the archive gives back, in one comparable text.
std::string everything(Archive& archive) {
  std::string out;
  for (int64_t id = 1;; ++id) {
    Result<StoredCapture> c = archive.capture(id, true);
    if (!c.ok()) break;
    const Capture& k = c->capture;
    out += "capture " + std::to_string(id) + " " + k.url + " " + k.site + " " + k.fetched_at +
           " " + std::to_string(k.status) + " " + k.requested_url + " " + c->payload_digest + " " +
           std::to_string(c->body_size) + " " + k.body + "\n";
    for (const HttpHeader& h : k.request_headers) out += "> " + h.name + ": " + h.value + "\n";
    for (const HttpHeader& h : k.response_headers) out += "< " + h.name + ": " + h.value + "\n";
  }
  for (int i = 0; i < kPages; ++i) {
    Result<std::vector<ArticleVersion>> versions = archive.versions(page_url(i));
    EXPECT_TRUE(versions.ok()) << versions.error();
    if (!versions.ok()) continue;
    for (const ArticleVersion& v : *versions) {
      out += "version " + std::to_string(v.id) + " " + v.url + " " + std::to_string(v.number) +
             " " + std::to_string(v.capture_id) + " " + v.parser_version + " " + v.title + " " +
             v.content_hash + " " + v.json + "\n";
    }
    Result<std::optional<StoredCapture>> latest = archive.latest_capture(page_url(i), false);
    EXPECT_TRUE(latest.ok());
    if (latest.ok() && *latest) out += "latest " + std::to_string((*latest)->id) + "\n";
    Result<Validators> validators = archive.validators(page_url(i));
    if (validators.ok()) out += "etag " + validators->etag + "\n";
    Result<std::optional<UrlAlias>> alias = archive.alias(page_url(i) + "/print");
    if (alias.ok() && *alias) out += "alias " + (*alias)->url + " " + (*alias)->canonical_url + "\n";
    Result<std::optional<FrontierEntry>> e = archive.frontier_entry(kSite, page_url(i));
    if (e.ok() && *e) {
      out += "frontier " + std::to_string((*e)->id) + " " + (*e)->url + " " + (*e)->key + " " +
             (*e)->parent_url + " " + std::to_string(static_cast<int>((*e)->state)) + "\n";
    }
  }
  Result<std::vector<FrontierEntry>> stale = archive.stale_pages(kSite, "2025", 0, 1000);
  if (stale.ok()) out += "stale " + std::to_string(stale->size()) + "\n";
  return out;
}

int64_t count(const std::string& path, const std::string& sql) {
  auto db = sql::open_readable(path);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return -1;
  Result<int64_t> n = (*db)->query_int(sql.c_str());
  EXPECT_TRUE(n.ok()) << sql << ": " << (n.ok() ? "" : n.error());
  return n.ok() ? *n : -1;
}

TEST(ArchiveMigrationTest, AVersion7ArchiveReadsBackIdenticalAfterMigratingToVersion8) {
  const std::string path = temp_dir() + "/v7.sqlite";
  std::string before;
  {
    Result<std::unique_ptr<Archive>> archive = Archive::open(path);
    ASSERT_TRUE(archive.ok()) << archive.error();
    fill(**archive);
    before = everything(**archive);
  }
  ASSERT_NE(before.find("latest "), std::string::npos);
  ASSERT_NE(before.find("alias "), std::string::npos);
  testing::downgrade_to_v7(path);
  ASSERT_EQ(count(path, "PRAGMA user_version"), 7);
  ASSERT_EQ(count(path, "SELECT count(*) FROM blobs WHERE typeof(digest) = 'text'"),
            count(path, "SELECT count(*) FROM blobs"));
  ASSERT_EQ(count(path, "SELECT count(*) FROM frontier WHERE identity = ''"), 0);

  Result<std::unique_ptr<Archive>> archive = Archive::open(path);  // migrates
  ASSERT_TRUE(archive.ok()) << archive.error();
  EXPECT_EQ(count(path, "PRAGMA user_version"), 8);
  EXPECT_EQ(everything(**archive), before);
  // The keys as v8 stores them.
  EXPECT_EQ(count(path, "SELECT count(*) FROM blobs WHERE typeof(digest) != 'blob'"
                        " OR length(digest) != 32"), 0);
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions"
                        " WHERE typeof(content_hash) != 'blob' OR length(content_hash) != 32"), 0);
  EXPECT_EQ(count(path, "SELECT count(*) FROM pragma_table_info('captures')"
                        " WHERE name = 'payload_digest'"), 0);
  EXPECT_EQ(count(path, "SELECT count(*) FROM frontier WHERE identity = ''"), kPages * 2 / 3);
  EXPECT_EQ(count(path, "SELECT sum(ncell) FROM dbstat WHERE name = 'frontier_by_identity'"
                        " AND pagetype = 'leaf'"), kPages / 3);
  EXPECT_TRUE((*archive)->check_integrity().ok()) << (*archive)->check_integrity().error();

  // It goes on: a body it has is not stored again, an edit is told from an unchanged page, a
  // URL or identity the frontier has is not queued twice.
  const int64_t blobs = count(path, "SELECT count(*) FROM blobs");
  Capture again = page(3, 0);
  again.fetched_at = "2024-06-01T00:00:00.000Z";
  Result<int64_t> stored = (*archive)->store_capture(again, 0);
  ASSERT_TRUE(stored.ok()) << stored.error();
  EXPECT_EQ(count(path, "SELECT count(*) FROM blobs"), blobs);
  ParseRecord same;
  same.capture_id = *stored;
  same.parser_version = "0.1.0+abc";
  same.ok = true;
  same.title = "Tin 3";
  same.json = R"({"title":"Tin 3","text":")" + again.body + R"("})";
  same.content_hash = sha256_hex(same.json);
  Result<ParseWrite> parsed = (*archive)->record_parse(same);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->change, ArticleChange::kUnchanged);
  for (int i : {0, 1, 3}) {
    FrontierEntry e;
    e.site = kSite;
    e.url = page_url(i);
    if (i % 3 == 0) e.key = "backan.gov.vn/tin/" + std::to_string(i);
    Result<FrontierOffer> offered = (*archive)->offer(e);
    ASSERT_TRUE(offered.ok()) << offered.error();
    EXPECT_FALSE(offered->added) << e.url;
  }
  // An identity already held under a URL of its own is found by another spelling of it.
  FrontierEntry respelled;
  respelled.site = kSite;
  respelled.url = page_url(4) + "?utm=x";
  respelled.key = page_url(4);
  Result<FrontierOffer> offered = (*archive)->offer(respelled);
  ASSERT_TRUE(offered.ok()) << offered.error();
  EXPECT_FALSE(offered->added);
  EXPECT_EQ(offered->url, page_url(4));
}

}  // namespace
}  // namespace provarc
