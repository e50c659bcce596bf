#include "tests/support/memory_crawl_store.h"

#include <algorithm>

#include "common/digest.h"
#include "parsers/extract.h"

namespace provarc::testing {

MemoryCrawlStore::MemoryCrawlStore(std::vector<SiteConfig> sites) {
  for (SiteConfig& site : sites) sites_.emplace(site.id, std::move(site));
}

Status MemoryCrawlStore::atomically(const std::function<Status()>& body) {
  // All or nothing, as a transaction: restore the state when the body fails.
  auto frontier = frontier_;
  auto captures = captures_;
  auto versions = versions_;
  auto aliases = aliases_;
  auto kept = sessions;
  Status status = body();
  if (!status.ok()) {
    frontier_ = std::move(frontier);
    captures_ = std::move(captures);
    versions_ = std::move(versions);
    aliases_ = std::move(aliases);
    sessions = std::move(kept);
  }
  return status;
}

Result<Enqueued> MemoryCrawlStore::enqueue(const FrontierEntry& item, bool revisit) {
  auto key = std::make_pair(item.site, item.key.empty() ? item.url : item.key);
  Enqueued out;
  auto it = frontier_.find(key);
  Entry* known = it != frontier_.end() ? &it->second : by_url(item.site, item.url);
  if (known == nullptr) {
    Entry entry;
    entry.item = item;
    entry.item.key = key.second;
    entry.item.id = next_id_++;
    entry.item.attempts = 0;
    entry.seq = entry.item.id;
    out = Enqueued{true, true, false, entry.item.id, item.url, FrontierState::kQueued};
    frontier_.emplace(key, std::move(entry));
    return out;
  }
  Entry& entry = *known;
  const bool waiting = entry.state == State::kQueued || entry.state == State::kInProgress;
  if (waiting && item.spelling > entry.item.spelling && item.url != entry.item.url &&
      by_url(item.site, item.url) == nullptr) {
    entry.item.url = item.url;
    entry.item.spelling = item.spelling;
    out.respelled = true;
  }
  out.id = entry.item.id;
  out.url = entry.item.url;
  out.state = static_cast<FrontierState>(entry.state);
  if (!revisit || waiting) return out;
  entry.state = State::kQueued;
  entry.item.priority = item.priority;
  entry.item.not_before = item.not_before;
  entry.error.clear();
  out.queued = true;
  out.state = FrontierState::kQueued;
  return out;
}

Result<bool> MemoryCrawlStore::respell(int64_t id, const std::string& url, const std::string& key,
                                       int spelling) {
  Entry* entry = by_id(id);
  if (entry == nullptr) return fail("memory store: no frontier entry " + std::to_string(id));
  const std::string site = entry->item.site;
  Entry* other = by_url(site, url);
  if (other != nullptr && other != entry) return false;
  auto same_key = frontier_.find({site, key});
  if (same_key != frontier_.end() && &same_key->second != entry) return false;
  auto node = frontier_.extract({site, entry->item.key});
  if (node.empty()) return fail("memory store: frontier entry " + std::to_string(id) + " lost");
  node.key() = {site, key};
  node.mapped().item.url = url;
  node.mapped().item.key = key;
  node.mapped().item.spelling = spelling;
  frontier_.insert(std::move(node));
  return true;
}

MemoryCrawlStore::Entry* MemoryCrawlStore::by_url(const std::string& site, const std::string& url) {
  for (auto& [key, entry] : frontier_) {
    if (key.first == site && entry.item.url == url) return &entry;
  }
  return nullptr;
}

Status MemoryCrawlStore::record_alias(const std::string& site, const UrlAlias& alias,
                                      int64_t capture_id) {
  aliases_.emplace(alias.url, alias);
  return Status::Ok();
}

Result<std::vector<LearnedSession>> MemoryCrawlStore::learned_sessions(const std::string& site) {
  auto it = sessions.find(site);
  return it == sessions.end() ? std::vector<LearnedSession>() : it->second;
}

Status MemoryCrawlStore::record_session(const std::string& site, const LearnedSession& session) {
  sessions[site].push_back(session);
  return Status::Ok();
}

Result<std::vector<FrontierEntry>> MemoryCrawlStore::claim(const std::string& site,
                                                       const std::string& now, int limit) {
  std::vector<Entry*> due;
  for (auto& [key, entry] : frontier_) {
    if (key.first == site && entry.state == State::kQueued && entry.item.not_before <= now) {
      due.push_back(&entry);
    }
  }
  std::sort(due.begin(), due.end(), [](const Entry* a, const Entry* b) {
    if (a->item.priority != b->item.priority) return a->item.priority > b->item.priority;
    if (a->item.not_before != b->item.not_before) return a->item.not_before < b->item.not_before;
    return a->seq < b->seq;
  });
  std::vector<FrontierEntry> claimed;
  for (Entry* entry : due) {
    if (static_cast<int>(claimed.size()) >= limit) break;
    entry->state = State::kInProgress;
    claimed.push_back(entry->item);
  }
  return claimed;
}

MemoryCrawlStore::Entry* MemoryCrawlStore::by_id(int64_t id) {
  for (auto& [key, entry] : frontier_) {
    if (entry.item.id == id) return &entry;
  }
  return nullptr;
}

Status MemoryCrawlStore::mark_done(int64_t id) {
  Entry* entry = by_id(id);
  if (entry == nullptr) return fail("memory store: no frontier entry " + std::to_string(id));
  entry->state = State::kDone;
  return Status::Ok();
}

Status MemoryCrawlStore::mark_failed(int64_t id, const std::string& error) {
  Entry* entry = by_id(id);
  if (entry == nullptr) return fail("memory store: no frontier entry " + std::to_string(id));
  entry->state = State::kFailed;
  entry->error = error;
  return Status::Ok();
}

Status MemoryCrawlStore::retry_at(int64_t id, const std::string& not_before,
                                  const std::string& error) {
  Entry* entry = by_id(id);
  if (entry == nullptr) return fail("memory store: no frontier entry " + std::to_string(id));
  entry->state = State::kQueued;
  entry->item.not_before = not_before;
  entry->item.attempts += 1;
  entry->error = error;
  return Status::Ok();
}

Result<int64_t> MemoryCrawlStore::requeue_in_progress() {
  int64_t n = 0;
  for (auto& [key, entry] : frontier_) {
    if (entry.state == State::kInProgress) {
      entry.state = State::kQueued;
      ++n;
    }
  }
  return n;
}

Result<int64_t> MemoryCrawlStore::pending_count(const std::string& site) {
  int64_t n = 0;
  for (const auto& [key, entry] : frontier_) {
    n += key.first == site && (entry.state == State::kQueued || entry.state == State::kInProgress);
  }
  return n;
}

Result<std::string> MemoryCrawlStore::last_fetched(const std::string& url) {
  std::string last;
  for (const Capture& c : captures_) {
    if (c.url == url) last = std::max(last, c.fetched_at);
  }
  return last;
}

Result<CachedValidators> MemoryCrawlStore::validators(const std::string& url) {
  CachedValidators v;
  for (const Capture& c : captures_) {
    if (c.url == url && c.outcome == CaptureOutcome::kOk && !c.body.empty()) {
      v.etag = header_value(c.response_headers, "ETag");
      v.last_modified = header_value(c.response_headers, "Last-Modified");
    }
  }
  return v;
}

Result<RecordedCapture> MemoryCrawlStore::record(const Capture& capture, bool is_article) {
  if (fail_after_captures >= 0 && static_cast<int>(captures_.size()) >= fail_after_captures) {
    return fail("memory store: disk full (injected) storing " + capture.url);
  }
  captures_.push_back(capture);
  RecordedCapture recorded;
  recorded.capture_id = static_cast<int64_t>(captures_.size());
  bool parseable = capture.kind == CaptureKind::kPage && capture.outcome == CaptureOutcome::kOk &&
                   capture.status >= 200 && capture.status < 300 && !capture.body.empty();
  auto site = sites_.find(capture.site);
  if (!is_article || !parseable || site == sites_.end()) return recorded;
  auto article = extract_article(capture.body, header_value(capture.response_headers, "Content-Type"),
                                 capture.url, site->second.extract);
  if (!article.ok()) {
    recorded.change = ArticleChange::kFailed;
    recorded.parse_error = article.error();
    return recorded;
  }
  for (const Image& image : article->images) recorded.images.push_back(image.url);
  for (const Attachment& a : article->attachments) recorded.attachments.push_back(a.url);
  std::string hash = sha256_hex(article->title + "\n" + article->text());
  std::vector<std::string>& versions = versions_[capture.url];
  if (versions.empty()) {
    recorded.change = ArticleChange::kNew;
    versions.push_back(hash);
  } else if (versions.back() != hash) {
    recorded.change = ArticleChange::kChanged;
    versions.push_back(hash);
  } else {
    recorded.change = ArticleChange::kUnchanged;
  }
  return recorded;
}

int MemoryCrawlStore::captures_of(const std::string& url) const {
  return static_cast<int>(std::count_if(captures_.begin(), captures_.end(),
                                        [&](const Capture& c) { return c.url == url; }));
}

std::vector<std::string> MemoryCrawlStore::versions_of(const std::string& url) const {
  auto it = versions_.find(url);
  return it == versions_.end() ? std::vector<std::string>() : it->second;
}

const MemoryCrawlStore::Entry* MemoryCrawlStore::entry(const std::string& site,
                                                       const std::string& url) const {
  return const_cast<MemoryCrawlStore*>(this)->by_url(site, url);
}

}  // namespace provarc::testing
