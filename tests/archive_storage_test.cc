// The archive's packed texts (schema v6, archive/packed_text.h): article versions' JSON and
// captures' headers are stored as zstd frames with per-site dictionaries, read back exactly, found
// by search, and an archive from before v5 is converted in place by compact.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/schema.h"
#include "archive/sqlite.h"
#include "common/digest.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::temp_dir;

constexpr int kArticles = 80;  // beyond dictionary_min_pages (32): dictionaries get trained

Capture page_capture(int i) {
  Capture c;
  c.url = "https://stttt.dongthap.gov.vn/tin/" + std::to_string(i);
  c.site = "dong-thap";
  c.fetched_at = "2023-01-01T00:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i % 60) +
                 ".000Z";
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"User-Agent", "provarc/0.1"}, {"Accept", "*/*"}};
  // A portal's headers: mostly the same for every page of the site.
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                        {"Server", "Microsoft-IIS/10.0"},
                        {"Cache-Control", "private, max-age=0"},
                        {"X-AspNet-Version", "4.0.30319"},
                        {"X-Powered-By", "ASP.NET"},
                        {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
                        {"ETag", "\"e-" + std::to_string(i) + "\""},
                        {"Date", "Sun, 01 Jan 2023 00:00:" + std::to_string(i % 60) + " GMT"}};
  c.body = "<html><body><p>Bài " + std::to_string(i) + "</p></body></html>";
  return c;
}

std::string article_json(int i) {
  return R"({"site":"dong-thap","url":"https://stttt.dongthap.gov.vn/tin/)" + std::to_string(i) +
         R"(","title":"Tin )" + std::to_string(i) +
         R"(","published":"2023-01-01","updated":null,"author":"Hữu Nghĩa","text":"Xoài cát )" +
         "Hòa Lộc số " + std::to_string(i) + " được mùa. Sở Thông tin và Truyền thông tổ chức hội"
         " nghị triển khai nhiệm vụ chuyển đổi số, với sự tham dự của lãnh đạo các phòng, đơn vị"
         " trực thuộc. Hội nghị thảo luận về hạ tầng số, an toàn thông tin và dịch vụ công trực"
         R"( tuyến.","images":[],"attachments":[],"parser_version":"p1"})";
}

// Headers as the archive's JSON holds them, [[name, value], ...] (no quotes of SQL's in them).
std::string headers_json(const std::vector<HttpHeader>& headers) {
  std::string out = "[";
  for (const HttpHeader& h : headers) {
    std::string value;
    for (char ch : h.value) value += ch == '"' ? std::string("\\\"") : std::string(1, ch);
    out += std::string(out.size() > 1 ? "," : "") + "[\"" + h.name + "\",\"" + value + "\"]";
  }
  return out + "]";
}

// Stores kArticles captures, each parsed into one version.
void fill(Archive& archive) {
  for (int i = 0; i < kArticles; ++i) {
    Capture c = page_capture(i);
    Result<int64_t> id = archive.store_capture(c, 0);
    ASSERT_TRUE(id.ok()) << id.error();
    ASSERT_TRUE(archive.ensure_article(c.site, c.url).ok());
    ParseRecord r;
    r.capture_id = *id;
    r.parser_version = "p1";
    r.ok = true;
    r.title = "Tin " + std::to_string(i);
    r.published = "2023-01-01";
    r.json = article_json(i);
    r.content_hash = sha256_hex(r.json);
    Result<ParseWrite> w = archive.record_parse(r);
    ASSERT_TRUE(w.ok()) << w.error();
  }
}

// The number `sql` counts, on a plain connection (no provarc_text: packed columns are BLOBs).
int64_t count(const std::string& path, const std::string& sql) {
  auto db = sql::open_readable(path);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return -1;
  Result<int64_t> n = (*db)->query_int(sql.c_str());
  EXPECT_TRUE(n.ok()) << sql << ": " << (n.ok() ? "" : n.error());
  return n.ok() ? *n : -1;
}

// Every version and capture reads back as written, and search finds every article.
void expect_readable(Archive& archive) {
  for (int i = 0; i < kArticles; ++i) {
    const Capture written = page_capture(i);
    Result<std::optional<ArticleVersion>> v = archive.latest_version(written.url);
    ASSERT_TRUE(v.ok()) << v.error();
    ASSERT_TRUE(v->has_value()) << written.url;
    EXPECT_EQ((*v)->json, article_json(i));
    Result<std::optional<StoredCapture>> c = archive.latest_capture(written.url, true);
    ASSERT_TRUE(c.ok()) << c.error();
    ASSERT_TRUE(c->has_value());
    EXPECT_EQ((*c)->capture.request_headers, written.request_headers);
    EXPECT_EQ((*c)->capture.response_headers, written.response_headers);
    EXPECT_EQ((*c)->capture.body, written.body);
  }
  Result<SearchResults> found = archive.search(SearchRequest{.query = "xoai cat hoa loc"});
  ASSERT_TRUE(found.ok()) << found.error();
  EXPECT_EQ(found->total, kArticles);
  Result<SearchResults> by_author = archive.search(SearchRequest{.query = "huu nghia"});
  ASSERT_TRUE(by_author.ok()) << by_author.error();
  EXPECT_EQ(by_author->total, kArticles);
  EXPECT_TRUE(archive.check_integrity().ok()) << archive.check_integrity().error();
}

TEST(ArchiveStorageTest, VersionsAndHeadersArePackedWithSiteDictionaries) {
  const std::string path = temp_dir() + "/a.sqlite";
  auto archive = Archive::open(path);
  ASSERT_TRUE(archive.ok()) << archive.error();
  fill(**archive);
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions WHERE typeof(json) != 'blob'"), 0);
  EXPECT_EQ(count(path, "SELECT count(*) FROM captures WHERE typeof(request_headers) != 'blob'"
                        " OR typeof(response_headers) != 'blob'"),
            0);
  // Trained once the site had 32 rows of each kind; the rows after use them.
  EXPECT_EQ(count(path, "SELECT count(*) FROM dictionaries WHERE kind = 'article'"), 1);
  EXPECT_EQ(count(path, "SELECT count(*) FROM dictionaries WHERE kind = 'headers'"), 1);
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions WHERE json_dictionary_id IS NULL"),
            32);
  expect_readable(**archive);

  // The site has more than doubled since: compact trains new dictionaries, puts every row on them
  // and deletes the old ones; a second compact has nothing to do.
  Result<CompactCounts> compacted = (*archive)->compact("");
  ASSERT_TRUE(compacted.ok()) << compacted.error();
  EXPECT_EQ(compacted->versions, kArticles);
  EXPECT_EQ(compacted->captures, kArticles);
  EXPECT_EQ(count(path, "SELECT count(*) FROM dictionaries WHERE kind = 'article'"), 1);
  EXPECT_EQ(count(path, "SELECT count(*) FROM dictionaries WHERE kind = 'headers'"), 1);
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions WHERE json_dictionary_id IS NULL"),
            0);
  expect_readable(**archive);
  compacted = (*archive)->compact("");
  ASSERT_TRUE(compacted.ok()) << compacted.error();
  EXPECT_EQ(compacted->versions, 0);
  EXPECT_EQ(compacted->captures, 0);

  // The file's parts add up to it.
  Result<FileStats> file = (*archive)->file_stats();
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->pages, kArticles);
  int64_t sum = 0;
  for (const auto& [part, bytes] : file->parts) {
    EXPECT_GE(bytes, 0) << part;
    sum += bytes;
  }
  EXPECT_EQ(sum, file->bytes);
  EXPECT_EQ(file->parts.size(), 7u);
}

TEST(ArchiveStorageTest, ADamagedPackedTextIsReportedNotReturned) {
  const std::string path = temp_dir() + "/a.sqlite";
  auto archive = Archive::open(path);
  ASSERT_TRUE(archive.ok()) << archive.error();
  fill(**archive);
  {
    auto db = sql::Connection::open(path, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(db.ok());
    // Drop the update triggers' reading of the old text: the damage is written behind their back.
    ASSERT_TRUE((*db)->exec("DROP TRIGGER search_version_changing;"
                            " DROP TRIGGER search_version_changed;"
                            " UPDATE article_versions SET json = substr(json, 1, 10) WHERE id = 40")
                    .ok());
  }
  Result<std::optional<ArticleVersion>> v = (*archive)->latest_version(page_capture(39).url);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().find("damaged"), std::string::npos) << v.error();
  // The others still read.
  Result<std::optional<ArticleVersion>> other = (*archive)->latest_version(page_capture(38).url);
  ASSERT_TRUE(other.ok()) << other.error();
  EXPECT_EQ((*other)->json, article_json(38));
}

TEST(ArchiveStorageTest, AnArchiveFromBeforeV5IsConvertedInPlaceByCompact) {
  const std::string path = temp_dir() + "/v4.sqlite";
  {
    auto db = sql::Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    const std::vector<Migration>& all = archive_migrations();
    ASSERT_TRUE(migrate(**db, path, {all[0], all[1], all[2]}).ok());  // v3: no search to build
    for (int i = 0; i < kArticles; ++i) {
      const Capture c = page_capture(i);
      std::string n = std::to_string(i + 1);
      std::string sql =
          "INSERT INTO captures (id, url, site, kind, fetched_at, outcome, status,"
          " request_headers, response_headers) VALUES (" + n + ", '" + c.url + "', '" + c.site +
          "', 'page', '" + c.fetched_at + "', 'ok', 200,"
          " '[[\"User-Agent\",\"provarc/0.1\"],[\"Accept\",\"*/*\"]]',"
          " '" + headers_json(c.response_headers) + "');"
          "INSERT INTO articles (id, url, site, registered_at, version_count, latest_version_id)"
          " VALUES (" + n + ", '" + c.url + "', '" + c.site + "', '2023', 1, " + n + ");"
          "INSERT INTO article_versions (id, article_id, number, capture_id, parser_version,"
          " created_at, title, published, content_hash, json) VALUES (" + n + ", " + n + ", 1, " +
          n + ", 'p1', '2023', 'Tin " + std::to_string(i) + "', '2023-01-01', 'h', '" +
          article_json(i) + "');";
      ASSERT_TRUE((*db)->exec(sql.c_str()).ok()) << sql;
    }
  }
  auto archive = Archive::open(path);  // migrates to v4 (indexes), v5 (fallback_fields) and v6 (packing)
  ASSERT_TRUE(archive.ok()) << archive.error();
  EXPECT_EQ(count(path, "PRAGMA user_version"), archive_schema_version());
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions WHERE typeof(json) = 'text'"),
            kArticles);
  // Rows from before read as they are; headers without bodies captured (no blobs here).
  for (int i = 0; i < kArticles; i += 9) {
    Result<std::optional<ArticleVersion>> v = (*archive)->latest_version(page_capture(i).url);
    ASSERT_TRUE(v.ok()) << v.error();
    EXPECT_EQ((*v)->json, article_json(i));
  }
  Result<CompactCounts> compacted = (*archive)->compact("");
  ASSERT_TRUE(compacted.ok()) << compacted.error();
  EXPECT_EQ(compacted->versions, kArticles);
  EXPECT_EQ(compacted->captures, kArticles);
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions WHERE typeof(json) = 'text'"), 0);
  EXPECT_EQ(count(path, "SELECT count(*) FROM captures WHERE typeof(response_headers) = 'text'"),
            0);
  EXPECT_EQ(count(path, "SELECT count(*) FROM article_versions WHERE json_dictionary_id IS NULL"),
            0);
  for (int i = 0; i < kArticles; ++i) {
    Result<std::optional<ArticleVersion>> v = (*archive)->latest_version(page_capture(i).url);
    ASSERT_TRUE(v.ok()) << v.error();
    EXPECT_EQ((*v)->json, article_json(i));
    Result<std::optional<StoredCapture>> c = (*archive)->latest_capture(page_capture(i).url, false);
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ((*c)->capture.response_headers, page_capture(i).response_headers);
  }
  Result<SearchResults> found = (*archive)->search(SearchRequest{.query = "huu nghia"});
  ASSERT_TRUE(found.ok()) << found.error();
  EXPECT_EQ(found->total, kArticles);
  EXPECT_TRUE((*archive)->check_integrity().ok()) << (*archive)->check_integrity().error();
}

}  // namespace
}  // namespace provarc
