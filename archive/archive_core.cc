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
// Article JSON and headers are short texts that share most of their bytes with the site's others:
// a small dictionary is most of what compresses them (measured on the fixture web's sites of 50
// pages: an article's JSON 910 bytes -> 69 with a 2.9 KB dictionary, 83 without; a response's
// headers 159 -> 33). So they train on fewer samples per dictionary byte (zstd's advised floor,
// 10) and down to a smaller dictionary.
constexpr size_t kTextSamplesPerDictionaryByte = 10;
constexpr size_t kMinTextDictionarySize = 1024;

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
  return load_dictionary_into(db_->handle(), path_, codec_, id);
}

Result<int64_t> ArchiveCore::newest_dictionary(std::string_view site, DictionaryKind kind) {
  Result<sql::Statement> stmt = db_->prepare(
      "SELECT id FROM dictionaries WHERE site = ? AND kind = ? ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return failed("reading dictionaries", stmt.failure());
  stmt->bind(1, site).bind(2, std::string_view(dictionary_kind_name(kind)));
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed("reading dictionaries of site " + std::string(site), row.failure());
  int64_t id = *row ? stmt->int_at(0) : 0;
  if (Status s = load_dictionary(id); !s.ok()) return s.failure();
  return id;
}

Result<int64_t> ArchiveCore::count_rows(std::string_view site, DictionaryKind kind) {
  const char* sql = nullptr;
  switch (kind) {
    case DictionaryKind::kPage:
      sql = "SELECT count(*) FROM blobs WHERE site = ? AND kind = 'page'";
      break;
    case DictionaryKind::kArticle:
      sql = "SELECT count(*) FROM article_versions v JOIN articles a ON a.id = v.article_id"
            " WHERE a.site = ?";
      break;
    case DictionaryKind::kHeaders:
      sql = "SELECT count(*) FROM captures WHERE site = ?";
      break;
  }
  const std::string doing =
      std::string("counting the ") + dictionary_kind_name(kind) + " rows of site " +
      std::string(site);
  Result<sql::Statement> stmt = db_->prepare(sql);
  if (!stmt.ok()) return failed(doing, stmt.failure());
  stmt->bind(1, site);
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed(doing, row.failure());
  return stmt->int_at(0);
}

Result<ArchiveCore::SiteDictionaryState*> ArchiveCore::site_state(std::string_view site,
                                                                  DictionaryKind kind) {
  const std::string key = std::string(dictionary_kind_name(kind)) + " " + std::string(site);
  auto found = sites_.find(key);
  if (found != sites_.end()) return &found->second;
  SiteDictionaryState state;
  Result<int64_t> rows = count_rows(site, kind);
  if (!rows.ok()) return rows.failure();
  state.rows = *rows;
  Result<sql::Statement> stmt = db_->prepare(
      "SELECT pages FROM dictionaries WHERE site = ? AND kind = ? ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return failed("reading dictionaries", stmt.failure());
  stmt->bind(1, site).bind(2, std::string_view(dictionary_kind_name(kind)));
  Result<bool> row = stmt->step();
  if (!row.ok()) return failed("reading dictionaries of site " + std::string(site), row.failure());
  const bool has_dictionary = *row;
  const int64_t trained_at_rows = has_dictionary ? stmt->int_at(0) : 0;
  Result<int64_t> newest = newest_dictionary(site, kind);
  if (!newest.ok()) return newest.failure();
  state.dictionary_id = *newest;
  state.train_at = has_dictionary ? trained_at_rows * 4 : options_.dictionary_min_pages;
  return &sites_.emplace(key, state).first->second;
}

Result<std::vector<std::string>> ArchiveCore::dictionary_samples(std::string_view site,
                                                                 DictionaryKind kind) {
  const std::string doing = "choosing dictionary samples of site " + std::string(site);
  std::vector<std::string> samples;
  size_t total = 0;
  auto add = [&](std::string sample) {
    if (total + sample.size() > kMaxTrainingBytes) return false;
    total += sample.size();
    samples.push_back(std::move(sample));
    return true;
  };
  if (kind == DictionaryKind::kPage) {
    Result<sql::Statement> stmt = db_->prepare(
        "SELECT id FROM blobs WHERE site = ? AND kind = 'page' ORDER BY id DESC LIMIT ?");
    if (!stmt.ok()) return failed(doing, stmt.failure());
    stmt->bind(1, site).bind(2, int64_t{kMaxTrainingSamples});
    std::vector<int64_t> ids;
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row.ok()) return failed(doing, row.failure());
      if (!*row) break;
      ids.push_back(stmt->int_at(0));
    }
    for (int64_t id : ids) {
      Result<std::string> body = read_blob(id);
      if (!body.ok()) return body.failure();
      if (!add(std::move(*body))) break;
    }
    return samples;
  }
  // Packed texts, read through provarc_text(); headers give two samples a capture.
  Result<sql::Statement> stmt = db_->prepare_uncached(
      kind == DictionaryKind::kArticle
          ? "SELECT provarc_text(v.json, v.json_dictionary_id), NULL FROM article_versions v"
            " JOIN articles a ON a.id = v.article_id WHERE a.site = ?1 ORDER BY v.id DESC LIMIT ?2"
          : "SELECT provarc_text(request_headers, headers_dictionary_id),"
            " provarc_text(response_headers, headers_dictionary_id) FROM captures"
            " WHERE site = ?1 ORDER BY id DESC LIMIT ?2");
  if (!stmt.ok()) return failed(doing, stmt.failure());
  stmt->bind(1, site).bind(2, int64_t{kMaxTrainingSamples});
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return failed(doing, row.failure());
    if (!*row) return samples;
    if (!add(stmt->text_at(0))) return samples;
    if (!stmt->is_null(1) && !add(stmt->text_at(1))) return samples;
  }
}

Result<int64_t> ArchiveCore::train_site_dictionary(std::string_view site, DictionaryKind kind) {
  const std::string what =
      std::string(dictionary_kind_name(kind)) + " dictionary for site " + std::string(site);
  Result<int64_t> rows = count_rows(site, kind);
  if (!rows.ok()) return rows.failure();
  Result<std::vector<std::string>> samples = dictionary_samples(site, kind);
  if (!samples.ok()) return samples.failure();
  size_t total = 0;
  for (const std::string& sample : *samples) total += sample.size();
  if (samples->size() < 8) return fail(path_ + ": too few samples to train a " + what);
  // zstd's trainer wants samples of many times the dictionary's size; asked for more, it gives
  // up and returns a small, poor dictionary. So the target follows the samples, and a result
  // under half the target is retrained at half the size.
  // Pages whose samples are too few for a 4 KiB dictionary at 25 bytes a byte (a site of few,
  // small pages) train like texts, on 10, down to 1 KiB: measured on the fixture web's sites of
  // 50 pages of 600 bytes, 44 pages at level 19 took 18 044 bytes alone, 1 612 with a 1.2 KB
  // dictionary (548 stored).
  const bool page = kind == DictionaryKind::kPage;
  size_t capacity = total / (page ? kSamplesPerDictionaryByte : kTextSamplesPerDictionaryByte);
  if (page && capacity < kMinDictionarySize) capacity = total / kTextSamplesPerDictionaryByte;
  capacity = std::min(static_cast<size_t>(options_.dictionary_size), capacity);
  if (capacity < kMinTextDictionarySize) {
    return fail(path_ + ": too few sample bytes to train a " + what);
  }
  Result<std::string> dictionary = train_dictionary(*samples, capacity);
  if (dictionary.ok() && dictionary->size() < capacity / 2) {
    dictionary = train_dictionary(*samples, capacity / 2);
  }
  if (!dictionary.ok()) return fail(path_ + ": " + what + ": " + dictionary.error());
  // A dictionary is mostly the site's template: it compresses well on its own.
  Result<std::string> stored = codec_.compress(*dictionary, kDictionaryLevel, 0);
  if (!stored.ok()) return fail(path_ + ": compressing a dictionary: " + stored.error());
  Result<sql::Statement> insert = db_->prepare(
      "INSERT INTO dictionaries (site, kind, created_at, pages, samples, size, stored_size, data)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return failed("storing a " + what, insert.failure());
  insert->bind(1, site)
      .bind(2, std::string_view(dictionary_kind_name(kind)))
      .bind(3, utc_now())
      .bind(4, *rows)
      .bind(5, static_cast<int64_t>(samples->size()))
      .bind(6, static_cast<int64_t>(dictionary->size()))
      .bind(7, static_cast<int64_t>(stored->size()))
      .bind_blob(8, *stored);
  if (Status s = insert->run(); !s.ok()) return failed("storing a " + what, s.failure());
  int64_t id = db_->last_insert_id();
  codec_.add_dictionary(id, std::move(*dictionary));
  return id;
}

Result<int64_t> ArchiveCore::dictionary_for(std::string_view site, DictionaryKind kind) {
  if (options_.dictionary_min_pages <= 0) return int64_t{0};
  Result<SiteDictionaryState*> state = site_state(site, kind);
  if (!state.ok()) return state.failure();
  if ((*state)->rows >= (*state)->train_at) {
    // Another connection may have trained one meanwhile: count again before spending seconds.
    sites_.erase(std::string(dictionary_kind_name(kind)) + " " + std::string(site));
    state = site_state(site, kind);
    if (!state.ok()) return state.failure();
  }
  SiteDictionaryState& current = **state;
  if (current.rows >= current.train_at) {
    Result<int64_t> trained = train_site_dictionary(site, kind);
    current.train_at = current.rows * (trained.ok() ? 4 : 2);
    if (trained.ok()) current.dictionary_id = *trained;
  }
  ++current.rows;
  if (Status s = load_dictionary(current.dictionary_id); !s.ok()) return s.failure();
  return current.dictionary_id;
}

Result<ArchiveCore::PackedTexts> ArchiveCore::pack_texts(
    std::string_view site, DictionaryKind kind, std::initializer_list<std::string_view> texts) {
  PackedTexts packed;
  Result<int64_t> dictionary_id = dictionary_for(site, kind);
  if (!dictionary_id.ok()) return dictionary_id.failure();
  packed.dictionary_id = *dictionary_id;
  for (std::string_view text : texts) {
    Result<std::string> frame = codec_.compress(text, options_.compression_level, *dictionary_id);
    if (!frame.ok()) return fail(path_ + ": compressing a text: " + frame.error());
    packed.frames.push_back(std::move(*frame));
  }
  return packed;
}

Result<int64_t> ArchiveCore::store_blob(std::string_view site, CaptureKind kind,
                                        std::string_view body, const std::string& digest,
                                        std::string_view url) {
  const std::string doing = "storing the body of " + std::string(url) + " (blob " + digest + ")";
  Result<sql::Statement> find = db_->prepare("SELECT id FROM blobs WHERE digest = provarc_unhex(?)");
  if (!find.ok()) return failed(doing, find.failure());
  find->bind(1, digest);
  Result<bool> found = find->step();
  if (!found.ok()) return failed(doing, found.failure());
  if (*found) return find->int_at(0);

  const bool page = kind == CaptureKind::kPage;
  int64_t dictionary_id = 0;
  if (page) {
    Result<int64_t> chosen = dictionary_for(site, DictionaryKind::kPage);
    if (!chosen.ok()) return chosen.failure();
    dictionary_id = *chosen;
  }
  const int level = page ? options_.compression_level : kOtherLevel;
  Result<std::string> compressed = codec_.compress(body, level, dictionary_id);
  if (!compressed.ok()) return fail(path_ + ": " + doing + ": " + compressed.error());
  // Bodies zstd cannot shrink (JPEG, ZIP) are kept as they are.
  const bool keep_raw = compressed->size() >= body.size();
  Result<sql::Statement> insert = db_->prepare(
      "INSERT INTO blobs (digest, site, kind, raw_size, stored_size, codec, level, dictionary_id,"
      " data) VALUES (provarc_unhex(?), ?, ?, ?, ?, ?, ?, ?, ?)");
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
      "SELECT provarc_hex(digest), raw_size, codec, dictionary_id, data FROM blobs WHERE id = ?");
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
