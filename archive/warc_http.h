// archive/warc_http.h: the HTTP messages inside WARC records (building request and response
// blocks from captures, parsing them back, chunked decoding) and WARC dates. Internal to archive/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/capture.h"
#include "common/result.h"

namespace provarc {

// "2026-11-21T23:55:25.123Z" from a WARC-Date or a capture time: "YYYY-MM-DDThh:mm:ssZ" with an
// optional fraction of 1 to 9 digits (cut or padded to milliseconds). Fails, quoting the text,
// for anything else.
Result<std::string> normalize_warc_date(std::string_view text);

// The reason phrase of an HTTP status ("OK", "Not Found"); "" for an unknown one.
const char* reason_phrase(int status);

// The header that lists, comma-separated, the headers of an exported HTTP message that provarc
// added because the capture had none (a file stored by `provarc import` has no headers; a
// chunked response had no Content-Length): what a reader must not take for the server's. In the
// family of the X-Archive-Orig- headers of warcio and pywb, which mark what an archive renamed.
inline constexpr std::string_view kSynthesizedHeader = "X-Archive-Synthesized";

// The headers of a capture as a WARC record states them for a payload of `payload_size` bytes
// (nullopt: a message with no payload, such as a 304, whose Content-Length is left alone).
// Content-Encoding and Transfer-Encoding become X-Archive-Orig-Content-Encoding and
// X-Archive-Orig-Transfer-Encoding; a Content-Length other than `payload_size` becomes
// X-Archive-Orig-Content-Length, followed by the right Content-Length. A message without
// Content-Length gets one (so that every reader finds the payload's end in the message itself,
// not only at the end of the record), and one without Content-Type gets `default_type` when
// that is not empty; what was added is named in a last kSynthesizedHeader header. Headers whose
// name is not an HTTP token are dropped and CR, LF and NUL in values become spaces, so that
// nothing read from the network can break the record's framing.
std::vector<HttpHeader> headers_for_record(const std::vector<HttpHeader>& headers,
                                           std::optional<int64_t> payload_size,
                                           std::string_view default_type = "");

// Undoes headers_for_record(): the headers that kSynthesizedHeader names are dropped with it;
// when an X-Archive-Orig-Content-Length is present the Content-Length headers are dropped; then
// the three X-Archive-Orig- names get their original names back. Headers without those names
// come back as they are.
std::vector<HttpHeader> original_headers(const std::vector<HttpHeader>& headers);

// "<start line>\r\n" + "Name: value\r\n" for each header + "\r\n".
std::string http_head(std::string_view start_line, const std::vector<HttpHeader>& headers);

// The start line and headers of an HTTP message at the start of a WARC block.
struct HttpHead {
  std::string start_line;
  std::string version;              // "HTTP/1.1"; for a request, its third word
  int status = 0;                   // responses only
  std::vector<HttpHeader> headers;  // folded (obs-fold) lines are joined to the header before
  size_t body_offset = 0;           // where the body starts in the block
};

// Parses a response head ("HTTP/1.1 200 OK", headers, an empty line). Lines may end in CRLF or
// LF; a header line without a colon is skipped. Fails when the status line is not
// "HTTP/<version> <3 digits>..." or when the block ends before the empty line.
Result<HttpHead> parse_response_head(std::string_view block);

// Parses a request head ("GET /path HTTP/1.1", headers, an empty line) as above. Fails when the
// start line does not have three words.
Result<HttpHead> parse_request_head(std::string_view block);

// Decodes a chunked body (RFC 9112 7.1); chunk extensions and trailers are ignored. Fails when
// the chunk framing is malformed or the body would exceed `max_bytes`.
Result<std::string> decode_chunked(std::string_view body, int64_t max_bytes);

}  // namespace provarc
