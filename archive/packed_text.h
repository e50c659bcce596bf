// archive/packed_text.h: text columns stored as zstd frames (each article version's JSON, each
// capture's request and response headers), compressed with a dictionary trained on the same
// site's texts of the same kind (dictionaries.kind, schema v6), and the SQL function that reads
// them back. Internal to archive/.
//
// A packed column holds either TEXT (a row written before schema v6, read as it is) or a BLOB: a
// zstd frame of the text, declaring its size, compressed with the dictionary named by the row's
// dictionary column (NULL: none). `provarc compact` packs TEXT rows and repacks rows onto each
// site's newest dictionary (archive.cc).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/blob_codec.h"
#include "common/result.h"

namespace provarc {

// What a dictionary was trained on (dictionaries.kind). Pages are blobs (ArchiveCore::store_blob);
// the other two are packed text.
enum class DictionaryKind { kPage, kArticle, kHeaders };

// "page", "article", "headers".
const char* dictionary_kind_name(DictionaryKind kind);

// The SQL function reading a packed column: provarc_text(value, dictionary_id).
inline constexpr const char* kPackedTextFunction = "provarc_text";

// A packed frame declaring more than this is taken for damage (no text of ours comes near).
inline constexpr int64_t kMaxPackedText = 64 << 20;

// Registers provarc_text(value, dictionary_id) on `db`: TEXT and NULL values are returned as they
// are; a BLOB is decompressed with dictionary `dictionary_id` (NULL: none), read from the
// dictionaries table on first use and kept while the frames name it (zstd's dictionary ID, so
// a dictionary rolled back and its id given to other bytes is read again). The statement fails,
// naming the dictionary, when the frame is damaged, too large or its dictionary is missing.
// Every connection that reads versions or headers needs it, the search_source view included; the
// sqlite3 shell, lacking it, reads packed columns as BLOBs. Fails when SQLite refuses.
Status register_packed_text(sqlite3* db);

// Reads dictionary `id` from the dictionaries table of `db` (its stored bytes are zstd without a
// dictionary) and adds it to `codec`, unless the codec has it. Fails naming the dictionary when
// it is missing or damaged; `path` starts the messages.
Status load_dictionary_into(sqlite3* db, const std::string& path, BlobCodec& codec, int64_t id);

}  // namespace provarc
