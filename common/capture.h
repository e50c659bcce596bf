// common/capture.h: one HTTP exchange as the crawler saw it, the vocabulary shared by the crawler
// (which produces captures), the archive (which stores them) and WARC import/export.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provarc {

struct HttpHeader {
  std::string name;   // as received
  std::string value;  // as received, trimmed
  bool operator==(const HttpHeader&) const = default;
};

enum class CaptureOutcome {
  kOk,           // a response was received (any status, 2xx to 5xx)
  kNotModified,  // 304 to a conditional GET: the archive's latest body still holds
  kError,        // no usable response: DNS, connect, TLS, timeout, reset, size cap; see `error`
};

// What a capture was fetched for.
enum class CaptureKind { kPage, kRobots, kSitemap, kImage, kAttachment };

struct Capture {
  std::string url;         // canonical URL requested, or the canonical spelling of the resource
                           // the answer turned out to be (then `requested_url` is the one sent)
  std::string requested_url;  // "" unless the URL requested differs from `url`
  std::string site;        // site id
  CaptureKind kind = CaptureKind::kPage;
  std::string parent_url;  // for images and attachments: the article page that links them
  std::string fetched_at;  // UTC, ISO 8601 with milliseconds: "2026-11-21T23:55:25.123Z"
  CaptureOutcome outcome = CaptureOutcome::kOk;
  // When kError: what failed, e.g. "total timeout of 120000 ms reached: ...". When kOk: "" or,
  // for a body kept in part (robots.txt, sitemaps), that it was cut at the size cap.
  std::string error;
  int status = 0;          // HTTP status of the final response, 0 when none
  std::string http_version;                 // "HTTP/1.1", "HTTP/2"
  std::vector<HttpHeader> request_headers;  // as sent, for WARC request records
  std::vector<HttpHeader> response_headers; // as received
  std::string redirect_target;  // absolute Location of a 3xx, "" otherwise
  std::string body;        // payload after Content-Encoding is undone; "" for 304 and errors
  std::string ip;          // remote address, "" when unknown
};

const char* capture_kind_name(CaptureKind kind);        // "page", "robots", ...
const char* capture_outcome_name(CaptureOutcome outcome);  // "ok", "not-modified", "error"

// The value of the first header named `name` (case-insensitive), "" when absent.
std::string header_value(const std::vector<HttpHeader>& headers, std::string_view name);

}  // namespace provarc
