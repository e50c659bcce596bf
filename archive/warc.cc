// WarcWriter and export_warc: captures to WARC 1.1 files and their CDXJ index. The reader and the
// import are in warc_reader.cc.
#include "archive/warc.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "archive/cdxj.h"
#include "archive/export_spool.h"
#include "archive/gzip.h"
#include "archive/warc_http.h"
#include "common/digest.h"
#include "common/url.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIdenticalProfile =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
constexpr const char* kNotModifiedProfile =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

// "20261121235525": now, UTC.
std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y%m%d%H%M%S", &tm);
  return buffer;
}

// Serialises a record: version line, fields, Content-Length, the block, and the two CRLFs that
// end every record.
std::string record_bytes(const std::vector<HttpHeader>& fields, std::string_view block) {
  std::string out = "WARC/1.1\r\n";
  for (const HttpHeader& f : fields) out += f.name + ": " + f.value + "\r\n";
  out += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  out.append(block);
  out += "\r\n\r\n";
  return out;
}

// A URI that can stand in a WARC header line: no whitespace or control characters.
bool is_header_safe(std::string_view uri) {
  return std::none_of(uri.begin(), uri.end(),
                      [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

std::string http_version_of(const Capture& capture) {
  return capture.http_version.rfind("HTTP/", 0) == 0 && is_header_safe(capture.http_version)
             ? capture.http_version
             : "HTTP/1.1";
}

std::string status_line(const Capture& capture) {
  std::string line = http_version_of(capture) + " " + std::to_string(capture.status);
  const char* reason = reason_phrase(capture.status);
  if (*reason != '\0') line += std::string(" ") + reason;
  return line;
}

// The Content-Type a response record states for a capture whose headers have none (a file
// stored by `provarc import` has no headers): the type of what the archive took it for. "" for a
// message without a payload, which needs none.
std::string default_type(const Capture& capture) {
  if (capture.body.empty()) return "";
  switch (capture.kind) {
    case CaptureKind::kPage: return "text/html";
    case CaptureKind::kRobots: return "text/plain";
    case CaptureKind::kSitemap: return "application/xml";
    case CaptureKind::kImage:
    case CaptureKind::kAttachment: return "application/octet-stream";
  }
  return "";
}

// Statuses whose responses have no payload (RFC 9110 6.4.1): no Content-Length is added to them.
bool has_no_payload(int status) { return status < 200 || status == 204 || status == 304; }

// "text/html" from "text/html; charset=utf-8"; the default type when absent.
std::string mime_of(const Capture& capture) {
  std::string type = header_value(capture.response_headers, "Content-Type");
  if (type.empty()) type = default_type(capture);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  return type;
}

}  // namespace

WarcWriter::WarcWriter(const WarcWriterOptions& options, std::unique_ptr<ExportSpool> spool)
    : options_(options),
      stamp_(utc_stamp()),
      file_hash_(std::make_unique<Sha256>()),
      gzip_(std::make_unique<GzipMembers>()),
      spool_(std::move(spool)),
      random_(std::random_device{}()) {}

WarcWriter::~WarcWriter() {
  // A file still open was cut short by a failure: it is no WARC file anyone should read.
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove((options_.directory + "/" + file_name_ + ".open").c_str());
  }
}

Result<std::unique_ptr<WarcWriter>> WarcWriter::create(const WarcWriterOptions& options) {
  std::error_code ec;
  fs::create_directories(options.directory, ec);
  if (ec || !fs::is_directory(options.directory)) {
    return fail(options.directory + ": cannot create the WARC output directory" +
                (ec ? ": " + ec.message() : ""));
  }
  Result<std::unique_ptr<ExportSpool>> spool = ExportSpool::open();
  if (!spool.ok()) return spool.failure();
  return std::unique_ptr<WarcWriter>(new WarcWriter(options, std::move(*spool)));
}

// A random (version 4) UUID as a WARC record id: "<urn:uuid:...>".
std::string WarcWriter::new_record_id() {
  uint64_t high = random_(), low = random_();
  high = (high & ~0xf000ULL) | 0x4000ULL;            // version 4
  low = (low & ~(0xc0ULL << 56)) | (0x80ULL << 56);  // RFC 4122 variant
  char text[64];
  std::snprintf(text, sizeof text, "<urn:uuid:%08x-%04x-%04x-%04x-%012llx>",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xffff),
                static_cast<unsigned>(high & 0xffff), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

Status WarcWriter::append(const std::string& record, int64_t* offset) {
  Result<std::string> member = gzip_->member(record);
  if (!member.ok()) return fail(file_name_ + ": " + member.error());
  if (std::fwrite(member->data(), 1, member->size(), file_) != member->size()) {
    return fail(options_.directory + "/" + file_name_ + ".open: write failed (disk full?)");
  }
  file_hash_->update(*member);
  if (offset != nullptr) *offset = file_size_;
  file_size_ += static_cast<int64_t>(member->size());
  return Status::Ok();
}

Status WarcWriter::open_file() {
  char serial[16];
  std::snprintf(serial, sizeof serial, "%05d", serial_++);
  file_name_ = options_.prefix + "-" + stamp_ + "-" + serial + ".warc.gz";
  const std::string path = options_.directory + "/" + file_name_;
  if (fs::exists(path)) return fail(path + ": already exists; not overwritten");
  file_ = std::fopen((path + ".open").c_str(), "wbx");
  if (file_ == nullptr) return fail(path + ".open: cannot create: " + std::strerror(errno));
  file_size_ = 0;
  warcinfo_id_ = new_record_id();
  const std::string info = "software: " + options_.software +
                           "\r\nformat: WARC File Format 1.1\r\n"
                           "conformsTo: http://iipc.github.io/warc-specifications/"
                           "specifications/warc-format/warc-1.1/\r\n"
                           "isPartOf: " +
                           options_.prefix + "-" + stamp_ + "\r\n";
  std::vector<HttpHeader> fields = {
      {"WARC-Type", "warcinfo"},
      {"WARC-Record-ID", warcinfo_id_},
      {"WARC-Date", format_utc(std::chrono::system_clock::now())},
      {"WARC-Filename", file_name_},
      {"WARC-Block-Digest", "sha1:" + sha1_base32(info)},
      {"Content-Type", "application/warc-fields"},
  };
  return append(record_bytes(fields, info), nullptr);
}

Status WarcWriter::close_file() {
  if (file_ == nullptr) return Status::Ok();
  const std::string path = options_.directory + "/" + file_name_;
  bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) {
    std::remove((path + ".open").c_str());
    return fail(path + ".open: write failed (disk full?); removed");
  }
  std::error_code ec;
  fs::rename(path + ".open", path, ec);
  if (ec) {
    std::remove((path + ".open").c_str());
    return fail(path + ".open: cannot rename to " + path + ": " + ec.message() + "; removed");
  }
  counts_.files.push_back(path);
  counts_.file_sha256.push_back(file_hash_->hex());
  return Status::Ok();
}

Status WarcWriter::index(const Capture& capture, const std::string& date,
                         const std::string& mime, const std::string& payload_digest,
                         int64_t offset, int64_t length) {
  CdxjEntry entry;
  entry.url = capture.url;
  entry.date = date;
  entry.mime = mime;
  entry.status = capture.status;
  entry.digest = payload_digest;
  entry.offset = offset;
  entry.length = length;
  entry.filename = file_name_;
  return spool_->add_index_line(cdxj_line(entry));
}

Status WarcWriter::write(const Capture& capture) {
  Result<UrlParts> parts = parse_url(capture.url);
  Result<std::string> date = normalize_warc_date(capture.fetched_at);
  const bool has_response =
      capture.outcome == CaptureOutcome::kNotModified ||
      (capture.outcome == CaptureOutcome::kOk && capture.status >= 100 && capture.status <= 999);
  if (!parts.ok() || !date.ok() || !has_response || !is_header_safe(capture.url)) {
    ++counts_.skipped;
    return Status::Ok();
  }
  if (file_ != nullptr && file_size_ >= options_.max_file_bytes) {
    if (Status s = close_file(); !s.ok()) return s;
  }
  if (file_ == nullptr) {
    if (Status s = open_file(); !s.ok()) return s;
  }
  std::string request_id;
  if (!capture.request_headers.empty()) {
    request_id = new_record_id();
    std::string target = parts->path + (parts->query.empty() ? "" : "?" + parts->query);
    std::string block = http_head("GET " + target + " " + http_version_of(capture),
                                  headers_for_record(capture.request_headers, std::nullopt));
    std::vector<HttpHeader> fields = {
        {"WARC-Type", "request"},
        {"WARC-Record-ID", request_id},
        {"WARC-Date", *date},
        {"WARC-Target-URI", capture.url},
        {"WARC-Warcinfo-ID", warcinfo_id_},
        {"WARC-Block-Digest", "sha1:" + sha1_base32(block)},
        {"Content-Type", "application/http;msgtype=request"},
    };
    if (Status s = append(record_bytes(fields, block), nullptr); !s.ok()) return s;
    ++counts_.requests;
  }
  return write_response(capture, *date, request_id);
}

Status WarcWriter::write_response(const Capture& capture, const std::string& date,
                                  const std::string& request_id) {
  const bool not_modified = capture.outcome == CaptureOutcome::kNotModified;
  const std::string payload_digest = not_modified ? "" : "sha1:" + sha1_base32(capture.body);
  // What a revisit refers to: for a 304, the URL's last record with a payload; for a payload
  // written before, the record that holds it. Empty bodies are not worth a revisit.
  Result<std::optional<WarcRecordRef>> found = std::optional<WarcRecordRef>();
  if (not_modified) {
    found = spool_->latest(capture.url);
  } else if (!capture.body.empty()) {
    found = spool_->payload(payload_digest);
  }
  if (!found.ok()) return found.failure();
  const WarcRecordRef* referred = found->has_value() ? &**found : nullptr;
  const bool identical = !not_modified && referred != nullptr;
  // A revisit holds the HTTP head only; its payload is the referred record's.
  std::optional<int64_t> payload_size;
  if (!not_modified && !has_no_payload(capture.status)) {
    payload_size = static_cast<int64_t>(capture.body.size());
  }
  std::string block =
      http_head(status_line(capture),
                headers_for_record(capture.response_headers, payload_size, default_type(capture)));
  if (!not_modified && !identical) block += capture.body;

  const std::string record_id = new_record_id();
  std::vector<HttpHeader> fields = {
      {"WARC-Type", not_modified || identical ? "revisit" : "response"},
      {"WARC-Record-ID", record_id},
      {"WARC-Date", date},
      {"WARC-Target-URI", capture.url},
  };
  if (!capture.ip.empty() && is_header_safe(capture.ip)) {
    fields.push_back({"WARC-IP-Address", capture.ip});
  }
  fields.push_back({"WARC-Warcinfo-ID", warcinfo_id_});
  if (!request_id.empty()) fields.push_back({"WARC-Concurrent-To", request_id});
  if (not_modified) fields.push_back({"WARC-Profile", kNotModifiedProfile});
  if (identical) fields.push_back({"WARC-Profile", kIdenticalProfile});
  if (referred != nullptr) {
    fields.push_back({"WARC-Refers-To", referred->record_id});
    fields.push_back({"WARC-Refers-To-Target-URI", referred->uri});
    fields.push_back({"WARC-Refers-To-Date", referred->date});
  }
  fields.push_back({"WARC-Block-Digest", "sha1:" + sha1_base32(block)});
  if (!payload_digest.empty()) fields.push_back({"WARC-Payload-Digest", payload_digest});
  fields.push_back({"Content-Type", "application/http;msgtype=response"});

  int64_t offset = 0;
  const int64_t before = file_size_;
  if (Status s = append(record_bytes(fields, block), &offset); !s.ok()) return s;
  if (Status s = index(capture, date, not_modified || identical ? "warc/revisit" : mime_of(capture),
                       payload_digest, offset, file_size_ - before);
      !s.ok()) {
    return s;
  }
  if (not_modified) {
    ++counts_.not_modified_revisits;
    return Status::Ok();
  }
  ++(identical ? counts_.identical_revisits : counts_.responses);
  return remember(capture, payload_digest,
                  identical ? *referred : WarcRecordRef{capture.url, date, record_id}, identical);
}

// Remembers the record holding the payload of `capture` for the revisits that will refer to it.
Status WarcWriter::remember(const Capture& capture, const std::string& payload_digest,
                            const WarcRecordRef& written, bool identical) {
  if (!identical && !capture.body.empty()) {
    if (Status s = spool_->remember_payload(payload_digest, written); !s.ok()) return s;
  }
  return spool_->remember_latest(capture.url, written);
}

Result<WarcExportCounts> WarcWriter::finish() {
  if (Status s = close_file(); !s.ok()) return s.failure();
  const std::string path =
      !options_.index_path.empty()
          ? options_.index_path
          : options_.directory + "/" + options_.prefix + "-" + stamp_ + ".cdxj";
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) return fail(path + ": cannot create: " + std::strerror(errno));
  Sha256 hash;
  bool ok = true;
  Status sorted = spool_->for_each_index_line([&](std::string_view line) {
    hash.update(line);
    hash.update("\n");
    ok = ok && std::fwrite(line.data(), 1, line.size(), out) == line.size() &&
         std::fputc('\n', out) != EOF;
    return Status::Ok();
  });
  ok = std::fclose(out) == 0 && ok;
  if (!sorted.ok()) return sorted.failure();
  if (!ok) return fail(path + ": write failed (disk full?)");
  counts_.index = path;
  counts_.index_sha256 = hash.hex();
  return counts_;
}

// ---- export_warc

Result<WarcExportCounts> export_warc(Archive& archive, const CaptureFilter& filter,
                                     const WarcWriterOptions& options) {
  Result<std::unique_ptr<WarcWriter>> writer = WarcWriter::create(options);
  if (!writer.ok()) return writer.failure();
  // A WARC records the exchange as it happened: under the URL that was sent, even when the
  // archive files the capture under its resource's canonical URL.
  Status written = archive.for_each_capture(
      filter, /*with_body=*/true, [&](const StoredCapture& stored) {
        if (stored.capture.requested_url.empty()) return (*writer)->write(stored.capture);
        Capture sent = stored.capture;
        sent.url = sent.requested_url;
        return (*writer)->write(sent);
      });
  if (!written.ok()) return written.failure();
  return (*writer)->finish();
}

}  // namespace provarc
