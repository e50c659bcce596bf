// crawler/host_queue.h: one queue per authority (host and port, as Heritrix keys politeness): its
// politeness state, the claimed frontier entries waiting for it, and the robots.txt fetches that
// go before them.
//
// The crawl loop owns the queues and decides what each host does next; this module only keeps
// them. Not thread-safe.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/frontier.h"
#include "config/config.h"
#include "crawler/politeness.h"

namespace provarc {

// A claimed frontier entry waiting for its host, and the index of its site in the crawl; or a
// probe (not a frontier entry: item.id is 0) that tests a session parameter candidate
// (crawler/session_params.h).
struct Task {
  FrontierEntry item;
  size_t site = 0;
  bool probe = false;
};

// A robots.txt request waiting for its host: `url` may be a redirect target on another host than
// the origin whose rules it fetches.
struct RobotsFetch {
  std::string origin;  // whose rules these are
  std::string url;
  int redirects = 0;   // redirects that led to `url`
  size_t site = 0;     // the site whose entry needed it (its capture is recorded under it)
};

struct HostQueue {
  HostQueue(std::string authority, const PolitenessRules& rules)
      : authority(std::move(authority)), politeness(rules) {}
  std::string authority;
  HostPoliteness politeness;
  std::deque<RobotsFetch> robots_fetches;  // go before tasks
  std::deque<Task> tasks;
  // Tasks whose URL carries a session parameter candidate: they wait for its probe's verdict.
  std::deque<Task> deferred;
  bool waiting_for_robots = false;  // its next task waits for a robots.txt fetched elsewhere
  bool abandoned = false;           // left for the rest of the run

  // A site whose `rules` these are fetches from this host: its delay and Crawl-delay cap apply,
  // the politer of each when several sites share the host.
  void add_site(const CrawlRules& rules) {
    politeness.add_site_rules(Millis(rules.delay_ms), Millis(rules.max_crawl_delay_ms));
  }

  // Queues `task` after every task of its priority or higher: a listing's next page, claimed
  // after the articles of its first, is still fetched before them (so every URL a listing prints
  // is known before the articles are fetched, and the frontier keeps its spelling).
  void add_task(Task task);

  // True when it has something to start and nothing stops it but time.
  bool has_work() const {
    return !abandoned && !politeness.busy() && !waiting_for_robots &&
           !(tasks.empty() && robots_fetches.empty());
  }
};

class HostQueues {
 public:
  // Every new host starts from `rules`; the sites using it raise its delay (add_site).
  explicit HostQueues(const PolitenessRules& rules) : rules_(rules) {}

  // The queue of `authority`, made on first use.
  HostQueue& at(const std::string& authority);
  // nullptr when no queue was made for `authority`.
  const HostQueue* find(const std::string& authority) const;

  // The earliest start any host with work is waiting for, or `limit` when that is earlier.
  SteadyTime next_start(SteadyTime limit) const;

  // Leaves `host` for the rest of the run: returns its tasks and robots.txt fetches, now removed.
  struct Abandoned {
    std::vector<Task> tasks;
    std::vector<RobotsFetch> robots_fetches;
  };
  static Abandoned abandon(HostQueue& host);

  // In authority order.
  auto begin() { return hosts_.begin(); }
  auto end() { return hosts_.end(); }

 private:
  PolitenessRules rules_;
  std::map<std::string, std::unique_ptr<HostQueue>> hosts_;  // by authority
};

}  // namespace provarc
