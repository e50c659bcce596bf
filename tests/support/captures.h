// tests/support/captures.h: captures built in memory for the archive and export tests.
#pragma once

#include <string>

#include "common/capture.h"

namespace provarc::testing {

// A page of bac-kan's portal as a crawl stores it: request headers sent, a gzipped HTML answer
// (Content-Type, Content-Encoding, a Content-Length of the wire bytes, Date) decoded to `body`,
// and the server's IP.
Capture crawled_capture(const std::string& url, const std::string& fetched_at, int status,
                        const std::string& body);

}  // namespace provarc::testing
