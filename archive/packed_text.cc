#include "archive/packed_text.h"

#include <zstd.h>

#include <memory>

#include "archive/sqlite.h"

namespace provarc {
namespace {

// The function's state, one per connection: its own codec (the function runs inside statements
// of any caller) and the last frame it decompressed, because the search_source view asks for the
// same version's text three times (json_valid, author, body) and a search's snippets again.
struct TextReader {
  BlobCodec codec;
  std::string last_frame;
  int64_t last_dictionary = -1;
  std::string last_text;
};

Result<std::string> unpack(sqlite3* db, TextReader& reader, std::string_view frame,
                           int64_t dictionary_id) {
  if (dictionary_id == reader.last_dictionary && frame == reader.last_frame) {
    return reader.last_text;
  }
  const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR || declared == ZSTD_CONTENTSIZE_UNKNOWN ||
      declared > static_cast<unsigned long long>(kMaxPackedText)) {
    return fail(ErrorCode::kCorrupt, "a packed text is damaged: its zstd frame declares no size"
                                     " up to " + std::to_string(kMaxPackedText) + " bytes");
  }
  if (dictionary_id != 0 &&
      reader.codec.dictionary_tag(dictionary_id) != BlobCodec::frame_dictionary_tag(frame)) {
    reader.codec.clear_dictionaries();  // stale (rolled back), or never loaded
  }
  const char* file = sqlite3_db_filename(db, "main");
  if (Status s = load_dictionary_into(db, file ? file : "", reader.codec, dictionary_id); !s.ok()) {
    return s.failure();
  }
  Result<std::string> text =
      reader.codec.decompress(frame, static_cast<int64_t>(declared), dictionary_id);
  if (!text.ok()) {
    return fail(ErrorCode::kCorrupt, "a packed text (dictionary " + std::to_string(dictionary_id) +
                                         ") is damaged: " + text.error());
  }
  reader.last_frame.assign(frame);
  reader.last_dictionary = dictionary_id;
  reader.last_text = *text;
  return text;
}

void provarc_text(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 2) return sqlite3_result_error(context, "provarc_text takes 2 arguments", -1);
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
    return sqlite3_result_value(context, argv[0]);  // TEXT (not packed) or NULL
  }
  auto* reader = static_cast<TextReader*>(sqlite3_user_data(context));
  const int64_t dictionary_id =
      sqlite3_value_type(argv[1]) == SQLITE_NULL ? 0 : sqlite3_value_int64(argv[1]);
  const void* data = sqlite3_value_blob(argv[0]);
  std::string_view frame(static_cast<const char*>(data),
                         static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  Result<std::string> text = unpack(sqlite3_context_db_handle(context), *reader, frame,
                                    dictionary_id);
  if (!text.ok()) {
    sqlite3_result_error(context, text.error().c_str(), -1);
    sqlite3_result_error_code(context, SQLITE_CORRUPT);
    return;
  }
  sqlite3_result_text64(context, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace

const char* dictionary_kind_name(DictionaryKind kind) {
  switch (kind) {
    case DictionaryKind::kPage: return "page";
    case DictionaryKind::kArticle: return "article";
    case DictionaryKind::kHeaders: return "headers";
  }
  return "page";
}

Status register_packed_text(sqlite3* db) {
  // SQLite owns the reader from here: it calls the destructor when the connection closes, or at
  // once when registering fails.
  const int rc = sqlite3_create_function_v2(
      db, kPackedTextFunction, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
      new TextReader(), provarc_text, nullptr, nullptr,
      [](void* p) { delete static_cast<TextReader*>(p); });
  if (rc != SQLITE_OK) {
    return fail(std::string("cannot register the SQL function provarc_text: ") +
                sqlite3_errstr(rc));
  }
  return Status::Ok();
}

Status load_dictionary_into(sqlite3* db, const std::string& path, BlobCodec& codec, int64_t id) {
  if (id == 0 || codec.has_dictionary(id)) return Status::Ok();
  const std::string what = path + ": dictionary " + std::to_string(id);
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT size, data FROM dictionaries WHERE id = ?", -1, &raw,
                              nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  if (rc != SQLITE_OK) return sql::failure_of(db, rc).prefixed(what + ": cannot be read: ");
  sqlite3_bind_int64(raw, 1, id);
  rc = sqlite3_step(raw);
  if (rc == SQLITE_DONE) return fail(ErrorCode::kCorrupt, what + " is missing");
  if (rc != SQLITE_ROW) return sql::failure_of(db, rc).prefixed(what + ": cannot be read: ");
  const int64_t size = sqlite3_column_int64(raw, 0);
  std::string_view stored(static_cast<const char*>(sqlite3_column_blob(raw, 1)),
                          static_cast<size_t>(sqlite3_column_bytes(raw, 1)));
  Result<std::string> bytes = codec.decompress(stored, size, 0);
  if (!bytes.ok()) return fail(ErrorCode::kCorrupt, what + " is damaged: " + bytes.error());
  codec.add_dictionary(id, std::move(*bytes));
  return Status::Ok();
}

}  // namespace provarc
