// SiteCrawl's URL identity (site_crawl.h): claimed entries resolved against what the run learned
// since they were queued, pages filed under the resource their rel=canonical names, and session
// parameter candidates confirmed or rejected by a probe.
#include <algorithm>
#include <cstdio>
#include <set>

#include "common/url.h"
#include "crawler/site_crawl.h"

namespace provarc {
namespace {

constexpr size_t kMaxPrints = 512;        // page fingerprints kept per site and run
constexpr double kSamePage = 0.9;         // fingerprint similarity of one page without its links
constexpr int kMaxCanonicalClaims = 4;    // pages whose rel=canonical may name one other article
constexpr int kProbePriority = kPrioritySeed + 5;

std::string two_decimals(double x) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", x);
  return text;
}

}  // namespace

Result<SiteCrawl::Resolution> SiteCrawl::resolve(FrontierEntry& item) {
  if (auto respelled = respelled_.find(item.id); respelled != respelled_.end()) {
    item.url = respelled->second;
    respelled_.erase(respelled);
  }
  if (item.kind != CaptureKind::kPage) return Resolution::kFetch;
  if (defers(item)) return Resolution::kDefer;
  auto canonical = identity_.canonicalize(item.url);
  if (canonical.ok() && *canonical != item.url) {
    // Learned since it was queued: a session parameter it carries is dropped now. The entry takes
    // the URL without it, unless another entry has that URL or its identity already: then it is
    // that entry's resource, settled without a request.
    const std::string key = discovery_.entry_for(*canonical).key;
    auto moved = store_.respell(item.id, *canonical, key, item.spelling);
    if (!moved.ok()) return moved.failure();
    if (*moved) {
      item.url = *canonical;
      item.key = key;
      return Resolution::kFetch;
    }
    if (Status s = store_.mark_done(item.id); !s.ok()) return s.failure();
    ++progress.collapsed;
    return Resolution::kSettled;
  }
  const PageRole role = discovery_.role_of_url(item.url);
  if (role != PageRole::kSeed && role != PageRole::kListing && alias_shapes_.refuses(item.url)) {
    refuse(kGuardAliasShape, item.url, false, false);
    if (Status s = store_.mark_done(item.id); !s.ok()) return s.failure();
    return Resolution::kSettled;
  }
  return Resolution::kFetch;
}

bool SiteCrawl::defers(const FrontierEntry& item) const {
  return item.id != 0 && sessions_.candidate_in(item.url).has_value();
}

// ---- What a page says it is

SiteCrawl::PageIdentity SiteCrawl::identify(const FrontierEntry& item, const PageSignals* page) {
  PageIdentity as;
  if (page == nullptr || page->canonical.empty()) return as;
  auto canonical = identity_.canonicalize(page->canonical);
  if (!canonical.ok() || *canonical == item.url) return as;
  // Only a page of the site counts, and not a start or listing URL: "every page is the home
  // page" is a known misconfiguration, not an identity.
  const PageRole role = discovery_.role_of_url(*canonical);
  if (role == PageRole::kSeed || !discovery_.scope().page_rejection(*canonical, 0).empty()) {
    return as;
  }
  const std::string key = item.key.empty() ? item.url : item.key;
  const IdentityKey target = identity_.key_of(*canonical, role);
  if (target.key == key) {
    as.stands_for = *canonical;
    as.evidence = "rel=canonical, one identity (" + target.signal + ")";
    return as;
  }
  if (role != PageRole::kArticle) return as;
  // Many pages naming one other article: a template's mistake rather than their twins.
  if (++canonical_claims_[*canonical] > kMaxCanonicalClaims) {
    if (canonical_claims_[*canonical] == kMaxCanonicalClaims + 1) {
      log_("warning: " + config().id + ": more than " + std::to_string(kMaxCanonicalClaims) +
           " pages name " + *canonical + " as their canonical URL; it is no longer taken for it");
    }
    return as;
  }
  as.alias_of = *canonical;
  as.evidence = "rel=canonical";
  return as;
}

// Inside the settling transaction: the alias and what follows from it.
Status SiteCrawl::record_identity(const FrontierEntry& item, const PageIdentity& as,
                                  int64_t capture_id) {
  if (!as.stands_for.empty()) {
    auto respelled = store_.respell(item.id, as.stands_for, item.key.empty() ? item.url : item.key,
                                    static_cast<int>(Spelling::kCanonical));
    if (!respelled.ok()) return respelled.failure();
    ++progress.aliases;
    return store_.record_alias(config().id, {item.url, as.stands_for, as.evidence}, capture_id);
  }
  if (as.alias_of.empty()) return Status::Ok();
  ++progress.aliases;
  if (Status s = store_.record_alias(config().id, {item.url, as.alias_of, as.evidence}, capture_id);
      !s.ok()) {
    return s;
  }
  // The article it stands for is fetched in its own right, if it is not known yet.
  Discovered article{discovery_.entry_for(as.alias_of), Revisit::kWhenStale, true};
  article.entry.depth = item.depth;
  article.entry.parent_url = item.parent_url;
  article.entry.priority = kPriorityArticle;
  article.entry.spelling = static_cast<int>(Spelling::kCanonical);
  SiteAdmission::Outcome offered;
  if (Status s = offer(article, &offered); !s.ok()) return s;
  alias_shapes_.observe(item.url, !offered.is_new && !offered.capped);
  return Status::Ok();
}

// ---- Page fingerprints

void SiteCrawl::remember_print(const std::string& url, const PageFingerprint& print) {
  if (prints_.insert_or_assign(url, print).second) print_order_.push_back(url);
  // The start and listing pages stay: a probe compares with them first.
  while (prints_.size() > kMaxPrints && !print_order_.empty()) {
    std::string oldest = print_order_.front();
    print_order_.pop_front();
    if (!identity_.seeds().count(oldest)) prints_.erase(oldest);
  }
}

const PageFingerprint* SiteCrawl::print_of(const std::string& url) const {
  auto it = prints_.find(url);
  return it == prints_.end() ? nullptr : &it->second;
}

std::string SiteCrawl::repeats_listing(const FrontierEntry& item,
                                       const std::set<std::string>& articles) const {
  if (item.parent_url.empty() || discovery_.role_of_url(item.url) != PageRole::kListing ||
      discovery_.role_of_url(item.parent_url) != PageRole::kListing) {
    return "";
  }
  if (!listing_articles_.all_on(item.parent_url, articles)) return "";
  const PageFingerprint* print = print_of(item.url);
  const PageFingerprint* before = print_of(item.parent_url);
  if (print == nullptr || before == nullptr) return "";
  double similarity = print->similarity(*before);
  if (similarity < kSamePage) return "";
  return item.url + " repeats the listing page before it, " + item.parent_url + ": its " +
         std::to_string(articles.size()) + " article links were all on it, and its text without " +
         "links is the same (similarity " + two_decimals(similarity) + ")";
}

// ---- Session parameters

void SiteCrawl::observe_sessions(const FrontierEntry& item, const PageSignals& page) {
  if (!config().crawl.learn_session_params) return;
  std::vector<std::string> links;
  links.reserve(page.links.size());
  for (const std::string& raw : page.links) {
    if (auto url = identity_.canonicalize(raw); url.ok()) links.push_back(std::move(*url));
  }
  for (const SessionParam& param :
       sessions_.observe(item.url, links, discovery_.scope().hosts())) {
    if (identity_.keeps(param.param)) {
      sessions_.settle(param, false);
      continue;
    }
    log_("note: " + config().id + ": " + param.param + " on " + param.host +
         " looks like a session parameter (" + sessions_.signals(param) + "); probing");
    plan_probe(param);
  }
}

// Chooses the probe of `param`: a URL carrying it whose session-free twin was fetched (its
// fingerprint known) if one was seen; else one whose twin is an article with the fewest other
// parameters (its rel=canonical is most likely that twin); else the first seen.
void SiteCrawl::plan_probe(const SessionParam& param) {
  if (probe_) {
    waiting_probes_.push_back(param);
    return;
  }
  std::vector<std::string> examples = sessions_.examples(param);
  if (examples.empty()) {
    sessions_.settle(param, false);
    return;
  }
  auto base_of = [&](const std::string& url) {
    return without_param(url, param.param, param.path_param);
  };
  auto pick = std::find_if(examples.begin(), examples.end(),
                           [&](const std::string& u) { return print_of(base_of(u)) != nullptr; });
  if (pick == examples.end()) {
    auto params = [&](const std::string& u) {
      std::string base = base_of(u);
      return std::count(base.begin(), base.end(), '&') + (base.find('?') != std::string::npos);
    };
    for (auto it = examples.begin(); it != examples.end(); ++it) {
      if (discovery_.role_of_url(base_of(*it)) != PageRole::kArticle) continue;
      if (pick == examples.end() || params(*it) < params(*pick)) pick = it;
    }
  }
  if (pick == examples.end()) pick = examples.begin();
  probe_ = Probe{param, *pick, base_of(*pick)};
}

std::optional<FrontierEntry> SiteCrawl::take_probe() {
  if (!probe_ || probe_->taken || !stop_reason_.empty()) return std::nullopt;
  probe_->taken = true;
  FrontierEntry entry;
  entry.site = config().id;
  entry.url = probe_->variant_fetched ? probe_->base : probe_->variant;
  entry.key = entry.url;
  entry.kind = CaptureKind::kPage;
  entry.priority = kProbePriority;
  return entry;
}

void SiteCrawl::probe_failed(const FrontierEntry& item, const std::string& why) {
  if (!probe_ || (probe_->variant != item.url && probe_->base != item.url)) return;
  (void)decide_probe(false, "its probe " + item.url + " could not be fetched: " + why);
}

Status SiteCrawl::settle_probe(const FrontierEntry& item, const Disposition& d,
                               const Capture& capture) {
  return store_.atomically([&]() -> Status {
    auto recorded = store_.record(capture, false);
    if (!recorded.ok()) return recorded.failure();
    if (!probe_) return Status::Ok();
    const std::string& base = probe_->base;
    const bool variant = !probe_->variant_fetched && item.url == probe_->variant;
    if (!variant && item.url != base) return Status::Ok();
    const std::string content_type = header_value(capture.response_headers, "Content-Type");
    if (variant && d.kind == Disposition::Kind::kRedirect) {
      auto target = identity_.canonicalize(d.redirect);
      bool to_base = target.ok() && *target == base;
      return decide_probe(to_base, to_base ? item.url + " redirects to " + base
                                           : item.url + " redirects elsewhere");
    }
    if (d.kind != Disposition::Kind::kDiscover || !is_html(content_type, capture.body)) {
      return decide_probe(false, "its probe " + item.url + " gave no page (" +
                                     (d.reason.empty() ? "HTTP " + std::to_string(capture.status)
                                                       : d.reason) + ")");
    }
    PageSignals page = read_page(capture.body, content_type, capture.url);
    if (!variant) return compare_with_base(page.fingerprint);  // the base, fetched second
    if (!page.canonical.empty()) {
      auto canonical = identity_.canonicalize(page.canonical);
      if (canonical.ok() && *canonical == base) {
        return decide_probe(true, "rel=canonical of " + item.url + " is " + base);
      }
    }
    probe_->variant_fetched = true;
    probe_->variant_print = page.fingerprint;
    if (const PageFingerprint* known = print_of(base)) return compare_with_base(*known);
    probe_->taken = false;  // the base is fetched next, as a probe of its own
    return Status::Ok();
  });
}

// The probe's variant and base pages are both known: the same text without links, or not.
Status SiteCrawl::compare_with_base(const PageFingerprint& print) {
  double similarity = probe_->variant_print.similarity(print);
  bool same = similarity >= kSamePage;
  return decide_probe(same, std::string(same ? "same" : "other") + " text as " + probe_->base +
                                " without links (similarity " + two_decimals(similarity) +
                                ") at " + probe_->variant);
}

Status SiteCrawl::decide_probe(bool confirmed, const std::string& evidence) {
  Probe probe = std::move(*probe_);
  probe_.reset();
  // What made it a candidate goes with what confirmed it (read before settle() forgets it).
  const std::string signals = sessions_.signals(probe.param);
  sessions_.settle(probe.param, confirmed);
  if (confirmed) {
    LearnedSession learned{probe.param.host, probe.param.param, probe.param.path_param,
                           evidence + (signals.empty() ? "" : "; a candidate by " + signals),
                           format_utc(clock_.wall_now())};
    if (identity_.learn(learned)) {
      progress.sessions.push_back(learned);
      log_("note: " + config().id + ": learned session parameter " + learned.param + " on " +
           learned.host + " (" + learned.evidence + ")");
      if (Status s = store_.record_session(config().id, learned); !s.ok()) return s;
      UrlAlias alias{probe.variant, probe.base, "session parameter " + learned.param};
      if (Status s = store_.record_alias(config().id, alias, 0); !s.ok()) return s;
    }
  } else {
    log_("note: " + config().id + ": " + probe.param.param + " on " + probe.param.host +
         " is kept: " + evidence);
  }
  if (!waiting_probes_.empty()) {
    SessionParam next = waiting_probes_.front();
    waiting_probes_.erase(waiting_probes_.begin());
    plan_probe(next);
  }
  return Status::Ok();
}

}  // namespace provarc
