// archive/search_tokenizer.h: the FTS5 tokenizer "provarc_fold" that the search index is built
// with: words and folding from text/fold.h. Internal to archive/.
#pragma once

#include <sqlite3.h>

#include "common/result.h"

namespace provarc {

// The tokenizer's name in `CREATE VIRTUAL TABLE ... USING fts5(..., tokenize = '...')`.
inline constexpr const char* kSearchTokenizer = "provarc_fold";

// Registers the tokenizer on `db`. Every connection that reads or writes the index needs it
// first: FTS5 fails with "no such tokenizer" otherwise (as the sqlite3 shell does on the search
// table; every other table reads as usual there). Fails when SQLite was built without FTS5.
Status register_search_tokenizer(sqlite3* db);

// The fts5_api of `db`, as the FTS5 documentation says to get it: SELECT fts5(?1) with a pointer
// bound under the type "fts5_api_ptr". Fails when SQLite has no FTS5.
Result<fts5_api*> fts5_api_of(sqlite3* db);

}  // namespace provarc
