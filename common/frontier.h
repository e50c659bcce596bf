// common/frontier.h: one URL on the crawl frontier, the vocabulary shared by the crawler (which
// discovers, claims and settles entries through its CrawlStore port) and the archive (which keeps
// them in its frontier table, across runs).
#pragma once

#include <cstdint>
#include <string>

#include "common/capture.h"

namespace provarc {

enum class FrontierState { kQueued, kInProgress, kDone, kFailed };

struct FrontierEntry {
  int64_t id = 0;           // given by the store; 0 before enqueue
  std::string site;
  std::string url;          // canonical: the best spelling of `key` offered so far
  // The identity key (crawler/identity.h): URLs with one key are one resource, kept once. ""
  // means the URL itself.
  std::string key;
  int spelling = 0;         // how good `url` is as a spelling of `key` (crawler/identity.h)
  CaptureKind kind = CaptureKind::kPage;
  std::string parent_url;   // images and attachments: the article that links them
  int depth = 0;            // links followed from a start URL, listing URL or sitemap
  int priority = 0;         // higher is claimed first
  std::string not_before;   // UTC "2026-11-21T23:55:25.123Z"; "" means as soon as possible
  // Read back from the store only (ignored by enqueue):
  FrontierState state = FrontierState::kQueued;
  int attempts = 0;         // failed attempts so far
  std::string last_error;
};

}  // namespace provarc
