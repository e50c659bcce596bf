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

// Compresses one gzip member after another (a WARC file's records) with one zlib stream, reset
// between members. deflateInit2 allocates some 270 KiB, and freeing it after every record let
// glibc hand the heap back and fault it in again for the next: 39 page faults a capture, half the
// CPU of a WARC export. Not thread-safe.
class GzipMembers {
 public:
  GzipMembers() = default;
  ~GzipMembers();
  GzipMembers(const GzipMembers&) = delete;
  GzipMembers& operator=(const GzipMembers&) = delete;

  // `data` as one complete gzip member, as gzip_member() makes it.
  Result<std::string> member(std::string_view data);

 private:
  z_stream_s* zs_ = nullptr;  // started on first use
};

// Undoes the HTTP Content-Encoding `coding` ("gzip", "x-gzip" or "deflate"; deflate accepts both
// the zlib wrapping RFC 9110 asks for and the raw deflate some servers send). Fails when the data
// is not valid for the coding, or when it would inflate to more than `max_bytes` (a zip bomb).
Result<std::string> inflate_content(std::string_view data, std::string_view coding,
                                    int64_t max_bytes);

// Undoes the HTTP Content-Encoding as inflate_content() does, and says why it failed:
// `over_limit` is set when the data was valid so far but would decode to more than `max_bytes`
// (a zip bomb), cleared when the data is not valid for the coding.
Result<std::string> inflate_content(std::string_view data, std::string_view coding,
                                    int64_t max_bytes, bool* over_limit);

// The bytes of a file that is either a series of gzip members or plain, decoded as they are read,
// so that memory stays bounded whatever the file's size. It knows which member each byte came
// from: a WARC record's offset is that of the member it starts in (of its first byte when plain).
// After damage it can go on: at the next gzip member that inflates (recover()), or at the next
// line with a given start (skip_to_line()); both read forward only, so a damaged file of any
// size is read in linear time. Not thread-safe. `in` is not owned and must outlive the stream;
// recover(), read_at(), size() and seek() need it seekable (files and string streams are).
class MemberStream {
 public:
  explicit MemberStream(std::istream& in);
  ~MemberStream();
  MemberStream(const MemberStream&) = delete;
  MemberStream& operator=(const MemberStream&) = delete;

  // The next byte without consuming it, or -1 at the end of the data. Fails on a corrupt or
  // truncated gzip member, with a message giving the member's byte offset; every later call
  // then fails the same way until recover().
  Result<int> peek();

  // Up to the next `n` bytes without consuming them: fewer at the end of the data or of the
  // current gzip member (never bytes of two members). Fails as peek() does.
  Result<std::string> peek_bytes(size_t n);

  // Appends up to `n` bytes to `out`; returns how many (0 only at the end). The bytes of one call
  // come from one gzip member. Fails as peek() does.
  Result<size_t> read(size_t n, std::string& out);

  // Reads a line ending in LF (the LF and a CR before it are dropped) into `line`. Returns false
  // at the end of the data when nothing was read. Fails when the line is longer than
  // `max_bytes`, when the data ends inside it, or as peek() does.
  Result<bool> read_line(size_t max_bytes, std::string& line);

  // Discards `n` bytes (or fewer, when the data ends first); returns how many were discarded.
  Result<int64_t> skip(int64_t n);

  // True when every byte of the current gzip member has been read, so that the next byte, if
  // any, is the first of another member. Decodes what is left of the current member (its end
  // and checksum) when needed, never the next member. Always false for plain data. Fails as
  // peek() does.
  Result<bool> member_ended();

  // Discards bytes until the next byte starts a line that begins with `prefix` (a line starts at
  // the start of the data, after a LF, and at the start of a gzip member). Returns false, having
  // discarded everything, when no such line follows. Fails as peek() does.
  Result<bool> skip_to_line(std::string_view prefix);

  // After a gzip error: goes on with the first gzip member after the failed one that inflates
  // cleanly. Candidates are found by their magic bytes (1f 8b 08 and a valid flag byte), and
  // each is given at most kProbeBytes of compressed input to produce its first decoded byte, so
  // that trying the candidates of a file of garbage stays linear. Returns false when there is no
  // such member or the input cannot seek; the stream then stays failed.
  static constexpr int64_t kProbeBytes = 4096;
  static constexpr size_t kProbeReadBytes = 512;
  bool recover();

  // Plain data only (the raw file for gzip): up to `n` bytes of the file at `offset`, fewer at
  // its end, without moving the stream. Fails when the input cannot seek.
  Result<std::string> read_at(int64_t offset, size_t n);
  // The size of the file. Fails when the input cannot seek.
  Result<int64_t> size();
  // Plain data only: goes on reading at file offset `offset`. False when the input cannot seek.
  bool seek(int64_t offset);

  // The file offset of the gzip member the next byte comes from, or of that byte when plain.
  int64_t offset() const;

  bool is_gzip() const { return gzip_; }
  bool seekable() const { return seekable_; }
  // True once a gzip error has stopped the stream (until recover()).
  bool failed() const { return !failed_.empty(); }

 private:
  Result<bool> fill();  // ensures a byte is buffered unless at the end; false at the end
  Result<bool> fill_plain();
  Result<bool> fill_gzip();
  Result<bool> start_member();  // at a member boundary: begins the next member; false at the end
  // Appends the next decoded bytes of the current member to output_ (at most kChunk); with
  // `probe_limit` > 0, fails when the member has consumed that much input without decoding a byte.
  Status inflate_more(int64_t probe_limit = 0);
  Result<bool> extend();  // appends more bytes of the same member (or plain data) to output_
  void compact();         // drops the consumed bytes of output_
  bool read_input();      // refills the compressed input; false at end of file
  bool probe_member(int64_t at);  // recover(): starts a member at file offset `at` if it inflates
  Failure stop(std::string message);

  std::istream& in_;
  bool seekable_ = false;
  bool started_ = false;  // the first read has happened (and gzip_ is known)
  bool gzip_ = false;
  std::string failed_;  // set once a gzip error has stopped the stream
  z_stream_s* zs_ = nullptr;
  bool in_member_ = false;     // inflating a member that has not ended yet
  bool fresh_member_ = false;  // the member being inflated has decoded nothing yet
  std::string input_;          // compressed bytes read from `in_`; zlib consumes them in place
  size_t input_chunk_ = 64 * 1024;  // how much read_input() reads (less while probing)
  int64_t input_offset_ = 0;   // file offset of input_[0]
  int64_t member_start_ = 0;   // file offset of the member being inflated
  std::string output_;         // decoded bytes not yet consumed
  size_t output_pos_ = 0;
  int64_t output_member_ = 0;  // gzip: the member output_ came from; plain: offset of output_[0]
  char before_output_ = '\n';  // the byte before output_[0] ('\n' at the start of a member)
};

}  // namespace provarc
