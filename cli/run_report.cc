#include "cli/run_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "common/identity.h"
#include "common/time.h"

namespace provarc {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The run's length from its recorded times; -1 when it has not ended (or a time is unreadable).
int64_t run_duration_ms(const RunRecord& run) {
  auto started = parse_utc(run.started_at);
  auto ended = parse_utc(run.ended_at);
  if (!started || !ended) return -1;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*ended - *started).count();
}

// The object end_run() recorded; an empty object when there is none or it is not JSON.
OrderedJson recorded_counts(const RunRecord& run) {
  OrderedJson counts = OrderedJson::parse(run.counts_json, nullptr, /*allow_exceptions=*/false);
  return counts.is_object() ? counts : OrderedJson::object();
}

bool run_was_stopped(const RunRecord& run) {
  OrderedJson counts = recorded_counts(run);
  return counts.contains("stopped") && counts["stopped"].is_boolean() &&
         counts["stopped"].get<bool>();
}

// Every guard of common/identity.h, with the URLs it refused (0 when none).
OrderedJson guards_to_json(const std::map<std::string, int64_t>& refused) {
  OrderedJson guards = OrderedJson::object();
  for (const char* name : kTrapGuards) {
    auto it = refused.find(name);
    guards[name] = it == refused.end() ? 0 : it->second;
  }
  for (const auto& [name, count] : refused) {
    if (!guards.contains(name)) guards[name] = count;
  }
  return guards;
}

OrderedJson sessions_to_json(const std::vector<LearnedSession>& sessions) {
  OrderedJson out = OrderedJson::array();
  for (const LearnedSession& s : sessions) {
    out.push_back({{"host", s.host},
                   {"param", s.param},
                   {"path_param", s.path_param},
                   {"evidence", s.evidence}});
  }
  return out;
}

OrderedJson site_to_json(const RunSiteCounts& c) {
  return OrderedJson{
      {"site", c.site},
      {"fetched", c.fetched},
      {"pages", c.pages},
      {"new", c.new_articles},
      {"changed", c.changed},
      {"unchanged", c.unchanged},
      {"not_modified", c.not_modified},
      {"gone", c.gone},
      {"errors", c.errors},
      {"failed", c.failed},
      {"bytes", c.bytes},
      {"duration_ms", c.duration_ms},
      {"finished", c.finished},
      {"guards", guards_to_json(c.refused)},
      {"sessions", sessions_to_json(c.sessions)},
      {"collapsed", c.collapsed},
      {"aliases", c.aliases},
      {"template",
       {{"parsed", c.parsed},
        {"body_missed", c.body_missed},
        {"missing_fields", c.missing_fields},
        {"fallback_fields", c.fallback_fields},
        {"suspect", c.suspect},
        {"changed", c.template_changed},
        {"examples", c.examples}}}};
}

std::string site_table(const std::vector<RunSiteCounts>& sites) {
  std::ostringstream out;
  char duration[32];
  std::snprintf(duration, sizeof duration, " %10s\n", "duration");
  out << "  " << site_counts_headings() << duration;
  for (const RunSiteCounts& c : sites) {
    std::snprintf(duration, sizeof duration, " %10s\n", human_duration(c.duration_ms).c_str());
    out << "  " << site_counts_columns(c) << duration;
  }
  return out.str();
}

// "examined 10, changed 2" from a run's recorded counts (import, reparse).
std::string counts_line(const RunRecord& run) {
  std::string line;
  const OrderedJson counts = recorded_counts(run);
  for (const auto& [key, value] : counts.items()) {
    if (!value.is_number()) continue;
    line += (line.empty() ? "" : ", ") + key + " " + value.dump();
  }
  return line;
}

}  // namespace

void end_failed_run(Archive& archive, int64_t run_id, const std::string& error) {
  (void)archive.end_run(run_id, OrderedJson{{"error", error}}.dump(
                                    -1, ' ', false, OrderedJson::error_handler_t::replace));
}

void tally_template(RunSiteCounts& counts, const IngestOutcome& outcome, bool site_has_body_rules,
                    const std::string& url) {
  if (!was_parsed(outcome.change)) return;
  ++counts.parsed;
  bool failed = outcome.change == ArticleChange::kFailed;
  // The extractor's trace says which fields its rules should have given and a generic finder had
  // to (Provenance "fallback:"): a site without body rules (the generic preset) always uses the
  // generic body finder, which is no sign of change.
  const std::string& body = outcome.provenance.body;
  bool body_missed =
      failed || (site_has_body_rules && body.rfind("fallback:", 0) == 0);
  bool missing_fields = !failed && (!outcome.has_title || !outcome.has_published);
  bool fallback = !failed && !outcome.provenance.fallbacks().empty();
  counts.body_missed += body_missed;
  counts.missing_fields += missing_fields;
  counts.fallback_fields += fallback;
  if (body_missed || missing_fields || fallback) {
    ++counts.suspect;
    if (counts.examples.size() < kTemplateExamples) counts.examples.push_back(url);
  }
}

bool template_seems_changed(const RunSiteCounts& counts,
                            const std::vector<RunSiteCounts>& history) {
  if (counts.parsed < kTemplateMinPages) return false;
  int64_t parsed_before = 0;
  int64_t suspect_before = 0;
  for (size_t i = 0; i < history.size() && i < kTemplateHistoryRuns; ++i) {
    parsed_before += history[i].parsed;
    suspect_before += history[i].suspect;
  }
  if (parsed_before < kTemplateMinPages) return counts.body_missed * 2 >= counts.parsed;
  double share = static_cast<double>(counts.suspect) / static_cast<double>(counts.parsed);
  double share_before = static_cast<double>(suspect_before) / static_cast<double>(parsed_before);
  return share - share_before >= kTemplateJump;
}

std::string run_status(const RunRecord& run) {
  if (run.ended_at.empty()) return "not ended";
  if (recorded_counts(run).contains("error")) return "failed";
  bool failed = run_was_stopped(run);
  bool unfinished = false;
  for (const RunSiteCounts& c : run.site_counts) {
    if (c.template_changed) return "template changed?";
    failed = failed || c.failed > 0;
    unfinished = unfinished || !c.finished;
  }
  if (failed) return "partial";
  return unfinished ? "unfinished" : "ok";
}

int exit_code_for_status(const std::string& status) {
  if (status == "not ended") return -1;
  if (status == "failed") return kExitFailure;
  if (status == "template changed?") return kExitTemplate;
  if (status == "partial") return kExitPartial;
  return kExitOk;  // ok, and unfinished: the next run goes on where this one stopped
}

OrderedJson run_to_json(const RunRecord& run) {
  std::string status = run_status(run);
  int exit_code = exit_code_for_status(status);
  int64_t duration = run_duration_ms(run);
  OrderedJson sites = OrderedJson::array();
  OrderedJson suspected = OrderedJson::array();
  for (const RunSiteCounts& c : run.site_counts) {
    sites.push_back(site_to_json(c));
    if (c.template_changed) suspected.push_back(c.site);
  }
  OrderedJson json;
  json["run"] = run.id;
  json["kind"] = run.kind;
  json["started_at"] = run.started_at;
  json["ended_at"] = run.ended_at.empty() ? OrderedJson() : OrderedJson(run.ended_at);
  json["duration_ms"] = duration < 0 ? OrderedJson() : OrderedJson(duration);
  json["status"] = status;
  json["exit_code"] = exit_code < 0 ? OrderedJson() : OrderedJson(exit_code);
  json["sites"] = sites;
  json["counts"] = recorded_counts(run);
  json["template_changed"] = suspected;
  return json;
}

std::string run_to_text(const RunRecord& run) {
  std::ostringstream out;
  int64_t duration = run_duration_ms(run);
  out << "run " << run.id << "  " << run.kind << "  started " << run.started_at << "  "
      << (duration < 0 ? std::string("not ended") : "took " + human_duration(duration)) << "  "
      << run_status(run) << "\n";
  if (run.site_counts.empty()) {
    std::string counts = counts_line(run);
    if (!counts.empty()) out << "  " << counts << "\n";
    return out.str();
  }
  out << site_table(run.site_counts);
  for (const RunSiteCounts& c : run.site_counts) {
    for (const std::string& note : {identity_note(c), template_note(c)}) {
      if (!note.empty()) out << "  " << note << "\n";
    }
  }
  return out.str();
}

std::string site_counts_headings() {
  char line[128];
  std::snprintf(line, sizeof line, "%-16s %8s %6s %8s %10s %6s %7s %7s %10s", "site", "fetched",
                "new", "changed", "unchanged", "gone", "errors", "failed", "bytes");
  return line;
}

std::string site_counts_columns(const SiteProgress& p) {
  char line[256];
  std::snprintf(line, sizeof line, "%-16.16s %8lld %6lld %8lld %10lld %6lld %7lld %7lld %10s",
                p.site.c_str(), static_cast<long long>(p.fetched),
                static_cast<long long>(p.new_articles), static_cast<long long>(p.changed),
                static_cast<long long>(p.unchanged), static_cast<long long>(p.gone),
                static_cast<long long>(p.errors), static_cast<long long>(p.failed),
                human_bytes(p.bytes).c_str());
  return line;
}

std::string identity_note(const SiteProgress& c) {
  std::string note;
  std::string guards;
  for (const auto& [guard, count] : c.refused) {
    if (count > 0) guards += (guards.empty() ? "" : ", ") + guard + " " + std::to_string(count);
  }
  if (!guards.empty()) note += "guards refused " + guards;
  if (c.collapsed > 0 || c.aliases > 0) {
    note += (note.empty() ? "" : "; ") + std::to_string(c.collapsed) + " URLs of known resources " +
            "not fetched, " + std::to_string(c.aliases) + " aliases";
  }
  for (const LearnedSession& s : c.sessions) {
    note += (note.empty() ? "" : "; ") + std::string("learned session parameter ") + s.param +
            " on " + s.host + " (" + s.evidence + ")";
  }
  return note.empty() ? "" : c.site + ": " + note;
}

std::string template_note(const RunSiteCounts& c) {
  if (!c.template_changed) return "";
  std::string note = "template changed? " + c.site + ": " + std::to_string(c.suspect) + " of " +
                     std::to_string(c.parsed) +
                     " article pages matched no body rule, needed a fallback or lack a title or date";
  for (size_t i = 0; i < c.examples.size(); ++i) {
    note += (i == 0 ? "; e.g. " : ", ") + c.examples[i];
  }
  return note;
}

std::string human_bytes(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int u = 0;
  while (value >= 1000 && u < 4) {
    value /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", value, units[u]);
  return buf;
}

std::string human_duration(int64_t ms) {
  char buf[48];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ms));
  } else if (ms < 60 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000);
  } else {
    long long seconds = ms / 1000;
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", seconds / 60, seconds % 60);
  }
  return buf;
}

}  // namespace provarc
