// archive/search_rank.cc: provarc_rank (archive/search_rank.h) over the FTS5 extension API
// (https://sqlite.org/fts5.html, "Custom Auxiliary Functions"). The score is FTS5's bm25 as
// fts5_aux.c computes it (SQLite 3.40, public domain): the same constants, the same per-query
// data and the same floating-point operations in the same order, so that it equals bm25() exactly
// (tests/archive_search_test.cc compares the two on every row).
#include "archive/search_rank.h"

#include <cmath>
#include <new>
#include <vector>

#include "archive/search_tokenizer.h"

namespace provarc {
namespace {

// bm25's constants (fts5_aux.c) and the index's column weights (the rank of schema v4:
// 'bm25(5.0, 2.0, 1.0)', columns title, author, body).
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr double kColumnWeight[] = {5.0, 2.0, 1.0};
constexpr int kColumns = 3;
// The bound and the score are computed by different expressions; a bound this close to the
// floor is ranked anyway, so that rounding never skips a row that belongs in the top.
constexpr double kBoundSlack = 1e-9;

// What bm25 computes once per query: each phrase's IDF and the mean row size, in tokens.
struct QueryData {
  std::vector<double> idf;
  double average_size = 0;
};

int count_row(const Fts5ExtensionApi* /*api*/, Fts5Context* /*fts*/, void* count) {
  ++*static_cast<int64_t*>(count);
  return SQLITE_OK;
}

// The query's data, computed on the cursor's first row and kept with it (xSetAuxdata), as
// fts5Bm25GetData does; for a deferred IDF (RankFloor::may_defer_idf), an IDF of 1.
int query_data(const Fts5ExtensionApi* api, Fts5Context* fts, RankFloor* floor,
               QueryData** out) {
  *out = static_cast<QueryData*>(api->xGetAuxdata(fts, 0));
  if (*out != nullptr) return SQLITE_OK;
  auto data = new (std::nothrow) QueryData;
  if (data == nullptr) return SQLITE_NOMEM;
  sqlite3_int64 rows = 0, tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc == SQLITE_OK) data->average_size = static_cast<double>(tokens) / static_cast<double>(rows);
  const int phrases = api->xPhraseCount(fts);
  const bool defer = rc == SQLITE_OK && floor != nullptr && floor->may_defer_idf && phrases == 1;
  if (defer) {
    floor->idf_deferred = true;
    floor->rows_in_index = rows;
    data->idf.push_back(1.0);
  }
  for (int i = 0; rc == SQLITE_OK && !defer && i < phrases; ++i) {
    int64_t hits = 0;
    rc = api->xQueryPhrase(fts, i, &hits, count_row);
    if (rc != SQLITE_OK) break;
    data->idf.push_back(search_idf(rows, hits));
  }
  if (rc != SQLITE_OK) {
    delete data;
    return rc;
  }
  rc = api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<QueryData*>(p); });
  if (rc != SQLITE_OK) return rc;  // xSetAuxdata has deleted it
  *out = data;
  return SQLITE_OK;
}

// bm25's sum for a row of `size` tokens whose phrases occur with the weighted counts `frequency`.
double bm25(const QueryData& q, const std::vector<double>& frequency, double size) {
  double score = 0.0;
  for (size_t i = 0; i < q.idf.size(); ++i) {
    score += q.idf[i] * ((frequency[i] * (kK1 + 1.0)) /
                         (frequency[i] + kK1 * (1 - kB + kB * size / q.average_size)));
  }
  return score;
}

// Each phrase's weighted count in the current row (exact: sums of small integers), and the
// fewest tokens the row can have: in each column, the position of its last matched token plus
// one. Walks each phrase's positions (xPhraseFirst/xPhraseNext): measured 19 ms for 100 000 rows
// of "thong tin" on the bench archive, against 37 ms for the sorted instance list of xInst.
int count_matches(const Fts5ExtensionApi* api, Fts5Context* fts, std::vector<double>& frequency,
                  double* fewest_tokens) {
  int last_position[kColumns] = {-1, -1, -1};
  for (size_t i = 0; i < frequency.size(); ++i) {
    Fts5PhraseIter it;
    int column = 0, offset = 0;
    int rc = api->xPhraseFirst(fts, static_cast<int>(i), &it, &column, &offset);
    for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
      if (column >= kColumns) return SQLITE_MISMATCH;  // not the search index
      frequency[i] += kColumnWeight[column];
      // A phrase of n words reports the offset of its first; its last is further on, which
      // only makes the row larger than this bound says.
      if (offset > last_position[column]) last_position[column] = offset;
    }
    if (rc != SQLITE_OK) return rc;
  }
  *fewest_tokens = 0;
  for (int position : last_position) *fewest_tokens += position + 1;
  return SQLITE_OK;
}

void rank_row(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context,
              int argc, sqlite3_value** argv) {
  RankFloor* floor =
      argc > 0 ? static_cast<RankFloor*>(sqlite3_value_pointer(argv[0], kRankFloorType))
               : nullptr;
  if (floor != nullptr && floor->only != nullptr) {
    const sqlite3_int64 row = api->xRowid(fts);
    if (row < 0 || static_cast<uint64_t>(row) >= floor->only->size() || !(*floor->only)[row]) {
      return sqlite3_result_null(context);
    }
  }
  QueryData* q = nullptr;
  int rc = query_data(api, fts, floor, &q);
  if (rc != SQLITE_OK) return sqlite3_result_error_code(context, rc);
  thread_local std::vector<double> frequency;
  frequency.assign(q->idf.size(), 0.0);
  double fewest_tokens = 0;
  rc = count_matches(api, fts, frequency, &fewest_tokens);
  if (rc != SQLITE_OK) return sqlite3_result_error_code(context, rc);
  if (floor != nullptr && floor->below > -HUGE_VAL) {
    const double bound = bm25(*q, frequency, fewest_tokens);
    if (bound + std::fabs(bound) * kBoundSlack < floor->below) {
      ++floor->skipped;
      return sqlite3_result_null(context);
    }
  }
  int tokens = 0;
  rc = api->xColumnSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return sqlite3_result_error_code(context, rc);
  if (floor != nullptr) ++floor->ranked;
  sqlite3_result_double(context, bm25(*q, frequency, static_cast<double>(tokens)));
}

}  // namespace

double search_idf(int64_t rows, int64_t hits) {
  double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
  if (idf <= 0.0) idf = 1e-6;
  return idf;
}

Status register_search_rank(sqlite3* db) {
  Result<fts5_api*> api = fts5_api_of(db);
  if (!api.ok()) return api.failure();
  int rc = (*api)->xCreateFunction(*api, kSearchRank, nullptr, rank_row, nullptr);
  if (rc != SQLITE_OK) {
    return fail(std::string("cannot register the search rank: ") + sqlite3_errstr(rc));
  }
  return Status::Ok();
}

}  // namespace provarc
