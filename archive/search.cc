// The Archive's full-text search: queries, the index's rebuild and size (archive/search.h). The
// index is the FTS5 table `search` of schema version 4 (archive/schema.cc): one row per article
// version, rowid = article_versions.id.
//
// A search runs in two steps: the ranked ids of the matching versions (bm25 only, no text read;
// every match counted, only those that can make the page ranked exactly: archive/search_rank.h),
// then, for the page of hits asked for, each hit's fields and snippet. Snippets are cut by FTS5's
// snippet() with markers that cannot occur in stored text (bytes 0xFE and 0xFF are never part of
// UTF-8), so splitting them into parts is unambiguous.
#include <algorithm>
#include <unordered_map>

#include "text/fold.h"

#include "archive/archive.h"
#include "archive/archive_core.h"
#include "archive/search_query.h"
#include "archive/search_rank.h"

namespace provarc {
namespace {

constexpr int kMaxLimit = 10000;
constexpr char kOpenMark = '\xFE';
constexpr char kCloseMark = '\xFF';
constexpr int64_t kReindexBatch = 1000;

// True when `date` is YYYY-MM-DD with a month 01-12 and a day 01-31.
bool is_date(const std::string& date) {
  if (date.size() != 10) return false;
  for (size_t i = 0; i < date.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? date[i] != '-' : (date[i] < '0' || date[i] > '9')) return false;
  }
  const int month = std::stoi(date.substr(5, 2)), day = std::stoi(date.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Status check_request(const SearchRequest& r) {
  if (Status s = check_search_query(r.query); !s.ok()) return s;
  for (const auto& [name, date] : {std::pair{"since", &r.since}, std::pair{"until", &r.until}}) {
    if (!date->empty() && !is_date(*date)) {
      return fail(ErrorCode::kInvalidInput,
                  std::string(name) + ": `" + *date + "` is not a date YYYY-MM-DD");
    }
  }
  if (r.limit < 1 || r.limit > kMaxLimit) {
    return fail(ErrorCode::kInvalidInput, "limit: " + std::to_string(r.limit) +
                                              " is not between 1 and " + std::to_string(kMaxLimit));
  }
  if (r.offset < 0) {
    return fail(ErrorCode::kInvalidInput, "offset: " + std::to_string(r.offset) + " is negative");
  }
  return Status::Ok();
}

// FTS5 snippet() text with kOpenMark/kCloseMark around matches, as parts; each run of white
// space (the blank lines between a body's blocks) becomes one space.
std::vector<SnippetPart> snippet_parts(std::string_view marked) {
  std::vector<SnippetPart> parts;
  bool matched = false;
  size_t start = 0;
  auto flush = [&](size_t end) {
    if (end <= start) return;
    std::string text;
    for (char c : marked.substr(start, end - start)) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (!space) {
        text += c;
      } else if (text.empty() || text.back() != ' ') {
        text += ' ';
      }
    }
    parts.push_back({std::move(text), matched});
  };
  for (size_t i = 0; i < marked.size(); ++i) {
    if (marked[i] != kOpenMark && marked[i] != kCloseMark) continue;
    flush(i);
    matched = marked[i] == kOpenMark;
    start = i + 1;
  }
  flush(marked.size());
  return parts;
}

// Step 1 never reads a version's row: rows of article_versions are large (the article's JSON)
// and scattered over the file, and a frequent word matches most of them. The filters read two
// small indexes instead (schema v4): articles(latest_version_id, site) and
// article_versions(id, article_id, published). ?1 the match, ?2 site, ?3 since, ?4 until.
#define SEARCH_DATES                                                                          \
  " (?3 = '' OR substr(v.published, 1, 10) >= ?3)"                                            \
  " AND (?4 = '' OR substr(v.published, 1, 10) <= ?4)"
#define SEARCH_VERSION                                                                        \
  " JOIN article_versions v INDEXED BY article_versions_for_search ON v.id = search.rowid"

// Step 1: the ranked version ids of the page asked for, and the total.
struct RankedHit {
  int64_t version_id = 0;
  double score = 0;  // -bm25: higher is better
};
struct RankedPage {
  std::vector<RankedHit> hits;  // best first
  int64_t total = 0;
};

// The better of two hits: the higher score; of equal scores, the newer version (the higher id).
bool better(const RankedHit& a, const RankedHit& b) {
  return a.score > b.score || (a.score == b.score && a.version_id > b.version_id);
}

// The k best of the rows a statement returns, with the floor that provarc_rank skips rows below
// (archive/search_rank.h): once k rows are kept, a row must beat the worst of them.
class TopHits {
 public:
  explicit TopHits(int64_t k) : k_(k) {}

  RankFloor* floor() { return &floor_; }

  void offer(const RankedHit& hit) {
    if (static_cast<int64_t>(heap_.size()) == k_) {
      if (!better(hit, heap_.front())) return;
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.pop_back();
    }
    heap_.push_back(hit);
    std::push_heap(heap_.begin(), heap_.end(), better);  // front: the worst kept
    if (static_cast<int64_t>(heap_.size()) == k_) floor_.below = heap_.front().score;
  }

  // The kept rows from the `offset`-th best on, best first.
  std::vector<RankedHit> from(int offset) {
    std::sort_heap(heap_.begin(), heap_.end(), better);
    if (static_cast<int64_t>(heap_.size()) <= offset) return {};
    return std::vector<RankedHit>(heap_.begin() + offset, heap_.end());
  }

 private:
  int64_t k_;
  std::vector<RankedHit> heap_;
  RankFloor floor_;
};

// The ids of the latest versions (of `site` unless ""), as a set indexed by id: read in one pass
// over the articles_by_latest_version index (5 ms for 80 000 articles on the bench archive),
// where an EXISTS lookup for each matching row cost 21 ms for the 100 000 rows of a frequent
// word; and kept on the connection while the file does not change (a reader such as `provarc
// serve` reads it once per change, not once per search). Call inside the search's transaction.
Result<const std::vector<bool>*> latest_versions(ArchiveCore& core, const std::string& site) {
  ArchiveCore::LatestVersions& kept = core.latest_versions();
  Result<int64_t> data_version = core.db().query_int("PRAGMA data_version");
  if (!data_version.ok()) return core.failed("searching", data_version.failure());
  const int64_t changes = sqlite3_total_changes64(core.db().handle());
  if (kept.data_version == *data_version && kept.changes == changes && kept.site == site) {
    return &kept.ids;
  }
  kept = ArchiveCore::LatestVersions{};
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT latest_version_id FROM articles INDEXED BY articles_by_latest_version"
      " WHERE latest_version_id IS NOT NULL AND (?1 = '' OR site = ?1)");
  if (!stmt.ok()) return core.failed("searching", stmt.failure());
  stmt->bind(1, site);
  std::vector<bool> latest;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed("searching", row.failure());
    if (!*row) break;
    const int64_t id = stmt->int_at(0);
    if (id < 0) continue;
    if (static_cast<uint64_t>(id) >= latest.size()) latest.resize(id + id / 2 + 1);
    latest[id] = true;
  }
  kept = ArchiveCore::LatestVersions{*data_version, changes, site, std::move(latest)};
  return &kept.ids;
}

// Latest versions only. Every match is counted (the total is exact), but only the rows that can
// still make the page are ranked exactly: provarc_rank skips the others by a bound on their
// bm25 (archive/search_rank.h). FTS5's own ORDER BY rank would compute bm25 for every match
// first, reading each one's size: about 2 µs a row, 175 ms for a word in most of 100 000
// versions (bench/README.md "search").
Result<RankedPage> rank_latest(ArchiveCore& core, const SearchRequest& r,
                               const std::string& match) {
  const char* latest_sql =
      "SELECT search.rowid, provarc_rank(search, ?5) FROM search WHERE search MATCH ?1";
  const char* latest_dated_sql =
      "SELECT search.rowid, provarc_rank(search, ?5) FROM search" SEARCH_VERSION
      " WHERE search MATCH ?1 AND" SEARCH_DATES;
  const bool dated = !r.since.empty() || !r.until.empty();
  const std::string doing = "searching for `" + r.query + "`";
  Result<const std::vector<bool>*> kept = latest_versions(core, r.site);
  if (!kept.ok()) return kept.failure();
  const std::vector<bool>* latest = *kept;
  Result<sql::Statement> stmt = core.db().prepare(dated ? latest_dated_sql : latest_sql);
  if (!stmt.ok()) return core.failed(doing, stmt.failure());
  TopHits top(int64_t{r.offset} + r.limit);
  top.floor()->only = latest;
  top.floor()->may_defer_idf = !dated;  // undated, the statement returns every match
  stmt->bind(1, match).bind(3, r.since).bind(4, r.until);
  stmt->bind_pointer(5, top.floor(), kRankFloorType);
  RankedPage page;
  int64_t matches = 0;  // in every version
  for (;; ++matches) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed(doing, row.failure());
    if (!*row) break;
    const int64_t id = stmt->int_at(0);
    if (id < 0 || static_cast<uint64_t>(id) >= latest->size() || !(*latest)[id]) continue;
    ++page.total;
    if (!stmt->is_null(1)) top.offer({id, stmt->double_at(1)});
  }
  page.hits = top.from(r.offset);
  if (top.floor()->idf_deferred) {
    // bm25 = 0.0 + idf * (the row's term): the same operations as FTS5's, so the same score.
    const double idf = search_idf(top.floor()->rows_in_index, matches);
    for (RankedHit& hit : page.hits) hit.score = 0.0 + idf * hit.score;
  }
  return page;
}

// Every version: each article's best version, every match ranked. Grouped here rather than by
// SQL: FTS5 refuses an auxiliary function inside an aggregate.
Result<RankedPage> rank_all_versions(ArchiveCore& core, const SearchRequest& r,
                                     const std::string& match) {
  const char* all_sql =
      "SELECT search.rowid, v.article_id, provarc_rank(search, NULL) FROM search" SEARCH_VERSION
      " JOIN articles a ON a.id = v.article_id WHERE search MATCH ?1"
      " AND (?2 = '' OR a.site = ?2) AND" SEARCH_DATES;
  const std::string doing = "searching for `" + r.query + "`";
  Result<sql::Statement> stmt = core.db().prepare(all_sql);
  if (!stmt.ok()) return core.failed(doing, stmt.failure());
  stmt->bind(1, match).bind(2, r.site).bind(3, r.since).bind(4, r.until);
  std::unordered_map<int64_t, RankedHit> best;  // by article
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed(doing, row.failure());
    if (!*row) break;
    const RankedHit hit{stmt->int_at(0), stmt->double_at(2)};
    auto [it, added] = best.emplace(stmt->int_at(1), hit);
    if (!added && better(hit, it->second)) it->second = hit;
  }
  TopHits top(int64_t{r.offset} + r.limit);
  for (const auto& [article, hit] : best) top.offer(hit);
  RankedPage page;
  page.total = static_cast<int64_t>(best.size());
  page.hits = top.from(r.offset);
  return page;
}

// Step 2: one hit's fields and snippet, for the page's rows only.
Result<SearchHit> read_hit(ArchiveCore& core, const std::string& match, const RankedHit& ranked) {
  const int64_t version_id = ranked.version_id;
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT a.id, a.url, a.site, v.number, a.version_count, v.title, v.published,"
      " snippet(search, 2, CAST(X'FE' AS TEXT), CAST(X'FF' AS TEXT), '…', 24)"
      " FROM search JOIN article_versions v ON v.id = search.rowid"
      " JOIN articles a ON a.id = v.article_id WHERE search MATCH ?1 AND search.rowid = ?2");
  if (!stmt.ok()) return core.failed("reading a search hit", stmt.failure());
  stmt->bind(1, match).bind(2, version_id);
  Result<bool> row = stmt->step();
  if (!row.ok()) {
    return core.failed("reading version " + std::to_string(version_id) + " for a search hit",
                       row.failure());
  }
  if (!*row) return fail(core.path() + ": version " + std::to_string(version_id) + " vanished");
  SearchHit hit;
  hit.article_id = stmt->int_at(0);
  hit.url = stmt->text_at(1);
  hit.site = stmt->text_at(2);
  hit.version_id = version_id;
  hit.version_number = static_cast<int>(stmt->int_at(3));
  hit.version_count = static_cast<int>(stmt->int_at(4));
  hit.title = stmt->text_at(5);
  hit.published = stmt->optional_text_at(6);
  hit.snippet = snippet_parts(stmt->text_at(7));
  hit.score = ranked.score;
  return hit;
}

// A hash of one indexed word: its fold, column and position. Summed per version, on both sides.
uint64_t instance_hash(std::string_view term, std::string_view column, int64_t position) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a, then a splitmix finish
  for (std::string_view part : {term, std::string_view("\x1F"), column}) {
    for (unsigned char c : part) h = (h ^ c) * 1099511628211ull;
  }
  h ^= static_cast<uint64_t>(position) + 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

using VersionSums = std::unordered_map<int64_t, uint64_t>;

// What the index holds, per version: through an fts5vocab table of every word instance.
Result<VersionSums> indexed_sums(ArchiveCore& core) {
  if (Status s = core.db().exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_instances"
                                " USING fts5vocab(main, 'search', 'instance')");
      !s.ok()) {
    return core.failed("checking the search index", s.failure());
  }
  Result<sql::Statement> stmt =
      core.db().prepare("SELECT term, doc, col, offset FROM temp.search_instances");
  if (!stmt.ok()) return core.failed("checking the search index", stmt.failure());
  VersionSums sums;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed("checking the search index", row.failure());
    if (!*row) return sums;
    sums[stmt->int_at(1)] += instance_hash(stmt->text_at(0), stmt->text_at(2), stmt->int_at(3));
  }
}

// What the index should hold, per version: its text read through the tokenizer's own words.
Result<VersionSums> content_sums(ArchiveCore& core) {
  Result<sql::Statement> stmt = core.db().prepare_uncached(
      "SELECT id, title, author, body FROM search_source");
  if (!stmt.ok()) return core.failed("checking the search index", stmt.failure());
  VersionSums sums;
  const char* const columns[] = {"title", "author", "body"};
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed("checking the search index", row.failure());
    if (!*row) return sums;
    uint64_t& sum = sums[stmt->int_at(0)];
    for (int c = 0; c < 3; ++c) {
      const std::string text = stmt->text_at(c + 1);
      SearchWordReader reader(text);
      int64_t position = 0;
      for (SearchWord w; reader.next(&w);) sum += instance_hash(w.folded, columns[c], position++);
    }
  }
}

}  // namespace

Status check_search_index(ArchiveCore& core) {
  Result<VersionSums> indexed = indexed_sums(core);
  if (!indexed.ok()) return indexed.failure();
  Result<VersionSums> content = content_sums(core);
  if (!content.ok()) return content.failure();
  std::vector<int64_t> wrong;
  for (const auto& [id, sum] : *content) {
    auto it = indexed->find(id);
    if (sum != (it == indexed->end() ? 0 : it->second)) wrong.push_back(id);
  }
  for (const auto& [id, sum] : *indexed) {
    if (!content->contains(id) && sum != 0) wrong.push_back(id);
  }
  if (wrong.empty()) return Status::Ok();
  std::sort(wrong.begin(), wrong.end());
  std::string ids;
  for (size_t i = 0; i < wrong.size() && i < 10; ++i) {
    ids += (i ? ", " : "") + std::to_string(wrong[i]);
  }
  return fail(ErrorCode::kCorrupt, core.path() + ": the search index does not match " +
                                       std::to_string(wrong.size()) + " article version(s) (ids " +
                                       ids + (wrong.size() > 10 ? ", ..." : "") +
                                       "); `provarc reindex` rebuilds it");
}

std::string render_snippet(const std::vector<SnippetPart>& snippet, std::string_view open,
                           std::string_view close,
                           const std::function<std::string(std::string_view)>& escape) {
  std::string out;
  for (const SnippetPart& part : snippet) {
    if (part.matched) out += open;
    out += escape ? escape(part.text) : part.text;
    if (part.matched) out += close;
  }
  return out;
}

Result<SearchResults> Archive::search(const SearchRequest& request) {
  if (Status s = check_request(request); !s.ok()) return s.failure();
  Result<std::string> match = fts5_query(request.query);
  if (!match.ok()) return match.failure();
  SearchResults results;
  // A frequent word's doclist is megabytes: a 32 MiB page cache (SQLite's default is 2 MiB) keeps
  // the index's hot pages of a connection that searches in memory.
  if (Status s = core_->db().exec("PRAGMA cache_size = -32768"); !s.ok()) {
    return core_->failed("searching", s.failure());
  }
  // One read transaction (a savepoint, so that it also works inside a caller's transaction): the
  // page and the hits' details see the same snapshot of the archive.
  if (Status s = core_->db().exec("SAVEPOINT provarc_search"); !s.ok()) {
    return core_->failed("searching", s.failure());
  }
  Result<RankedPage> page = request.all_versions ? rank_all_versions(*core_, request, *match)
                                                 : rank_latest(*core_, request, *match);
  Status read = page.ok() ? Status::Ok() : Status(page.failure());
  if (read.ok()) {
    results.total = page->total;
    for (const RankedHit& ranked : page->hits) {
      Result<SearchHit> hit = read_hit(*core_, *match, ranked);
      if (!hit.ok()) {
        read = hit.failure();
        break;
      }
      results.hits.push_back(std::move(*hit));
    }
  }
  (void)core_->db().exec("RELEASE provarc_search");
  if (!read.ok()) return read.failure();
  return results;
}

Result<int64_t> Archive::reindex(const ReindexProgress& progress) {
  int64_t done = 0;
  Status s = core_->transaction([&]() -> Status {
    Result<int64_t> total = core_->db().query_int("SELECT count(*) FROM article_versions");
    if (!total.ok()) return core_->failed("rebuilding the search index", total.failure());
    if (Status st = core_->db().exec("INSERT INTO search (search) VALUES ('delete-all')");
        !st.ok()) {
      return core_->failed("emptying the search index", st.failure());
    }
    int64_t after_id = 0;
    for (;;) {
      Result<sql::Statement> next = core_->db().prepare(
          "SELECT max(id), count(*) FROM"
          " (SELECT id FROM article_versions WHERE id > ?1 ORDER BY id LIMIT ?2)");
      if (!next.ok()) return core_->failed("rebuilding the search index", next.failure());
      next->bind(1, after_id).bind(2, kReindexBatch);
      Result<bool> row = next->step();
      if (!row.ok()) return core_->failed("rebuilding the search index", row.failure());
      if (next->int_at(1) == 0) break;
      const int64_t last_id = next->int_at(0);
      const int64_t count = next->int_at(1);
      Result<sql::Statement> insert = core_->db().prepare(
          "INSERT INTO search (rowid, title, author, body)"
          " SELECT id, title, author, body FROM search_source WHERE id > ?1 AND id <= ?2");
      if (!insert.ok()) return core_->failed("rebuilding the search index", insert.failure());
      insert->bind(1, after_id).bind(2, last_id);
      if (Status st = insert->run(); !st.ok()) {
        return core_->failed("indexing versions " + std::to_string(after_id + 1) + " to " +
                                 std::to_string(last_id),
                             st.failure());
      }
      done += count;
      after_id = last_id;
      if (progress) progress(done, std::max(done, *total));
    }
    if (Status st = core_->db().exec("INSERT INTO search (search) VALUES ('optimize')");
        !st.ok()) {
      return core_->failed("merging the search index", st.failure());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return done;
}

Result<SearchIndexSize> Archive::search_index_size() {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT (SELECT count(*) FROM article_versions),"
      " (SELECT total(coalesce(length(CAST(title AS BLOB)), 0)"
      "  + coalesce(length(CAST(author AS BLOB)), 0) + coalesce(length(CAST(body AS BLOB)), 0))"
      "  FROM search_source),"
      " (SELECT total(pgsize) FROM dbstat WHERE name IN"
      "  ('search_data', 'search_idx', 'search_docsize', 'search_config'))");
  if (!stmt.ok()) return core_->failed("measuring the search index", stmt.failure());
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed("measuring the search index", row.failure());
  SearchIndexSize size;
  size.versions = stmt->int_at(0);
  size.text_bytes = stmt->int_at(1);
  size.index_bytes = stmt->int_at(2);
  return size;
}

}  // namespace provarc
