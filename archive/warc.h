// archive/warc.h: WARC files (ISO 28500): exporting captures as WARC 1.1 with a CDXJ index, and
// reading WARC 1.0/1.1 files written by provarc, GNU wget or Heritrix back into captures.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.h"
#include "common/capture.h"
#include "common/result.h"

namespace provarc {

namespace sql {
class Connection;  // archive/sqlite.h
}
class ExportSpool;     // archive/export_spool.h
class GzipMembers;     // archive/gzip.h
struct WarcRecordRef;  // archive/export_spool.h
class Sha256;       // common/digest.h

// ---- Writing
//
// Each capture becomes a `request` record (when the capture knows the request headers it sent)
// and a `response` record, each record its own gzip member. A 304 becomes a `revisit` record of
// the server-not-modified profile, pointing at the URL's last record with a payload when this
// export wrote one; a response whose payload (not empty) equals one already written in the same
// export becomes a `revisit` of the identical-payload-digest profile pointing at the first. The
// pointers are WARC-Refers-To, WARC-Refers-To-Target-URI and WARC-Refers-To-Date. Captures that got
// no response (outcome error) have no HTTP message to record and are skipped. Every file starts
// with a `warcinfo` record.
//
// The archive keeps a body decoded (Content-Encoding and Transfer-Encoding undone), so a response
// record holds the message as stored, not the bytes as they crossed the wire: its
// Content-Encoding and Transfer-Encoding headers are renamed X-Archive-Orig-Content-Encoding and
// X-Archive-Orig-Transfer-Encoding, and a Content-Length that does not give the stored size is
// renamed X-Archive-Orig-Content-Length and followed by the right one (the convention of
// warcio's and pywb's "X-Archive-Orig-" headers). The block is then a valid HTTP message whose
// body is exactly the payload, and WARC-Payload-Digest is the SHA-1 of that payload. A response
// that had no Content-Length gets none: its body ends with the block, as it ended with the
// connection. Reading a record undoes the renaming (see WarcCaptureReader).

inline constexpr int64_t kDefaultWarcFileBytes = 1'000'000'000;

struct WarcWriterOptions {
  std::string directory;  // where the files go; created when missing
  // Files are named <prefix>-<14-digit UTC start time>-<5-digit serial>.warc.gz; the index is
  // <prefix>-<time>.cdxj beside them. A file is written as "<name>.open" and renamed when closed;
  // one that a failure cuts short is removed (the files closed before it stay).
  std::string prefix = "provarc";
  // A new file is started before a capture when the current one has reached this size, so files
  // end near it (a capture's records are never split across files).
  int64_t max_file_bytes = kDefaultWarcFileBytes;
  std::string software = std::string("provarc/") + PROVARC_VERSION;  // for warcinfo
  // Where the index goes; "" for <directory>/<prefix>-<time>.cdxj.
  std::string index_path;
};

struct WarcExportCounts {
  int64_t responses = 0;
  int64_t requests = 0;
  int64_t identical_revisits = 0;     // identical-payload-digest
  int64_t not_modified_revisits = 0;  // server-not-modified
  int64_t skipped = 0;                // captures with no response, or with an unusable URL
  std::vector<std::string> files;     // the WARC files written, in order (full paths)
  std::vector<std::string> file_sha256;  // the SHA-256 (hex) of each of `files`, in order
  std::string index;                  // the CDXJ index (full path)
  std::string index_sha256;           // its SHA-256 (hex)
};

// Writes captures into rotated WARC files and their CDXJ index. Not thread-safe. A writer that is
// destroyed without finish() (a failed export) removes its last file, "<name>.open", and writes
// no index; the files it closed before stay, each a complete WARC file. What it must remember
// from record to record (the records revisits refer to, the index lines) is kept in a temporary
// database (archive/export_spool.h): its memory does not grow with the export.
class WarcWriter {
 public:
  // Creates the directory when missing. Fails, naming the directory, when it cannot, or when
  // the temporary database cannot be created.
  static Result<std::unique_ptr<WarcWriter>> create(const WarcWriterOptions& options);
  ~WarcWriter();
  WarcWriter(const WarcWriter&) = delete;
  WarcWriter& operator=(const WarcWriter&) = delete;

  // Writes the records of one capture (see above). A capture that cannot be recorded (no
  // response, a URL that is not absolute http(s), a malformed fetched_at) is counted as skipped
  // and returns ok. Fails, naming the file, when writing fails (full disk).
  Status write(const Capture& capture);

  // Closes the last file and writes the index: one line per response and revisit record,
  // `<SURT> <14-digit time> {"url":..,"mime":..,"status":..,"digest":"sha1:..","length":..,
  // "offset":..,"filename":..}`, sorted bytewise (as `LC_ALL=C sort` would). Returns what was
  // written.
  Result<WarcExportCounts> finish();

 private:
  WarcWriter(const WarcWriterOptions& options, std::unique_ptr<ExportSpool> spool);
  Status open_file();
  Status close_file();
  Status append(const std::string& record_bytes, int64_t* offset);
  Status write_response(const Capture& capture, const std::string& date,
                        const std::string& request_id);
  Status index(const Capture& capture, const std::string& date, const std::string& mime,
               const std::string& payload_digest, int64_t offset, int64_t length);
  Status remember(const Capture& capture, const std::string& payload_digest,
                  const WarcRecordRef& written, bool identical);
  std::string new_record_id();

  WarcWriterOptions options_;
  std::string stamp_;  // the 14-digit start time in file names
  int serial_ = 0;
  std::FILE* file_ = nullptr;
  std::string file_name_;  // without directory
  int64_t file_size_ = 0;
  std::unique_ptr<Sha256> file_hash_;  // of the open file's bytes so far
  std::unique_ptr<GzipMembers> gzip_;  // a member per record
  std::string warcinfo_id_;
  // The first record of each "sha1:..." payload, each URL's last record with a payload, and the
  // index lines.
  std::unique_ptr<ExportSpool> spool_;
  WarcExportCounts counts_;
  std::mt19937_64 random_;
};

// Writes every capture of `archive` that `filter` selects, in fetch order, with a WarcWriter.
// Fails, naming the capture or file, on archive or write errors; the files closed until then
// stay on disk, the one being written is removed.
Result<WarcExportCounts> export_warc(Archive& archive, const CaptureFilter& filter,
                                     const WarcWriterOptions& options);

// ---- Reading

struct WarcReaderOptions {
  // A record whose block is larger than this is skipped with an error (memory stays bounded).
  int64_t max_record_bytes = 256LL * 1024 * 1024;
  // A response whose payload is, or decodes to, more than this (a gzip bomb) becomes an error
  // capture with no body, as a fetch over the crawler's size cap does. The default is the
  // crawler's default cap for attachments (config.h max_attachment_bytes); `provarc import-warc`
  // uses the largest cap of the configured sites.
  int64_t max_payload_bytes = 50LL * 1024 * 1024;
};

// One WARC record as it is in the file.
struct WarcRecord {
  int64_t offset = 0;              // of its gzip member, or of its first byte in a plain file
  std::string version;             // "WARC/1.0", "WARC/1.1"
  std::vector<HttpHeader> fields;  // the named fields, in file order
  std::string block;

  // The value of the first field `name` (case-insensitive), "" when absent.
  std::string field(std::string_view name) const;
  std::string type() const;        // WARC-Type, lowercase
  std::string target_uri() const;  // WARC-Target-URI without the <> WARC 1.0 writers (wget) add
};

// Reads the records of one WARC file, gzipped (a member per record, or several records in one
// member) or plain, one record in memory at a time. Not thread-safe.
class WarcReader {
 public:
  // Opens `path`. Fails, naming it, when it cannot be opened.
  static Result<std::unique_ptr<WarcReader>> open(const std::string& path,
                                                  const WarcReaderOptions& options = {});
  // Reads from `in` (not owned; it must outlive the reader); `name` names it in messages.
  WarcReader(std::istream& in, std::string name, const WarcReaderOptions& options = {});
  ~WarcReader();
  WarcReader(const WarcReader&) = delete;
  WarcReader& operator=(const WarcReader&) = delete;

  // The next record, or nullopt at the end. Fails on a malformed record with a message naming
  // the file and the record's byte offset ("x.warc.gz: byte offset 1234: ..."), on a record
  // larger than the limit, on a WARC-Block-Digest (sha1) that does not match the block, and on a
  // corrupt or truncated gzip member ("x.warc.gz: gzip member at byte offset 1234 is corrupt").
  // A record is damaged when its header is malformed, its Content-Length is missing or
  // malformed, or the block of that length is not followed by line endings and then the next
  // record, the end of the file, or (gzipped) the end of its member.
  //
  // After a failure next() may be called again: it goes on with the next record. Where that is
  // was found before the failure returned, and its message says so ("...; reading resumes at
  // byte offset 5678" or "...; nothing readable after it"):
  //  - after a gzip error, at the first later gzip member that inflates (MemberStream::recover);
  //  - then, and after any other damage, at the next line that is exactly "WARC/1.0" or
  //    "WARC/1.1" (a line starts after a LF or at the start of a gzip member), looked for from
  //    where the damage was seen. In a plain file a wrong Content-Length is seen before the block
  //    is read, so the records it would have swallowed are found; in a gzipped file a block that
  //    runs into a member starting with a record stops there.
  // Reading only goes forward, so a damaged file of any size takes time linear in its size. A
  // record larger than the limit whose length is right is skipped, and reading goes on after it.
  // Known limit: in a gzipped file written as one member, the records that a too-long
  // Content-Length swallows are lost with it.
  Result<std::optional<WarcRecord>> next();

  const std::string& name() const { return name_; }
  const WarcReaderOptions& options() const { return options_; }

 private:
  Result<WarcRecord> read_record(int64_t offset, std::string version_line);
  Result<int64_t> read_block(int64_t offset, int64_t length, std::string* out);
  std::string plain_framing_error(int64_t length);
  std::string framing_error_after_block(int64_t length);
  static std::string after_block_error(int64_t length, std::string_view after, bool at_end);
  Failure damaged(int64_t offset, const std::string& what);
  int64_t resync();

  std::unique_ptr<std::istream> owned_;
  std::string name_;
  WarcReaderOptions options_;
  class Impl;
  std::unique_ptr<Impl> impl_;
  bool ended_ = false;
};

// How a capture read from a WARC file was recorded.
enum class WarcCaptureType {
  kResponse,
  kIdenticalRevisit,    // revisit, identical-payload-digest: the body is that of an earlier record
  kNotModifiedRevisit,  // revisit, server-not-modified: a 304 (outcome kNotModified)
};

struct WarcCapture {
  Capture capture;  // `site` is left empty: the caller knows the sites
  WarcCaptureType type = WarcCaptureType::kResponse;
  std::string payload_digest;  // "sha1:<base32>" of the payload (for a revisit, as recorded)
  std::string refers_to_uri;   // revisits: WARC-Refers-To-Target-URI, "" when absent
  std::string refers_to_date;  // revisits: WARC-Refers-To-Date, "" when absent
  int64_t offset = 0;          // the record's byte offset in its file
};

// Reads the captures of one WARC file: response and revisit records of http(s) URIs become
// captures, with the request headers of the request record that goes with them (before or after
// them: wget writes the request first, Heritrix after). Other records (warcinfo, metadata,
// resource, dns: responses) are counted and skipped. For a response the body is the payload:
// chunked Transfer-Encoding and gzip or deflate Content-Encoding are undone (the headers are
// kept as received); a body that does not decode as its headers say is kept as recorded; a
// payload over max_payload_bytes, or one that would decode to more (a gzip bomb), gives a capture
// of outcome kError with that error and no body. The X-Archive-Orig- renaming and the
// X-Archive-Synthesized headers of WarcWriter are undone, so an exported capture reads back as
// it was.
// Not thread-safe.
class WarcCaptureReader {
 public:
  explicit WarcCaptureReader(std::unique_ptr<WarcReader> reader);

  // The next capture, or nullopt at the end. Fails as WarcReader::next() does, and on a response
  // whose HTTP message is malformed (naming the file and offset); next() may then be called again.
  Result<std::optional<WarcCapture>> next();

  int64_t records() const { return records_; }       // records read so far
  int64_t other_records() const { return others_; }  // records that were not captures

 private:
  Result<std::optional<WarcCapture>> next_pair();

  std::unique_ptr<WarcReader> reader_;
  std::optional<WarcCapture> pending_;  // a capture waiting for its request record
  std::optional<WarcRecord> request_;   // a request record waiting for its capture
  std::vector<std::string> pending_errors_;
  int64_t records_ = 0;
  int64_t others_ = 0;
};

// Turns one record into a capture: nullopt for records that are not captures (see
// WarcCaptureReader). Fails, naming `file` and the record's offset, when a response's HTTP
// message or its WARC-Date is malformed.
Result<std::optional<WarcCapture>> capture_from_record(const WarcRecord& record,
                                                       const std::string& file,
                                                       int64_t max_payload_bytes);

// ---- Importing

struct WarcImportCounts {
  int64_t files = 0;                // WARC files read (a WACZ package's count one each)
  int64_t records = 0;              // WARC records read
  int64_t captures = 0;             // captures handed to the store function
  int64_t already_stored = 0;       // the archive already had the capture (same URL, time, payload)
  int64_t other_records = 0;        // warcinfo, metadata, resource, non-HTTP and unpaired request
                                    // records
  int64_t unresolved_revisits = 0;  // identical-payload revisits whose payload was not found
  std::vector<std::string> errors;  // one message per record that could not be read
  // One message per response stored as an error capture because its payload was over
  // max_payload_bytes (a gzip bomb): "<file>: byte offset N: <url>: body larger than ...".
  std::vector<std::string> oversized;
};

// Imports the captures of WARC files into an archive, through a store function that the
// application layer supplies (it decides the site and parses pages). The payload of an
// identical-payload-digest revisit is taken from the response with that payload digest read
// earlier in this import, else from the archive's capture of WARC-Refers-To-Target-URI fetched
// at WARC-Refers-To-Date (or its latest with a body) when its payload has that digest; otherwise
// the revisit is counted as unresolved and not stored. Captures the archive already holds (same
// URL, time, status and payload) are counted and not stored again. Not thread-safe.
class WarcImport {
 public:
  // Stores one capture and returns its capture id. A failure stops the import.
  using StoreFunction = std::function<Result<int64_t>(const Capture&)>;

  WarcImport(Archive& archive, StoreFunction store, const WarcReaderOptions& options = {});

  // Imports every capture of the WARC file `path`, or of the WARC files in the WACZ package
  // `path` (a name ending in .wacz, or a ZIP file): its entries archive/*.warc and
  // archive/*.warc.gz, in the package's order, each checked against the SHA-256 its
  // datapackage.json gives. Records that cannot be read, a package that cannot be read as ZIP,
  // lacks its datapackage.json or holds a file whose hash differs are counted in
  // counts().errors and skipped. Fails when a WARC file cannot be opened or when the store
  // function or the archive fails.
  Status import_file(const std::string& path);

  const WarcImportCounts& counts() const { return counts_; }

 private:
  Status import_wacz(const std::string& path);  // archive/wacz_import.cc
  // Imports the captures `reader` reads; `name` names the file in messages.
  Status import_records(std::unique_ptr<WarcReader> reader, const std::string& name);
  Result<bool> resolve_revisit(sql::Connection& db, WarcCapture& revisit);
  Status import_capture(sql::Connection& db, const std::string& path, WarcCapture& capture);

  Archive& archive_;
  StoreFunction store_;
  WarcReaderOptions options_;
  std::map<std::string, int64_t> payloads_;  // "sha1:..." payload digest -> capture id
  WarcImportCounts counts_;
};

}  // namespace provarc
