// archive/gzip.h: gzip and deflate through zlib for WARC files: one gzip member per record when
// writing, a stream of members (or plain bytes) when reading, and HTTP content decoding. Internal.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "common/result.h"

struct z_stream_s;

namespace provarc {

// Compresses `data` into one complete gzip member (RFC 1952). Fails only when zlib does (out of
// memory).
Result<std::string> gzip_member(std::string_view data);

// Undoes the HTTP Content-Encoding `coding` ("gzip", "x-gzip" or "deflate"; deflate accepts both
// the zlib wrapping RFC 9110 asks for and the raw deflate some servers send). Fails when the data
// is not valid for the coding, or when it would inflate to more than `max_bytes` (a zip bomb).
Result<std::string> inflate_content(std::string_view data, std::string_view coding,
                                    int64_t max_bytes);

// The bytes of a file that is either a series of gzip members or plain, decoded as they are read,
// so that memory stays bounded whatever the file's size. It knows which member each byte came
// from: a WARC record's offset is that of the member it starts in (of its first byte when plain).
// Not thread-safe. `in` is not owned and must outlive the stream.
class MemberStream {
 public:
  explicit MemberStream(std::istream& in);
  ~MemberStream();
  MemberStream(const MemberStream&) = delete;
  MemberStream& operator=(const MemberStream&) = delete;

  // The next byte without consuming it, or -1 at the end of the data. Fails on a corrupt or
  // truncated gzip member, with a message giving the member's byte offset; every later call
  // then fails the same way.
  Result<int> peek();

  // Appends up to `n` bytes to `out`; returns how many (0 only at the end). Fails as peek() does.
  Result<size_t> read(size_t n, std::string& out);

  // Reads a line ending in LF (the LF and a CR before it are dropped) into `line`. Returns false
  // at the end of the data when nothing was read. Fails when the line is longer than
  // `max_bytes`, when the data ends inside it, or as peek() does.
  Result<bool> read_line(size_t max_bytes, std::string& line);

  // Discards `n` bytes (or fewer, when the data ends first); returns how many were discarded.
  Result<int64_t> skip(int64_t n);

  // Discards the rest of the current gzip member so that reading goes on at the next one (to
  // find the next record after a damaged one). Returns false when that is impossible: the data
  // is plain, or a gzip error has stopped the stream.
  bool skip_member();

  // The file offset of the gzip member the next byte comes from, or of that byte when plain.
  int64_t offset() const;

  bool is_gzip() const { return gzip_; }
  // True once a gzip error has stopped the stream.
  bool failed() const { return !failed_.empty(); }

 private:
  Result<bool> fill();  // ensures a byte is buffered unless at the end; false at the end
  Result<bool> fill_plain();
  Result<bool> fill_gzip();
  Result<bool> start_member();  // at a member boundary: begins the next member; false at the end
  Status inflate_chunk();       // replaces output_ with the next bytes of the current member
  bool read_input();            // refills the compressed input; false at end of file
  Failure stop(std::string message);

  std::istream& in_;
  bool started_ = false;  // the first read has happened (and gzip_ is known)
  bool gzip_ = false;
  std::string failed_;  // set once a gzip error has stopped the stream
  z_stream_s* zs_ = nullptr;
  bool in_member_ = false;    // inflating a member that has not ended yet
  std::string input_;         // compressed bytes read from `in_`; zlib consumes them in place
  int64_t input_offset_ = 0;  // file offset of input_[0]
  int64_t member_start_ = 0;  // file offset of the member being inflated
  std::string output_;        // decoded bytes not yet consumed
  size_t output_pos_ = 0;
  int64_t output_member_ = 0;  // gzip: the member output_ came from; plain: offset of output_[0]
};

}  // namespace provarc
