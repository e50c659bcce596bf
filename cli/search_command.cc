// `provarc search` (the archive's full-text index, archive/search.h) and `provarc reindex` (its
// rebuild). Thin: options in, Archive::search()/reindex() out, printed.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "cli/commands.h"

namespace provarc {
namespace {

using OrderedJson = nlohmann::ordered_json;

// `provarc search` exits like grep: 0 with results, 1 with none, 2 when it could not search (a
// malformed query, a bad option, an unreadable archive), so that "none" is never a failure.
constexpr int kExitNoMatch = 1;
constexpr int kExitCannotSearch = 2;

struct SearchOptions {
  std::vector<std::string> words;  // joined by spaces: the query
  SearchRequest request;
  std::string format = "text";
  std::vector<std::string> marks = {"[", "]"};
};

// Opened for writing when possible, so that an older archive is migrated (its index built);
// read-only otherwise (a file we may not write, a read-only mount).
Result<std::unique_ptr<Archive>> open_for_search(const GlobalOptions& global) {
  auto archive = Archive::open(global.db_path, ArchiveOptions{.create = false});
  if (archive.ok()) return archive;
  auto read_only = Archive::open(global.db_path, ArchiveOptions{.read_only = true});
  return read_only.ok() ? std::move(read_only) : std::move(archive);
}

// Four significant digits are plenty to order by. (bm25 gives words found in most articles of a
// small archive scores near 0: FTS5 floors their weight at 1e-6.)
double rounded(double score) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", score);
  return std::strtod(text, nullptr);
}

void print_json(const SearchHit& hit, const SearchOptions& options) {
  OrderedJson j;
  j["article_id"] = hit.article_id;
  j["url"] = hit.url;
  j["site"] = hit.site;
  j["title"] = hit.title;
  j["published"] = hit.published ? OrderedJson(*hit.published) : OrderedJson();
  j["snippet"] = render_snippet(hit.snippet, options.marks[0], options.marks[1]);
  j["score"] = rounded(hit.score);
  std::cout << j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace) << "\n";
}

void print_text(const SearchHit& hit, int rank, const SearchOptions& options) {
  std::cout << rank << ". " << hit.title << "\n   " << hit.site << "  "
            << hit.published.value_or("(no date)") << "  article " << hit.article_id;
  if (hit.version_count > 1) {
    std::cout << " (version " << hit.version_number << " of " << hit.version_count << ")";
  }
  std::cout << "  score " << rounded(hit.score) << "\n   " << hit.url << "\n   "
            << render_snippet(hit.snippet, options.marks[0], options.marks[1]) << "\n\n";
}

int run_search(SearchOptions& options, const GlobalOptions& global) {
  auto report = [](const std::string& message) {
    std::cerr << "provarc search: " << message << "\n";
    return kExitCannotSearch;
  };
  SearchRequest& request = options.request;
  for (const std::string& word : options.words) {
    request.query += (request.query.empty() ? "" : " ") + word;
  }
  // A bad query is told before the archive is opened: exit 2 whatever the archive's state.
  if (Status s = check_search_query(request.query); !s.ok()) {
    return report("malformed query: " + s.error());
  }
  Result<std::unique_ptr<Archive>> archive = open_for_search(global);
  if (!archive.ok()) return report(archive.error());
  Result<SearchResults> results = (*archive)->search(request);
  if (!results.ok()) return report(results.error());
  int rank = request.offset;
  for (const SearchHit& hit : results->hits) {
    if (options.format == "json") {
      print_json(hit, options);
    } else {
      print_text(hit, ++rank, options);
    }
  }
  if (options.format == "text") {
    if (results->hits.empty()) {
      std::cout << "no " << (request.all_versions ? "version" : "article") << " matches `"
                << request.query << "`" << (results->total > 0 ? " at this --offset" : "")
                << "\n";
    } else {
      std::cout << results->hits.size() << " shown (" << request.offset + 1 << "-" << rank
                << ") of " << results->total << " matching article"
                << (results->total == 1 ? "" : "s") << "\n";
    }
  }
  return results->hits.empty() ? kExitNoMatch : kExitOk;
}

// Progress on stderr, rewritten in place, only when a person watches it.
int run_reindex(const GlobalOptions& global) {
  auto archive = Archive::open(global.db_path, ArchiveOptions{.create = false});
  if (!archive.ok()) {
    std::cerr << "provarc reindex: " << archive.error() << "\n";
    return kExitFailure;
  }
  const bool terminal = isatty(STDERR_FILENO) == 1;
  const auto start = std::chrono::steady_clock::now();
  Result<int64_t> indexed = (*archive)->reindex([&](int64_t done, int64_t total) {
    if (terminal) {
      std::cerr << "\rreindex: " << done << " of " << total << " versions" << std::flush;
    }
  });
  if (terminal) std::cerr << "\r\033[K";
  if (!indexed.ok()) {
    std::cerr << "provarc reindex: " << indexed.error()
              << " (the index is as it was before the reindex)\n";
    return kExitFailure;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "indexed " << *indexed << " versions in " << std::round(seconds * 10) / 10
            << " s\n";
  return kExitOk;
}

}  // namespace

void add_search_commands(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* search = app.add_subcommand(
      "search", "full-text search of the archived articles, without diacritics or with");
  search->add_option("query", options->words,
                     "words (ANDed), \"quoted phrases\", OR, NOT, (groups), prefix*; several "
                     "arguments are joined by spaces")
      ->required();
  SearchRequest& r = options->request;
  search->add_option("--site", r.site, "only this site's articles");
  search->add_option("--since", r.since, "published on or after this date (YYYY-MM-DD)");
  search->add_option("--until", r.until, "published on or before this date (YYYY-MM-DD)");
  search->add_option("--limit", r.limit, "at most this many results (default: 20)")
      ->check(CLI::Range(1, 10000));
  search->add_option("--offset", r.offset, "skip this many results first (paging)")
      ->check(CLI::NonNegativeNumber);
  search->add_flag("--all-versions", r.all_versions,
                   "search every version, not only each article's latest; an article is listed "
                   "once, with its best matching version");
  search->add_option("--format", options->format, "text, or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  search->add_option("--marks", options->marks,
                     "the two strings put around matched words in snippets (default: [ ])")
      ->expected(2);
  search->callback([options, &global] { global.exit_code = run_search(*options, global); });

  CLI::App* reindex = app.add_subcommand(
      "reindex", "rebuild the search index from every stored version (atomic: all or nothing)");
  reindex->callback([&global] { global.exit_code = run_reindex(global); });
}

}  // namespace provarc
