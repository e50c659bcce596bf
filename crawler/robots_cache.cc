#include "crawler/robots_cache.h"

#include "crawler/url_canon.h"

namespace provarc {

RobotsCache::State RobotsCache::state(const std::string& origin, SteadyTime now) {
  auto it = by_origin_.find(origin);
  if (it == by_origin_.end()) return State::kUnknown;
  if (it->second.state == State::kReady && now >= it->second.expires) {
    by_origin_.erase(it);  // older than 24 hours: fetch it again
    return State::kUnknown;
  }
  return it->second.state;
}

void RobotsCache::fetching(const std::string& origin) {
  by_origin_[origin].state = State::kFetching;
}

void RobotsCache::ready(const std::string& origin, RobotsTxt rules, SteadyTime now) {
  Entry& entry = by_origin_[origin];
  entry.state = State::kReady;
  entry.rules = std::move(rules);
  entry.expires = now + kLifetime;
}

void RobotsCache::unreachable(const std::string& origin) {
  Entry& entry = by_origin_[origin];
  entry.state = State::kUnreachable;
  entry.rules = RobotsTxt::disallow_all();
}

const RobotsTxt* RobotsCache::rules(const std::string& origin) const {
  auto it = by_origin_.find(origin);
  if (it == by_origin_.end()) return nullptr;
  if (it->second.state != State::kReady && it->second.state != State::kUnreachable) return nullptr;
  return &it->second.rules;
}

bool RobotsCache::known_disallowed(const std::string& user_agent, const std::string& url) const {
  auto origin = url_origin(url);
  if (!origin.ok()) return false;
  auto it = by_origin_.find(*origin);
  if (it == by_origin_.end() || it->second.state != State::kReady) return false;
  return !it->second.rules.check(user_agent, url).allowed;
}

}  // namespace provarc
