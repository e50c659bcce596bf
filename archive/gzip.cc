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
// first stream (anything after it is ignored, as browsers do).
Result<std::string> inflate_all(std::string_view data, int window_bits, int64_t max_bytes) {
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

Result<std::string> gzip_member(std::string_view data) {
  z_stream zs{};
  // 16 + 15: a gzip wrapper around a full-window deflate stream.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return fail("zlib: cannot start compressing (out of memory?)");
  }
  std::string out;
  char buffer[kChunk];
  size_t fed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.avail_in == 0 && fed < data.size()) {
      size_t slice = std::min(kMaxSlice, data.size() - fed);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      zs.avail_in = static_cast<uInt>(slice);
      fed += slice;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = deflate(&zs, fed == data.size() ? Z_FINISH : Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&zs);
      return fail("zlib: compression failed");
    }
    out.append(buffer, sizeof buffer - zs.avail_out);
  }
  deflateEnd(&zs);
  return out;
}

Result<std::string> inflate_content(std::string_view data, std::string_view coding,
                                    int64_t max_bytes) {
  if (coding == "gzip" || coding == "x-gzip") return inflate_all(data, 32 + 15, max_bytes);
  if (coding == "deflate") {
    Result<std::string> wrapped = inflate_all(data, 15, max_bytes);
    if (wrapped.ok()) return wrapped;
    return inflate_all(data, -15, max_bytes);
  }
  return fail("unsupported content coding \"" + std::string(coding) + "\"");
}

// ---- MemberStream

MemberStream::MemberStream(std::istream& in) : in_(in) {}

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
  input_.resize(kChunk);
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
  return true;
}

Result<bool> MemberStream::fill_gzip() {
  while (true) {
    if (!in_member_) {
      Result<bool> started = start_member();
      if (!started.ok() || !*started) return started;
    }
    Status inflated = inflate_chunk();
    if (!inflated.ok()) return inflated.failure();
    if (!output_.empty()) return true;
    // An empty member: go on with the next one.
  }
}

Status MemberStream::inflate_chunk() {
  output_.resize(kChunk);
  output_pos_ = 0;
  output_member_ = member_start_;
  zs_->next_out = reinterpret_cast<Bytef*>(output_.data());
  zs_->avail_out = static_cast<uInt>(output_.size());
  while (zs_->avail_out == output_.size() && in_member_) {
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
  }
  output_.resize(output_.size() - zs_->avail_out);
  return Status::Ok();
}

Result<int> MemberStream::peek() {
  Result<bool> more = fill();
  if (!more.ok()) return more.failure();
  if (!*more) return -1;
  return static_cast<unsigned char>(output_[output_pos_]);
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

bool MemberStream::skip_member() {
  if (!gzip_ || !failed_.empty()) return false;
  while (in_member_) {
    if (!inflate_chunk().ok()) return false;
  }
  output_.clear();
  output_pos_ = 0;
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
