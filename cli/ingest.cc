#include "cli/ingest.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

#include "common/digest.h"

namespace provarc {
namespace {

// Registers the capture's URL as an article and records its parse, inside the caller's transaction.
Status register_and_record(Archive& archive, const Capture& capture, const SiteConfig& site,
                           const ParseRecord& record, IngestOutcome& outcome) {
  Result<int64_t> article_id = archive.ensure_article(site.id, capture.url);
  if (!article_id.ok()) return article_id.failure();
  outcome.article_id = *article_id;
  if (record.capture_id == 0) return Status::Ok();  // nothing to parse
  // The page is served again: an article found gone earlier came back.
  std::string served_at = capture.fetched_at.empty() ? utc_now() : capture.fetched_at;
  if (Status s = archive.clear_gone(capture.url, served_at); !s.ok()) return s;
  Result<IngestOutcome> written = record_parsed(archive, record);
  if (!written.ok()) return written.failure();
  outcome = *written;
  return Status::Ok();
}

// A page answered "not found" (404) or "gone" (410): its article, if it is one, is gone.
bool is_gone_answer(const Capture& capture) {
  return capture.kind == CaptureKind::kPage && capture.outcome == CaptureOutcome::kOk &&
         (capture.status == 404 || capture.status == 410);
}

PreparedIngest parse_article(const Capture& capture, int64_t capture_id, const SiteConfig& site) {
  PreparedIngest parsed;
  parsed.parsed = true;
  ParseRecord& record = parsed.record;
  record.capture_id = capture_id;
  record.parser_version = parser_version(site.extract);
  Result<Article> article =
      extract_article(capture.body, header_value(capture.response_headers, "Content-Type"),
                      capture.url, site.extract);
  if (!article.ok()) {
    record.error = article.error();
    return parsed;
  }
  article->site = site.id;
  article->url = capture.url;
  record.ok = true;
  record.parser_version = article->parser_version;
  record.title = article->title;
  record.published = article->published;
  record.json = article_to_json(*article, -1);
  record.content_hash = content_hash_of_json(record.json);
  record.note = article->truncated;
  parsed.article = std::move(*article);
  return parsed;
}

}  // namespace

std::string content_hash(const Article& article) {
  return content_hash_of_json(article_to_json(article, -1));
}

std::string content_hash_of_json(std::string_view json) {
  // parser_version is the object's last key (the JSON contract's order), so everything before
  // it is the content; the key cannot occur unescaped inside a string value before it.
  size_t key = json.rfind(",\"parser_version\":");
  return sha256_hex(key == std::string_view::npos ? json : json.substr(0, key));
}

bool is_parseable(const Capture& capture) {
  return capture.kind == CaptureKind::kPage && capture.outcome == CaptureOutcome::kOk &&
         capture.status >= 200 && capture.status <= 299 && !capture.body.empty();
}

ParseRecord parse_capture(const Capture& capture, int64_t capture_id, const SiteConfig& site) {
  return parse_article(capture, capture_id, site).record;
}

Result<IngestOutcome> record_parsed(Archive& archive, const ParseRecord& record) {
  Result<ParseWrite> write = archive.record_parse(record);
  if (!write.ok()) return write.failure();
  IngestOutcome outcome;
  outcome.capture_id = record.capture_id;
  outcome.change = write->change;
  outcome.article_id = write->article_id;
  outcome.version_id = write->version_id;
  outcome.error = record.error;
  outcome.note = record.note;
  return outcome;
}

// The registered article `parsed` shows, given that article's URL (same title and content
// hash), when `capture`'s URL is no article yet: among the site's articles at the same path (same
// origin and path, another query), and with a `twin_marker` at any path. Returns the article's URL
// and the evidence for the alias; "" when none.
Result<std::pair<std::string, std::string>> same_article(Archive& archive, const Capture& capture,
                                                         const SiteConfig& site,
                                                         const Article& parsed,
                                                         std::string_view twin_marker) {
  using Found = std::pair<std::string, std::string>;
  auto registered = archive.article_url_for(capture.url);
  if (!registered.ok()) return registered.failure();
  if (*registered && **registered == capture.url) return Found();
  if (parsed.title.empty()) return Found();
  auto equal = [&](const std::vector<std::pair<std::string, std::string>>& candidates) {
    for (const auto& [url, hash] : candidates) {
      Article as_there = parsed;
      as_there.url = url;
      if (content_hash(as_there) == hash) return url;
    }
    return std::string();
  };
  auto at_path = archive.articles_at_path(site.id, capture.url, parsed.title, 20);
  if (!at_path.ok()) return at_path.failure();
  if (std::string url = equal(*at_path); !url.empty()) return Found(url, "same article as " + url);
  if (twin_marker.empty()) return Found();
  auto titled = archive.articles_titled(site.id, capture.url, parsed.title, 20);
  if (!titled.ok()) return titled.failure();
  if (std::string url = equal(*titled); !url.empty()) {
    return Found(url, "twin of " + url + ": " + std::string(twin_marker) +
                          " and the same article (title and content)");
  }
  return Found();
}

PreparedIngest prepare_ingest(const Capture& capture, const SiteConfig& site, bool is_article) {
  if (!is_article || !is_parseable(capture)) return PreparedIngest{};
  return parse_article(capture, 0, site);
}

Result<IngestOutcome> write_ingest(Archive& archive, const Capture& fetched,
                                   const SiteConfig& site, int64_t run_id, bool is_article,
                                   PreparedIngest prepared, bool alias_by_content,
                                   std::string_view twin_marker) {
  Capture capture = fetched;
  std::string same_as, evidence;
  if (alias_by_content && prepared.article) {
    auto found = same_article(archive, capture, site, *prepared.article, twin_marker);
    if (!found.ok()) return found.failure();
    std::tie(same_as, evidence) = *found;
  }
  if (!same_as.empty()) {
    // Filed under the article it shows: extracted again under that URL (the URL is content).
    if (capture.requested_url.empty()) capture.requested_url = capture.url;
    capture.url = same_as;
    prepared = parse_article(capture, 0, site);
  }
  const bool parse = prepared.parsed;
  ParseRecord& record = prepared.record;
  IngestOutcome outcome;
  Status s = archive.transaction([&]() -> Status {
    Result<int64_t> capture_id = archive.store_capture(capture, run_id);
    if (!capture_id.ok()) return capture_id.failure();
    outcome = IngestOutcome{};
    outcome.capture_id = *capture_id;
    if (!same_as.empty()) {
      UrlAlias alias{fetched.url, same_as, evidence};
      if (Status a = archive.record_alias(site.id, alias, *capture_id, run_id); !a.ok()) return a;
      outcome.same_as = same_as;
    }
    if (is_gone_answer(capture)) {
      std::string since = capture.fetched_at.empty() ? utc_now() : capture.fetched_at;
      Result<bool> marked = archive.mark_gone(capture.url, capture.status, since);
      if (!marked.ok()) return marked.failure();
      outcome.newly_gone = *marked;
    }
    if (!is_article) return Status::Ok();
    record.capture_id = parse ? *capture_id : 0;
    std::string kept_same_as = outcome.same_as;
    Status registered = register_and_record(archive, capture, site, record, outcome);
    outcome.same_as = kept_same_as;
    return registered;
  });
  if (!s.ok()) return s.failure();
  if (prepared.article) {
    const Article& article = *prepared.article;
    for (const Image& image : article.images) outcome.images.push_back(image.url);
    for (const Attachment& a : article.attachments) outcome.attachments.push_back(a.url);
    outcome.provenance = article.provenance;
    outcome.has_title = !article.title.empty();
    outcome.has_published = article.published.has_value();
  }
  return outcome;
}

Result<IngestOutcome> ingest_capture(Archive& archive, const Capture& capture,
                                     const SiteConfig& site, int64_t run_id, bool is_article,
                                     bool alias_by_content) {
  // Extract first: the write transaction then only writes.
  return write_ingest(archive, capture, site, run_id, is_article,
                      prepare_ingest(capture, site, is_article), alias_by_content);
}

Result<IngestOutcome> ingest_stored(Archive& archive, int64_t capture_id, const SiteConfig& site) {
  Result<StoredCapture> stored = archive.capture(capture_id, /*with_body=*/true);
  if (!stored.ok()) return stored.failure();
  const Capture& capture = stored->capture;
  const bool parse = is_parseable(capture);
  ParseRecord record;
  if (parse) record = parse_capture(capture, capture_id, site);
  IngestOutcome outcome;
  outcome.capture_id = capture_id;
  Status s = archive.transaction([&]() -> Status {
    return register_and_record(archive, capture, site, record, outcome);
  });
  if (!s.ok()) return s.failure();
  outcome.capture_id = capture_id;
  return outcome;
}

namespace {

// Captures per write transaction: large enough to amortise the commit, small enough that a kill
// loses little work. The writer never waits longer than kMaxBatchWait for a batch to fill.
constexpr size_t kBatch = 128;
constexpr std::chrono::milliseconds kMaxBatchWait{500};

// One capture's trip through the re-parse pipeline.
struct ReparseItem {
  ParseRecord record;
  std::string read_error;  // the body could not be read: nothing is recorded for it
};

// The state shared by reparse's workers and its writer. Workers take the next index of `ids`,
// but never run more than `window` ahead of what the writer has written: memory stays bounded
// however many captures there are.
class ReparseQueue {
 public:
  ReparseQueue(std::vector<int64_t> ids, size_t window) : ids_(std::move(ids)), window_(window) {}

  size_t size() const { return ids_.size(); }

  // The next (index, capture id) to parse; false when there is none left or the run stopped.
  bool take(size_t& index, int64_t& capture_id) {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock,
                [&] { return stopped_ || next_ >= ids_.size() || next_ < written_ + window_; });
    if (stopped_ || next_ >= ids_.size()) return false;
    index = next_++;
    capture_id = ids_[index];
    return true;
  }

  void put(size_t index, ReparseItem item, size_t batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_.emplace(index, std::move(item));
    // Wake the writer only when a batch may be complete, not for every item.
    if (ready_.size() >= batch || index + 1 == ids_.size()) ready_cv_.notify_one();
  }

  // Waits until the next `max` items in order are ready (or all that remain, or, after
  // kMaxBatchWait, at least one), then returns them. Empty when the run stopped. Waiting for a
  // full batch keeps transactions large and wake-ups few.
  std::vector<ReparseItem> next_batch(size_t max) {
    std::unique_lock<std::mutex> lock(mutex_);
    const size_t want = std::min(max, ids_.size() - taken_);
    auto full = [&] { return stopped_ || ready_in_order() >= want; };
    if (!ready_cv_.wait_for(lock, kMaxBatchWait, full)) {
      ready_cv_.wait(lock, [&] { return stopped_ || ready_in_order() > 0; });
    }
    std::vector<ReparseItem> batch;
    if (stopped_) return batch;
    for (auto it = ready_.find(taken_); it != ready_.end() && it->first == taken_ &&
                                        batch.size() < max;
         it = ready_.find(taken_)) {
      batch.push_back(std::move(it->second));
      ready_.erase(it);
      ++taken_;
    }
    return batch;
  }

  // The writer committed `count` more items: workers may run further ahead.
  void written(size_t count) {
    std::lock_guard<std::mutex> lock(mutex_);
    written_ += count;
    space_.notify_all();
  }

  // How many items from the writer's next index on are ready, without a gap.
  size_t ready_in_order() const {
    size_t n = 0;
    for (auto it = ready_.find(taken_); it != ready_.end() && it->first == taken_ + n; ++it) ++n;
    return n;
  }

  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    space_.notify_all();
    ready_cv_.notify_all();
  }

 private:
  const std::vector<int64_t> ids_;
  const size_t window_;
  std::mutex mutex_;
  std::condition_variable space_;
  std::condition_variable ready_cv_;
  std::map<size_t, ReparseItem> ready_;
  size_t next_ = 0;     // next index a worker takes
  size_t taken_ = 0;    // next index the writer takes
  size_t written_ = 0;  // indexes the writer has committed
  bool stopped_ = false;
};

void reparse_worker(ReparseQueue& queue, const std::string& path, const SiteConfig& site) {
  Result<std::unique_ptr<Archive>> reader = Archive::open(path, ArchiveOptions{.read_only = true});
  size_t index = 0;
  int64_t capture_id = 0;
  while (queue.take(index, capture_id)) {
    ReparseItem item;
    item.record.capture_id = capture_id;
    Result<StoredCapture> stored = reader.ok() ? (*reader)->capture(capture_id, true)
                                               : Result<StoredCapture>(reader.failure());
    if (!stored.ok()) {
      item.read_error = stored.error();
    } else {
      item.record = parse_capture(stored->capture, capture_id, site);
    }
    queue.put(index, std::move(item), kBatch);
  }
}

// Writes one batch in one transaction and adds its outcomes to `counts`.
Status write_batch(Archive& archive, const std::vector<ReparseItem>& batch, ReparseCounts& counts) {
  ReparseCounts added;
  Status s = archive.transaction([&]() -> Status {
    added = ReparseCounts{};
    for (const ReparseItem& item : batch) {
      ++added.examined;
      if (!item.read_error.empty()) {
        ++added.failed;
        if (added.errors.size() < 10) added.errors.push_back(item.read_error);
        continue;
      }
      Result<IngestOutcome> outcome = record_parsed(archive, item.record);
      if (!outcome.ok()) return outcome.failure();
      if (wrote_version(outcome->change)) {
        ++added.changed;
      } else if (outcome->change == ArticleChange::kUnchanged) {
        ++added.unchanged;
      } else {
        ++added.failed;
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  counts.examined += added.examined;
  counts.changed += added.changed;
  counts.unchanged += added.unchanged;
  counts.failed += added.failed;
  for (std::string& e : added.errors) {
    if (counts.errors.size() < 10) counts.errors.push_back(std::move(e));
  }
  return Status::Ok();
}

}  // namespace

Result<ReparseCounts> reparse_site(
    Archive& archive, const SiteConfig& site, int jobs, bool force,
    const std::function<void(const ReparseCounts&, int64_t total)>& progress) {
  Result<std::vector<int64_t>> ids =
      archive.pending_parses(site.id, force ? "" : parser_version(site.extract));
  if (!ids.ok()) return ids.failure();
  ReparseCounts counts;
  if (ids->empty()) return counts;
  const int workers = std::clamp(jobs, 1, 256);
  ReparseQueue queue(std::move(*ids), kBatch * 2 + static_cast<size_t>(workers) * 16);
  const int64_t total = static_cast<int64_t>(queue.size());
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back(reparse_worker, std::ref(queue), archive.path(), std::cref(site));
  }
  Status status;
  while (counts.examined < total) {
    std::vector<ReparseItem> batch = queue.next_batch(kBatch);
    if (batch.empty()) break;
    status = write_batch(archive, batch, counts);
    if (!status.ok()) break;
    queue.written(batch.size());
    if (progress) progress(counts, total);
  }
  queue.stop();
  for (std::thread& t : threads) t.join();
  if (!status.ok()) return status.failure();
  return counts;
}

}  // namespace provarc
