// archive/archive_core.h: the state behind one Archive (its connection, codec and caches) and the
// helpers its methods share across archive/*.cc. Internal to archive/.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.h"
#include "archive/blob_codec.h"
#include "archive/packed_text.h"
#include "archive/sqlite.h"
#include "common/result.h"

namespace provarc {

// The CaptureKind whose capture_kind_name() is `name`; kPage for an unknown name.
CaptureKind capture_kind_from_name(const std::string& name);

class ArchiveCore;

// Compares the search index with the article versions' text, word by word (archive/search.cc):
// ok, or a failure naming the versions whose words differ. Reads every version: slow on a large
// archive. Works on read-only connections.
Status check_search_index(ArchiveCore& core);

// Runs `sql`, whose rows start with a site id, and calls `apply` on that site's entry of `sites`
// (added when missing) for each row. `doing` names the work in failures (reading.cc).
Status add_site_rows(ArchiveCore& core, const char* sql, std::string_view doing,
                     std::map<std::string, SiteSummary>& sites,
                     void (*apply)(SiteSummary&, const sql::Statement&));

// Sets, in `sites` (by site id, adding the sites it lacks), each site's most recent crawl run and
// its counts in it (runs.cc).
Status fill_last_crawls(ArchiveCore& core, std::map<std::string, SiteSummary>& sites);

class ArchiveCore {
 public:
  ArchiveCore(std::string path, ArchiveOptions options, std::unique_ptr<sql::Connection> db)
      : path_(std::move(path)), options_(options), db_(std::move(db)) {}

  sql::Connection& db() { return *db_; }
  const ArchiveOptions& options() const { return options_; }
  const std::string& path() const { return path_; }

  // "<path>: <doing>: <why>", plus advice when `why` is busy, full, read-only or corrupt; the code
  // stays why's.
  Failure failed(std::string_view doing, const Failure& why) const;

  // See Archive::transaction. Caches that may hold rows written by a rolled-back transaction are
  // dropped on rollback.
  Status transaction(const std::function<Status()>& body);

  // Stores `body` (whose SHA-256 is `digest`) unless a blob with that digest exists; returns the
  // blob's id. Page bodies are compressed with the site's current page dictionary (see
  // dictionary_for). Messages say "storing the body of <url>". Call inside a transaction.
  Result<int64_t> store_blob(std::string_view site, CaptureKind kind, std::string_view body,
                             const std::string& digest, std::string_view url);

  // The raw body of blob `blob_id`, checked against its digest. Fails naming the blob.
  Result<std::string> read_blob(int64_t blob_id);

  // Texts to store in packed columns of one row (archive/packed_text.h): each a zstd frame, bound
  // as a BLOB, all compressed with the same dictionary (0: none, bind NULL).
  struct PackedTexts {
    std::vector<std::string> frames;
    int64_t dictionary_id = 0;
  };

  // `texts` compressed at compression_level with `site`'s current dictionary of `kind` (one row's
  // worth: see dictionary_for). Call inside a transaction.
  Result<PackedTexts> pack_texts(std::string_view site, DictionaryKind kind,
                                 std::initializer_list<std::string_view> texts);

  // The dictionary `site`'s next row of `kind` is compressed with, loaded into the codec; 0 when
  // none (or dictionaries are disabled). Trains the site's first dictionary of that kind once it
  // has dictionary_min_pages rows of it, a new one each time that count has grown fourfold; a
  // site that cannot be trained on is retried once it has doubled. Counts one more row. Call
  // inside a transaction.
  Result<int64_t> dictionary_for(std::string_view site, DictionaryKind kind);

  // The number of `site`'s rows of `kind`: page blobs, article versions, or captures.
  Result<int64_t> count_rows(std::string_view site, DictionaryKind kind);

  // Trains a new dictionary of `kind` for `site` from its newest rows of that kind and stores it;
  // returns its id. Fails when the site has too few or too small samples or zstd cannot train
  // (callers carry on without one).
  Result<int64_t> train_site_dictionary(std::string_view site, DictionaryKind kind);

  // The id of `site`'s newest dictionary of `kind`, 0 when it has none, loaded into the codec.
  Result<int64_t> newest_dictionary(std::string_view site, DictionaryKind kind);

  // Loads dictionary `id` (0: none) into the codec unless it is there.
  Status load_dictionary(int64_t id);

  BlobCodec& codec() { return codec_; }

  // The ids of the latest versions of one site ("" for every site), as a set indexed by id,
  // kept by search (archive/search.cc) while the file is as it was when they were read: the
  // same PRAGMA data_version (no other connection committed) and the same
  // sqlite3_total_changes64 (this one wrote nothing).
  struct LatestVersions {
    int64_t data_version = -1;
    int64_t changes = -1;
    std::string site;
    std::vector<bool> ids;
  };
  LatestVersions& latest_versions() { return latest_versions_; }

 private:
  // What this connection knows of a site's dictionaries of one kind, to avoid counting rows at
  // every store.
  struct SiteDictionaryState {
    int64_t dictionary_id = 0;  // newest, 0 when none
    int64_t rows = 0;           // rows of the kind stored for the site (at least)
    int64_t train_at = 0;       // train the next dictionary when rows reaches this
  };

  Result<SiteDictionaryState*> site_state(std::string_view site, DictionaryKind kind);
  Result<std::vector<std::string>> dictionary_samples(std::string_view site, DictionaryKind kind);

  std::string path_;
  ArchiveOptions options_;
  std::unique_ptr<sql::Connection> db_;
  BlobCodec codec_;
  std::map<std::string, SiteDictionaryState, std::less<>> sites_;  // by "<kind> <site>"
  int depth_ = 0;  // transaction nesting
  LatestVersions latest_versions_;
};

}  // namespace provarc
