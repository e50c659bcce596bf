// archive/search_tokenizer.cc: the FTS5 tokenizer API (https://sqlite.org/fts5.html, "Custom
// Tokenizers") over text/fold.h. The tokenizer is stateless; one instance serves every table.
#include "archive/search_tokenizer.h"

#include <limits>
#include <new>
#include <string>
#include <string_view>

#include "text/fold.h"

namespace provarc {
namespace {

// FTS5 wants a non-null Fts5Tokenizer* per table; it is never dereferenced.
int create_tokenizer(void* /*context*/, const char** /*args*/, int args_count,
                     Fts5Tokenizer** out) {
  static char instance;
  if (args_count != 0) return SQLITE_ERROR;  // provarc_fold takes no options
  *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
  return SQLITE_OK;
}

void delete_tokenizer(Fts5Tokenizer* /*tokenizer*/) {}

// Every word (text/fold.h SearchWordReader), folded, with its byte range in `text`: the same for
// documents, queries and prefixes (FTS5_TOKENIZE_* flags do not change anything), so that a query
// word matches exactly the document words that fold like it. Offsets refer to the text as stored,
// so snippets show it with its diacritics.
int tokenize(Fts5Tokenizer* /*tokenizer*/, void* context, int /*flags*/, const char* text,
             int length,
             int (*emit)(void* context, int flags, const char* token, int token_length,
                         int start, int end)) {
  if (text == nullptr || length <= 0) return SQLITE_OK;
  try {
    SearchWordReader reader(std::string_view(text, static_cast<size_t>(length)));
    for (SearchWord word; reader.next(&word);) {
      int rc = emit(context, 0, word.folded.data(), static_cast<int>(word.folded.size()),
                    static_cast<int>(word.begin), static_cast<int>(word.end));
      if (rc != SQLITE_OK) return rc;
    }
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;  // nothing may unwind through SQLite's C frames
  }
  return SQLITE_OK;
}

}  // namespace

Result<fts5_api*> fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    (void)sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (api == nullptr) {
    return fail("this SQLite has no FTS5 (full-text search); provarc needs SQLite 3.20 or later "
                "built with it, as Debian's is");
  }
  return api;
}

Status register_search_tokenizer(sqlite3* db) {
  Result<fts5_api*> api = fts5_api_of(db);
  if (!api.ok()) return api.failure();
  fts5_tokenizer tokenizer{create_tokenizer, delete_tokenizer, tokenize};
  int rc = (*api)->xCreateTokenizer(*api, kSearchTokenizer, nullptr, &tokenizer, nullptr);
  if (rc != SQLITE_OK) {
    return fail(std::string("cannot register the search tokenizer: ") + sqlite3_errstr(rc));
  }
  return Status::Ok();
}

}  // namespace provarc
