#include "common/capture.h"

#include "common/ascii.h"

namespace provarc {

const char* capture_kind_name(CaptureKind kind) {
  switch (kind) {
    case CaptureKind::kPage: return "page";
    case CaptureKind::kRobots: return "robots";
    case CaptureKind::kSitemap: return "sitemap";
    case CaptureKind::kImage: return "image";
    case CaptureKind::kAttachment: return "attachment";
  }
  return "page";
}

const char* capture_outcome_name(CaptureOutcome outcome) {
  switch (outcome) {
    case CaptureOutcome::kOk: return "ok";
    case CaptureOutcome::kNotModified: return "not-modified";
    case CaptureOutcome::kError: return "error";
  }
  return "error";
}

std::string header_value(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const HttpHeader& h : headers) {
    if (ascii::iequals(h.name, name)) return h.value;
  }
  return "";
}

}  // namespace provarc
