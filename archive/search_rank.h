// archive/search_rank.h: the FTS5 auxiliary function "provarc_rank" that search ranks with:
// FTS5's own bm25 with the index's column weights (title 5, author 2, body 1), the same score bit
// for bit, that skips the costly part for rows that cannot reach the caller's top hits. Internal
// to archive/.
//
//   SELECT search.rowid, provarc_rank(search, ?) FROM search WHERE search MATCH ...
//
// The second argument is a RankFloor bound with sqlite3_bind_pointer under kRankFloorType (or
// NULL: every row ranked). The function returns the row's score, higher is better (-bm25, which
// FTS5 reports negated), or NULL when the score is certainly below floor->below.
//
// Why: FTS5's bm25 reads each matching row's size in tokens (one lookup in the search_docsize
// table a row; measured at about 2 µs of CPU a row with the rest of bm25 on the 100 000-version
// bench archive, bench/README.md "search"), so ranking a word that most articles contain costs
// hundreds of milliseconds. The matched words' counts and positions come with the match itself.
// From them the function bounds the score from above: a row's size is at least the position of
// its last matched word in each column, plus one, and bm25 only falls as the size grows. A row
// whose bound is below the floor is left unranked; every other row gets its exact bm25. A caller
// that keeps its k best rows and raises the floor to the k-th best score gets exactly the top k
// of a full bm25 ranking, having ranked only the rows that could have been in it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "common/result.h"

namespace provarc {

// The function's name, and the pointer type its floor is bound under.
inline constexpr const char* kSearchRank = "provarc_rank";
inline constexpr const char* kRankFloorType = "provarc_rank_floor";

// The caller's threshold, and what the function did (for tests and bench/search).
struct RankFloor {
  // When set, only the rows whose rowid is set here are ranked; the others get NULL at once
  // (they are not counted below). The caller's filter, applied before any work on the row.
  const std::vector<bool>* only = nullptr;
  // Rows whose score is certainly below this get NULL. Equal scores are ranked (a caller breaks
  // ties itself).
  double below = -std::numeric_limits<double>::infinity();
  // Set by the caller when its statement returns every row the MATCH matches (no other
  // filter in SQL), so that it can count the rows itself. A query of one phrase then skips
  // bm25's pass over the phrase's matches to compute its IDF (28 ms for "thong tin" as a phrase
  // in 100 000 rows): the function returns the score divided by the IDF, a positive factor
  // common to every row (so the order is the same), and sets `idf_deferred`; the caller
  // multiplies by idf(rows_in_index, rows it counted) (below) to get bm25 exactly.
  bool may_defer_idf = false;
  bool idf_deferred = false;
  int64_t rows_in_index = 0;
  int64_t ranked = 0;   // rows given their exact score
  int64_t skipped = 0;  // rows given NULL
};

// bm25's IDF of a phrase found in `hits` of `rows` rows (as fts5_aux.c computes it).
double search_idf(int64_t rows, int64_t hits);

// Registers provarc_rank on `db`, beside the tokenizer (archive/search_tokenizer.h). Fails when
// SQLite has no FTS5.
Status register_search_rank(sqlite3* db);

}  // namespace provarc
