// The archive's subcommands: import, reparse, show, history, export, stats, compact. Each is a
// thin function over archive/ and cli/ingest.h.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/text_diff.h"
#include "cli/commands.h"
#include "cli/ingest.h"
#include "cli/rules.h"
#include "cli/run_report.h"
#include "common/ascii.h"
#include "common/digest.h"
#include "common/url.h"

namespace provarc {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Prints "provarc <command>: <message>" on stderr and returns `code`.
int report(const char* command, const std::string& message, int code = kExitFailure) {
  std::cerr << "provarc " << command << ": " << message << "\n";
  return code;
}

Result<std::unique_ptr<Archive>> open_for_reading(const GlobalOptions& global) {
  return Archive::open(global.db_path, ArchiveOptions{.read_only = true});
}

Result<std::unique_ptr<Archive>> open_for_writing(const GlobalOptions& global, bool create) {
  return Archive::open(global.db_path, ArchiveOptions{.create = create});
}

// Progress goes to stderr only when a person is watching it.
bool show_progress() { return isatty(STDERR_FILENO) == 1; }

std::string counts_json(const std::vector<std::pair<const char*, int64_t>>& counts) {
  OrderedJson j = OrderedJson::object();
  for (const auto& [name, value] : counts) j[name] = value;
  return j.dump();
}

// Reports a failure of a run in progress, ends the run as failed (`provarc runs` then says so
// instead of "not ended"), and returns kExitFailure.
int end_failed(Archive& archive, int64_t run_id, const char* command, const std::string& error) {
  end_failed_run(archive, run_id, error);
  return report(command, error);
}

// ---- import

struct ImportOptions {
  std::string site;
  std::vector<std::string> urls;
  std::string url_prefix;
  std::string content_type;
  std::string fetched_at;
  bool no_parse = false;
  std::vector<std::string> files;
};

Result<std::string> read_local_file(const std::string& path, int64_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(path + ": cannot read: " + ec.message());
  if (static_cast<int64_t>(size) > max_bytes) {
    return fail(path + ": " + std::to_string(size) + " bytes, more than the site's " +
                "max_body_bytes (" + std::to_string(max_bytes) + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open");
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return fail(path + ": read error");
  return data.str();
}

// The URL each file is imported as: --url given once per file, or --url-prefix + file name.
Result<std::vector<std::string>> import_urls(const ImportOptions& opts) {
  std::vector<std::string> urls;
  if (!opts.url_prefix.empty()) {
    for (const std::string& file : opts.files) {
      urls.push_back(opts.url_prefix + std::filesystem::path(file).filename().string());
    }
  } else if (opts.urls.size() == opts.files.size()) {
    urls = opts.urls;
  } else {
    return fail("give one --url per FILE (" + std::to_string(opts.urls.size()) + " --url for " +
                std::to_string(opts.files.size()) + " files), or --url-prefix");
  }
  for (const std::string& url : urls) {
    Result<UrlParts> parts = parse_url(url);
    if (!parts.ok()) return fail("--url: " + parts.error());
  }
  return urls;
}

// --fetched-at in the archive's one time format: "2023-04-12T03:00:00Z" gains ".000"; anything
// else fails, since capture times are compared as strings.
Result<std::string> capture_time(const std::string& given) {
  if (given.empty()) return utc_now();
  static const std::regex kIso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z)");
  if (!std::regex_match(given, kIso)) {
    return fail("--fetched-at " + given + ": expected UTC ISO 8601 such as 2023-04-12T03:00:00Z");
  }
  return given.size() == 20 ? given.substr(0, 19) + ".000Z" : given;
}

Capture local_capture(const ImportOptions& opts, const std::string& url, std::string body,
                      const std::string& fetched_at) {
  Capture c;
  c.url = url;
  c.site = opts.site;
  c.kind = CaptureKind::kPage;
  c.fetched_at = fetched_at;
  c.outcome = CaptureOutcome::kOk;
  c.status = 200;
  if (!opts.content_type.empty()) c.response_headers.push_back({"Content-Type", opts.content_type});
  c.body = std::move(body);
  return c;
}

// True when the URL's latest capture already holds exactly these bytes: re-running an import
// (after a kill, or by mistake) then adds nothing.
Result<bool> already_stored(Archive& archive, const std::string& url, const std::string& body) {
  Result<std::optional<StoredCapture>> latest = archive.latest_capture(url, false);
  if (!latest.ok()) return latest.failure();
  return latest->has_value() && (*latest)->payload_digest == sha256_hex(body);
}

// Stores a capture and registers its URL as an article, without parsing (`import --no-parse`).
Status store_unparsed(Archive& archive, const Capture& capture, int64_t run_id) {
  return archive.transaction([&]() -> Status {
    Result<int64_t> id = archive.store_capture(capture, run_id);
    if (!id.ok()) return id.failure();
    Result<int64_t> article = archive.ensure_article(capture.site, capture.url);
    return article.ok() ? Status::Ok() : Status(article.failure());
  });
}

int run_import(const ImportOptions& opts, const GlobalOptions& global) {
  Result<SiteConfig> site = site_by_id(global, opts.site);
  if (!site.ok()) return report("import", site.error(), kExitUsage);
  Result<std::vector<std::string>> urls = import_urls(opts);
  if (!urls.ok()) return report("import", urls.error(), kExitUsage);
  Result<std::string> fetched_at = capture_time(opts.fetched_at);
  if (!fetched_at.ok()) return report("import", fetched_at.error(), kExitUsage);
  Result<std::unique_ptr<Archive>> archive = open_for_writing(global, /*create=*/true);
  if (!archive.ok()) return report("import", archive.error());
  Archive& a = **archive;
  Result<int64_t> run = a.begin_run("import", {site->id});
  if (!run.ok()) return report("import", run.error());

  int64_t imported = 0, skipped = 0, changed = 0, unchanged = 0, failed = 0, unreadable = 0;
  for (size_t i = 0; i < opts.files.size(); ++i) {
    const std::string& file = opts.files[i];
    Result<std::string> body = read_local_file(file, site->crawl.max_body_bytes);
    if (!body.ok()) {
      report("import", body.error());
      ++unreadable;
      continue;
    }
    Result<bool> same = already_stored(a, (*urls)[i], *body);
    if (!same.ok()) return end_failed(a, *run, "import", same.error());
    if (*same) {
      ++skipped;
      continue;
    }
    // Without --fetched-at each file is captured "now", so that files read in order keep it.
    Capture capture = local_capture(opts, (*urls)[i], std::move(*body),
                                    opts.fetched_at.empty() ? utc_now() : *fetched_at);
    if (opts.no_parse) {
      if (Status s = store_unparsed(a, capture, *run); !s.ok()) {
        return end_failed(a, *run, "import", s.error());
      }
      ++imported;
      continue;
    }
    Result<IngestOutcome> outcome = ingest_capture(a, capture, *site, *run, /*is_article=*/true);
    if (!outcome.ok()) return end_failed(a, *run, "import", outcome.error());
    ++imported;
    switch (outcome->change) {
      case ArticleChange::kNew:
      case ArticleChange::kChanged: ++changed; break;
      case ArticleChange::kUnchanged: ++unchanged; break;
      case ArticleChange::kFailed:
        ++failed;
        report("import", file + " (" + capture.url + "): " + outcome->error);
        break;
      case ArticleChange::kNone: break;
    }
    if (!outcome->note.empty()) report("import", file + " (" + capture.url + "): " + outcome->note);
  }
  (void)a.end_run(*run, counts_json({{"imported", imported}, {"skipped", skipped},
                                     {"changed", changed}, {"unchanged", unchanged},
                                     {"failed", failed}, {"unreadable", unreadable}}));
  std::cout << "imported " << imported << ", already stored " << skipped << ", changed " << changed
            << ", unchanged " << unchanged << ", failed " << failed << ", unreadable "
            << unreadable << "\n";
  return failed + unreadable > 0 ? kExitPartial : kExitOk;
}

// ---- reparse

struct ReparseOptions {
  std::string site;
  int jobs = 0;
  bool force = false;
};

int run_reparse(const ReparseOptions& opts, const GlobalOptions& global) {
  Result<std::unique_ptr<Archive>> archive = open_for_writing(global, /*create=*/false);
  if (!archive.ok()) return report("reparse", archive.error());
  Archive& a = **archive;
  std::vector<std::string> site_ids;
  if (!opts.site.empty()) {
    site_ids.push_back(opts.site);
  } else {
    Result<std::vector<std::string>> sites = a.article_sites();
    if (!sites.ok()) return report("reparse", sites.error());
    site_ids = *sites;
  }
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const int jobs = opts.jobs > 0 ? opts.jobs : std::max(1, cores);
  Result<int64_t> run = a.begin_run("reparse", site_ids);
  if (!run.ok()) return report("reparse", run.error());

  ReparseCounts total;
  std::string sites_failed;  // the first site that could not be loaded, and why
  for (const std::string& id : site_ids) {
    Result<SiteConfig> site = site_by_id(global, id);
    if (!site.ok()) {
      report("reparse", "site " + id + " skipped: " + site.error());
      if (sites_failed.empty()) sites_failed = "site " + id + " skipped: " + site.error();
      continue;
    }
    auto progress = [&](const ReparseCounts& c, int64_t pending) {
      if (show_progress()) {
        std::cerr << "\r" << id << ": " << c.examined << "/" << pending << " examined"
                  << std::flush;
      }
    };
    Result<ReparseCounts> counts = reparse_site(a, *site, jobs, opts.force, progress);
    if (show_progress()) std::cerr << "\n";
    if (!counts.ok()) return end_failed(a, *run, "reparse", counts.error());
    for (const std::string& e : counts->errors) report("reparse", e);
    total.examined += counts->examined;
    total.changed += counts->changed;
    total.unchanged += counts->unchanged;
    total.failed += counts->failed;
  }
  OrderedJson counts = OrderedJson::parse(
      counts_json({{"examined", total.examined}, {"changed", total.changed},
                   {"unchanged", total.unchanged}, {"failed", total.failed}}));
  if (!sites_failed.empty()) counts["error"] = sites_failed;  // the run failed
  (void)a.end_run(*run, counts.dump(-1, ' ', false, OrderedJson::error_handler_t::replace));
  std::cout << "examined " << total.examined << ", changed " << total.changed << ", unchanged "
            << total.unchanged << ", failed " << total.failed << "\n";
  if (!sites_failed.empty()) return kExitFailure;
  return total.failed > 0 ? kExitPartial : kExitOk;
}

// ---- show and history

bool is_number(const std::string& s) {
  return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), ascii::is_digit);
}

void print_article_text(const Article& a, const ArticleVersion& v) {
  std::cout << "Title: " << a.title << "\n";
  if (a.published) std::cout << "Published: " << *a.published << "\n";
  if (a.updated) std::cout << "Updated: " << *a.updated << "\n";
  if (a.author) std::cout << "Author: " << *a.author << "\n";
  std::cout << "URL: " << v.url << "\n";
  std::cout << "Version: " << v.number << ", captured " << v.captured_at << ", parser "
            << v.parser_version << "\n";
  std::cout << "\n" << a.text() << "\n";
  for (const Image& i : a.images) {
    std::cout << "\n[image] " << i.url << (i.caption.empty() ? "" : " — " + i.caption);
  }
  for (const Attachment& t : a.attachments) {
    std::cout << "\n[attachment] " << t.url << " — " << t.text;
  }
  if (!a.images.empty() || !a.attachments.empty()) std::cout << "\n";
}

// Why `key` has no version to show: unknown, or every parse of it failed.
std::string no_version_message(Archive& archive, const std::string& key) {
  if (is_number(key)) return "no article with id " + key + " in " + archive.path();
  Result<std::string> error = archive.last_parse_error(key);
  if (error.ok() && !error->empty()) {
    return key + ": no version: every parse of it failed (last: " + *error + ")";
  }
  return "no article " + key + " in " + archive.path();
}

// The article URL `key` names: itself, or the article an alias of it stands for (a session or
// print variant, a redirect, a page whose rel=canonical names it), said on stderr.
std::string article_key(Archive& archive, const std::string& key) {
  if (is_number(key)) return key;
  Result<std::optional<std::string>> article = archive.article_url_for(key);
  if (!article.ok() || !article->has_value() || **article == key) return key;
  Result<std::optional<UrlAlias>> alias = archive.alias(key);
  std::string evidence = alias.ok() && alias->has_value() ? " (" + (*alias)->evidence + ")" : "";
  std::cerr << key << " is an alias of " << **article << evidence << "\n";
  return **article;
}

int run_show(const std::string& asked, const std::string& format, const GlobalOptions& global) {
  Result<std::unique_ptr<Archive>> archive = open_for_reading(global);
  if (!archive.ok()) return report("show", archive.error());
  const std::string key = article_key(**archive, asked);
  Result<std::optional<ArticleVersion>> version = is_number(key)
                                                      ? (*archive)->latest_version(std::stoll(key))
                                                      : (*archive)->latest_version(key);
  if (!version.ok()) return report("show", version.error());
  if (!version->has_value()) return report("show", no_version_message(**archive, key));
  const ArticleVersion& v = **version;
  if (format == "json") {
    std::cout << v.json << "\n";
    return kExitOk;
  }
  Result<Article> article = article_from_json(v.json);
  if (!article.ok()) {
    return report("show",
                  "version " + std::to_string(v.id) + " of " + v.url + ": " + article.error());
  }
  print_article_text(*article, v);
  return kExitOk;
}

int run_history(const std::string& asked, const GlobalOptions& global) {
  Result<std::unique_ptr<Archive>> archive = open_for_reading(global);
  if (!archive.ok()) return report("history", archive.error());
  const std::string url = article_key(**archive, asked);
  Result<std::vector<ArticleVersion>> versions = (*archive)->versions(url);
  if (!versions.ok()) return report("history", versions.error());
  if (versions->empty()) return report("history", no_version_message(**archive, url));
  std::string previous_text, previous_title, previous_label = "/dev/null";
  for (const ArticleVersion& v : *versions) {
    Result<Article> article = article_from_json(v.json);
    if (!article.ok()) {
      return report("history", "version " + std::to_string(v.id) + " of " + url + ": " +
                                   article.error());
    }
    const std::string label = "version " + std::to_string(v.number);
    std::cout << label << "  captured " << v.captured_at << "  parser " << v.parser_version
              << "  capture " << v.capture_id << "\n";
    if (article->title != previous_title) std::cout << "title: " << article->title << "\n";
    std::string text = article->text();
    std::cout << unified_diff(previous_text, text, previous_label, label) << "\n";
    previous_text = std::move(text);
    previous_title = article->title;
    previous_label = label;
  }
  return kExitOk;
}

// ---- export

struct ExportOptions {
  std::string format = "jsonl";
  std::string out;  // --out DIR for warc, --out FILE.wacz for wacz
  std::string site;
  std::string since, until;  // as given
  bool all_versions = false;
};

// The archive time an end of --since/--until stands for. A day (2026-11-21) is a UTC day; a time
// (2026-11-21T08:30, with :SS and .mmm optional, then Z or +07:00) is converted to UTC. The range
// includes its ends at the precision given: --until 2026-11-21 runs to 23:59:59.999 that day.
Result<std::string> time_bound(const std::string& option, const std::string& given, bool end) {
  if (given.empty()) return std::string();
  static const std::regex kTime(
      R"((\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{3}))?)?(Z|[+-]\d\d:\d\d))?)");
  std::smatch m;
  const std::string expected = option + " " + given +
                               ": expected a UTC day such as 2026-11-21, or a time such as "
                               "2026-11-21T08:30:00+07:00 or 2026-11-21T01:30:00Z";
  if (!std::regex_match(given, m, kTime)) return fail(expected);
  auto number = [&](int i, int otherwise) { return m[i].matched ? std::stoi(m[i]) : otherwise; };
  std::tm tm{};
  tm.tm_year = number(1, 0) - 1900;
  tm.tm_mon = number(2, 0) - 1;
  tm.tm_mday = number(3, 0);
  tm.tm_hour = number(4, end ? 23 : 0);
  tm.tm_min = number(5, end ? 59 : 0);
  tm.tm_sec = number(6, end ? 59 : 0);
  const int millis = number(7, end ? 999 : 0);
  const std::tm given_tm = tm;
  std::time_t t = timegm(&tm);
  if (given_tm.tm_hour > 23 || given_tm.tm_min > 59 || given_tm.tm_sec > 59 ||
      tm.tm_mday != given_tm.tm_mday || tm.tm_mon != given_tm.tm_mon) {
    return fail(expected);  // 2026-02-30, 24:00
  }
  if (m[8].matched && m[8].str() != "Z") {
    const std::string zone = m[8];
    const int offset = (std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(4, 2))) * 60;
    t += zone[0] == '+' ? -offset : offset;
  }
  return format_utc(std::chrono::system_clock::from_time_t(t) + std::chrono::milliseconds(millis));
}

// The --site, --since and --until of an export, as a capture filter.
Result<CaptureFilter> capture_filter(const ExportOptions& opts) {
  CaptureFilter filter{opts.site, {}};
  Result<std::string> since = time_bound("--since", opts.since, /*end=*/false);
  if (!since.ok()) return since.failure();
  Result<std::string> until = time_bound("--until", opts.until, /*end=*/true);
  if (!until.ok()) return until.failure();
  if (!since->empty() && !until->empty() && *since > *until) {
    return fail("--since " + opts.since + " is after --until " + opts.until);
  }
  filter.fetched = {*since, *until};
  return filter;
}

// One line per version: the article's JSON as `provarc parse` prints it, plus an "archive" object
// saying which version and capture it is.
Status write_jsonl_line(const ArticleVersion& v, std::ostream& out) {
  OrderedJson line = OrderedJson::parse(v.json, nullptr, /*allow_exceptions=*/false);
  if (line.is_discarded() || !line.is_object()) {
    return fail("version " + std::to_string(v.id) + " of " + v.url + ": stored JSON is damaged");
  }
  line["archive"] = {{"article_id", v.article_id},   {"version", v.number},
                     {"version_id", v.id},           {"capture_id", v.capture_id},
                     {"captured_at", v.captured_at}, {"content_hash", v.content_hash}};
  out << line.dump(-1, ' ', false, OrderedJson::error_handler_t::replace) << "\n";
  if (!out) return fail("cannot write the export (standard output closed?)");
  return Status::Ok();
}

using ExportWriter = Status (*)(const ArticleVersion&, std::ostream&);

// The writer of each line-per-version --format (warc is written by run_export_warc).
ExportWriter export_writer(const std::string& format) {
  if (format == "jsonl") return write_jsonl_line;
  return nullptr;
}

int run_export(const ExportOptions& opts, const GlobalOptions& global) {
  Result<CaptureFilter> filter = capture_filter(opts);
  if (!filter.ok()) return report("export", filter.error(), kExitUsage);
  if (opts.format == "warc") return run_export_warc(opts.out, *filter, global);
  if (opts.format == "wacz") return run_export_wacz(opts.out, *filter, global);
  ExportWriter writer = export_writer(opts.format);
  if (writer == nullptr) return report("export", "unknown --format " + opts.format, kExitUsage);
  Result<std::unique_ptr<Archive>> archive = open_for_reading(global);
  if (!archive.ok()) return report("export", archive.error());
  int64_t lines = 0;
  Status s = (*archive)->for_each_version(
      VersionFilter{opts.site, opts.all_versions, filter->fetched},
      [&](const ArticleVersion& v) -> Status {
        ++lines;
        return writer(v, std::cout);
      });
  std::cout.flush();
  if (!s.ok()) return report("export", s.error());
  if (show_progress()) std::cerr << "exported " << lines << " versions\n";
  return kExitOk;
}

// ---- stats and compact

std::string ratio(int64_t raw, int64_t stored) {
  if (stored <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(raw) / static_cast<double>(stored));
  return buf;
}

// The file's bytes by part, per page capture and as a share of the file.
void print_file_stats(const FileStats& file) {
  const double pages = static_cast<double>(std::max<int64_t>(1, file.pages));
  const double bytes = static_cast<double>(std::max<int64_t>(1, file.bytes));
  char line[256];
  std::snprintf(line, sizeof line, "\n%-16s %14s %14s %7s\n", "file part", "bytes", "bytes/page",
                "share");
  std::cout << line;
  auto print = [&](const std::string& name, int64_t b) {
    std::snprintf(line, sizeof line, "%-16s %14lld %14.0f %6.1f%%\n", name.c_str(),
                  static_cast<long long>(b), static_cast<double>(b) / pages, 100.0 * b / bytes);
    std::cout << line;
  };
  for (const auto& [part, b] : file.parts) print(part, b);
  print("(file)", file.bytes);
  std::cout << file.pages << " page captures\n";
}

int run_stats(const std::string& format, const GlobalOptions& global) {
  // Opened for writing when possible, to migrate an old file; stats itself only reads.
  Result<std::unique_ptr<Archive>> archive = open_for_writing(global, /*create=*/false);
  if (!archive.ok()) archive = open_for_reading(global);
  if (!archive.ok()) return report("stats", archive.error());
  Result<std::vector<SiteStats>> stats = (*archive)->stats();
  if (!stats.ok()) return report("stats", stats.error());
  SiteStats all;
  all.site = "(all)";
  for (const SiteStats& s : *stats) {
    all.captures += s.captures;
    all.articles += s.articles;
    all.versions += s.versions;
    all.blobs += s.blobs;
    all.stored_bytes += s.stored_bytes;
    all.raw_bytes += s.raw_bytes;
  }
  Result<FileStats> file = (*archive)->file_stats();
  if (!file.ok()) return report("stats", file.error());
  std::vector<SiteStats> rows = *stats;
  rows.push_back(all);
  if (format == "json") {
    OrderedJson j = OrderedJson::array();
    for (const SiteStats& s : rows) {
      j.push_back({{"site", s.site}, {"captures", s.captures}, {"articles", s.articles},
                   {"versions", s.versions}, {"blobs", s.blobs}, {"stored_bytes", s.stored_bytes},
                   {"raw_bytes", s.raw_bytes},
                   {"ratio", s.stored_bytes > 0 ? static_cast<double>(s.raw_bytes) / s.stored_bytes
                                                : 0.0}});
    }
    OrderedJson parts = OrderedJson::object();
    for (const auto& [part, bytes] : file->parts) parts[part] = bytes;
    j.back()["file"] = {{"bytes", file->bytes}, {"pages", file->pages}, {"parts", parts}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %10s %10s %10s %14s %14s %7s\n", "site", "captures",
                "articles", "versions", "stored bytes", "raw bytes", "ratio");
  std::cout << line;
  for (const SiteStats& s : rows) {
    std::snprintf(line, sizeof line, "%-16s %10lld %10lld %10lld %14lld %14lld %7s\n",
                  s.site.c_str(), static_cast<long long>(s.captures),
                  static_cast<long long>(s.articles), static_cast<long long>(s.versions),
                  static_cast<long long>(s.stored_bytes), static_cast<long long>(s.raw_bytes),
                  ratio(s.raw_bytes, s.stored_bytes).c_str());
    std::cout << line;
  }
  print_file_stats(*file);
  return kExitOk;
}

int run_compact(const std::string& site, bool vacuum, const GlobalOptions& global) {
  Result<std::unique_ptr<Archive>> archive = open_for_writing(global, /*create=*/false);
  if (!archive.ok()) return report("compact", archive.error());
  Result<CompactCounts> rewritten = (*archive)->compact(site);
  if (!rewritten.ok()) return report("compact", rewritten.error());
  std::cout << "recompressed " << rewritten->blobs << " blobs; packed " << rewritten->versions
            << " versions and the headers of " << rewritten->captures << " captures\n";
  if (vacuum) {
    if (Status s = (*archive)->vacuum(); !s.ok()) return report("compact", s.error());
  }
  return kExitOk;
}

}  // namespace

void add_archive_commands(CLI::App& app, GlobalOptions& global) {
  {
    auto opts = std::make_shared<ImportOptions>();
    CLI::App* cmd = app.add_subcommand(
        "import", "store local HTML files as captures of a site, and parse them into articles");
    cmd->add_option("--site", opts->site, "site id (config/sites/<id>.toml)")->required();
    // One value per --url, so that the files after the last one are not taken for URLs.
    auto* url = cmd->add_option("--url", opts->urls, "the URL of each FILE, in order (repeat it)")
                    ->allow_extra_args(false);
    auto* prefix = cmd->add_option("--url-prefix", opts->url_prefix,
                                   "import each FILE as PREFIX followed by its file name");
    url->excludes(prefix);
    cmd->add_option("--content-type", opts->content_type,
                    "the Content-Type the pages were served with (for their charset)");
    cmd->add_option("--fetched-at", opts->fetched_at,
                    "capture time, UTC ISO 8601 (default: now)");
    cmd->add_flag("--no-parse", opts->no_parse, "store only; `provarc reparse` parses them later");
    cmd->add_option("files", opts->files, "HTML files")->required();
    cmd->callback([opts, &global, url, prefix] {
      if (url->count() == 0 && prefix->count() == 0) {
        throw CLI::RequiredError("--url or --url-prefix");
      }
      global.exit_code = run_import(*opts, global);
    });
  }
  {
    auto opts = std::make_shared<ReparseOptions>();
    CLI::App* cmd = app.add_subcommand(
        "reparse", "re-run the current parsers over stored captures (no network)");
    cmd->add_option("--site", opts->site, "only this site");
    cmd->add_option("--jobs", opts->jobs, "parser threads (default: all cores)")
        ->check(CLI::Range(1, 256));
    cmd->add_flag("--force", opts->force,
                  "parse again captures already parsed with the current parser version");
    cmd->callback([opts, &global] { global.exit_code = run_reparse(*opts, global); });
  }
  {
    auto key = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    CLI::App* cmd = app.add_subcommand("show", "print the latest version of an article");
    cmd->add_option("article", *key, "the article's URL or id")->required();
    cmd->add_option("--format", *format, "text or json (the keys of `provarc parse`)")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->callback([key, format, &global] { global.exit_code = run_show(*key, *format, global); });
  }
  {
    auto url = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "history", "every version of an article, with a diff of its text against the previous");
    cmd->add_option("url", *url, "the article's URL")->required();
    cmd->callback([url, &global] { global.exit_code = run_history(*url, global); });
  }
  {
    auto opts = std::make_shared<ExportOptions>();
    CLI::App* cmd = app.add_subcommand(
        "export",
        "write articles to standard output, or captures as WARC files (--format warc) or as a "
        "WACZ package (--format wacz)");
    cmd->add_option("--format", opts->format,
                    "jsonl (one article version per line), warc (every capture, into --out DIR) "
                    "or wacz (every capture and the article pages, into --out FILE.wacz)")
        ->check(CLI::IsMember({"jsonl", "warc", "wacz"}));
    cmd->add_option("--out", opts->out,
                    "--format warc: directory for the WARC files and CDXJ index; --format wacz: "
                    "the package, FILE.wacz");
    cmd->add_option("--site", opts->site, "only this site");
    cmd->add_option("--since", opts->since,
                    "only captures fetched from DATE on (2026-11-21, a UTC day, or a time such as "
                    "2026-11-21T08:00:00+07:00); jsonl: versions read from such captures");
    cmd->add_option("--until", opts->until, "only captures fetched until DATE, included");
    cmd->add_flag("--all-versions", opts->all_versions, "every version, not only the latest");
    cmd->callback([opts, &global] { global.exit_code = run_export(*opts, global); });
  }
  {
    auto format = std::make_shared<std::string>("text");
    CLI::App* cmd = app.add_subcommand(
        "stats", "per site: captures, articles, versions, stored and raw bytes, compression");
    cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([format, &global] { global.exit_code = run_stats(*format, global); });
  }
  {
    auto site = std::make_shared<std::string>();
    auto vacuum = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand(
        "compact", "recompress stored pages with their site's newest compression dictionary");
    cmd->add_option("--site", *site, "only this site");
    cmd->add_flag("--vacuum", *vacuum,
                  "then rewrite the file without free space (needs its size in free disk)");
    cmd->callback([site, vacuum, &global] {
      global.exit_code = run_compact(*site, *vacuum, global);
    });
  }
}

}  // namespace provarc
