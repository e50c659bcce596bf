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
  Result<bool> enqueue(const FrontierEntry& item, bool revisit) override;
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

  // ---- Inspection
  const std::vector<Capture>& captures() const { return captures_; }
  int captures_of(const std::string& url) const;
  // The content hashes of an article's versions, oldest first.
  std::vector<std::string> versions_of(const std::string& url) const;
  size_t article_count() const { return versions_.size(); }
  const Entry* entry(const std::string& site, const std::string& url) const;
  const std::map<std::pair<std::string, std::string>, Entry>& frontier() const { return frontier_; }

  // ---- Failure injection: record() fails once this many captures are stored (-1: never).
  int fail_after_captures = -1;

 private:
  Entry* by_id(int64_t id);

  std::map<std::string, SiteConfig> sites_;
  std::map<std::pair<std::string, std::string>, Entry> frontier_;  // (site, url)
  int64_t next_id_ = 1;
  std::vector<Capture> captures_;
  std::map<std::string, std::vector<std::string>> versions_;  // url -> content hashes
};

}  // namespace provarc::testing
