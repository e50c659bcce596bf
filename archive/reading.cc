// The Archive's read queries for readers (the web reader, web/): sites with their counts and last
// crawl, a site's articles by date, an article, a URL's captures.
#include <map>

#include "archive/archive.h"
#include "archive/archive_core.h"

namespace provarc {
namespace {

// The columns of an ArticleSummary, in the order summary_from_row() reads them.
#define SUMMARY_COLUMNS                                                                      \
  " a.id, a.url, a.site, a.registered_at, a.version_count, a.latest_version_id, v.title," \
  " v.published, a.gone_at, a.gone_status"                                                 \
  " FROM articles a LEFT JOIN article_versions v ON v.id = a.latest_version_id "

ArticleSummary summary_from_row(const sql::Statement& st) {
  ArticleSummary a;
  a.id = st.int_at(0);
  a.url = st.text_at(1);
  a.site = st.text_at(2);
  a.registered_at = st.text_at(3);
  a.version_count = static_cast<int>(st.int_at(4));
  a.latest_version_id = st.is_null(5) ? 0 : st.int_at(5);
  a.title = st.text_at(6);
  a.published = st.optional_text_at(7);
  if (!st.is_null(8)) a.gone = GoneMark{st.text_at(8), static_cast<int>(st.int_at(9))};
  return a;
}

Result<std::vector<SiteSummary>> read_site_summaries(ArchiveCore& core) {
  std::map<std::string, SiteSummary> sites;
  const std::string_view doing = "counting the sites' articles and captures";
  Status s = add_site_rows(
      core, "SELECT site, count(*), sum(version_count), count(gone_at) FROM articles GROUP BY site",
      doing, sites, [](SiteSummary& site, const sql::Statement& st) {
        site.articles = st.int_at(1);
        site.versions = st.int_at(2);
        site.gone = st.int_at(3);
      });
  if (!s.ok()) return s.failure();
  // captures_by_site covers this count: the index is read, not the table.
  s = add_site_rows(core, "SELECT site, count(*) FROM captures GROUP BY site", doing, sites,
                    [](SiteSummary& site, const sql::Statement& st) {
                      site.captures = st.int_at(1);
                    });
  if (!s.ok()) return s.failure();
  if (Status last = fill_last_crawls(core, sites); !last.ok()) return last.failure();
  std::vector<SiteSummary> out;
  for (auto& [id, site] : sites) out.push_back(std::move(site));
  return out;
}

}  // namespace

Status add_site_rows(ArchiveCore& core, const char* sql, std::string_view doing,
                     std::map<std::string, SiteSummary>& sites,
                     void (*apply)(SiteSummary&, const sql::Statement&)) {
  Result<sql::Statement> stmt = core.db().prepare(sql);
  if (!stmt.ok()) return core.failed(doing, stmt.failure());
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed(doing, row.failure());
    if (!*row) return Status::Ok();
    SiteSummary& site = sites[stmt->text_at(0)];
    site.site = stmt->text_at(0);
    apply(site, *stmt);
  }
}

Result<std::vector<SiteSummary>> Archive::site_summaries() {
  // One read transaction: the counts see the same snapshot while a crawl writes.
  if (Status s = core_->db().exec("BEGIN"); !s.ok()) {
    return core_->failed("reading the sites", s.failure());
  }
  Result<std::vector<SiteSummary>> sites = read_site_summaries(*core_);
  (void)core_->db().exec(sites.ok() ? "COMMIT" : "ROLLBACK");
  return sites;
}

Result<ArticlePage> Archive::site_articles(std::string_view site, int64_t offset, int limit) {
  const std::string doing = "listing the articles of site " + std::string(site);
  ArticlePage page;
  {
    Result<sql::Statement> count =
        core_->db().prepare("SELECT count(*) FROM articles WHERE site = ?");
    if (!count.ok()) return core_->failed(doing, count.failure());
    count->bind(1, site);
    Result<bool> row = count->step();
    if (!row.ok()) return core_->failed(doing, row.failure());
    page.total = count->int_at(0);
  }
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT" SUMMARY_COLUMNS "WHERE a.site = ?1"
      " ORDER BY v.published IS NULL, v.published DESC, a.id DESC LIMIT ?2 OFFSET ?3");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, site).bind(2, int64_t{limit}).bind(3, offset);
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed(doing, row.failure());
    if (!*row) return page;
    page.articles.push_back(summary_from_row(*stmt));
  }
}

Result<std::optional<ArticleSummary>> Archive::article(int64_t article_id) {
  const std::string doing = "reading article " + std::to_string(article_id);
  Result<sql::Statement> stmt = core_->db().prepare("SELECT" SUMMARY_COLUMNS "WHERE a.id = ?");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, article_id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed(doing, row.failure());
  if (!*row) return std::optional<ArticleSummary>();
  return std::optional<ArticleSummary>(summary_from_row(*stmt));
}

Result<std::vector<StoredCapture>> Archive::captures_of(std::string_view url, int limit) {
  const std::string doing = "listing the captures of " + std::string(url);
  std::vector<int64_t> ids;
  {
    Result<sql::Statement> stmt = core_->db().prepare(
        "SELECT id FROM captures WHERE url_key = provarc_url_key(?1) AND url = ?1"
        " ORDER BY fetched_at DESC, id DESC LIMIT ?2");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, url).bind(2, int64_t{limit});
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row.ok()) return core_->failed(doing, row.failure());
      if (!*row) break;
      ids.push_back(stmt->int_at(0));
    }
  }
  std::vector<StoredCapture> out;
  for (int64_t id : ids) {
    Result<StoredCapture> capture = this->capture(id, /*with_body=*/false);
    if (!capture.ok()) return capture.failure();
    out.push_back(std::move(*capture));
  }
  return out;
}

Result<int64_t> Archive::latest_body_capture(std::string_view url) {
  const std::string doing = "finding the latest capture of " + std::string(url);
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT id FROM captures WHERE url_key = provarc_url_key(?1) AND url = ?1"
      " AND outcome = 'ok' AND status BETWEEN 200 AND 299"
      " AND blob_id IS NOT NULL ORDER BY fetched_at DESC, id DESC LIMIT 1");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed(doing, row.failure());
  return *row ? stmt->int_at(0) : int64_t{0};
}

}  // namespace provarc
