// WarcReader, WarcCaptureReader and WarcImport: WARC files (provarc's, wget's, Heritrix's) read
// back into captures. The writer is in warc.cc.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "archive/gzip.h"
#include "archive/sqlite.h"
#include "archive/warc.h"
#include "archive/warc_http.h"
#include "common/ascii.h"
#include "common/digest.h"
#include "common/url.h"

namespace provarc {
namespace {

// Limits on a record's header section: nothing legitimate comes near them.
constexpr size_t kMaxLineBytes = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 1024 * 1024;
constexpr size_t kMaxFields = 1000;

// A field value without the white space (SP, HT) around it.
std::string trimmed(std::string_view s) {
  return std::string(ascii::trim(s, ascii::is_http_space));
}

// "<http://x/>" -> "http://x/": WARC 1.0 writers such as wget bracket URIs.
std::string unbracketed(std::string value) {
  if (value.size() >= 2 && value.front() == '<' && value.back() == '>') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// Printable start of some bytes for a message: control characters become '?'.
std::string quoted(std::string_view bytes) {
  std::string out = "\"";
  for (unsigned char c : bytes.substr(0, 40)) out += (c < 0x20 || c == 0x7f) ? '?' : char(c);
  return out + (bytes.size() > 40 ? "...\"" : "\"");
}

// The lowercase hex of a base32 (RFC 4648) text; "" when it is not base32.
std::string base32_to_hex(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
    if (value < 0) return "";
    buffer = (buffer << 5) | static_cast<unsigned>(value);
    bits += 5;
    if (bits >= 8) {
      bytes += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

// "sha1:<BASE32>" from a digest field as tools write it ("sha1:abc...", "SHA1:ABC..."); other
// algorithms are returned as they are.
std::string normalized_digest(std::string_view value) {
  std::string digest = trimmed(value);
  size_t colon = digest.find(':');
  if (colon == std::string::npos || !ascii::iequals(digest.substr(0, colon), "sha1")) return digest;
  std::string base32 = digest.substr(colon + 1);
  for (char& c : base32) c = ascii::to_upper(c);
  return "sha1:" + base32;
}

// True unless `field` is a sha1 digest (base32 or hex) that differs from the digest of `block`.
bool block_digest_matches(std::string_view field, std::string_view block) {
  std::string digest = normalized_digest(field);
  if (digest.rfind("sha1:", 0) != 0) return true;  // another algorithm: not checked
  std::string value = digest.substr(5);
  std::string actual = sha1_base32(block);
  if (value.size() == 32) return value == actual;
  if (value.size() == 40) return ascii::lowercase(value) == base32_to_hex(actual);
  return false;
}

// The payload of a response body: chunked Transfer-Encoding and gzip or deflate
// Content-Encoding undone, as far as they decode (a body that does not is kept as recorded).
std::string decode_payload(std::string body, const std::vector<HttpHeader>& headers,
                           int64_t max_bytes) {
  std::string transfer_coding = ascii::lowercase(header_value(headers, "Transfer-Encoding"));
  if (transfer_coding.find("chunked") != std::string::npos) {
    Result<std::string> dechunked = decode_chunked(body, max_bytes);
    if (dechunked.ok()) body = std::move(*dechunked);
  }
  // "gzip, deflate" was applied left to right: undo it right to left.
  std::string codings = ascii::lowercase(header_value(headers, "Content-Encoding"));
  std::vector<std::string> list;
  size_t start = 0;
  while (start <= codings.size()) {
    size_t comma = codings.find(',', start);
    if (comma == std::string::npos) comma = codings.size();
    std::string coding = trimmed(std::string_view(codings).substr(start, comma - start));
    if (!coding.empty() && coding != "identity") list.push_back(coding);
    start = comma + 1;
  }
  std::string decoded = body;
  for (size_t i = list.size(); i-- > 0;) {
    Result<std::string> inflated = inflate_content(decoded, list[i], max_bytes);
    if (!inflated.ok()) return body;
    decoded = std::move(*inflated);
  }
  return decoded;
}

// What the archive calls a capture of this URL and Content-Type.
CaptureKind kind_of(const UrlParts& url, const std::string& content_type) {
  const std::string mime =
      ascii::lowercase(trimmed(content_type.substr(0, content_type.find(';'))));
  const std::string path = ascii::lowercase(url.path);
  if (path == "/robots.txt") return CaptureKind::kRobots;
  if (mime.rfind("image/", 0) == 0) return CaptureKind::kImage;
  if (mime.empty() || mime == "text/html" || mime == "application/xhtml+xml") {
    return CaptureKind::kPage;
  }
  if (mime.find("xml") != std::string::npos && path.find("sitemap") != std::string::npos) {
    return CaptureKind::kSitemap;
  }
  return CaptureKind::kAttachment;
}

}  // namespace

// ---- WarcRecord

std::string WarcRecord::field(std::string_view name) const { return header_value(fields, name); }

std::string WarcRecord::type() const { return ascii::lowercase(field("WARC-Type")); }

std::string WarcRecord::target_uri() const { return unbracketed(field("WARC-Target-URI")); }

// ---- WarcReader

class WarcReader::Impl {
 public:
  explicit Impl(std::istream& in) : stream(in) {}
  MemberStream stream;
};

Result<std::unique_ptr<WarcReader>> WarcReader::open(const std::string& path,
                                                     const WarcReaderOptions& options) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!in->is_open()) return fail(path + ": cannot open: " + std::strerror(errno));
  auto reader = std::make_unique<WarcReader>(*in, path, options);
  reader->owned_ = std::move(in);
  return reader;
}

WarcReader::WarcReader(std::istream& in, std::string name, const WarcReaderOptions& options)
    : name_(std::move(name)), options_(options), impl_(std::make_unique<Impl>(in)) {}

WarcReader::~WarcReader() = default;

// A damaged record: reading goes on at the next gzip member when there is one, else stops. A
// gzip error names its member itself and always stops.
Failure WarcReader::record_error(int64_t offset, const std::string& what) {
  if (impl_->stream.failed()) {
    ended_ = true;
    return fail(name_ + ": " + what);
  }
  if (!impl_->stream.skip_member()) ended_ = true;
  return fail(name_ + ": byte offset " + std::to_string(offset) + ": " + what);
}

Result<std::optional<WarcRecord>> WarcReader::next() {
  if (ended_) return std::optional<WarcRecord>();
  MemberStream& in = impl_->stream;
  // Records end with two CRLFs; some writers add more or fewer. Skip any blank lines.
  while (true) {
    Result<int> c = in.peek();
    if (!c.ok()) {
      ended_ = true;
      return fail(name_ + ": " + c.error());
    }
    if (*c == -1) {
      ended_ = true;
      return std::optional<WarcRecord>();
    }
    if (*c != '\r' && *c != '\n') break;
    (void)in.skip(1);
  }
  Result<WarcRecord> record = read_record(in.offset());
  if (!record.ok()) return record.failure();
  return std::optional<WarcRecord>(std::move(*record));
}

Result<WarcRecord> WarcReader::read_record(int64_t offset) {
  MemberStream& in = impl_->stream;
  WarcRecord record;
  record.offset = offset;
  std::string line;
  Result<bool> got = in.read_line(kMaxLineBytes, line);
  if (!got.ok()) return record_error(offset, got.error());
  if (line.rfind("WARC/", 0) != 0) {
    return record_error(offset, "expected a WARC record (\"WARC/1.1\"), found " + quoted(line));
  }
  record.version = line;
  size_t header_bytes = 0;
  while (true) {
    got = in.read_line(kMaxLineBytes, line);
    if (!got.ok()) return record_error(offset, got.error());
    if (!*got) return record_error(offset, "the data ends inside the record's header");
    if (line.empty()) break;
    header_bytes += line.size();
    if (header_bytes > kMaxHeaderBytes || record.fields.size() >= kMaxFields) {
      return record_error(offset, "the record's header is larger than " +
                                      std::to_string(kMaxHeaderBytes) + " bytes or " +
                                      std::to_string(kMaxFields) + " fields");
    }
    if ((line[0] == ' ' || line[0] == '\t') && !record.fields.empty()) {
      record.fields.back().value += " " + trimmed(line);  // a folded field
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      return record_error(offset,
                          "malformed header line " + quoted(line) + " (expected \"Name: value\")");
    }
    record.fields.push_back({trimmed(std::string_view(line).substr(0, colon)),
                             trimmed(std::string_view(line).substr(colon + 1))});
  }
  const std::string length_text = record.field("Content-Length");
  if (length_text.empty() || length_text.size() > 18 ||
      !std::all_of(length_text.begin(), length_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return record_error(offset, "missing or malformed Content-Length " + quoted(length_text));
  }
  const int64_t length = std::stoll(length_text);
  if (length > options_.max_record_bytes) {
    // Skipped without being held: the next record can still be read.
    Result<int64_t> skipped = in.skip(length);
    if (!skipped.ok() || *skipped < length) ended_ = true;
    return fail(name_ + ": byte offset " + std::to_string(offset) + ": Content-Length " +
                length_text + " is more than the limit of " +
                std::to_string(options_.max_record_bytes) + " bytes; record skipped");
  }
  record.block.reserve(static_cast<size_t>(std::min<int64_t>(length, 1 << 20)));
  while (static_cast<int64_t>(record.block.size()) < length) {
    Result<size_t> n = in.read(static_cast<size_t>(length - record.block.size()), record.block);
    if (!n.ok()) return record_error(offset, n.error());
    if (*n == 0) {
      ended_ = true;
      return fail(name_ + ": byte offset " + std::to_string(offset) + ": truncated: the block of " +
                  length_text + " bytes ends after " + std::to_string(record.block.size()));
    }
  }
  const std::string digest = record.field("WARC-Block-Digest");
  if (!digest.empty() && !block_digest_matches(digest, record.block)) {
    return fail(name_ + ": byte offset " + std::to_string(offset) +
                ": WARC-Block-Digest does not match the block (" + digest + ")");
  }
  return record;
}

// ---- Records to captures

Result<std::optional<WarcCapture>> capture_from_record(const WarcRecord& record,
                                                       const std::string& file,
                                                       int64_t max_payload_bytes) {
  using None = std::optional<WarcCapture>;
  const std::string type = record.type();
  if (type != "response" && type != "revisit") return None();
  const std::string uri = record.target_uri();
  Result<UrlParts> parts = parse_url(uri);
  if (!parts.ok()) return None();  // dns:, whois:, ... or not a URL at all
  auto error = [&](const std::string& what) {
    return fail(file + ": byte offset " + std::to_string(record.offset) + ": " + what);
  };

  WarcCapture out;
  out.offset = record.offset;
  if (type == "revisit") {
    const std::string profile = record.field("WARC-Profile");
    if (profile.find("server-not-modified") != std::string::npos) {
      out.type = WarcCaptureType::kNotModifiedRevisit;
    } else if (profile.find("identical-payload-digest") != std::string::npos) {
      out.type = WarcCaptureType::kIdenticalRevisit;
    } else {
      return None();  // a profile this reader cannot replay
    }
  } else if (ascii::lowercase(record.field("Content-Type")).rfind("application/http", 0) != 0) {
    return None();  // e.g. Heritrix's text/dns responses
  }
  Result<std::string> date = normalize_warc_date(record.field("WARC-Date"));
  if (!date.ok()) return error("WARC-Date: " + date.error());

  Capture& c = out.capture;
  c.url = uri;
  c.fetched_at = *date;
  c.ip = record.field("WARC-IP-Address");
  const bool not_modified = out.type == WarcCaptureType::kNotModifiedRevisit;
  c.outcome = not_modified ? CaptureOutcome::kNotModified : CaptureOutcome::kOk;
  if (type == "revisit" && record.block.empty()) {
    c.status = not_modified ? 304 : 200;  // a revisit that kept no HTTP head
  } else {
    Result<HttpHead> head = parse_response_head(record.block);
    if (!head.ok()) return error(head.error() + " in the " + type + " record of " + uri);
    c.status = head->status;
    c.http_version = head->version;
    c.response_headers = original_headers(head->headers);
    if (type == "response") {
      c.body =
          decode_payload(record.block.substr(head->body_offset), head->headers, max_payload_bytes);
    }
  }
  c.kind = kind_of(*parts, header_value(c.response_headers, "Content-Type"));
  const std::string location = header_value(c.response_headers, "Location");
  if (c.status >= 300 && c.status <= 399 && !location.empty()) {
    Result<std::string> target = resolve_url(uri, location);
    if (target.ok()) c.redirect_target = *target;
  }
  out.payload_digest = normalized_digest(record.field("WARC-Payload-Digest"));
  if (out.payload_digest.empty() && type == "response") {
    out.payload_digest = "sha1:" + sha1_base32(c.body);
  }
  out.refers_to_uri = unbracketed(record.field("WARC-Refers-To-Target-URI"));
  out.refers_to_date = record.field("WARC-Refers-To-Date");
  return std::optional<WarcCapture>(std::move(out));
}

// ---- WarcCaptureReader

WarcCaptureReader::WarcCaptureReader(std::unique_ptr<WarcReader> reader)
    : reader_(std::move(reader)) {}

namespace {

// The request headers of a request record; empty when its HTTP message is malformed.
std::vector<HttpHeader> request_headers_of(const WarcRecord& request) {
  Result<HttpHead> head = parse_request_head(request.block);
  return head.ok() ? head->headers : std::vector<HttpHeader>{};
}

}  // namespace

Result<std::optional<WarcCapture>> WarcCaptureReader::next() {
  if (!pending_errors_.empty()) {
    std::string message = pending_errors_.front();
    pending_errors_.erase(pending_errors_.begin());
    return fail(message);
  }
  return next_pair();
}

// A response is held back for one record, in case its request record follows it (Heritrix); a
// request record is held until the response of the same URI comes (wget, provarc).
Result<std::optional<WarcCapture>> WarcCaptureReader::next_pair() {
  auto release = [this](std::optional<WarcCapture> next) {
    std::optional<WarcCapture> out = std::move(pending_);
    pending_ = std::move(next);
    return out;
  };
  while (true) {
    Result<std::optional<WarcRecord>> record = reader_->next();
    if (!record.ok()) {
      if (!pending_) return record.failure();
      pending_errors_.push_back(record.error());
      return release(std::nullopt);
    }
    if (!record->has_value()) {
      if (request_) ++others_;  // a request whose response never came
      request_.reset();
      return release(std::nullopt);
    }
    ++records_;
    WarcRecord& r = **record;
    if (r.type() == "request") {
      if (pending_ && pending_->capture.url == r.target_uri() &&
          pending_->capture.request_headers.empty()) {
        pending_->capture.request_headers = request_headers_of(r);
        return release(std::nullopt);
      }
      if (request_) ++others_;
      request_ = std::move(r);
      if (pending_) return release(std::nullopt);
      continue;
    }
    Result<std::optional<WarcCapture>> capture =
        capture_from_record(r, reader_->name(), reader_->options().max_record_bytes);
    if (!capture.ok()) {
      if (!pending_) return capture.failure();
      pending_errors_.push_back(capture.error());
      return release(std::nullopt);
    }
    if (!capture->has_value()) {
      ++others_;
      if (pending_) return release(std::nullopt);
      continue;
    }
    WarcCapture& c = **capture;
    if (request_ && request_->target_uri() == c.capture.url) {
      c.capture.request_headers = request_headers_of(*request_);
      request_.reset();
    }
    if (pending_ || !c.capture.request_headers.empty()) {
      if (!pending_) return std::optional<WarcCapture>(std::move(c));
      return release(std::move(c));
    }
    pending_ = std::move(c);
  }
}

// ---- WarcImport

namespace {

// The id of the capture the archive already holds with this URL, time, status and payload (a
// file imported again, or two files that overlap), or 0. Asked through a connection of the
// import's own: the Archive API looks up a URL's latest capture only.
Result<int64_t> stored_capture_id(sql::Connection& db, const std::string& archive_path,
                                  const Capture& capture) {
  Result<sql::Statement> select = db.prepare(
      "SELECT id FROM captures WHERE url = ?1 AND fetched_at = ?2 AND status = ?3 "
      "AND coalesce(payload_digest, '') = ?4 LIMIT 1");
  if (!select.ok()) return fail(archive_path + ": " + select.error());
  select->bind(1, capture.url)
      .bind(2, capture.fetched_at)
      .bind(3, static_cast<int64_t>(capture.status))
      .bind(4, capture.body.empty() ? std::string() : sha256_hex(capture.body));
  Result<bool> row = select->step();
  if (!row.ok()) return fail(archive_path + ": looking up " + capture.url + ": " + row.error());
  return *row ? select->int_at(0) : int64_t{0};
}

// The id of the capture of `uri` with a body that a revisit refers to: the one fetched at `date`
// when there is one, else the latest; 0 when the archive has none.
Result<int64_t> referred_capture_id(sql::Connection& db, const std::string& archive_path,
                                    const std::string& uri, const std::string& date) {
  Result<sql::Statement> select = db.prepare(
      "SELECT id FROM captures WHERE url = ?1 AND payload_digest IS NOT NULL "
      "ORDER BY fetched_at = ?2 DESC, fetched_at DESC LIMIT 1");
  if (!select.ok()) return fail(archive_path + ": " + select.error());
  select->bind(1, uri).bind(2, date);
  Result<bool> row = select->step();
  if (!row.ok()) return fail(archive_path + ": looking up " + uri + ": " + row.error());
  return *row ? select->int_at(0) : int64_t{0};
}

}  // namespace

WarcImport::WarcImport(Archive& archive, StoreFunction store, const WarcReaderOptions& options)
    : archive_(archive), store_(std::move(store)), options_(options) {}

// Fills the body of an identical-payload revisit; false when its payload cannot be found.
Result<bool> WarcImport::resolve_revisit(sql::Connection& db, WarcCapture& revisit) {
  int64_t id = 0;
  auto earlier = payloads_.find(revisit.payload_digest);
  if (earlier != payloads_.end()) {
    id = earlier->second;
  } else if (!revisit.refers_to_uri.empty()) {
    Result<std::string> date = normalize_warc_date(revisit.refers_to_date);
    Result<int64_t> referred =
        referred_capture_id(db, archive_.path(), revisit.refers_to_uri, date.ok() ? *date : "");
    if (!referred.ok()) return referred.failure();
    id = *referred;
  }
  if (id == 0) return false;
  Result<StoredCapture> stored = archive_.capture(id, /*with_body=*/true);
  if (!stored.ok()) return stored.failure();
  // A digest of another payload (or of the wire bytes, as wget's): not this revisit's.
  if (earlier == payloads_.end() &&
      "sha1:" + sha1_base32(stored->capture.body) != revisit.payload_digest) {
    return false;
  }
  revisit.capture.body = std::move(stored->capture.body);
  return true;
}

Status WarcImport::import_capture(sql::Connection& db, const std::string& path, WarcCapture& c) {
  if (c.type == WarcCaptureType::kIdenticalRevisit) {
    Result<bool> resolved = resolve_revisit(db, c);
    if (!resolved.ok()) return resolved.failure();
    if (!*resolved) {
      ++counts_.unresolved_revisits;
      counts_.errors.push_back(path + ": byte offset " + std::to_string(c.offset) +
                               ": revisit of " + c.capture.url + " refers to a payload (" +
                               c.payload_digest + ") found neither in these files nor in " +
                               archive_.path() + "; not imported");
      return Status::Ok();
    }
  }
  Result<int64_t> id = stored_capture_id(db, archive_.path(), c.capture);
  if (!id.ok()) return id.failure();
  if (*id != 0) {
    ++counts_.already_stored;
  } else {
    id = store_(c.capture);
    if (!id.ok()) return id.failure();
    ++counts_.captures;
  }
  // Remembered even when stored before, for the revisits that refer to it.
  if (c.type == WarcCaptureType::kResponse && !c.capture.body.empty()) {
    payloads_.emplace(c.payload_digest, *id);
  }
  return Status::Ok();
}

Status WarcImport::import_file(const std::string& path) {
  Result<std::unique_ptr<WarcReader>> reader = WarcReader::open(path, options_);
  if (!reader.ok()) return reader.failure();
  Result<std::unique_ptr<sql::Connection>> db =
      sql::Connection::open(archive_.path(), SQLITE_OPEN_READONLY);
  if (!db.ok()) return fail(archive_.path() + ": " + db.error());
  ++counts_.files;
  WarcCaptureReader captures(std::move(*reader));
  Status status;
  while (status.ok()) {
    Result<std::optional<WarcCapture>> next = captures.next();
    if (!next.ok()) {
      counts_.errors.push_back(next.error());
      continue;
    }
    if (!next->has_value()) break;
    status = import_capture(**db, path, **next);
  }
  counts_.records += captures.records();
  counts_.other_records += captures.other_records();
  return status;
}

}  // namespace provarc
