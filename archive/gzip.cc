#include "archive/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>

namespace provarc {
namespace {

constexpr size_t kChunk = 64 * 1024;

// zlib counts in uInt: big inputs are fed in slices of at most this.
constexpr size_t kMaxSlice = 1u << 30;

struct InflateDeleter {
  void operator()(z_stream* zs) const {
    inflateEnd(zs);
    delete zs;
  }
};
using InflatePtr = std::unique_ptr<z_stream, InflateDeleter>;

// An inflate stream with `window_bits` (zlib's: 15 zlib, -15 raw, 16+15 gzip, 32+15 either).
Result<InflatePtr> new_inflater(int window_bits) {
  auto* zs = new z_stream{};
  if (inflateInit2(zs, window_bits) != Z_OK) {
    delete zs;
    return fail("zlib: cannot start inflating (out of memory?)");
  }
  return InflatePtr(zs);
}

// Inflates all of `data` with `window_bits` into at most `max_bytes`; stops at the end of the
// first stream (anything after it is ignored, as browsers do). Sets `*over_limit` when it failed
// only because of `max_bytes`.
Result<std::string> inflate_all(std::string_view data, int window_bits, int64_t max_bytes,
                                bool* over_limit) {
  *over_limit = false;
  Result<InflatePtr> zs = new_inflater(window_bits);
  if (!zs.ok()) return zs.failure();
  z_stream* z = zs->get();
  std::string out;
  char buffer[kChunk];
  size_t fed = 0;
  while (true) {
    if (z->avail_in == 0 && fed < data.size()) {
      size_t slice = std::min(kMaxSlice, data.size() - fed);
      z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      z->avail_in = static_cast<uInt>(slice);
      fed += slice;
    }
    z->next_out = reinterpret_cast<Bytef*>(buffer);
    z->avail_out = sizeof buffer;
    int rc = inflate(z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z->avail_out);
    if (static_cast<int64_t>(out.size()) > max_bytes) {
      *over_limit = true;
      return fail("decoded content is larger than " + std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_STREAM_END) return out;
    if (rc == Z_BUF_ERROR && z->avail_in == 0 && fed == data.size()) {
      return fail("compressed content is truncated");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return fail(std::string("compressed content is invalid: ") +
                  (z->msg ? z->msg : "zlib error"));
    }
  }
}

}  // namespace

Result<std::string> gzip_member(std::string_view data) { return GzipMembers().member(data); }

GzipMembers::~GzipMembers() {
  if (zs_ != nullptr) deflateEnd(zs_);
  delete zs_;
}

Result<std::string> GzipMembers::member(std::string_view data) {
  if (zs_ == nullptr) {
    zs_ = new z_stream{};
    // 16 + 15: a gzip wrapper around a full-window deflate stream.
    if (deflateInit2(zs_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      delete zs_;
      zs_ = nullptr;
      return fail("zlib: cannot start compressing (out of memory?)");
    }
  } else if (deflateReset(zs_) != Z_OK) {
    return fail("zlib: cannot start compressing");
  }
  std::string out;
  char buffer[kChunk];
  size_t fed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs_->avail_in == 0 && fed < data.size()) {
      size_t slice = std::min(kMaxSlice, data.size() - fed);
      zs_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      zs_->avail_in = static_cast<uInt>(slice);
      fed += slice;
    }
    zs_->next_out = reinterpret_cast<Bytef*>(buffer);
    zs_->avail_out = sizeof buffer;
    rc = deflate(zs_, fed == data.size() ? Z_FINISH : Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      return fail("zlib: compression failed");  // the next member resets the stream
    }
    out.append(buffer, sizeof buffer - zs_->avail_out);
  }
  return out;
}

Result<std::string> inflate_content(std::string_view data, std::string_view coding,
                                    int64_t max_bytes) {
  bool over_limit = false;
  return inflate_content(data, coding, max_bytes, &over_limit);
}

Result<std::string> inflate_content(std::string_view data, std::string_view coding,
                                    int64_t max_bytes, bool* over_limit) {
  *over_limit = false;
  if (coding == "gzip" || coding == "x-gzip") {
    return inflate_all(data, 32 + 15, max_bytes, over_limit);
  }
  if (coding == "deflate") {
    Result<std::string> wrapped = inflate_all(data, 15, max_bytes, over_limit);
    if (wrapped.ok() || *over_limit) return wrapped;
    return inflate_all(data, -15, max_bytes, over_limit);
  }
  return fail("unsupported content coding \"" + std::string(coding) + "\"");
}

// ---- MemberStream

MemberStream::MemberStream(std::istream& in) : in_(in) { seekable_ = in_.tellg() != -1; }

MemberStream::~MemberStream() {
  if (zs_ != nullptr) {
    inflateEnd(zs_);
    delete zs_;
  }
}

Failure MemberStream::stop(std::string message) {
  failed_ = std::move(message);
  output_.clear();
  output_pos_ = 0;
  return fail(failed_);
}

bool MemberStream::read_input() {
  input_offset_ += static_cast<int64_t>(input_.size());
  input_.resize(input_chunk_);
  in_.read(input_.data(), static_cast<std::streamsize>(input_.size()));
  input_.resize(static_cast<size_t>(in_.gcount()));
  if (zs_ != nullptr) {
    zs_->next_in = reinterpret_cast<Bytef*>(input_.data());
    zs_->avail_in = static_cast<uInt>(input_.size());
  }
  return !input_.empty();
}

Result<bool> MemberStream::fill() {
  if (!failed_.empty()) return fail(failed_);
  if (output_pos_ < output_.size()) return true;
  if (!output_.empty()) before_output_ = output_.back();
  if (!started_) {
    started_ = true;
    if (!read_input()) return false;
    gzip_ = input_.size() >= 2 && static_cast<unsigned char>(input_[0]) == 0x1f &&
            static_cast<unsigned char>(input_[1]) == 0x8b;
    if (!gzip_) {
      output_ = std::move(input_);
      input_.clear();
      output_pos_ = 0;
      output_member_ = 0;
      input_offset_ = static_cast<int64_t>(output_.size());
      return true;
    }
    Result<InflatePtr> zs = new_inflater(16 + 15);
    if (!zs.ok()) return stop(zs.error());
    zs_ = zs->release();
    zs_->next_in = reinterpret_cast<Bytef*>(input_.data());
    zs_->avail_in = static_cast<uInt>(input_.size());
  }
  return gzip_ ? fill_gzip() : fill_plain();
}

Result<bool> MemberStream::fill_plain() {
  output_member_ += static_cast<int64_t>(output_.size());
  output_.resize(kChunk);
  in_.read(output_.data(), static_cast<std::streamsize>(output_.size()));
  output_.resize(static_cast<size_t>(in_.gcount()));
  output_pos_ = 0;
  return !output_.empty();
}

Result<bool> MemberStream::start_member() {
  if (zs_->avail_in == 0 && !read_input()) return false;
  member_start_ = input_offset_ + static_cast<int64_t>(input_.size() - zs_->avail_in);
  if (inflateReset(zs_) != Z_OK) return stop("zlib: cannot reset the inflater");
  in_member_ = true;
  fresh_member_ = true;
  return true;
}

Result<bool> MemberStream::fill_gzip() {
  while (true) {
    if (!in_member_) {
      Result<bool> started = start_member();
      if (!started.ok() || !*started) return started;
    }
    output_.clear();
    output_pos_ = 0;
    output_member_ = member_start_;
    if (fresh_member_) before_output_ = '\n';  // a member starts a line
    Status inflated = inflate_more();
    if (!inflated.ok()) return inflated.failure();
    if (!output_.empty()) return true;
    // An empty member: go on with the next one.
  }
}

Status MemberStream::inflate_more(int64_t probe_limit) {
  const size_t old_size = output_.size();
  output_.resize(old_size + kChunk);
  zs_->next_out = reinterpret_cast<Bytef*>(output_.data() + old_size);
  zs_->avail_out = static_cast<uInt>(kChunk);
  while (zs_->avail_out == kChunk && in_member_) {
    if (zs_->avail_in == 0 && !read_input()) {
      return stop("gzip member at byte offset " + std::to_string(member_start_) +
                  " is truncated (the file ends inside it)");
    }
    int rc = inflate(zs_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      in_member_ = false;
    } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs_->avail_in == 0)) {
      return stop("gzip member at byte offset " + std::to_string(member_start_) +
                  " is corrupt: " + (zs_->msg ? zs_->msg : "zlib error"));
    }
    const int64_t consumed =
        input_offset_ + static_cast<int64_t>(input_.size() - zs_->avail_in) - member_start_;
    if (probe_limit > 0 && zs_->avail_out == kChunk && consumed > probe_limit) {
      return stop("no gzip member decodes at byte offset " + std::to_string(member_start_));
    }
  }
  output_.resize(output_.size() - zs_->avail_out);
  if (output_.size() > old_size) fresh_member_ = false;
  return Status::Ok();
}

void MemberStream::compact() {
  if (output_pos_ == 0) return;
  before_output_ = output_[output_pos_ - 1];
  output_.erase(0, output_pos_);
  if (!gzip_) output_member_ += static_cast<int64_t>(output_pos_);
  output_pos_ = 0;
}

Result<bool> MemberStream::extend() {
  if (!failed_.empty()) return fail(failed_);
  compact();
  const size_t before = output_.size();
  if (gzip_) {
    if (!in_member_) return false;
    if (Status s = inflate_more(); !s.ok()) return s.failure();
  } else {
    output_.resize(before + kChunk);
    in_.read(output_.data() + before, static_cast<std::streamsize>(kChunk));
    output_.resize(before + static_cast<size_t>(in_.gcount()));
  }
  return output_.size() > before;
}

Result<int> MemberStream::peek() {
  Result<bool> more = fill();
  if (!more.ok()) return more.failure();
  if (!*more) return -1;
  return static_cast<unsigned char>(output_[output_pos_]);
}

Result<std::string> MemberStream::peek_bytes(size_t n) {
  Result<bool> more = fill();
  if (!more.ok()) return more.failure();
  if (!*more) return std::string();
  while (output_.size() - output_pos_ < n) {
    Result<bool> extended = extend();
    if (!extended.ok()) return extended.failure();
    if (!*extended) break;
  }
  return output_.substr(output_pos_, n);
}

Result<size_t> MemberStream::read(size_t n, std::string& out) {
  Result<bool> more = fill();
  if (!more.ok()) return more.failure();
  if (!*more) return size_t{0};
  size_t take = std::min(n, output_.size() - output_pos_);
  out.append(output_, output_pos_, take);
  output_pos_ += take;
  return take;
}

Result<bool> MemberStream::read_line(size_t max_bytes, std::string& line) {
  line.clear();
  while (true) {
    Result<bool> more = fill();
    if (!more.ok()) return more.failure();
    if (!*more) {
      if (line.empty()) return false;
      return fail("the data ends inside a header line");
    }
    size_t newline = output_.find('\n', output_pos_);
    size_t end = newline == std::string::npos ? output_.size() : newline;
    line.append(output_, output_pos_, end - output_pos_);
    output_pos_ = newline == std::string::npos ? end : end + 1;
    if (line.size() > max_bytes) {
      return fail("a header line longer than " + std::to_string(max_bytes) + " bytes");
    }
    if (newline != std::string::npos) break;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

Result<int64_t> MemberStream::skip(int64_t n) {
  int64_t skipped = 0;
  while (skipped < n) {
    Result<bool> more = fill();
    if (!more.ok()) return more.failure();
    if (!*more) break;
    size_t take = static_cast<size_t>(
        std::min<int64_t>(n - skipped, static_cast<int64_t>(output_.size() - output_pos_)));
    output_pos_ += take;
    skipped += static_cast<int64_t>(take);
  }
  return skipped;
}

Result<bool> MemberStream::member_ended() {
  if (!gzip_) return false;
  if (!failed_.empty()) return fail(failed_);
  while (output_pos_ >= output_.size()) {
    if (!in_member_) return true;
    compact();
    if (Status s = inflate_more(); !s.ok()) return s.failure();
  }
  return false;
}

Result<bool> MemberStream::skip_to_line(std::string_view prefix) {
  while (true) {
    Result<bool> more = fill();
    if (!more.ok()) return more.failure();
    if (!*more) return false;
    const char before = output_pos_ > 0 ? output_[output_pos_ - 1] : before_output_;
    if (before == '\n') {
      Result<std::string> start = peek_bytes(prefix.size());  // may compact output_
      if (!start.ok()) return start.failure();
      if (*start == prefix) return true;
    }
    size_t newline = output_.find('\n', output_pos_);
    output_pos_ = newline == std::string::npos ? output_.size() : newline + 1;
  }
}

namespace {

// True when `bytes` at `i` (with at least 4 bytes) may start a gzip member: the magic 1f 8b, the
// deflate method 08 and a flag byte without reserved bits (RFC 1952 2.3.1).
bool looks_like_member(std::string_view bytes, size_t i) {
  return static_cast<unsigned char>(bytes[i]) == 0x1f &&
         static_cast<unsigned char>(bytes[i + 1]) == 0x8b && bytes[i + 2] == '\x08' &&
         (static_cast<unsigned char>(bytes[i + 3]) & 0xe0) == 0;
}

}  // namespace

bool MemberStream::probe_member(int64_t at) {
  in_.clear();
  in_.seekg(at);
  if (!in_) return false;
  failed_.clear();
  input_.clear();
  input_offset_ = at;
  zs_->avail_in = 0;
  in_member_ = false;
  output_.clear();
  output_pos_ = 0;
  // Small reads while probing: most candidates in damaged data fail within a few bytes.
  input_chunk_ = kProbeReadBytes;
  Result<bool> started = start_member();
  const bool ok = started.ok() && *started && inflate_more(kProbeBytes).ok();
  input_chunk_ = kChunk;
  if (!ok) return false;
  output_member_ = member_start_;
  before_output_ = '\n';
  return true;
}

bool MemberStream::recover() {
  if (!gzip_ || zs_ == nullptr || !seekable_ || failed_.empty()) return false;
  const std::string failure = failed_;
  // A window of the raw file, scanned for candidates once: probing seeks elsewhere, so the next
  // read of the file is positioned explicitly.
  std::string window;
  int64_t window_offset = member_start_ + 1;
  size_t scanned = 0;  // candidates before window_offset + scanned have been tried
  std::string chunk(kChunk, '\0');
  while (true) {
    in_.clear();
    in_.seekg(window_offset + static_cast<int64_t>(window.size()));
    size_t got = 0;
    if (in_) {
      in_.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      got = static_cast<size_t>(in_.gcount());
    }
    window.append(chunk, 0, got);
    for (; scanned + 4 <= window.size(); ++scanned) {
      scanned = window.find('\x1f', scanned);
      if (scanned == std::string::npos || scanned + 4 > window.size()) {
        scanned = window.size() >= 3 ? window.size() - 3 : 0;
        break;
      }
      if (looks_like_member(window, scanned) &&
          probe_member(window_offset + static_cast<int64_t>(scanned))) {
        return true;
      }
    }
    if (got == 0) break;
    // Keep the bytes not yet scanned (a magic may straddle two reads).
    window_offset += static_cast<int64_t>(scanned);
    window.erase(0, scanned);
    scanned = 0;
  }
  failed_ = failure;
  output_.clear();
  output_pos_ = 0;
  return false;
}

Result<std::string> MemberStream::read_at(int64_t offset, size_t n) {
  if (!seekable_) return fail("the input cannot seek");
  in_.clear();
  const std::streampos here = in_.tellg();
  in_.seekg(offset);
  std::string bytes(n, '\0');
  if (in_) in_.read(bytes.data(), static_cast<std::streamsize>(n));
  bytes.resize(in_ ? n : static_cast<size_t>(std::max<std::streamsize>(in_.gcount(), 0)));
  in_.clear();
  in_.seekg(here);
  if (!in_) return fail("the input cannot seek");
  return bytes;
}

Result<int64_t> MemberStream::size() {
  if (!seekable_) return fail("the input cannot seek");
  in_.clear();
  const std::streampos here = in_.tellg();
  in_.seekg(0, std::ios::end);
  const std::streampos end = in_.tellg();
  in_.seekg(here);
  if (!in_ || end < 0) return fail("the input cannot seek");
  return static_cast<int64_t>(end);
}

bool MemberStream::seek(int64_t offset) {
  if (gzip_ || !seekable_) return false;
  in_.clear();
  in_.seekg(offset);
  if (!in_) return false;
  started_ = true;
  output_.clear();
  output_pos_ = 0;
  output_member_ = offset;
  before_output_ = '\0';  // not known to start a line
  input_offset_ = offset;
  return true;
}

int64_t MemberStream::offset() const {
  if (!gzip_) return output_member_ + static_cast<int64_t>(output_pos_);
  if (output_pos_ < output_.size()) return output_member_;
  if (in_member_) return member_start_;
  if (zs_ == nullptr) return 0;
  return input_offset_ + static_cast<int64_t>(input_.size() - zs_->avail_in);
}

}  // namespace provarc
