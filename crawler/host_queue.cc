#include "crawler/host_queue.h"

#include <algorithm>

namespace provarc {

void HostQueue::add_task(Task task) {
  auto after = std::find_if(tasks.rbegin(), tasks.rend(), [&](const Task& queued) {
    return queued.item.priority >= task.item.priority;
  });
  tasks.insert(after.base(), std::move(task));
}

HostQueue& HostQueues::at(const std::string& authority) {
  auto it = hosts_.find(authority);
  if (it == hosts_.end()) {
    it = hosts_.emplace(authority, std::make_unique<HostQueue>(authority, rules_)).first;
  }
  return *it->second;
}

const HostQueue* HostQueues::find(const std::string& authority) const {
  auto it = hosts_.find(authority);
  return it == hosts_.end() ? nullptr : it->second.get();
}

SteadyTime HostQueues::next_start(SteadyTime limit) const {
  SteadyTime next = limit;
  for (const auto& [authority, host] : hosts_) {
    if (host->has_work()) next = std::min(next, host->politeness.next_start());
  }
  return next;
}

HostQueues::Abandoned HostQueues::abandon(HostQueue& host) {
  host.abandoned = true;
  Abandoned out;
  out.tasks.assign(std::make_move_iterator(host.tasks.begin()),
                   std::make_move_iterator(host.tasks.end()));
  out.tasks.insert(out.tasks.end(), std::make_move_iterator(host.deferred.begin()),
                   std::make_move_iterator(host.deferred.end()));
  host.deferred.clear();
  out.robots_fetches.assign(std::make_move_iterator(host.robots_fetches.begin()),
                            std::make_move_iterator(host.robots_fetches.end()));
  host.tasks.clear();
  host.robots_fetches.clear();
  return out;
}

}  // namespace provarc
