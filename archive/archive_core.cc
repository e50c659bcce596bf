#include "archive/archive_core.h"

#include <algorithm>
#include <vector>

#include "common/digest.h"

namespace provarc {
namespace {

// Dictionary training reads the site's newest pages, up to these bounds (zstd advises samples of
// about 100 times the dictionary's size; more only slows training down).
constexpr int kMaxTrainingSamples = 2000;
constexpr size_t kMaxTrainingBytes = 16u << 20;
constexpr size_t kSamplesPerDictionaryByte = 25;
constexpr size_t kMinDictionarySize = 4096;

// Images, attachments and other non-pages are mostly compressed already: a fast level suffices.
constexpr int kOtherLevel = 3;

// Dictionaries are written once and read by every page of their site: compress them hard.
constexpr int kDictionaryLevel = 19;

}  // namespace

CaptureKind capture_kind_from_name(const std::string& name) {
  for (CaptureKind k : {CaptureKind::kPage, CaptureKind::kRobots, CaptureKind::kSitemap,
                        CaptureKind::kImage, CaptureKind::kAttachment}) {
    if (name == capture_kind_name(k)) return k;
  }
  return CaptureKind::kPage;
}

Failure ArchiveCore::failed(std::string_view doing, const Failure& why) const {
  std::string message = path_ + ": " + std::string(doing) + ": " + why.message;
  switch (why.code) {
    case ErrorCode::kBusy:
      message += "; another process has been writing to the archive for longer than " +
                 std::to_string(options_.busy_timeout_ms) + " ms: retry when it has finished";
      break;
    case ErrorCode::kFull:
      message += "; the disk (or the archive's size cap) is full: nothing of this was written, "
                 "free some space and retry";
      break;
    case ErrorCode::kReadOnly:
      message += "; the archive or its directory is not writable (or it was opened read-only)";
      break;
    case ErrorCode::kCorrupt:
      message += "; the file is damaged or not a provarc archive";
      break;
    default:
      break;
  }
  return fail(why.code, std::move(message));
}

Status ArchiveCore::transaction(const std::function<Status()>& body) {
  const std::string savepoint = "provarc_" + std::to_string(depth_);
  Status begun = depth_ == 0 ? db_->exec("BEGIN IMMEDIATE")
                             : db_->exec(("SAVEPOINT " + savepoint).c_str());
  if (!begun.ok()) return failed("cannot start a write transaction", begun.failure());
  ++depth_;
  Status result = body();
  --depth_;
  if (result.ok()) {
    Status done = depth_ == 0 ? db_->exec("COMMIT") : db_->exec(("RELEASE " + savepoint).c_str());
    if (done.ok()) return result;
    result = failed("cannot commit", done.failure());
  }
  // Undo, then forget what may describe undone rows (a dictionary id can be given to other bytes).
  if (depth_ == 0) {
    (void)db_->exec("ROLLBACK");
  } else {
    (void)db_->exec(("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint).c_str());
  }
  sites_.clear();
  codec_.clear_dictionaries();
  return result;
}

Status ArchiveCore::load_dictionary(int64_t id) {
  if (id == 0 || codec_.has_dictionary(id)) return Status::Ok();
  const std::string what = "dictionary " + std::to_string(id);
  Result<sql::Statement> stmt = db_->prepare("SELECT size, data FROM dictionaries WHERE id = ?");
  if (!stmt.ok()) return failed("reading " + what, stmt.failure());
  stmt->bind(1, id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed("reading " + what, row.failure());
  if (!*row) return fail(path_ + ": " + what + " is missing");
  Result<std::string> bytes = codec_.decompress(stmt->blob_at(1), stmt->int_at(0), 0);
  if (!bytes.ok()) return fail(path_ + ": " + what + " is damaged: " + bytes.error());
  codec_.add_dictionary(id, std::move(*bytes));
  return Status::Ok();
}

Result<int64_t> ArchiveCore::newest_dictionary(std::string_view site) {
  Result<sql::Statement> stmt =
      db_->prepare("SELECT id FROM dictionaries WHERE site = ? ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return failed("reading dictionaries", stmt.failure());
  stmt->bind(1, site);
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed("reading dictionaries of site " + std::string(site), row.failure());
  int64_t id = *row ? stmt->int_at(0) : 0;
  if (Status s = load_dictionary(id); !s.ok()) return s.failure();
  return id;
}

Result<ArchiveCore::SiteDictionaryState*> ArchiveCore::site_state(std::string_view site) {
  auto found = sites_.find(site);
  if (found != sites_.end()) return &found->second;
  SiteDictionaryState state;
  Result<sql::Statement> stmt = db_->prepare(
      "SELECT (SELECT count(*) FROM blobs WHERE site = ?1 AND kind = 'page'),"
      "       (SELECT pages FROM dictionaries WHERE site = ?1 ORDER BY id DESC LIMIT 1)");
  if (!stmt.ok()) return failed("counting blobs", stmt.failure());
  stmt->bind(1, site);
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed("counting blobs of site " + std::string(site), row.failure());
  state.page_blobs = stmt->int_at(0);
  bool has_dictionary = !stmt->is_null(1);
  int64_t trained_at_pages = stmt->int_at(1);
  Result<int64_t> newest = newest_dictionary(site);
  if (!newest.ok()) return newest.failure();
  state.dictionary_id = *newest;
  state.train_at = has_dictionary ? trained_at_pages * 4 : options_.dictionary_min_pages;
  return &sites_.emplace(std::string(site), state).first->second;
}

Result<int64_t> ArchiveCore::train_site_dictionary(std::string_view site) {
  Result<sql::Statement> stmt = db_->prepare(
      "SELECT id FROM blobs WHERE site = ? AND kind = 'page' ORDER BY id DESC LIMIT ?");
  if (!stmt.ok()) return failed("choosing dictionary samples", stmt.failure());
  stmt->bind(1, site).bind(2, int64_t{kMaxTrainingSamples});
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return failed("choosing dictionary samples", row.failure());
    if (!*row) break;
    ids.push_back(stmt->int_at(0));
  }
  std::vector<std::string> samples;
  size_t total = 0;
  for (int64_t id : ids) {
    Result<std::string> body = read_blob(id);
    if (!body.ok()) return body.failure();
    if (total + body->size() > kMaxTrainingBytes) break;
    total += body->size();
    samples.push_back(std::move(*body));
  }
  if (samples.size() < 8) {
    return fail(path_ + ": too few pages of site " + std::string(site) + " to train a dictionary");
  }
  // zstd's trainer wants samples of many times the dictionary's size; asked for more, it gives
  // up and returns a small, poor dictionary. So the target follows the samples, and a result
  // under half the target is retrained at half the size.
  const size_t capacity =
      std::min(static_cast<size_t>(options_.dictionary_size), total / kSamplesPerDictionaryByte);
  if (capacity < kMinDictionarySize) {
    return fail(path_ + ": too few page bytes of site " + std::string(site) +
                " to train a dictionary");
  }
  Result<std::string> dictionary = train_dictionary(samples, capacity);
  if (dictionary.ok() && dictionary->size() < capacity / 2) {
    dictionary = train_dictionary(samples, capacity / 2);
  }
  if (!dictionary.ok()) {
    return fail(path_ + ": site " + std::string(site) + ": " + dictionary.error());
  }
  // A dictionary is mostly the site's template: it compresses well on its own.
  Result<std::string> stored = codec_.compress(*dictionary, kDictionaryLevel, 0);
  if (!stored.ok()) return fail(path_ + ": compressing a dictionary: " + stored.error());
  Result<sql::Statement> insert = db_->prepare(
      "INSERT INTO dictionaries (site, created_at, pages, samples, size, stored_size, data)"
      " VALUES (?, ?, (SELECT count(*) FROM blobs WHERE site = ?1 AND kind = 'page'), ?, ?, ?, ?)");
  if (!insert.ok()) return failed("storing a dictionary", insert.failure());
  insert->bind(1, site)
      .bind(2, utc_now())
      .bind(3, static_cast<int64_t>(samples.size()))
      .bind(4, static_cast<int64_t>(dictionary->size()))
      .bind(5, static_cast<int64_t>(stored->size()))
      .bind_blob(6, *stored);
  if (Status s = insert->run(); !s.ok()) {
    return failed("storing a dictionary for site " + std::string(site), s.failure());
  }
  int64_t id = db_->last_insert_id();
  codec_.add_dictionary(id, std::move(*dictionary));
  return id;
}

Result<int64_t> ArchiveCore::store_blob(std::string_view site, CaptureKind kind,
                                        std::string_view body, const std::string& digest,
                                        std::string_view url) {
  const std::string doing = "storing the body of " + std::string(url) + " (blob " + digest + ")";
  Result<sql::Statement> find = db_->prepare("SELECT id FROM blobs WHERE digest = ?");
  if (!find.ok()) return failed(doing, find.failure());
  find->bind(1, digest);
  Result<bool> found = find->step();
  if (!found.ok()) return failed(doing, found.failure());
  if (*found) return find->int_at(0);

  const bool page = kind == CaptureKind::kPage;
  int64_t dictionary_id = 0;
  if (page && options_.dictionary_min_pages > 0) {
    Result<SiteDictionaryState*> state = site_state(site);
    if (!state.ok()) return state.failure();
    SiteDictionaryState& s = **state;
    if (s.page_blobs >= s.train_at) {
      // Another connection may have trained one meanwhile: count again before spending seconds.
      sites_.erase(std::string(site));
      state = site_state(site);
      if (!state.ok()) return state.failure();
    }
    SiteDictionaryState& current = **state;
    if (current.page_blobs >= current.train_at) {
      Result<int64_t> trained = train_site_dictionary(site);
      // A site whose pages cannot be trained on is retried only once it has doubled.
      current.train_at = current.page_blobs * (trained.ok() ? 4 : 2);
      if (trained.ok()) current.dictionary_id = *trained;
    }
    dictionary_id = current.dictionary_id;
    ++current.page_blobs;
  }
  if (Status s = load_dictionary(dictionary_id); !s.ok()) return s.failure();
  const int level = page ? options_.compression_level : kOtherLevel;
  Result<std::string> compressed = codec_.compress(body, level, dictionary_id);
  if (!compressed.ok()) return fail(path_ + ": " + doing + ": " + compressed.error());
  // Bodies zstd cannot shrink (JPEG, ZIP) are kept as they are.
  const bool keep_raw = compressed->size() >= body.size();
  Result<sql::Statement> insert = db_->prepare(
      "INSERT INTO blobs (digest, site, kind, raw_size, stored_size, codec, level, dictionary_id,"
      " data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return failed(doing, insert.failure());
  std::string_view data = keep_raw ? body : std::string_view(*compressed);
  insert->bind(1, digest)
      .bind(2, site)
      .bind(3, std::string_view(capture_kind_name(kind)))
      .bind(4, static_cast<int64_t>(body.size()))
      .bind(5, static_cast<int64_t>(data.size()))
      .bind(6, std::string_view(keep_raw ? "none" : "zstd"))
      .bind(7, int64_t{keep_raw ? 0 : level});
  if (keep_raw || dictionary_id == 0) {
    insert->bind_null(8);
  } else {
    insert->bind(8, dictionary_id);
  }
  insert->bind_blob(9, data);
  if (Status s = insert->run(); !s.ok()) return failed(doing, s.failure());
  return db_->last_insert_id();
}

Result<std::string> ArchiveCore::read_blob(int64_t blob_id) {
  Result<sql::Statement> stmt = db_->prepare(
      "SELECT digest, raw_size, codec, dictionary_id, data FROM blobs WHERE id = ?");
  if (!stmt.ok()) return failed("reading a blob", stmt.failure());
  const std::string what = "blob " + std::to_string(blob_id);
  stmt->bind(1, blob_id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed("reading " + what, row.failure());
  if (!*row) return fail(path_ + ": " + what + " is missing");
  std::string digest = stmt->text_at(0);
  int64_t raw_size = stmt->int_at(1);
  bool raw = stmt->text_at(2) == "none";
  int64_t dictionary_id = stmt->is_null(3) ? 0 : stmt->int_at(3);
  std::string body;
  if (raw) {
    body = std::string(stmt->blob_at(4));
  } else {
    // Loading the dictionary runs another statement: copy the data out first.
    std::string stored(stmt->blob_at(4));
    if (Status s = load_dictionary(dictionary_id); !s.ok()) return s.failure();
    Result<std::string> decompressed = codec_.decompress(stored, raw_size, dictionary_id);
    if (!decompressed.ok()) {
      return fail(path_ + ": " + what + " is damaged: " + decompressed.error());
    }
    body = std::move(*decompressed);
  }
  if (sha256_hex(body) != digest) {
    return fail(path_ + ": " + what + " is damaged: its SHA-256 is not " + digest);
  }
  return body;
}

}  // namespace provarc
