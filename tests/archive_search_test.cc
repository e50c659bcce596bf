// Full-text search over the archive (archive/search.h): folding on both sides, the query
// language and its errors, ranking, filters and paging, latest against all versions, snippets,
// the migration of an older archive, and reindex. Made-up articles: no parser involved.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/packed_text.h"
#include "archive/schema.h"
#include "archive/search_rank.h"
#include "archive/search_tokenizer.h"
#include "common/digest.h"
#include "tests/support/fixture_sites.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::temp_dir;

struct Text {
  std::string title{};
  std::string body{};
  std::string author{};
  std::optional<std::string> published = "2023-04-12";
};

class ArchiveSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Archive::open(path_);
    ASSERT_TRUE(opened.ok()) << opened.error();
    archive_ = std::move(*opened);
  }

  // Writes a version of the article at `url` (registered first), as ingest would; returns the
  // article id.
  int64_t write(const std::string& url, const Text& text, const std::string& site = "dong-thap") {
    Capture c;
    c.url = url;
    c.site = site;
    c.fetched_at = "2026-01-01T00:00:" + two_digits(++captures_) + ".000Z";
    c.status = 200;
    c.body = "<html>" + text.title + text.body + "</html>";
    Result<int64_t> capture = archive_->store_capture(c, 0);
    EXPECT_TRUE(capture.ok()) << capture.error();
    Result<int64_t> article = archive_->ensure_article(site, url);
    EXPECT_TRUE(article.ok()) << article.error();
    nlohmann::ordered_json j;
    j["title"] = text.title;
    j["author"] = nullptr;
    if (!text.author.empty()) j["author"] = text.author;
    j["text"] = text.body;
    ParseRecord r;
    r.capture_id = *capture;
    r.parser_version = "0.1.0+test";
    r.ok = true;
    r.title = text.title;
    r.published = text.published;
    r.json = j.dump();
    r.content_hash = sha256_hex(r.json);
    Result<ParseWrite> w = archive_->record_parse(r);
    EXPECT_TRUE(w.ok()) << w.error();
    return *article;
  }

  SearchResults search(SearchRequest request) {
    Result<SearchResults> results = archive_->search(request);
    EXPECT_TRUE(results.ok()) << request.query << ": " << results.error();
    return results.ok() ? *results : SearchResults{};
  }
  SearchResults search(const std::string& query) { return search(SearchRequest{.query = query}); }

  // The URLs of the hits, best first.
  std::vector<std::string> urls(const std::string& query) {
    std::vector<std::string> out;
    for (const SearchHit& hit : search(query).hits) out.push_back(hit.url);
    return out;
  }

  static std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n % 60); }

  std::string path_ = temp_dir() + "/a.sqlite";
  std::unique_ptr<Archive> archive_;
  int captures_ = 0;
};

const std::string kDongThap = "https://stttt.dongthap.gov.vn/tin/1";
const std::string kBacKan = "https://sotttt.backan.gov.vn/tin/2";

std::string marked(const SearchHit& hit) { return render_snippet(hit.snippet, "[", "]"); }

TEST_F(ArchiveSearchTest, FindsVietnameseWithoutDiacriticsAndShowsTheTextAsStored) {
  write(kDongThap, {"Đồng Tháp đẩy mạnh chuyển đổi số",
                    "Sở Thông tin và Truyền thông tỉnh Đồng Tháp tổ chức hội nghị.", "Minh Tâm"});
  write(kBacKan, {"Bắc Kạn diễn tập an toàn thông tin", "Các đội tham gia diễn tập."}, "bac-kan");
  for (const char* q : {"dong thap", "Đồng Tháp", "ĐỒNG THÁP", "\"dong thap\"",
                               "\u0110o\u0302\u0300ng Tha\u0301p", "DONG thap", "minh tam"}) {
    EXPECT_EQ(urls(q), std::vector<std::string>{kDongThap}) << q;
  }
  SearchResults r = search("dong thap");
  ASSERT_EQ(r.hits.size(), 1u);
  const SearchHit& hit = r.hits[0];
  EXPECT_EQ(r.total, 1);
  EXPECT_EQ(hit.site, "dong-thap");
  EXPECT_EQ(hit.title, "Đồng Tháp đẩy mạnh chuyển đổi số");
  EXPECT_EQ(hit.published, "2023-04-12");
  EXPECT_EQ(hit.version_number, 1);
  EXPECT_EQ(hit.version_count, 1);
  EXPECT_GT(hit.score, 0);
  EXPECT_EQ(marked(hit),
            "Sở Thông tin và Truyền thông tỉnh [Đồng] [Tháp] tổ chức hội nghị.");
  EXPECT_EQ(urls("dien tap"), std::vector<std::string>{kBacKan});
  EXPECT_EQ(urls("thong tin"), (std::vector<std::string>{kBacKan, kDongThap}))
      << "in Bắc Kạn's title, only in Đồng Tháp's body";
  EXPECT_TRUE(search("Cà Mau").hits.empty());
}

TEST_F(ArchiveSearchTest, PhrasesOrNotPrefixesAndGroups) {
  const std::string a = "https://x.gov.vn/a", b = "https://x.gov.vn/b", c = "https://x.gov.vn/c";
  write(a, {"Tin A", "Hạ tầng viễn thông được nâng cấp tại Đồng Tháp."});
  write(b, {"Tin B", "Thông tin về viễn thông và bưu chính: COVID-19 năm 2021."});
  write(c, {"Tin C", "Đồng bào dân tộc Tháp Mười học chuyển đổi số."});
  EXPECT_EQ(urls("\"dong thap\""), std::vector<std::string>{a}) << "a phrase, in order";
  EXPECT_EQ(urls("dong thap").size(), 2u) << "both words, anywhere";
  EXPECT_EQ(urls("vien thong NOT buu").size(), 1u);
  EXPECT_EQ(urls("vien thong NOT buu")[0], a);
  EXPECT_EQ(urls("buu OR chuyen").size(), 2u);
  EXPECT_EQ(urls("(buu OR chuyen) AND so").size(), 1u);
  EXPECT_EQ(urls("(buu OR chuyen) AND so")[0], c);
  EXPECT_EQ(urls("buu*").size(), 1u) << "bưu";
  EXPECT_EQ(urls("chuy*").size(), 1u) << "chuyển, folded on both sides";
  EXPECT_EQ(urls("COVID-19"), std::vector<std::string>{b}) << "the phrase covid 19";
  EXPECT_EQ(urls("covid 2021 -"), std::vector<std::string>{b}) << "a lone '-' is ignored";
  EXPECT_EQ(urls("title:tin").size(), 0u) << "no column filters: the phrase \"title tin\"";
  EXPECT_EQ(urls("or").size(), 0u) << "lower-case or is a word";
}

TEST_F(ArchiveSearchTest, MalformedQueriesFailWithAClearMessage) {
  write(kDongThap, {"Đồng Tháp", "Đồng Tháp"});
  struct Case {
    const char* query;
    const char* message;
  };
  const Case cases[] = {
      {"\"dong thap", "unbalanced quote: the phrase `\"dong thap` has no closing \""},
      {"NOT dong", "NOT needs a word before it: it excludes, as in \"a NOT b\", and cannot "
                   "stand alone (at `NOT dong`)"},
      {"dong NOT", "NOT needs a word after it (at `NOT`)"},
      {"dong OR", "OR needs a word after it (at `OR`)"},
      {"OR dong", "OR needs a word before it (at `OR dong`)"},
      {"AND dong", "AND needs a word before it (at `AND dong`)"},
      {"dong AND", "AND needs a word after it (at `AND`)"},
      {"dong ()", "empty parentheses (at `()`)"},
      {"(dong thap", "unbalanced parenthesis: this ( is not closed (at `(dong thap`)"},
      {"dong) thap", "unbalanced parenthesis: this ) closes no ( (at `) thap`)"},
      {"dong \"\"", "empty phrase (at `\"\"`)"},
      {"\"--\"", "the phrase has no letters or digits (at `\"--\"`)"},
      {"", "the query has no words to search for"},
      {"  - ", "the query has no words to search for"},
      {"dong OR -", "OR needs a word after it (at `OR -`)"},
  };
  for (const Case& c : cases) {
    Status check = check_search_query(c.query);
    ASSERT_FALSE(check.ok()) << c.query;
    EXPECT_EQ(check.error(), c.message) << c.query;
    Result<SearchResults> r = archive_->search(SearchRequest{.query = c.query});
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.error(), c.message) << "search() fails as check_search_query() does";
    EXPECT_EQ(r.code(), ErrorCode::kInvalidInput) << c.query;
    EXPECT_EQ(r.error().find("fts5"), std::string::npos) << r.error();
  }
  // What FTS5 would reject on its own passes: its syntax characters are read as separators.
  for (const char* q : {"dong-thap", "dong:thap", "^dong", "NEAR(dong thap)", "dong + thap",
                        "dong.thap", "{dong}", "dong *", "'dong'"}) {
    EXPECT_TRUE(check_search_query(q).ok()) << q << ": " << check_search_query(q).error();
    EXPECT_TRUE(archive_->search(SearchRequest{.query = q}).ok()) << q;
  }
}

TEST_F(ArchiveSearchTest, TheTitleOutranksTheBody) {
  const std::string in_title = "https://x.gov.vn/title", in_body = "https://x.gov.vn/body";
  write(in_body, {"Hội nghị tổng kết năm", "Hội nghị bàn về an toàn thông tin mạng trong năm."});
  write(in_title, {"An toàn thông tin mạng", "Hội nghị tổng kết công tác trong năm qua."});
  EXPECT_EQ(urls("an toan thong tin"), (std::vector<std::string>{in_title, in_body}));
  SearchResults r = search("an toan thong tin");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

TEST_F(ArchiveSearchTest, LatestVersionsByDefaultEveryVersionOnRequest) {
  write(kDongThap, {"Đồng Tháp", "Bản tin cũ về lúa gạo."});
  write(kDongThap, {"Đồng Tháp", "Bản tin mới về xoài cát."});
  EXPECT_TRUE(search("lua gao").hits.empty()) << "the latest version no longer says it";
  SearchResults all = search(SearchRequest{.query = "lua gao", .all_versions = true});
  ASSERT_EQ(all.hits.size(), 1u);
  EXPECT_EQ(all.total, 1);
  EXPECT_EQ(all.hits[0].version_number, 1);
  EXPECT_EQ(all.hits[0].version_count, 2);
  EXPECT_EQ(marked(all.hits[0]), "Bản tin cũ về [lúa] [gạo].");
  SearchResults latest = search("xoai");
  ASSERT_EQ(latest.hits.size(), 1u);
  EXPECT_EQ(latest.hits[0].version_number, 2);
  // Both versions say "Bản tin": the article is listed once, with its best version.
  SearchResults both = search(SearchRequest{.query = "ban tin", .all_versions = true});
  EXPECT_EQ(both.total, 1);
  ASSERT_EQ(both.hits.size(), 1u);
}

TEST_F(ArchiveSearchTest, SiteDatesLimitAndOffsetFilterAndPage) {
  for (int i = 0; i < 12; ++i) {
    Text t{"Chuyển đổi số " + std::to_string(i), "Chuyển đổi số ở tỉnh."};
    t.published = i == 11 ? std::nullopt
                          : std::optional<std::string>("2023-0" + std::to_string(1 + i % 9) +
                                                       "-15T08:00+07:00");
    write("https://x.gov.vn/" + std::to_string(i), t, i % 2 == 0 ? "even" : "odd");
  }
  EXPECT_EQ(search("chuyen doi").total, 12);
  EXPECT_EQ(search(SearchRequest{.query = "chuyen doi", .site = "even"}).total, 6);
  // Published 2023-01-15 .. 2023-09-15 (i % 9); March through May: i = 2, 3, 4.
  SearchResults spring =
      search(SearchRequest{.query = "chuyen doi", .since = "2023-03-01", .until = "2023-05-15"});
  EXPECT_EQ(spring.total, 3);
  for (const SearchHit& h : spring.hits) {
    ASSERT_TRUE(h.published.has_value());
    EXPECT_GE(*h.published, "2023-03");
    EXPECT_LT(*h.published, "2023-05-16");
  }
  EXPECT_EQ(search(SearchRequest{.query = "chuyen", .since = "2000-01-01"}).total, 11)
      << "undated versions are left out when a bound is given";
  std::vector<std::string> seen;
  for (int offset = 0; offset < 12; offset += 5) {
    SearchResults page =
        search(SearchRequest{.query = "chuyen doi", .limit = 5, .offset = offset});
    EXPECT_EQ(page.total, 12);
    for (const SearchHit& h : page.hits) seen.push_back(h.url);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "pages do not overlap";
  EXPECT_EQ(seen.size(), 12u);

  for (const auto& [request, message] :
       std::vector<std::pair<SearchRequest, std::string>>{
           {{.query = "x", .since = "2023-3-1"}, "since: `2023-3-1` is not a date YYYY-MM-DD"},
           {{.query = "x", .until = "2023-13-01"}, "until: `2023-13-01` is not a date YYYY-MM-DD"},
           {{.query = "x", .limit = 0}, "limit: 0 is not between 1 and 10000"},
           {{.query = "x", .offset = -1}, "offset: -1 is negative"}}) {
    Result<SearchResults> r = archive_->search(request);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), message);
  }
}

TEST_F(ArchiveSearchTest, SnippetsKeepMarkupAsTextSoCallersCanEscapeIt) {
  write(kDongThap, {"<img src=x onerror=alert(1)>",
                    "Trang có <script>alert(1)</script> và <mark>Đồng Tháp</mark> & \"trích\"."});
  SearchResults r = search("dong thap");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].title, "<img src=x onerror=alert(1)>");
  auto escape = [](std::string_view s) { return testing::html_escape(std::string(s)); };
  EXPECT_EQ(render_snippet(r.hits[0].snippet, "<mark>", "</mark>", escape),
            "Trang có &lt;script&gt;alert(1)&lt;/script&gt; và &lt;mark&gt;<mark>Đồng</mark> "
            "<mark>Tháp</mark>&lt;/mark&gt; &amp; &quot;trích&quot;.");
}

TEST_F(ArchiveSearchTest, LongBodiesAreCutAroundTheMatch) {
  std::string body;
  for (int i = 0; i < 200; ++i) body += "Câu số " + std::to_string(i) + " nói về nông nghiệp. ";
  body += "Đồng Tháp ở cuối bài.";
  write(kDongThap, {"Tin dài", body});
  SearchResults r = search("dong thap");
  ASSERT_EQ(r.hits.size(), 1u);
  const std::string s = marked(r.hits[0]);
  EXPECT_EQ(s.rfind("…", 0), 0u) << s;
  EXPECT_NE(s.find("[Đồng] [Tháp] ở cuối bài."), std::string::npos) << s;
  EXPECT_LT(s.size(), 300u) << s;
}

TEST_F(ArchiveSearchTest, AnOlderArchiveIsIndexedByItsMigration) {
  const std::string path = temp_dir() + "/v3.sqlite";
  {
    auto db = sql::Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    const std::vector<Migration>& all = archive_migrations();
    ASSERT_TRUE(migrate(**db, path, {all[0], all[1], all[2]}).ok());  // before search
    ASSERT_TRUE((*db)->exec(R"sql(
      INSERT INTO captures (id, url, site, kind, fetched_at, outcome, status, request_headers,
                            response_headers)
        VALUES (1, 'https://stttt.dongthap.gov.vn/tin/1', 'dong-thap', 'page',
                '2023-01-01T00:00:00.000Z', 'ok', 200, '[]', '[]');
      INSERT INTO articles (id, url, site, registered_at, version_count)
        VALUES (1, 'https://stttt.dongthap.gov.vn/tin/1', 'dong-thap', '2023-01-01T00:00:00Z', 1);
      INSERT INTO article_versions (id, article_id, number, capture_id, parser_version,
                                    created_at, title, published, content_hash, json)
        VALUES (1, 1, 1, 1, 'old', '2023-01-01T00:00:00Z', 'Đồng Tháp', '2023-01-01', 'h',
                '{"title":"Đồng Tháp","author":"Hữu Nghĩa","text":"Xoài cát Hòa Lộc."}');
      UPDATE articles SET latest_version_id = 1;
    )sql").ok());
  }
  auto archive = Archive::open(path);
  ASSERT_TRUE(archive.ok()) << archive.error();
  for (const char* q : {"xoai cat hoa loc", "dong thap", "huu nghia"}) {
    Result<SearchResults> r = (*archive)->search(SearchRequest{.query = q});
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->total, 1) << q;
  }
  EXPECT_TRUE((*archive)->check_integrity().ok()) << (*archive)->check_integrity().error();
}

TEST_F(ArchiveSearchTest, ReindexRebuildsTheIndex) {
  for (int i = 0; i < 30; ++i) {
    write("https://x.gov.vn/" + std::to_string(i),
          {"Tin " + std::to_string(i), "Nội dung số " + std::to_string(i) + " về Đồng Tháp."});
  }
  std::vector<std::pair<int64_t, int64_t>> progress;
  Result<int64_t> indexed =
      archive_->reindex([&](int64_t done, int64_t total) { progress.emplace_back(done, total); });
  ASSERT_TRUE(indexed.ok()) << indexed.error();
  EXPECT_EQ(*indexed, 30);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), (std::pair<int64_t, int64_t>{30, 30}));
  EXPECT_EQ(search("dong thap").total, 30);
  EXPECT_TRUE(archive_->check_integrity().ok()) << archive_->check_integrity().error();

  Result<SearchIndexSize> size = archive_->search_index_size();
  ASSERT_TRUE(size.ok()) << size.error();
  EXPECT_EQ(size->versions, 30);
  EXPECT_GT(size->index_bytes, 0);
  EXPECT_GT(size->text_bytes, 30 * 30);
  // Atomicity under kill -9: tests/cli_crash_safety_test.cc ReindexSurvivesRandomKills.
}

TEST_F(ArchiveSearchTest, TheIntegrityCheckFindsAnIndexOutOfStep) {
  write(kDongThap, {"Đồng Tháp", "Xoài cát."});
  EXPECT_TRUE(archive_->check_integrity().ok()) << archive_->check_integrity().error();
  archive_.reset();
  // Behind the index's back: without its triggers (the sqlite3 shell could not run them).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER search_version_changing;"
                         " DROP TRIGGER search_version_changed;"
                         " UPDATE article_versions SET json = '{\"text\":\"Bưởi Năm Roi.\"}'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto reopened = Archive::open(path_);
  ASSERT_TRUE(reopened.ok()) << reopened.error();
  Status check = (*reopened)->check_integrity();
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.error().find("the search index does not match 1 article version(s) (ids 1)"),
            std::string::npos)
      << check.error();
  ASSERT_TRUE((*reopened)->reindex().ok());
  EXPECT_TRUE((*reopened)->check_integrity().ok());
  Result<SearchResults> r = (*reopened)->search(SearchRequest{.query = "buoi nam roi"});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->total, 1);
}

TEST_F(ArchiveSearchTest, ReadOnlyArchivesAreSearched) {
  write(kDongThap, {"Đồng Tháp", "Xoài cát."});
  archive_.reset();
  auto ro = Archive::open(path_, ArchiveOptions{.read_only = true});
  ASSERT_TRUE(ro.ok()) << ro.error();
  Result<SearchResults> r = (*ro)->search(SearchRequest{.query = "xoai"});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->total, 1);
  EXPECT_TRUE((*ro)->check_integrity().ok()) << (*ro)->check_integrity().error();
}

// Bodies of words drawn from a few, some much more often than others, as in real news: "thông
// tin" in most articles, several times; each title a few of the same words (the frequent ones
// only when `frequent_in_title`).
Text drawn_text(std::mt19937& rng, int i, bool frequent_in_title) {
  static const std::vector<std::string> kWords = {
      "thông tin", "và", "thông tin", "của", "Đồng Tháp", "chuyển đổi số", "hội nghị", "mạng",
      "an toàn", "tỉnh", "và", "các", "đơn vị", "năm", "và", "triển khai", "xoài cát", "Hà Nội"};
  auto words = [&](int n, bool frequent) {
    std::string out;
    for (int k = 0; k < n; ++k) {
      out += (k ? " " : "") + kWords[std::uniform_int_distribution<size_t>(6, kWords.size() - 1)(rng)];
      if (frequent && std::uniform_int_distribution<int>(0, 9)(rng) < 3) {
        out += " " + kWords[std::uniform_int_distribution<size_t>(0, 5)(rng)];
      }
    }
    return out;
  };
  const int title_words = std::uniform_int_distribution<int>(1, 4)(rng);
  return Text{"Bài " + std::to_string(i) + " " + words(title_words, frequent_in_title),
              words(std::uniform_int_distribution<int>(5, 120)(rng), true)};
}

// A raw connection to the archive at `path` with what the index needs, for SQL that the Archive
// API does not run: FTS5's own bm25 beside provarc_rank.
sqlite3* open_index(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_TRUE(register_search_tokenizer(db).ok());
  EXPECT_TRUE(register_search_rank(db).ok());
  EXPECT_TRUE(register_packed_text(db).ok());
  return db;
}

// Version id -> FTS5's bm25 (negated: higher is better) of every version that `match` matches.
std::map<int64_t, double> bm25_scores(sqlite3* db, const std::string& match) {
  std::map<int64_t, double> scores;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT rowid, bm25(search, 5.0, 2.0, 1.0) FROM search"
                               " WHERE search MATCH ?1",
                               -1, &stmt, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_bind_text(stmt, 1, match.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    scores[sqlite3_column_int64(stmt, 0)] = -sqlite3_column_double(stmt, 1);
  }
  sqlite3_finalize(stmt);
  return scores;
}

// The scores of `scores`, lowest first.
std::vector<double> sorted_scores(const std::map<int64_t, double>& scores) {
  std::vector<double> sorted;
  for (const auto& [id, score] : scores) sorted.push_back(score);
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

TEST_F(ArchiveSearchTest, TheRankIsBm25AndSkipsOnlyRowsBelowTheFloor) {
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) write("https://x.gov.vn/" + std::to_string(i), drawn_text(rng, i, i % 3 == 0));
  sqlite3* db = open_index(path_);
  for (const std::string match : {"thong tin", "va", "dong thap ha noi", "\"chuyen doi so\"",
                                  "xoai OR mang", "tinh NOT an", "trien*"}) {
    const std::map<int64_t, double> bm25 = bm25_scores(db, match);
    ASSERT_GT(bm25.size(), 5u) << match;
    const std::vector<double> sorted = sorted_scores(bm25);
    // Once with no floor (every row ranked), once with the floor at the 80th percentile.
    for (const double floor_at : {-HUGE_VAL, sorted[sorted.size() * 4 / 5]}) {
      RankFloor floor{.below = floor_at};
      sqlite3_stmt* stmt = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db,
                                   "SELECT rowid, provarc_rank(search, ?2) FROM search"
                                   " WHERE search MATCH ?1",
                                   -1, &stmt, nullptr),
                SQLITE_OK);
      sqlite3_bind_text(stmt, 1, match.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_pointer(stmt, 2, &floor, kRankFloorType, nullptr);
      size_t rows = 0;
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        ++rows;
        const double full = bm25.at(sqlite3_column_int64(stmt, 0));
        if (sqlite3_column_type(stmt, 1) == SQLITE_NULL) {
          EXPECT_LT(full, floor_at) << match << ": a row that belongs above the floor was skipped";
        } else {
          EXPECT_EQ(sqlite3_column_double(stmt, 1), full) << match << ": not bm25 exactly";
        }
      }
      sqlite3_finalize(stmt);
      EXPECT_EQ(rows, bm25.size()) << match;
      EXPECT_EQ(floor.ranked + floor.skipped, static_cast<int64_t>(rows)) << match;
      if (floor_at == -HUGE_VAL) EXPECT_EQ(floor.skipped, 0) << match;
    }
  }
  // For a frequent word, the bound rules out most rows below the floor: their size is known to
  // be at least the position of the word's last occurrence.
  RankFloor floor{.below = 0};
  {
    const std::vector<double> sorted = sorted_scores(bm25_scores(db, "thong tin"));
    floor.below = sorted[sorted.size() - 20];
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT provarc_rank(search, ?1) FROM search"
                                 " WHERE search MATCH 'thong tin'",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    sqlite3_bind_pointer(stmt, 1, &floor, kRankFloorType, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
    }
    sqlite3_finalize(stmt);
  }
  EXPECT_GT(floor.skipped, floor.ranked) << floor.ranked << " ranked, " << floor.skipped << " skipped";
  sqlite3_close(db);
}

TEST_F(ArchiveSearchTest, AFrequentWordPagesExactlyLikeAFullBm25Ranking) {
  std::mt19937 rng(11);
  for (int i = 0; i < 300; ++i) {
    // A fifth of the articles edited: their first versions must not be ranked or counted.
    write("https://x.gov.vn/" + std::to_string(i % 240), drawn_text(rng, i, false));
  }
  const std::string title_match = "https://x.gov.vn/title";
  write(title_match, {"Thông tin", "Bản tin tổng hợp của tỉnh về nhiều việc trong tuần qua, từ "
                                   "nông nghiệp đến giáo dục, y tế và giao thông."});
  // Two words (an IDF each), one word and one phrase (whose IDF search computes from the rows
  // it counts), against the full ranking: every latest version that matches, by FTS5's bm25;
  // equal scores, the newer version first.
  for (const std::string query : {"thong tin", "\"thong tin\"", "va"}) {
    const std::string match = query == "va" ? "\"va\"" : query;
    sqlite3* db = open_index(path_);
    const std::map<int64_t, double> bm25 = bm25_scores(db, match);
    std::vector<int64_t> expected;
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT search.rowid FROM search JOIN articles a"
                                 " ON a.latest_version_id = search.rowid"
                                 " WHERE search MATCH ?1"
                                 " ORDER BY bm25(search, 5.0, 2.0, 1.0), search.rowid DESC",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) expected.push_back(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    ASSERT_GT(expected.size(), 150u) << query;

    SearchResults first = search(SearchRequest{.query = query, .limit = 20});
    ASSERT_FALSE(first.hits.empty());
    if (query == "thong tin") EXPECT_EQ(first.hits[0].url, title_match) << "the title match first";
    EXPECT_EQ(first.total, static_cast<int64_t>(expected.size())) << "the total stays exact";
    std::vector<int64_t> paged;
    for (int offset = 0; offset < static_cast<int>(expected.size()); offset += 13) {
      SearchResults page = search(SearchRequest{.query = query, .limit = 13, .offset = offset});
      EXPECT_EQ(page.total, static_cast<int64_t>(expected.size()));
      for (const SearchHit& h : page.hits) {
        EXPECT_EQ(h.score, bm25.at(h.version_id)) << query << ": the score is bm25's";
        paged.push_back(h.version_id);
      }
    }
    EXPECT_EQ(paged, expected) << query;
  }
}

TEST_F(ArchiveSearchTest, ASearchSeesWhatWasWrittenSinceTheLastOne) {
  // Search keeps the set of latest versions while the file is unchanged: a write on this
  // connection, or a commit by another, must be seen by the next search.
  write(kDongThap, {"Đồng Tháp", "Bản tin về lúa gạo."});
  EXPECT_EQ(search("lua gao").total, 1);
  write(kDongThap, {"Đồng Tháp", "Bản tin về xoài cát."});
  EXPECT_EQ(search("lua gao").total, 0) << "a new version on this connection";
  EXPECT_EQ(search("xoai").total, 1);
  {
    auto other = Archive::open(path_);
    ASSERT_TRUE(other.ok()) << other.error();
    std::swap(archive_, *other);
    write(kDongThap, {"Đồng Tháp", "Bản tin về lúa gạo, lần nữa."});
    std::swap(archive_, *other);
  }
  EXPECT_EQ(search("xoai").total, 0) << "a new version by another connection";
  EXPECT_EQ(search("lua gao").total, 1);
}

}  // namespace
}  // namespace provarc
