#include "crawler/reading_pool.h"

#include <chrono>

namespace provarc {

ReadingPool::ReadingPool(int threads, size_t capacity, std::function<void()> on_done)
    : capacity_(capacity < 1 ? 1 : capacity), on_done_(std::move(on_done)) {
  for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) threads_.emplace_back([this] { work(); });
}

ReadingPool::~ReadingPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  queued_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ReadingPool::submit(uint64_t id, std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Job{id, std::move(job)});
    ++held_;
  }
  queued_cv_.notify_one();
}

bool ReadingPool::has_room() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return held_ < capacity_;
}

size_t ReadingPool::held() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return held_;
}

std::vector<uint64_t> ReadingPool::take_done() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<uint64_t> done = std::move(done_);
  done_.clear();
  held_ -= done.size();
  return done;
}

void ReadingPool::wait_done(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  done_cv_.wait_for(lock, timeout, [&] { return !done_.empty(); });
}

void ReadingPool::work() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.run();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.push_back(job.id);
    }
    done_cv_.notify_all();
    if (on_done_) on_done_();
  }
}

}  // namespace provarc
