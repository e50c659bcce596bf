// tests/support/memory_crawl_store.h: a CrawlStore kept in memory, for crawler tests: the frontier
// with the archive's semantics (claim order, revisit, requeue), captures, and article versions
// from the real extractor, plus failure injection.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "crawler/crawl_store.h"

namespace provarc::testing {

class MemoryCrawlStore : public CrawlStore {
 public:
  enum class State { kQueued, kInProgress, kDone, kFailed };
  struct Entry {
    FrontierEntry item;
    State state = State::kQueued;
    std::string error;
    int64_t seq = 0;  // enqueue order
  };

  // Article pages of these sites are extracted with their rules (parsers/extract.h).
  explicit MemoryCrawlStore(std::vector<SiteConfig> sites = {});

  Status atomically(const std::function<Status()>& body) override;
  Result<Enqueued> enqueue(const FrontierEntry& item, bool revisit) override;
  Result<bool> respell(int64_t id, const std::string& url, const std::string& key,
                       int spelling) override;
  Result<std::vector<FrontierEntry>> claim(const std::string& site, const std::string& now,
                                       int limit) override;
  Status mark_done(int64_t id) override;
  Status mark_failed(int64_t id, const std::string& error) override;
  Status retry_at(int64_t id, const std::string& not_before, const std::string& error) override;
  Result<int64_t> requeue_in_progress() override;
  Result<int64_t> pending_count(const std::string& site) override;
  Result<std::string> last_fetched(const std::string& url) override;
  Result<CachedValidators> validators(const std::string& url) override;
  Result<RecordedCapture> record(const Capture& capture, bool is_article) override;
  Status record_alias(const std::string& site, const UrlAlias& alias, int64_t capture_id) override;
  Result<std::vector<LearnedSession>> learned_sessions(const std::string& site) override;
  Status record_session(const std::string& site, const LearnedSession& session) override;

  // ---- Inspection
  const std::vector<Capture>& captures() const { return captures_; }
  int captures_of(const std::string& url) const;
  // The content hashes of an article's versions, oldest first.
  std::vector<std::string> versions_of(const std::string& url) const;
  size_t article_count() const { return versions_.size(); }
  // The entry whose URL is `url`, or nullptr.
  const Entry* entry(const std::string& site, const std::string& url) const;
  // By (site, identity key).
  const std::map<std::pair<std::string, std::string>, Entry>& frontier() const { return frontier_; }
  const std::map<std::string, UrlAlias>& aliases() const { return aliases_; }
  // The sessions kept per site (record_session), read back by learned_sessions().
  std::map<std::string, std::vector<LearnedSession>> sessions;

  // ---- Failure injection: record() fails once this many captures are stored (-1: never).
  int fail_after_captures = -1;

 private:
  Entry* by_id(int64_t id);
  Entry* by_url(const std::string& site, const std::string& url);

  std::map<std::string, SiteConfig> sites_;
  std::map<std::pair<std::string, std::string>, Entry> frontier_;  // (site, identity key)
  std::map<std::string, UrlAlias> aliases_;                         // by alias URL
  int64_t next_id_ = 1;
  std::vector<Capture> captures_;
  std::map<std::string, std::vector<std::string>> versions_;  // url -> content hashes
};

}  // namespace provarc::testing
