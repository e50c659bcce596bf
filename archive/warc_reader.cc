// WarcReader, WarcCaptureReader and WarcImport: WARC files (provarc's, wget's, Heritrix's) read
// back into captures. The writer is in warc.cc.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "archive/gzip.h"
#include "archive/sqlite.h"
#include "archive/stored_keys.h"
#include "archive/wacz.h"
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

// Messages quote the printable start of a record's bytes: this many.
constexpr size_t kQuotedBytes = 40;

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
// Fails when the payload is, or would decode to, more than `max_bytes`: a gzip bomb is not kept
// compressed under a name that says it was decoded.
Result<std::string> decode_payload(std::string body, const std::vector<HttpHeader>& headers,
                                   int64_t max_bytes) {
  auto too_large = [&] {
    return fail("body larger than " + std::to_string(max_bytes) + " bytes (after decoding): cut off");
  };
  if (static_cast<int64_t>(body.size()) > max_bytes) return too_large();
  if (ascii::lowercase(header_value(headers, "Transfer-Encoding")).find("chunked") != std::string::npos) {
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
    bool over_limit = false;
    Result<std::string> inflated = inflate_content(decoded, list[i], max_bytes, &over_limit);
    if (over_limit) return too_large();
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

namespace {

// "WARC/1.0" or "WARC/1.1" followed by the end of the line: where a record starts when reading
// resumes after damage (other "WARC/" lines are more likely text inside a block).
bool starts_version_line(std::string_view bytes) {
  if (bytes.substr(0, 7) != "WARC/1." || bytes.size() < 9) return false;
  if (bytes[7] != '0' && bytes[7] != '1') return false;
  return bytes[8] == '\n' || (bytes[8] == '\r' && bytes.size() >= 10 && bytes[9] == '\n');
}

bool is_version_line(std::string_view line) { return line == "WARC/1.0" || line == "WARC/1.1"; }

}  // namespace

class WarcReader::Impl {
 public:
  explicit Impl(std::istream& in) : stream(in) {}
  MemberStream stream;
  // A version line met inside a damaged record's header: the next record starts with it.
  std::optional<std::pair<int64_t, std::string>> carried;
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

// Moves to the start of the next record after damage: the next gzip member that inflates after a
// gzip error, then the next "WARC/1.0" or "WARC/1.1" line. Returns its offset, or -1 (and ends)
// when there is none. Reads forward only: each byte is scanned once.
int64_t WarcReader::resync() {
  MemberStream& in = impl_->stream;
  while (true) {
    if (in.failed() && !in.recover()) break;
    Result<bool> found = in.skip_to_line("WARC/1.");
    if (!found.ok()) continue;  // a gzip error while scanning: recover from it
    if (!*found) break;
    const int64_t offset = in.offset();
    Result<std::string> start = in.peek_bytes(10);
    if (!start.ok()) continue;
    if (starts_version_line(*start)) return offset;
    if (Result<int64_t> skipped = in.skip(1); !skipped.ok()) continue;
  }
  ended_ = true;
  return -1;
}

// A damaged record or stretch: reports it and moves to the next record. A gzip error names its
// member itself.
Failure WarcReader::damaged(int64_t offset, const std::string& what) {
  std::string message = impl_->stream.failed()
                            ? name_ + ": " + what
                            : name_ + ": byte offset " + std::to_string(offset) + ": " + what;
  if (impl_->carried) {
    return fail(message + "; a record starts at byte offset " +
                std::to_string(impl_->carried->first));
  }
  const int64_t next = resync();
  if (next < 0) return fail(message + "; nothing readable after it");
  return fail(message + "; reading resumes at byte offset " + std::to_string(next));
}

Result<std::optional<WarcRecord>> WarcReader::next() {
  if (ended_) return std::optional<WarcRecord>();
  MemberStream& in = impl_->stream;
  if (impl_->carried) {
    auto [offset, line] = std::move(*impl_->carried);
    impl_->carried.reset();
    Result<WarcRecord> record = read_record(offset, std::move(line));
    if (!record.ok()) return record.failure();
    return std::optional<WarcRecord>(std::move(*record));
  }
  // Records end with two CRLFs; some writers add more or fewer. Skip any blank lines.
  while (true) {
    Result<int> c = in.peek();
    if (!c.ok()) return damaged(in.offset(), c.error());
    if (*c == -1) {
      ended_ = true;
      return std::optional<WarcRecord>();
    }
    if (*c != '\r' && *c != '\n') break;
    (void)in.skip(1);
  }
  const int64_t offset = in.offset();
  std::string line;
  Result<bool> got = in.read_line(kMaxLineBytes, line);
  if (!got.ok()) return damaged(offset, got.error());
  if (line.rfind("WARC/", 0) != 0) {
    return damaged(offset, "expected a WARC record (\"WARC/1.1\"), found " +
                               in_quotes(line, kQuotedBytes));
  }
  Result<WarcRecord> record = read_record(offset, std::move(line));
  if (!record.ok()) return record.failure();
  return std::optional<WarcRecord>(std::move(*record));
}

Result<WarcRecord> WarcReader::read_record(int64_t offset, std::string version) {
  MemberStream& in = impl_->stream;
  WarcRecord record;
  record.offset = offset;
  record.version = std::move(version);
  size_t header_bytes = 0;
  std::string line;
  while (true) {
    const int64_t line_offset = in.offset();
    Result<bool> got = in.read_line(kMaxLineBytes, line);
    if (!got.ok()) return damaged(offset, got.error());
    if (!*got) {
      ended_ = true;
      return fail(name_ + ": byte offset " + std::to_string(offset) +
                  ": the data ends inside the record's header");
    }
    if (line.empty()) break;
    if (is_version_line(line)) {
      impl_->carried.emplace(line_offset, line);
      return damaged(offset, "the header has no end (no empty line before the next record)");
    }
    header_bytes += line.size();
    if (header_bytes > kMaxHeaderBytes || record.fields.size() >= kMaxFields) {
      return damaged(offset, "the record's header is larger than " +
                                 std::to_string(kMaxHeaderBytes) + " bytes or " +
                                 std::to_string(kMaxFields) + " fields");
    }
    if ((line[0] == ' ' || line[0] == '\t') && !record.fields.empty()) {
      record.fields.back().value += " " + trimmed(line);  // a folded field
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      return damaged(offset, "malformed header line " + in_quotes(line, kQuotedBytes) +
                                 " (expected \"Name: value\")");
    }
    record.fields.push_back({trimmed(std::string_view(line).substr(0, colon)),
                             trimmed(std::string_view(line).substr(colon + 1))});
  }
  const std::string length_text = record.field("Content-Length");
  if (length_text.empty() || length_text.size() > 18 ||
      !std::all_of(length_text.begin(), length_text.end(), ascii::is_digit)) {
    return damaged(offset, "missing or malformed Content-Length " +
                               in_quotes(length_text, kQuotedBytes));
  }
  const int64_t length = std::stoll(length_text);
  if (!in.is_gzip() && in.seekable()) {
    // A plain file shows at once whether the length ends the record: checked before the block
    // is read, so that a wrong length neither swallows the records after it nor costs a read.
    if (std::string wrong = plain_framing_error(length); !wrong.empty()) {
      return damaged(offset, wrong);
    }
    if (length > options_.max_record_bytes) {
      in.seek(in.offset() + length);
      return fail(name_ + ": byte offset " + std::to_string(offset) + ": Content-Length " +
                  length_text + " is more than the limit of " +
                  std::to_string(options_.max_record_bytes) + " bytes; record skipped");
    }
  }
  const bool keep = length <= options_.max_record_bytes;
  if (keep) record.block.reserve(static_cast<size_t>(std::min<int64_t>(length, 1 << 20)));
  Result<int64_t> read = read_block(offset, length, keep ? &record.block : nullptr);
  if (!read.ok()) return read.failure();
  if (*read < length) {
    ended_ = true;
    return fail(name_ + ": byte offset " + std::to_string(offset) + ": truncated: the block of " +
                length_text + " bytes ends after " + std::to_string(*read));
  }
  if (std::string wrong = framing_error_after_block(length); !wrong.empty()) {
    return damaged(offset, wrong);
  }
  if (!keep) {
    return fail(name_ + ": byte offset " + std::to_string(offset) + ": Content-Length " +
                length_text + " is more than the limit of " +
                std::to_string(options_.max_record_bytes) + " bytes; record skipped");
  }
  const std::string digest = record.field("WARC-Block-Digest");
  if (!digest.empty() && !block_digest_matches(digest, record.block)) {
    return fail(name_ + ": byte offset " + std::to_string(offset) +
                ": WARC-Block-Digest does not match the block (" + digest + ")");
  }
  return record;
}

// Why a plain file's block of `length` bytes from the current offset does not end a record, or
// "": the block must be followed by line endings and then another record or the end of the file.
std::string WarcReader::plain_framing_error(int64_t length) {
  MemberStream& in = impl_->stream;
  const int64_t block_start = in.offset();
  Result<int64_t> size = in.size();
  if (!size.ok()) return "";
  if (length > *size - block_start) {
    return "truncated: the block of " + std::to_string(length) + " bytes ends after " +
           std::to_string(*size - block_start) + " (the file ends)";
  }
  Result<std::string> after = in.read_at(block_start + length, 64);
  if (!after.ok()) return "";
  return after_block_error(length, *after, after->size() < 64);
}

// Why the bytes after a block of `length` bytes (`after`, up to the end of the data when
// `at_end`) do not end a record, or "".
std::string WarcReader::after_block_error(int64_t length, std::string_view after, bool at_end) {
  // The record's own end (two line endings) right after the block: the length is right, and
  // whatever follows is reported as itself.
  if (after.substr(0, 4) == "\r\n\r\n" || after.substr(0, 2) == "\n\n") return "";
  size_t i = after.find_first_not_of("\r\n");
  if (i == std::string_view::npos) {
    if (at_end || after.size() >= 64) return "";
    i = after.size();
  }
  std::string_view rest = after.substr(i);
  if (rest.empty() && at_end) return "";
  if (rest.substr(0, 5) == std::string_view("WARC/").substr(0, rest.size()) &&
      (rest.size() >= 5 || at_end)) {
    return "";
  }
  return "Content-Length " + std::to_string(length) +
         " does not end the record: the block is followed by " + in_quotes(rest, kQuotedBytes) +
         ", not by the next record";
}

// Reads `length` bytes of block into `out` (or discards them when null); returns how many (fewer
// at the end of the data). In a gzip file, a block that runs past its member into a member that
// starts a record has a wrong length: that is reported as damage at `offset`, and reading goes
// on at that record.
Result<int64_t> WarcReader::read_block(int64_t offset, int64_t length, std::string* out) {
  MemberStream& in = impl_->stream;
  int64_t done = 0;
  while (done < length) {
    Result<bool> member_ended = in.member_ended();
    if (!member_ended.ok()) return damaged(offset, member_ended.error());
    if (*member_ended && done > 0) {
      Result<std::string> start = in.peek_bytes(10);
      if (!start.ok()) return damaged(offset, start.error());
      if (starts_version_line(*start)) {
        return damaged(offset, "Content-Length " + std::to_string(length) +
                                   " runs past the record's gzip member into the next record");
      }
    }
    // read() stops at the end of a member, so that the check above sees every member start.
    const size_t want = static_cast<size_t>(std::min<int64_t>(length - done, 1 << 20));
    std::string discarded;
    Result<size_t> n = in.read(want, out != nullptr ? *out : discarded);
    if (!n.ok()) return damaged(offset, n.error());
    if (*n == 0) break;
    done += static_cast<int64_t>(*n);
  }
  return done;
}

// Why what follows a block of `length` bytes just read does not end the record, or "". Line
// endings are consumed; a gzip member that ends with the block ends the record.
std::string WarcReader::framing_error_after_block(int64_t length) {
  MemberStream& in = impl_->stream;
  // Never decodes the next gzip member: damage there is that member's, not this record's.
  Result<bool> ended = in.member_ended();
  if (!ended.ok()) return ended.error();
  if (*ended) return "";
  Result<std::string> end = in.peek_bytes(4);
  if (!end.ok()) return end.error();
  if (*end == "\r\n\r\n" || end->substr(0, 2) == "\n\n") return "";  // the record's own end
  while (true) {
    Result<bool> member_ended = in.member_ended();
    if (!member_ended.ok()) return member_ended.error();
    if (*member_ended) return "";
    Result<int> c = in.peek();
    if (!c.ok()) return c.error();
    if (*c == -1) return "";
    if (*c != '\r' && *c != '\n') break;
    (void)in.skip(1);
  }
  Result<std::string> after = in.peek_bytes(5);
  if (!after.ok()) return after.error();
  return after_block_error(length, *after, after->size() < 5);
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
      Result<std::string> payload =
          decode_payload(record.block.substr(head->body_offset), head->headers, max_payload_bytes);
      if (payload.ok()) {
        c.body = std::move(*payload);
      } else {
        // As the crawler records a body over its cap: an error capture, with no body.
        c.outcome = CaptureOutcome::kError;
        c.error = payload.error();
      }
    }
  }
  c.kind = kind_of(*parts, header_value(c.response_headers, "Content-Type"));
  const std::string location = header_value(c.response_headers, "Location");
  if (c.status >= 300 && c.status <= 399 && !location.empty()) {
    Result<std::string> target = resolve_url(uri, location);
    if (target.ok()) c.redirect_target = *target;
  }
  out.payload_digest = normalized_digest(record.field("WARC-Payload-Digest"));
  if (out.payload_digest.empty() && type == "response" && c.outcome == CaptureOutcome::kOk) {
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
        capture_from_record(r, reader_->name(), reader_->options().max_payload_bytes);
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
      "SELECT c.id FROM captures c LEFT JOIN blobs b ON b.id = c.blob_id"
      " WHERE c.url_key = provarc_url_key(?1) AND c.url = ?1 AND c.fetched_at = ?2"
      " AND c.status = ?3 AND coalesce(provarc_hex(b.digest), '') = ?4 LIMIT 1");
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
      "SELECT id FROM captures WHERE url_key = provarc_url_key(?1) AND url = ?1"
      " AND blob_id IS NOT NULL ORDER BY fetched_at = ?2 DESC, fetched_at DESC LIMIT 1");
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
  if (c.capture.outcome == CaptureOutcome::kError) {
    counts_.oversized.push_back(path + ": byte offset " + std::to_string(c.offset) + ": " +
                                c.capture.url + ": " + c.capture.error +
                                "; stored as an error capture");
  }
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
  if (is_wacz_file(path)) return import_wacz(path);
  Result<std::unique_ptr<WarcReader>> reader = WarcReader::open(path, options_);
  if (!reader.ok()) return reader.failure();
  return import_records(std::move(*reader), path);
}

Status WarcImport::import_records(std::unique_ptr<WarcReader> reader, const std::string& path) {
  Result<std::unique_ptr<sql::Connection>> db =
      sql::Connection::open(archive_.path(), SQLITE_OPEN_READONLY);
  if (!db.ok()) return fail(archive_.path() + ": " + db.error());
  if (Status s = register_stored_keys((*db)->handle()); !s.ok()) {
    return fail(archive_.path() + ": " + s.error());
  }
  ++counts_.files;
  WarcCaptureReader captures(std::move(reader));
  const size_t errors_before = counts_.errors.size();
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
  if (status.ok() && captures.records() == 0 && counts_.errors.size() == errors_before) {
    // Nothing read and nothing wrong: an empty file (a crawl that wrote nothing, a copy that
    // failed) is not a WARC file that happens to hold no capture.
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    counts_.errors.push_back(path + ": " + (!ec && size == 0 ? "an empty file (0 bytes)"
                                                             : "no WARC record in it") +
                             "; expected a WARC file");
  }
  return status;
}

}  // namespace provarc
