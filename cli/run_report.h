// cli/run_report.h: what a run did, as `provarc runs` lists it and `provarc crawl --report FILE`
// writes it; and the template check, which compares a site's crawl with its earlier ones.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "cli/ingest.h"

namespace provarc {

// The template check. A crawl of a site is suspected of a template change when, among at least
// kTemplateMinPages article pages it extracted:
//  - with a history (earlier runs that extracted kTemplateMinPages pages or more in all, the last
//    kTemplateHistoryRuns of them): the share of suspect pages (body rules matched nothing, or no
//    title, or no date, or a field the rules cover decided by a generic finder: Provenance
//    "fallback:") is kTemplateJump or more above the history's share;
//  - without one (a first crawl): half or more of the pages matched no body rule (a site whose
//    pages never print a date is not flagged on its first run; it has no "before" yet).
inline constexpr int64_t kTemplateMinPages = 4;
inline constexpr int kTemplateHistoryRuns = 5;
inline constexpr double kTemplateJump = 0.3;
inline constexpr size_t kTemplateExamples = 5;

// Adds the article page `url`, just ingested with `outcome`, to `counts`' template health:
// parsed, body_missed (extraction failed, or fell back to the generic finder although the site
// has body rules), missing_fields (no title or no published date), fallback_fields (the
// article's provenance names a "fallback:" field), suspect, examples. Pages that
// were not parsed (304, errors, non-articles) are ignored.
void tally_template(RunSiteCounts& counts, const IngestOutcome& outcome, bool site_has_body_rules,
                    const std::string& url);

// True when `counts` looks like a template change against `history` (earlier runs of the same
// site, newest first; see above).
bool template_seems_changed(const RunSiteCounts& counts,
                            const std::vector<RunSiteCounts>& history);

// What a run came to: "not ended" (running, or killed), "failed" (it ended on an error, recorded
// as its counts' "error"), "template changed?", "partial" (stopped, or some URLs failed),
// "unfinished" (a page budget or time limit left work queued), "ok".
std::string run_status(const RunRecord& run);

// Ends run `run_id` as failed: its counts are {"error": error}, so that `provarc runs` says
// "failed" instead of "not ended". Best effort: the archive may be what failed.
void end_failed_run(Archive& archive, int64_t run_id, const std::string& error);

// The exit code `provarc crawl` gives a run of that status (cli/commands.h); -1 for "not ended".
int exit_code_for_status(const std::string& status);

// The run as one JSON object: run, kind, started_at, ended_at, duration_ms, status, exit_code,
// sites (crawl runs: one object per site with its counts and a "template" object), counts (what
// the run recorded at its end), template_changed (ids of the suspected sites).
nlohmann::ordered_json run_to_json(const RunRecord& run);

// The run for humans: a header line, a table of its sites' counts (crawl runs) or its counts
// (other runs), and a "template changed?" line per suspected site naming example URLs.
std::string run_to_text(const RunRecord& run);

// The columns that `provarc crawl`'s summary and `provarc runs` show for every site (site,
// fetched, new, changed, unchanged, gone, errors, failed, bytes) at fixed widths, without a line
// end: their headings, and one site's.
std::string site_counts_headings();
std::string site_counts_columns(const SiteProgress& site);

// "template changed? <site>: 4 of 5 article pages matched no body rule or lack a title or date;
// e.g. <url>, <url>" for a suspected site; "" otherwise.
std::string template_note(const RunSiteCounts& counts);

// "<site>: guards refused step 4, alias_shape 3; 31 URLs of known resources not fetched, 5
// aliases; learned session parameter sid on host (evidence)" when the run's identity work on the
// site is worth a line; "" otherwise.
std::string identity_note(const SiteProgress& counts);

// "950 B", "12.3 KB", "4.1 MB" (powers of 1000).
std::string human_bytes(int64_t bytes);

// "850 ms", "12.3 s", "4 min 05 s".
std::string human_duration(int64_t ms);

}  // namespace provarc
