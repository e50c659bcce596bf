// tests/support/wacz_check.h: a WACZ package checked against the WACZ 1.1.1 specification by
// reading it back with libzip, as a replay tool would, without provarc's writer: every entry
// read whole (CRCs), datapackage.json and its digest, the CDXJ index against the WARC records it
// points at, and pages.jsonl.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace provarc::testing {

// One line of a CDXJ index, split.
struct CdxjLine {
  std::string key;        // the SURT
  std::string timestamp;  // 14 digits
  nlohmann::json block;   // url, mime, status, digest, length, offset, filename
  std::string text;       // the whole line
};

struct WaczContents {
  std::vector<std::string> problems;  // what breaks the specification; empty when it passes
  std::vector<std::string> entries;   // in the ZIP's order
  std::map<std::string, std::string> files;  // entry -> its bytes (the package is read whole)
  nlohmann::json datapackage;
  nlohmann::json pages_header;
  std::vector<nlohmann::json> pages;  // pages/pages.jsonl after its header
  std::vector<CdxjLine> index;        // the lines of every indexes/*.cdx and *.cdxj
  bool zip64 = false;                 // the file ends with a ZIP64 end of central directory
};

// Reads the package at `path` and checks it:
// - the ZIP opens with libzip's consistency check and every entry reads to its end (CRC);
//   archive/ holds one or more .warc or .warc.gz files, stored uncompressed; indexes/ one or
//   more CDXJ files; pages/pages.jsonl is there;
// - datapackage.json: profile "data-package", wacz_version "1.1.1", a resources list naming
//   every other entry but datapackage-digest.json, each with the "sha256:" hash and the byte
//   count of that entry; created an RFC 3339 time; title and software strings;
// - datapackage-digest.json: path "datapackage.json" and its hash;
// - the index: each line `<SURT> <14 digits> {json}`, bytewise sorted, its filename an entry of
//   archive/, and the `length` bytes at `offset` of that file exactly one WARC record (one gzip
//   member) of type response or revisit whose WARC-Target-URI is the line's url, whose
//   WARC-Date gives its timestamp and whose HTTP status is its status;
// - pages.jsonl: a header line with "format" json-pages-1.0 and an "id", then objects with a
//   "url" and an RFC 3339 "ts", each url found in the index.
WaczContents check_wacz(const std::string& path);

}  // namespace provarc::testing
