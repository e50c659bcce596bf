// archive/wacz.h: WACZ 1.1.1 packages (Web Archive Collection Zipped, Webrecorder's
// specification): the archive's captures as WARC files with their CDXJ index, its article pages
// with their text, and a datapackage listing every file with its SHA-256, in one ZIP file that
// ReplayWeb.page and pywb replay offline. Reading a package's WARCs back is WarcImport's
// (archive/warc.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "archive/archive.h"
#include "archive/warc.h"
#include "common/result.h"

namespace provarc {

// What export_wacz() reports as it goes.
struct WaczProgress {
  enum class Stage { kCaptures, kPages, kZip };
  Stage stage = Stage::kCaptures;
  int64_t captures = 0;  // captures read so far
  int64_t pages = 0;     // pages listed so far
  double zipped = 0;     // fraction of the ZIP file written (kZip)
};

struct WaczOptions {
  std::string path;  // the package to write; must end in ".wacz" (the specification's MUST)
  CaptureFilter filter;
  std::string title;        // datapackage "title"
  std::string description;  // datapackage "description" (Markdown; plain text is fine)
  // The page a replay tool opens first (datapackage "mainPageUrl" and "mainPageDate"): given
  // only when the export holds a 2xx capture of it, dated by the last such capture.
  std::string main_page_url;
  std::string software = std::string("provarc ") + PROVARC_VERSION;
  int64_t max_warc_bytes = kDefaultWarcFileBytes;  // see WarcWriterOptions::max_file_bytes
  std::function<void(const WaczProgress&)> progress;  // optional; called from this thread
};

struct WaczCounts {
  WarcExportCounts warc;  // file paths as they were while staged (see export_wacz)
  int64_t pages = 0;      // lines of pages/pages.jsonl after its header
  std::string main_page_url;  // "" when not given
  std::string main_page_date;
  int64_t bytes = 0;  // the package's size
};

// Writes the captures of `archive` that `options.filter` selects as a WACZ package at
// `options.path`:
//   archive/provarc-<time>-<serial>.warc.gz  the captures, as export_warc() writes them, stored
//                                            in the ZIP uncompressed (each record is a gzip
//                                            member already, so a record is reached by offset)
//   indexes/index.cdxj                       their CDXJ index, SURT-sorted; offsets and lengths
//                                            are into those files
//   pages/pages.jsonl                        a header line, then one line per article version
//                                            read from a capture in the export: "id", "url",
//                                            "ts" (the capture's time), "title", "text"
//   datapackage.json                         every file above with its "sha256:" hash and size,
//                                            wacz_version 1.1.1, title, description, created,
//                                            software, and mainPageUrl/mainPageDate if any
//   datapackage-digest.json                  the hash of datapackage.json
// The parts are staged in a directory beside the package ("<path>.parts-XXXXXX"), then copied
// into the ZIP by libzip, which writes "<path>.XXXXXX" and renames it to `path` at the end
// (replacing a file there). Memory does not grow with the archive: captures are read one at a
// time, what the WARC writer remembers is spooled to disk, and the ZIP is written from files.
// Disk: the staged parts and the package are both there until the end (twice the package).
// Fails, naming the capture, file or entry, when nothing matches the filter (a package needs a
// WARC file), on archive errors, or when writing fails; then nothing is left at `path` (nor
// the staging directory) and a file that was there stays as it was.
Result<WaczCounts> export_wacz(Archive& archive, const WaczOptions& options);

// True when `path` is to be read as a WACZ package: its name ends in ".wacz" (any case), or its
// first bytes are a ZIP file's ("PK\3\4"). WarcImport::import_file() reads such files' WARCs.
bool is_wacz_file(const std::string& path);

}  // namespace provarc
