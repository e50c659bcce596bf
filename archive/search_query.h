// archive/search_query.h: the search query language (archive/search.h) translated into an FTS5
// MATCH expression. Internal to archive/.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace provarc {

// The FTS5 expression for `query`: every word and phrase quoted (so FTS5 sees no syntax of its
// own in what people type: hyphens, colons, carets, NEAR), prefixes as `"word" *`, and the
// operators parenthesised as they bind (NOT, then AND, then OR). Fails as check_search_query
// (archive/search.h) says, with the message it gives.
Result<std::string> fts5_query(std::string_view query);

}  // namespace provarc
