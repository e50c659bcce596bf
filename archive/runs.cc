// The Archive's run records: per-site counts of crawl runs (run_sites), read back by `provarc runs`
// and by the template check, which compares a site's run with its earlier ones.
#include <map>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/archive_core.h"

namespace provarc {
namespace {

using Json = nlohmann::json;

// The columns of a RunSiteCounts, in the order site_counts_from_row() reads them.
#define RUN_SITE_COLUMNS                                                                       \
  " site, fetched, pages, new_articles, changed, unchanged, not_modified, gone, errors, failed," \
  " bytes, duration_ms, finished, parsed, body_missed, missing_fields, suspect,"                \
  " template_changed, examples, fallback_fields, guards, sessions, collapsed, aliases "
// How many columns RUN_SITE_COLUMNS names: what a query selects after them starts at this index.
constexpr int kRunSiteColumnCount = 24;

// A JSON array of strings; anything else (a damaged or hand-edited row) reads as empty.
std::vector<std::string> strings_from_json(const std::string& text) {
  std::vector<std::string> out;
  Json array = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return out;
  for (const Json& item : array) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string strings_to_json(const std::vector<std::string>& items) {
  // URLs come from the network: invalid UTF-8 is replaced, never thrown on.
  return Json(items).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// {"guard": count, ...}; anything else reads as empty.
std::map<std::string, int64_t> counts_from_json(const std::string& text) {
  std::map<std::string, int64_t> out;
  Json object = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items()) {
    if (value.is_number_integer()) out[key] = value.get<int64_t>();
  }
  return out;
}

std::string counts_to_json(const std::map<std::string, int64_t>& counts) {
  return Json(counts).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<LearnedSession> sessions_from_json(const std::string& text) {
  std::vector<LearnedSession> out;
  Json array = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return out;
  for (const Json& item : array) {
    if (!item.is_object()) continue;
    LearnedSession s;
    s.host = item.value("host", "");
    s.param = item.value("param", "");
    s.path_param = item.value("path_param", false);
    s.evidence = item.value("evidence", "");
    s.learned_at = item.value("learned_at", "");
    out.push_back(std::move(s));
  }
  return out;
}

std::string sessions_to_json(const std::vector<LearnedSession>& sessions) {
  Json array = Json::array();
  for (const LearnedSession& s : sessions) {
    array.push_back({{"host", s.host},
                     {"param", s.param},
                     {"path_param", s.path_param},
                     {"evidence", s.evidence},
                     {"learned_at", s.learned_at}});
  }
  return array.dump(-1, ' ', false, Json::error_handler_t::replace);
}

RunSiteCounts site_counts_from_row(const sql::Statement& st) {
  RunSiteCounts c;
  c.site = st.text_at(0);
  c.fetched = st.int_at(1);
  c.pages = st.int_at(2);
  c.new_articles = st.int_at(3);
  c.changed = st.int_at(4);
  c.unchanged = st.int_at(5);
  c.not_modified = st.int_at(6);
  c.gone = st.int_at(7);
  c.errors = st.int_at(8);
  c.failed = st.int_at(9);
  c.bytes = st.int_at(10);
  c.duration_ms = st.int_at(11);
  c.finished = st.int_at(12) != 0;
  c.parsed = st.int_at(13);
  c.body_missed = st.int_at(14);
  c.missing_fields = st.int_at(15);
  c.suspect = st.int_at(16);
  c.template_changed = st.int_at(17) != 0;
  c.examples = strings_from_json(st.text_at(18));
  c.fallback_fields = st.int_at(19);
  c.refused = counts_from_json(st.text_at(20));
  c.sessions = sessions_from_json(st.text_at(21));
  c.collapsed = st.int_at(22);
  c.aliases = st.int_at(23);
  return c;
}

// Reads every row `stmt` (bound by the caller) returns as RunSiteCounts.
Result<std::vector<RunSiteCounts>> read_site_counts(ArchiveCore& core, sql::Statement& stmt,
                                                    const std::string& doing) {
  std::vector<RunSiteCounts> out;
  for (;;) {
    Result<bool> row = stmt.step();
    if (!row.ok()) return core.failed(doing, row.failure());
    if (!*row) return out;
    out.push_back(site_counts_from_row(stmt));
  }
}

Status fill_site_counts(ArchiveCore& core, RunRecord& run) {
  const std::string doing = "reading the counts of run " + std::to_string(run.id);
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT" RUN_SITE_COLUMNS "FROM run_sites WHERE run_id = ? ORDER BY site");
  if (!stmt.ok()) return core.failed(doing, stmt.failure());
  stmt->bind(1, run.id);
  Result<std::vector<RunSiteCounts>> counts = read_site_counts(core, *stmt, doing);
  if (!counts.ok()) return counts.failure();
  run.site_counts = std::move(*counts);
  return Status::Ok();
}

#define RUN_COLUMNS " id, kind, started_at, ended_at, sites, counts "

RunRecord run_from_row(const sql::Statement& st) {
  RunRecord run;
  run.id = st.int_at(0);
  run.kind = st.text_at(1);
  run.started_at = st.text_at(2);
  run.ended_at = st.text_at(3);
  run.sites = strings_from_json(st.text_at(4));
  run.counts_json = st.text_at(5);
  return run;
}

}  // namespace

Status fill_last_crawls(ArchiveCore& core, std::map<std::string, SiteSummary>& sites) {
  // Each site's newest run_sites row (run_sites_by_site finds it), with its run's times.
  return add_site_rows(
      core,
      "SELECT" RUN_SITE_COLUMNS ", runs.id, runs.started_at, runs.ended_at"
      " FROM run_sites JOIN runs ON runs.id = run_sites.run_id"
      " WHERE run_id = (SELECT max(run_id) FROM run_sites later WHERE later.site = run_sites.site)",
      "reading the sites' last crawls", sites, [](SiteSummary& site, const sql::Statement& st) {
        site.last_crawl = site_counts_from_row(st);
        site.last_crawl_run = st.int_at(kRunSiteColumnCount);
        site.last_crawl_started_at = st.text_at(kRunSiteColumnCount + 1);
        site.last_crawl_ended_at = st.text_at(kRunSiteColumnCount + 2);
      });
}

Status Archive::record_run_site(int64_t run_id, const RunSiteCounts& c) {
  const std::string doing = "recording the counts of site " + c.site + " in run " +
                            std::to_string(run_id);
  return core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "INSERT OR REPLACE INTO run_sites (run_id," RUN_SITE_COLUMNS ")"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, run_id)
        .bind(2, c.site)
        .bind(3, c.fetched)
        .bind(4, c.pages)
        .bind(5, c.new_articles)
        .bind(6, c.changed)
        .bind(7, c.unchanged)
        .bind(8, c.not_modified)
        .bind(9, c.gone)
        .bind(10, c.errors)
        .bind(11, c.failed)
        .bind(12, c.bytes)
        .bind(13, c.duration_ms)
        .bind(14, int64_t{c.finished})
        .bind(15, c.parsed)
        .bind(16, c.body_missed)
        .bind(17, c.missing_fields)
        .bind(18, c.suspect)
        .bind(19, int64_t{c.template_changed})
        .bind(20, strings_to_json(c.examples))
        .bind(21, c.fallback_fields)
        .bind(22, counts_to_json(c.refused))
        .bind(23, sessions_to_json(c.sessions))
        .bind(24, c.collapsed)
        .bind(25, c.aliases);
    if (Status s = stmt->run(); !s.ok()) {
      // The foreign key names no run (SQLITE_CONSTRAINT_FOREIGNKEY): say so rather than quote
      // SQLite.
      if (s.code() == ErrorCode::kNotFound) {
        return fail(ErrorCode::kNotFound, path_ + ": no run " + std::to_string(run_id));
      }
      return core_->failed(doing, s.failure());
    }
    return Status::Ok();
  });
}

Result<RunRecord> Archive::run(int64_t run_id) {
  const std::string doing = "reading run " + std::to_string(run_id);
  Result<sql::Statement> stmt = core_->db().prepare("SELECT" RUN_COLUMNS "FROM runs WHERE id = ?");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, run_id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed(doing, row.failure());
  if (!*row) return fail(ErrorCode::kNotFound, path_ + ": no run " + std::to_string(run_id));
  RunRecord run = run_from_row(*stmt);
  if (Status s = fill_site_counts(*core_, run); !s.ok()) return s.failure();
  return run;
}

Result<std::vector<RunRecord>> Archive::recent_runs(int limit, int64_t before_run_id) {
  const std::string doing = "listing runs";
  std::vector<RunRecord> runs;
  {
    Result<sql::Statement> stmt = core_->db().prepare(
        "SELECT" RUN_COLUMNS "FROM runs WHERE ?2 <= 0 OR id < ?2 ORDER BY id DESC LIMIT ?1");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, int64_t{limit}).bind(2, before_run_id);
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row.ok()) return core_->failed(doing, row.failure());
      if (!*row) break;
      runs.push_back(run_from_row(*stmt));
    }
  }
  for (RunRecord& run : runs) {
    if (Status s = fill_site_counts(*core_, run); !s.ok()) return s.failure();
  }
  return runs;
}

Result<std::vector<RunSiteCounts>> Archive::site_history(std::string_view site,
                                                         int64_t before_run_id, int limit) {
  const std::string doing = "reading the earlier runs of site " + std::string(site);
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT" RUN_SITE_COLUMNS "FROM run_sites JOIN runs ON runs.id = run_sites.run_id"
      " WHERE site = ? AND run_id < ? AND parsed > 0 AND runs.ended_at IS NOT NULL"
      " ORDER BY run_id DESC LIMIT ?");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, site).bind(2, before_run_id).bind(3, int64_t{limit});
  return read_site_counts(*core_, *stmt, doing);
}

}  // namespace provarc
