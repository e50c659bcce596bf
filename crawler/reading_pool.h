// crawler/reading_pool.h: the crawl's reading workers, which do the costly, store-free part of
// settling an answer (extracting an article, finding the links of a page or sitemap) off the
// transfer loop, so that one slow page never stalls the transfers of other hosts.
//
// Why: read inside the loop, a 5 MB page of 160 000 links held every other host's requests for
// 62 s (issue 13). The loop hands each answer that needs reading to the pool, keeps transferring,
// and settles the answer in the store (one transaction: capture, article, frontier) when its
// reading comes back; until then its frontier entry stays in progress, so a run killed meanwhile
// fetches it again at the next run and the archive never holds half of an answer.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace provarc {

// A fixed set of threads running jobs in the order given, at most `capacity` jobs held (queued,
// running, or done and not taken yet). Owned and driven by one thread (the crawl loop); the jobs
// run on the workers, and `on_done` is called on a worker after each job (the loop uses it to wake
// its wait). Jobs must not throw.
class ReadingPool {
 public:
  // `threads` >= 1 workers; `capacity` >= 1.
  ReadingPool(int threads, size_t capacity, std::function<void()> on_done);
  // Jobs not started are dropped; running ones finish first (the destructor waits for them).
  ~ReadingPool();
  ReadingPool(const ReadingPool&) = delete;
  ReadingPool& operator=(const ReadingPool&) = delete;

  // Queues `job` under `id`. Never blocks: the caller checks has_room() first (the loop then
  // starts no transfer that could need a reading).
  void submit(uint64_t id, std::function<void()> job);
  bool has_room() const;
  // Jobs submitted and not taken by take_done() yet.
  size_t held() const;
  // The ids of the jobs finished since the last call, in the order they finished.
  std::vector<uint64_t> take_done();
  // Blocks until a job is done or `timeout` passed (for a loop with no transfer to wait on).
  void wait_done(std::chrono::milliseconds timeout);

 private:
  struct Job {
    uint64_t id;
    std::function<void()> run;
  };
  void work();

  const size_t capacity_;
  std::function<void()> on_done_;
  mutable std::mutex mutex_;
  std::condition_variable queued_cv_;
  std::condition_variable done_cv_;
  std::deque<Job> queue_;
  std::vector<uint64_t> done_;
  size_t held_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace provarc
