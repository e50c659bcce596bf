// The Archive's crawl frontier: a persistent queue of URLs per site, idempotent on (site, url)
// and on (site, identity).
//
// Since schema v8 an entry whose identity key is its URL (most of them) stores the identity as ''
// rather than the URL again, and only the other entries are in the unique index over identities
// (frontier_by_identity, partial): measured on the fixture web, that was 110 of the frontier's
// 340 bytes a page. The unique index over URLs still holds every entry; that no two entries share
// an identity when one of them is spelled by its URL is kept here, inside each write's
// transaction: offer() and set_spelling() look for the identity both ways first.
#include "archive/archive.h"
#include "archive/archive_core.h"

namespace provarc {
namespace {

const char* state_name(FrontierState state) {
  switch (state) {
    case FrontierState::kQueued: return "queued";
    case FrontierState::kInProgress: return "in-progress";
    case FrontierState::kDone: return "done";
    case FrontierState::kFailed: return "failed";
  }
  return "queued";
}

FrontierState state_from_name(const std::string& name) {
  for (FrontierState s : {FrontierState::kQueued, FrontierState::kInProgress, FrontierState::kDone,
                          FrontierState::kFailed}) {
    if (name == state_name(s)) return s;
  }
  return FrontierState::kQueued;
}

#define ENTRY_COLUMNS                                                                           \
  " id, site, url, depth, kind, parent_url, priority, not_before, state, attempts, last_error," \
  " CASE identity WHEN '' THEN url ELSE identity END, spelling "

// What frontier.identity holds for identity `key` of an entry at `url`: '' when they are one.
std::string_view stored_identity(std::string_view key, std::string_view url) {
  return key == url ? std::string_view() : key;
}

FrontierEntry entry_from_row(const sql::Statement& st) {
  FrontierEntry e;
  e.id = st.int_at(0);
  e.site = st.text_at(1);
  e.url = st.text_at(2);
  e.depth = static_cast<int>(st.int_at(3));
  e.kind = capture_kind_from_name(st.text_at(4));
  e.parent_url = st.text_at(5);
  e.priority = static_cast<int>(st.int_at(6));
  e.not_before = st.text_at(7);
  e.state = state_from_name(st.text_at(8));
  e.attempts = static_cast<int>(st.int_at(9));
  e.last_error = st.text_at(10);
  e.key = st.text_at(11);
  e.spelling = static_cast<int>(st.int_at(12));
  return e;
}

// Runs one UPDATE of a frontier entry by id in a transaction; fails when there is no such entry.
Status update_entry(ArchiveCore& core, const char* sql, int64_t entry_id,
                    const std::function<void(sql::Statement&)>& bind) {
  const std::string what = "frontier entry " + std::to_string(entry_id);
  return core.transaction([&]() -> Status {
    Result<sql::Statement> stmt = core.db().prepare(sql);
    if (!stmt.ok()) return core.failed("updating " + what, stmt.failure());
    bind(*stmt);
    if (Status s = stmt->run(); !s.ok()) return core.failed("updating " + what, s.failure());
    if (core.db().changes() == 0) return fail(core.path() + ": no " + what);
    return Status::Ok();
  });
}

}  // namespace

namespace {

// The entry of `site` with identity `key`, else the one with URL `url` (an entry from before the
// site's identity rules changed); nullopt when none.
Result<std::optional<FrontierEntry>> existing_entry(ArchiveCore& core, const std::string& site,
                                                    const std::string& key,
                                                    const std::string& url) {
  // The identity stored as such (`identity != ''` lets SQLite use the partial index), or as the
  // URL; then the URL.
  static const char* const kBy[] = {
      "SELECT" ENTRY_COLUMNS "FROM frontier WHERE site = ? AND identity = ? AND identity != ''",
      "SELECT" ENTRY_COLUMNS "FROM frontier WHERE site = ? AND url = ? AND identity = ''",
      "SELECT" ENTRY_COLUMNS "FROM frontier WHERE site = ? AND url = ?"};
  for (int i = 0; i < 3; ++i) {
    Result<sql::Statement> stmt = core.db().prepare(kBy[i]);
    if (!stmt.ok()) return core.failed("reading the frontier", stmt.failure());
    stmt->bind(1, site).bind(2, i < 2 ? key : url);
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed("reading the frontier entry of " + url, row.failure());
    if (*row) return std::optional<FrontierEntry>(entry_from_row(*stmt));
  }
  return std::optional<FrontierEntry>();
}

// Gives entry `id` of `site` the URL `url` and identity `key` unless another entry has either;
// true when it did.
Result<bool> set_spelling(ArchiveCore& core, int64_t id, const std::string& site,
                          std::string_view url, std::string_view key, int spelling) {
  Result<sql::Statement> stmt = core.db().prepare(
      "UPDATE frontier SET url = ?1, spelling = ?2, updated_at = ?3,"
      " identity = CASE WHEN ?6 = ?1 THEN '' ELSE ?6 END WHERE id = ?4"
      " AND NOT EXISTS (SELECT 1 FROM frontier WHERE site = ?5 AND id != ?4"
      "   AND (url = ?1 OR (identity = ?6 AND identity != '') OR (url = ?6 AND identity = '')))");
  if (!stmt.ok()) return core.failed("respelling a frontier entry", stmt.failure());
  stmt->bind(1, url).bind(2, int64_t{spelling}).bind(3, utc_now()).bind(4, id).bind(5, site);
  stmt->bind(6, key);
  if (Status run = stmt->run(); !run.ok()) {
    return core.failed("respelling frontier entry " + std::to_string(id), run.failure());
  }
  return core.db().changes() > 0;
}

// offer() of `entry` when the frontier already has `known` (the same identity or URL): respells
// it when `entry` is a better spelling and it still waits, and queues it again for kRevisit.
Status offered_again(ArchiveCore& core, const FrontierEntry& known, const FrontierEntry& entry,
                     EnqueueMode mode, const std::string& now, FrontierOffer& out) {
  const std::string doing = "enqueueing " + entry.url;
  out.id = known.id;
  out.url = known.url;
  out.state = known.state;
  const bool waiting =
      known.state == FrontierState::kQueued || known.state == FrontierState::kInProgress;
  if (waiting && entry.spelling > known.spelling && entry.url != known.url) {
    auto respelled = set_spelling(core, known.id, entry.site, entry.url, known.key, entry.spelling);
    if (!respelled.ok()) return respelled.failure();
    if (*respelled) {
      out.respelled = true;
      out.url = entry.url;
    }
  }
  if (mode != EnqueueMode::kRevisit) return Status::Ok();
  Result<sql::Statement> requeue = core.db().prepare(
      "UPDATE frontier SET state = 'queued', not_before = ?, priority = ?, attempts = 0,"
      " last_error = NULL, claimed_by = NULL, updated_at = ?"
      " WHERE id = ? AND state IN ('done', 'failed')");
  if (!requeue.ok()) return core.failed(doing, requeue.failure());
  requeue->bind(1, entry.not_before).bind(2, int64_t{entry.priority}).bind(3, now).bind(4, known.id);
  if (Status run = requeue->run(); !run.ok()) return core.failed(doing, run.failure());
  out.requeued = core.db().changes() > 0;
  if (out.requeued) out.state = FrontierState::kQueued;
  return Status::Ok();
}

}  // namespace

Result<FrontierOffer> Archive::offer(const FrontierEntry& entry, EnqueueMode mode) {
  FrontierOffer out;
  const std::string doing = "enqueueing " + entry.url;
  const std::string key = entry.key.empty() ? entry.url : entry.key;
  Status s = core_->transaction([&]() -> Status {
    out = FrontierOffer{};
    const std::string now = utc_now();
    auto found = existing_entry(*core_, entry.site, key, entry.url);
    if (!found.ok()) return found.failure();
    if (*found) return offered_again(*core_, **found, entry, mode, now, out);
    Result<sql::Statement> insert = core_->db().prepare(
        "INSERT INTO frontier (site, url, identity, spelling, depth, kind, parent_url, priority,"
        " not_before, state, enqueued_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)");
    if (!insert.ok()) return core_->failed(doing, insert.failure());
    insert->bind(1, entry.site)
        .bind(2, entry.url)
        .bind(3, stored_identity(key, entry.url))
        .bind(4, int64_t{entry.spelling})
        .bind(5, int64_t{entry.depth})
        .bind(6, std::string_view(capture_kind_name(entry.kind)))
        .bind_or_null(7, entry.parent_url)
        .bind(8, int64_t{entry.priority})
        .bind(9, entry.not_before)
        .bind(10, now)
        .bind(11, now);
    if (Status run = insert->run(); !run.ok()) return core_->failed(doing, run.failure());
    out.added = true;
    out.id = core_->db().last_insert_id();
    out.url = entry.url;
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return out;
}

Result<bool> Archive::enqueue(const FrontierEntry& entry, EnqueueMode mode) {
  auto offered = offer(entry, mode);
  if (!offered.ok()) return offered.failure();
  return offered->added || offered->requeued;
}

Result<bool> Archive::respell(int64_t entry_id, std::string_view url, std::string_view key,
                              int spelling) {
  bool done = false;
  Status s = core_->transaction([&]() -> Status {
    Result<sql::Statement> site = core_->db().prepare("SELECT site FROM frontier WHERE id = ?");
    if (!site.ok()) return core_->failed("respelling a frontier entry", site.failure());
    site->bind(1, entry_id);
    Result<bool> row = site->step();
    if (!row.ok()) return core_->failed("respelling a frontier entry", row.failure());
    if (!*row) return fail(path_ + ": no frontier entry " + std::to_string(entry_id));
    auto set = set_spelling(*core_, entry_id, site->text_at(0), url, key, spelling);
    if (!set.ok()) return set.failure();
    done = *set;
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return done;
}

Result<std::vector<FrontierEntry>> Archive::claim(std::string_view site, std::string_view now,
                                                  int limit, int64_t run_id) {
  std::vector<FrontierEntry> claimed;
  const std::string doing = "claiming frontier entries of site " + std::string(site);
  Status s = core_->transaction([&]() -> Status {
    claimed.clear();
    {
      Result<sql::Statement> select = core_->db().prepare(
          "SELECT" ENTRY_COLUMNS "FROM frontier WHERE site = ? AND state = 'queued'"
          " AND not_before <= ? ORDER BY priority DESC, not_before, id LIMIT ?");
      if (!select.ok()) return core_->failed(doing, select.failure());
      select->bind(1, site).bind(2, now).bind(3, int64_t{limit});
      for (;;) {
        Result<bool> row = select->step();
        if (!row.ok()) return core_->failed(doing, row.failure());
        if (!*row) break;
        claimed.push_back(entry_from_row(*select));
      }
    }
    const std::string stamp = utc_now();
    for (FrontierEntry& e : claimed) {
      Result<sql::Statement> update = core_->db().prepare(
          "UPDATE frontier SET state = 'in-progress', claimed_by = ?, updated_at = ? WHERE id = ?");
      if (!update.ok()) return core_->failed(doing, update.failure());
      if (run_id > 0) update->bind(1, run_id); else update->bind_null(1);
      update->bind(2, stamp).bind(3, e.id);
      if (Status run = update->run(); !run.ok()) return core_->failed(doing, run.failure());
      e.state = FrontierState::kInProgress;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return claimed;
}

Status Archive::mark_done(int64_t entry_id) {
  return update_entry(*core_,
                      "UPDATE frontier SET state = 'done', last_error = NULL, updated_at = ?"
                      " WHERE id = ?",
                      entry_id,
                      [&](sql::Statement& st) { st.bind(1, utc_now()).bind(2, entry_id); });
}

Status Archive::mark_failed(int64_t entry_id, std::string_view error) {
  return update_entry(*core_,
                      "UPDATE frontier SET state = 'failed', attempts = attempts + 1,"
                      " last_error = ?, updated_at = ? WHERE id = ?",
                      entry_id, [&](sql::Statement& st) {
                        st.bind(1, error).bind(2, utc_now()).bind(3, entry_id);
                      });
}

Status Archive::retry_at(int64_t entry_id, std::string_view not_before, std::string_view error) {
  return update_entry(*core_,
                      "UPDATE frontier SET state = 'queued', attempts = attempts + 1,"
                      " not_before = ?, last_error = ?, claimed_by = NULL, updated_at = ?"
                      " WHERE id = ?",
                      entry_id, [&](sql::Statement& st) {
                        st.bind(1, not_before).bind(2, error).bind(3, utc_now()).bind(4, entry_id);
                      });
}

Result<int64_t> Archive::requeue_in_progress() {
  int64_t count = 0;
  Status s = core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "UPDATE frontier SET state = 'queued', claimed_by = NULL, updated_at = ?"
        " WHERE state = 'in-progress'");
    if (!stmt.ok()) return core_->failed("requeueing the frontier", stmt.failure());
    stmt->bind(1, utc_now());
    if (Status run = stmt->run(); !run.ok()) {
      return core_->failed("requeueing the frontier", run.failure());
    }
    count = core_->db().changes();
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return count;
}

Result<std::optional<FrontierEntry>> Archive::frontier_entry(std::string_view site,
                                                             std::string_view url) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT" ENTRY_COLUMNS "FROM frontier WHERE site = ? AND url = ?");
  if (!stmt.ok()) return core_->failed("reading the frontier", stmt.failure());
  stmt->bind(1, site).bind(2, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) {
    return core_->failed("reading the frontier entry of " + std::string(url), row.failure());
  }
  if (!*row) return std::optional<FrontierEntry>();
  return std::optional<FrontierEntry>(entry_from_row(*stmt));
}

Result<FrontierCounts> Archive::frontier_counts(std::string_view site) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT state, count(*) FROM frontier WHERE site = ? GROUP BY state");
  if (!stmt.ok()) return core_->failed("counting the frontier", stmt.failure());
  stmt->bind(1, site);
  FrontierCounts counts;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) {
      return core_->failed("counting the frontier of " + std::string(site), row.failure());
    }
    if (!*row) return counts;
    int64_t n = stmt->int_at(1);
    switch (state_from_name(stmt->text_at(0))) {
      case FrontierState::kQueued: counts.queued = n; break;
      case FrontierState::kInProgress: counts.in_progress = n; break;
      case FrontierState::kDone: counts.done = n; break;
      case FrontierState::kFailed: counts.failed = n; break;
    }
  }
}

Result<std::vector<FrontierEntry>> Archive::stale_pages(std::string_view site,
                                                        std::string_view before, int64_t after_id,
                                                        int limit) {
  const std::string doing = "finding the pages of site " + std::string(site) + " to revalidate";
  // The latest capture decides, as for the crawler's own revisit check (latest_capture).
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT" ENTRY_COLUMNS "FROM frontier f WHERE site = ?1 AND state = 'done' AND kind = 'page'"
      " AND id > ?3 AND (SELECT max(c.fetched_at) FROM captures c"
      " WHERE c.url_key = provarc_url_key(f.url) AND c.url = f.url) < ?2"
      " ORDER BY id LIMIT ?4");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, site).bind(2, before).bind(3, after_id).bind(4, int64_t{limit});
  std::vector<FrontierEntry> entries;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed(doing, row.failure());
    if (!*row) return entries;
    entries.push_back(entry_from_row(*stmt));
  }
}

}  // namespace provarc
