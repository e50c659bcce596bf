// bench/search: the archive's full-text search at scale (bench/search/run, bench/README.md).
//
//   provarc_bench_search generate DB VERSIONS SEED FILE...   an archive of VERSIONS generated
//       article versions (a fifth of them second versions of earlier articles), Vietnamese text
//       from a word-bigram chain trained on FILE... (the seeds and the fixtures' golden JSON);
//       prints the time to write them (index included) and the index's size
//   provarc_bench_search reindex DB                          times Archive::reindex()
//   provarc_bench_search query DB QUERIES SEED               QUERIES searches of each kind (one,
//       two, three words, a two-word phrase), words taken at random places of random articles;
//       prints p50/p95/max latency of Archive::search (limit 20, total, snippets), and whether
//       the first 20 queries of each kind got the same 20 hits as a full bm25 ranking
//   provarc_bench_search repeat DB QUERY TIMES               one query TIMES times, CPU time each
//   provarc_bench_search fold FILE...                        MB/s of three ways to fold with ICU
//
// Single-threaded: run it under `taskset -c 0` for one core.
#include <sqlite3.h>
#include <time.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/packed_text.h"
#include "archive/search_query.h"
#include "archive/search_rank.h"
#include "archive/search_tokenizer.h"
#include "common/digest.h"
#include "text/fold.h"

namespace provarc {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this thread: what one core spends, whatever else the machine runs.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream data;
  data << in.rdbuf();
  return data.str();
}

// The text of a training file: a golden's title, author and text, or a seed as it is.
std::string training_text(const std::string& path) {
  std::string data = read_file(path);
  if (path.size() < 5 || path.substr(path.size() - 5) != ".json") return data;
  nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  std::string out;
  if (!j.is_object()) return out;
  for (const char* key : {"title", "author", "text"}) {
    if (j.contains(key) && j[key].is_string()) out += j[key].get<std::string>() + "\n";
  }
  return out;
}

// A word-bigram chain: each word's observed successors (with repeats, so frequent pairs are
// drawn more often); sentences start at words that followed a full stop.
class Chain {
 public:
  void train(const std::string& text) {
    std::istringstream words(text);
    int32_t previous = -1;
    for (std::string w; words >> w;) {
      int32_t id = intern(w);
      if (previous >= 0) successors_[previous].push_back(id);
      if (previous < 0 || ends_sentence(words_[previous])) starts_.push_back(id);
      previous = id;
    }
  }

  // About `count` words: whole sentences, separated by spaces.
  std::string sentences(std::mt19937_64& rng, int count) {
    std::string out;
    int32_t w = pick(starts_, rng);
    for (int i = 0; i < count || !ends_sentence(words_[w]); ++i) {
      if (!out.empty()) out += ' ';
      out += words_[w];
      if (i > count + 40) break;  // a sentence that never ends
      const std::vector<int32_t>& next = successors_[w];
      w = next.empty() || ends_sentence(words_[w]) ? pick(starts_, rng) : pick(next, rng);
    }
    return out;
  }

  size_t vocabulary() const { return words_.size(); }

 private:
  static bool ends_sentence(const std::string& w) {
    return !w.empty() && (w.back() == '.' || w.back() == '!' || w.back() == '?');
  }
  static int32_t pick(const std::vector<int32_t>& from, std::mt19937_64& rng) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  }
  int32_t intern(const std::string& w) {
    auto [it, added] = ids_.emplace(w, static_cast<int32_t>(words_.size()));
    if (added) {
      words_.push_back(w);
      successors_.emplace_back();
    }
    return it->second;
  }

  std::unordered_map<std::string, int32_t> ids_;
  std::vector<std::string> words_;
  std::vector<std::vector<int32_t>> successors_;
  std::vector<int32_t> starts_;
};

struct Article {
  std::string title, author, text, published;
};

Article make_article(Chain& chain, const std::vector<std::string>& authors,
                     std::mt19937_64& rng) {
  Article a;
  a.title = chain.sentences(rng, std::uniform_int_distribution<int>(8, 16)(rng));
  if (!a.title.empty() && a.title.back() == '.') a.title.pop_back();
  a.author = authors[std::uniform_int_distribution<size_t>(0, authors.size() - 1)(rng)];
  const int words = std::uniform_int_distribution<int>(80, 420)(rng);
  for (int done = 0; done < words;) {
    const int paragraph = std::uniform_int_distribution<int>(40, 120)(rng);
    a.text += (a.text.empty() ? "" : "\n\n") + chain.sentences(rng, paragraph);
    done += paragraph;
  }
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d",
                std::uniform_int_distribution<int>(2015, 2025)(rng),
                std::uniform_int_distribution<int>(1, 12)(rng),
                std::uniform_int_distribution<int>(1, 28)(rng));
  a.published = date;
  return a;
}

// Writes one version of `url` as ingest would: a capture (no body) and its parse.
Status write_version(Archive& archive, const std::string& site, const std::string& url,
                     const Article& a, int64_t n) {
  Capture c;
  c.url = url;
  c.site = site;
  c.fetched_at = format_utc(std::chrono::system_clock::time_point(std::chrono::seconds(n)));
  c.status = 200;
  Result<int64_t> capture = archive.store_capture(c, 0);
  if (!capture.ok()) return capture.failure();
  if (Result<int64_t> id = archive.ensure_article(site, url); !id.ok()) return id.failure();
  nlohmann::ordered_json j;
  j["site"] = site;
  j["url"] = url;
  j["title"] = a.title;
  j["published"] = a.published;
  j["author"] = a.author;
  j["text"] = a.text;
  ParseRecord r;
  r.capture_id = *capture;
  r.parser_version = "bench";
  r.ok = true;
  r.title = a.title;
  r.published = a.published;
  r.json = j.dump();
  r.content_hash = sha256_hex(r.json);
  Result<ParseWrite> w = archive.record_parse(r);
  return w.ok() ? Status::Ok() : Status(w.failure());
}

void print_size(Archive& archive) {
  Result<SearchIndexSize> size = archive.search_index_size();
  if (!size.ok()) {
    std::cerr << size.error() << "\n";
    return;
  }
  std::printf("versions %lld, text %.1f MB, index %.1f MB (%.1f%% of the text)\n",
              static_cast<long long>(size->versions), size->text_bytes / 1e6,
              size->index_bytes / 1e6, 100.0 * size->index_bytes / size->text_bytes);
}

int generate(const std::string& db, int64_t versions, uint64_t seed,
             const std::vector<std::string>& files) {
  Chain chain;
  std::vector<std::string> authors;
  for (const std::string& f : files) {
    chain.train(training_text(f));
    if (f.size() > 5 && f.substr(f.size() - 5) == ".json") {
      nlohmann::json j = nlohmann::json::parse(read_file(f), nullptr, false);
      if (j.is_object() && j.contains("author") && j["author"].is_string()) {
        authors.push_back(j["author"].get<std::string>());
      }
    }
  }
  if (authors.empty()) authors.push_back("Minh Tâm");
  std::printf("vocabulary %zu words from %zu files, %zu authors\n", chain.vocabulary(),
              files.size(), authors.size());
  auto archive = Archive::open(db, ArchiveOptions{.dictionary_min_pages = 0});
  if (!archive.ok()) {
    std::cerr << archive.error() << "\n";
    return 1;
  }
  std::mt19937_64 rng(seed);
  const int64_t articles = versions - versions / 5;
  std::vector<Article> kept;  // the articles that get a second version, as first written
  const Clock::time_point start = Clock::now();
  const double cpu_start = cpu_seconds();
  double text_bytes = 0;
  constexpr int64_t kBatch = 1000;
  for (int64_t n = 0; n < versions; n += kBatch) {
    Status s = (*archive)->transaction([&]() -> Status {
      for (int64_t i = n; i < std::min(versions, n + kBatch); ++i) {
        const bool second = i >= articles;
        const int64_t id = second ? (i - articles) * 4 : i;  // every 4th article edited
        Article a = second ? kept[(i - articles)] : make_article(chain, authors, rng);
        if (second) {  // an edit: a new last paragraph
          a.text += "\n\n" + chain.sentences(rng, 40);
        } else if (id % 4 == 0) {
          kept.push_back(a);
        }
        text_bytes += a.title.size() + a.author.size() + a.text.size();
        const std::string site = "site-" + std::to_string(id % 20);
        const std::string url = "https://" + site + ".gov.vn/tin/" + std::to_string(id);
        if (Status w = write_version(**archive, site, url, a, i); !w.ok()) return w;
      }
      return Status::Ok();
    });
    if (!s.ok()) {
      std::cerr << s.error() << "\n";
      return 1;
    }
  }
  const double took = seconds_since(start), cpu = cpu_seconds() - cpu_start;
  std::printf("wrote %lld versions (%.1f MB of text) in %.1f s wall, %.1f s cpu: %.0f versions/s"
              " of cpu\n",
              static_cast<long long>(versions), text_bytes / 1e6, took, cpu, versions / cpu);
  print_size(**archive);
  return 0;
}

int reindex(const std::string& db) {
  auto archive = Archive::open(db, ArchiveOptions{.create = false});
  if (!archive.ok()) {
    std::cerr << archive.error() << "\n";
    return 1;
  }
  const Clock::time_point start = Clock::now();
  const double cpu_start = cpu_seconds();
  Result<int64_t> n = (*archive)->reindex();
  if (!n.ok()) {
    std::cerr << n.error() << "\n";
    return 1;
  }
  const double took = seconds_since(start), cpu = cpu_seconds() - cpu_start;
  std::printf("reindexed %lld versions in %.1f s wall, %.1f s cpu: %.0f versions/s of cpu\n",
              static_cast<long long>(*n), took, cpu, *n / cpu);
  print_size(**archive);
  return 0;
}

// The words of `text` with their punctuation stripped, as a person would type them.
std::vector<std::string> plain_words(const std::string& text) {
  std::vector<std::string> words;
  SearchWordReader reader(text);
  for (SearchWord w; reader.next(&w);) words.emplace_back(text.substr(w.begin, w.end - w.begin));
  return words;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// The page a full ranking gives: FTS5's bm25 computed for every matching latest version, as
// search did before provarc_rank (equal scores: the newer version first). To check that
// Archive::search returns the same hits, in the same order.
class FullRanking {
 public:
  explicit FullRanking(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
        !register_search_tokenizer(db_).ok() || !register_search_rank(db_).ok() ||
        !register_packed_text(db_).ok()) {
      std::cerr << path << ": cannot open for the full ranking\n";
    }
  }
  ~FullRanking() { sqlite3_close(db_); }

  std::vector<int64_t> top(const std::string& query, int k) {
    std::vector<int64_t> ids;
    Result<std::string> match = fts5_query(query);
    sqlite3_stmt* stmt = nullptr;
    if (!match.ok() ||
        sqlite3_prepare_v2(db_,
                           "SELECT search.rowid FROM search WHERE search MATCH ?1 AND EXISTS"
                           " (SELECT 1 FROM articles a WHERE a.latest_version_id = search.rowid)"
                           " ORDER BY bm25(search, 5.0, 2.0, 1.0), search.rowid DESC LIMIT ?2",
                           -1, &stmt, nullptr) != SQLITE_OK) {
      return ids;
    }
    sqlite3_bind_text(stmt, 1, match->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, k);
    while (sqlite3_step(stmt) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    return ids;
  }

 private:
  sqlite3* db_ = nullptr;
};

int query(const std::string& db, int count, uint64_t seed) {
  auto archive = Archive::open(db, ArchiveOptions{.read_only = true});
  if (!archive.ok()) {
    std::cerr << archive.error() << "\n";
    return 1;
  }
  int64_t articles = 0;
  Result<std::vector<SiteStats>> stats = (*archive)->stats();
  for (const SiteStats& site : stats.ok() ? *stats : std::vector<SiteStats>{}) {
    articles += site.articles;
  }
  if (articles == 0) {
    std::cerr << db << ": no articles\n";
    return 1;
  }
  constexpr int kLimit = 20, kChecked = 20;
  FullRanking full(db);
  std::mt19937_64 rng(seed);
  // The distinct words of a sample of articles: drawn uniformly, they are mostly content words
  // (place names, terms), as people search; drawn at random places of the text, they are
  // weighted by frequency ("và", "thông tin" match most articles): the harder case.
  std::vector<std::string> vocabulary;
  {
    std::unordered_map<std::string, bool> seen;
    for (int i = 0; i < 2000; ++i) {
      const int64_t id = std::uniform_int_distribution<int64_t>(1, articles)(rng);
      Result<std::optional<ArticleVersion>> v = (*archive)->latest_version(id);
      if (!v.ok() || !v->has_value()) continue;
      nlohmann::json j = nlohmann::json::parse((*v)->json, nullptr, false);
      for (const std::string& w : plain_words(j.value("text", ""))) {
        if (seen.emplace(fold_for_search(w), true).second) vocabulary.push_back(fold_for_search(w));
      }
    }
    std::sort(vocabulary.begin(), vocabulary.end());
  }
  struct Kind {
    const char* name;
    int words;
    bool phrase;
  };
  for (const Kind& kind : {Kind{"one word", 1, false}, Kind{"two words", 2, false},
                           Kind{"three words", 3, false}, Kind{"phrase (2 words)", 2, true},
                           Kind{"distinct: 1 word", 1, false}, Kind{"distinct: 2 words", 2, false},
                           Kind{"distinct: 3 words", 3, false}}) {
    const bool distinct = std::string_view(kind.name).starts_with("distinct");
    std::vector<double> ms, cpu_ms;
    double totals = 0;
    int empty = 0, checked = 0, same = 0;
    // One search, timed; the first kChecked of each kind also ranked in full, untimed, and
    // compared hit for hit.
    auto run = [&](const std::string& q) {
      const Clock::time_point start = Clock::now();
      const double cpu_start = cpu_seconds();
      Result<SearchResults> r = (*archive)->search(SearchRequest{.query = q, .limit = kLimit});
      cpu_ms.push_back((cpu_seconds() - cpu_start) * 1000);
      ms.push_back(seconds_since(start) * 1000);
      if (!r.ok()) {
        std::cerr << q << ": " << r.error() << "\n";
        return false;
      }
      totals += r->total;
      empty += r->hits.empty();
      if (checked < kChecked) {
        std::vector<int64_t> got;
        for (const SearchHit& h : r->hits) got.push_back(h.version_id);
        const bool identical = got == full.top(q, kLimit);
        if (!identical) std::cerr << "not the full ranking's top " << kLimit << ": " << q << "\n";
        ++checked;
        same += identical;
      }
      return true;
    };
    while (static_cast<int>(ms.size()) < count) {
      if (distinct) {
        std::string q;
        for (int k = 0; k < kind.words; ++k) {
          q += (k ? " " : "") +
               vocabulary[std::uniform_int_distribution<size_t>(0, vocabulary.size() - 1)(rng)];
        }
        if (!run(q)) return 1;
        continue;
      }
      const int64_t id = std::uniform_int_distribution<int64_t>(1, articles)(rng);
      Result<std::optional<ArticleVersion>> v = (*archive)->latest_version(id);
      if (!v.ok() || !v->has_value()) continue;
      nlohmann::json j = nlohmann::json::parse((*v)->json, nullptr, false);
      const std::vector<std::string> words = plain_words(j.value("text", ""));
      if (words.size() < 4) continue;
      const size_t at =
          std::uniform_int_distribution<size_t>(0, words.size() - kind.words)(rng);
      std::string q;
      for (int k = 0; k < kind.words; ++k) q += (k ? " " : "") + fold_for_search(words[at + k]);
      if (kind.phrase) q = "\"" + q + "\"";
      if (!run(q)) return 1;
    }
    std::printf("%-18s cpu p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms | wall p50 %6.1f ms  p95 %6.1f"
                " ms | mean matches %.0f, %d empty | top %d as full bm25: %d/%d\n",
                kind.name, percentile(cpu_ms, 0.5), percentile(cpu_ms, 0.95),
                percentile(cpu_ms, 1.0), percentile(ms, 0.5), percentile(ms, 0.95),
                totals / count, empty, kLimit, same, checked);
  }
  return 0;
}

// One query `times` times: its CPU time each (for a profiler: perf record -g ... repeat).
int repeat(const std::string& db, const std::string& q, int times) {
  auto archive = Archive::open(db, ArchiveOptions{.read_only = true});
  if (!archive.ok()) {
    std::cerr << archive.error() << "\n";
    return 1;
  }
  for (int i = 0; i < times; ++i) {
    const double cpu_start = cpu_seconds();
    Result<SearchResults> r = (*archive)->search(SearchRequest{.query = q});
    if (!r.ok()) {
      std::cerr << q << ": " << r.error() << "\n";
      return 1;
    }
    std::printf("%s: %lld matches, %.1f ms cpu\n", q.c_str(), static_cast<long long>(r->total),
                (cpu_seconds() - cpu_start) * 1000);
  }
  return 0;
}

// ---- Folding: the table of text/fold.h against ICU's NFD loop and a Transliterator.

std::string fold_by_nfd_loop(const icu::Normalizer2& nfd, const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = nfd.normalize(icu::UnicodeString::fromUTF8(s), status);
  u.foldCase();
  u = nfd.normalize(u, status);
  icu::UnicodeString out;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) != U_NON_SPACING_MARK) out.append(c == 0x111 ? UChar32{'d'} : c);
  }
  std::string utf8;
  return out.toUTF8String(utf8);
}

int fold(const std::vector<std::string>& files) {
  std::string text;
  for (const std::string& f : files) text += training_text(f);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  UParseError parse_error;
  std::unique_ptr<icu::Transliterator> translit(icu::Transliterator::createFromRules(
      "fold",
      icu::UnicodeString::fromUTF8(
          ":: NFD; :: [:Nonspacing Mark:] Remove; :: Any-Lower; \\u0111 > d; \\u0110 > d;"),
      UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status)) {
    std::cerr << "transliterator: " << u_errorName(status) << "\n";
    return 1;
  }
  auto measure = [&](const char* name, const std::function<std::string()>& run) {
    const Clock::time_point start = Clock::now();
    std::string out;
    int rounds = 0;
    do {
      out = run();
      ++rounds;
    } while (seconds_since(start) < 2);
    std::printf("%-36s %7.2f MB/s\n", name, rounds * text.size() / seconds_since(start) / 1e6);
    return out;
  };
  std::printf("%.1f KB of text\n", text.size() / 1e3);
  std::string a =
      measure("text/fold.h fold_for_search (table)", [&] { return fold_for_search(text); });
  std::string b =
      measure("ICU NFD + foldCase + mark loop", [&] { return fold_by_nfd_loop(*nfd, text); });
  std::string c = measure("ICU Transliterator", [&] {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    translit->transliterate(u);
    std::string out;
    return u.toUTF8String(out);
  });
  measure("text/fold.h SearchWordReader (words)", [&] {
    SearchWordReader reader(text);
    std::string out;
    for (SearchWord w; reader.next(&w);) out += w.folded;
    return out;
  });
  std::printf("same output: NFD loop %s, Transliterator %s\n", a == b ? "yes" : "NO",
              a == c ? "yes" : "NO");
  return 0;
}

}  // namespace
}  // namespace provarc

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::string mode = args.empty() ? "" : args[0];
  if (mode == "generate" && args.size() >= 5) {
    return provarc::generate(args[1], std::stoll(args[2]), std::stoull(args[3]),
                             std::vector<std::string>(args.begin() + 4, args.end()));
  }
  if (mode == "reindex" && args.size() == 2) return provarc::reindex(args[1]);
  if (mode == "query" && args.size() == 4) {
    return provarc::query(args[1], std::stoi(args[2]), std::stoull(args[3]));
  }
  if (mode == "repeat" && args.size() == 4) {
    return provarc::repeat(args[1], args[2], std::stoi(args[3]));
  }
  if (mode == "fold" && args.size() >= 2) {
    return provarc::fold(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "usage: provarc_bench_search generate DB VERSIONS SEED FILE... | reindex DB |"
               " query DB QUERIES SEED | repeat DB QUERY TIMES | fold FILE...\n";
  return 2;
}
