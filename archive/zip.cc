#include "archive/zip.h"

#include <zip.h>

#include <cerrno>
#include <streambuf>

#include "common/digest.h"

namespace provarc {
namespace {

std::string open_error(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

// The ErrorCode of libzip's error `zip_code` (ZIP_ER_*) with system error `system_code`.
ErrorCode code_of(int zip_code, int system_code) {
  switch (zip_code) {
    case ZIP_ER_NOENT: return ErrorCode::kNotFound;
    case ZIP_ER_NOZIP:
    case ZIP_ER_INCONS:
    case ZIP_ER_CRC:
    case ZIP_ER_ZLIB:
    case ZIP_ER_COMPNOTSUPP: return ErrorCode::kCorrupt;
    case ZIP_ER_RDONLY: return ErrorCode::kReadOnly;
    default: break;
  }
  if (system_code == ENOSPC || system_code == EDQUOT) return ErrorCode::kFull;
  if (system_code == EROFS || system_code == EACCES) return ErrorCode::kReadOnly;
  return ErrorCode::kIo;
}

ErrorCode code_of(zip_error_t* error) {
  return code_of(zip_error_code_zip(error), zip_error_code_system(error));
}

}  // namespace

// ---- ZipWriter

Result<std::unique_ptr<ZipWriter>> ZipWriter::create(const std::string& path) {
  int code = 0;
  ::zip* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (archive == nullptr) {
    return fail(code_of(code, errno), path + ": cannot write a ZIP file: " + open_error(code));
  }
  return std::unique_ptr<ZipWriter>(new ZipWriter(archive, path));
}

Result<std::unique_ptr<ZipWriter>> ZipWriter::create(zip_source* sink, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  ::zip* archive = zip_open_from_source(sink, ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    const Failure failure = fail(code_of(&error),
                                 name + ": cannot write a ZIP file: " + zip_error_strerror(&error));
    zip_error_fini(&error);
    zip_source_free(sink);
    return failure;
  }
  zip_error_fini(&error);
  return std::unique_ptr<ZipWriter>(new ZipWriter(archive, name));
}

ZipWriter::~ZipWriter() {
  if (archive_ != nullptr) zip_discard(archive_);
}

Status ZipWriter::add(const std::string& entry, zip_source* source, ZipCompression compression) {
  auto failed = [&](const std::string& doing) {
    return fail(code_of(zip_get_error(archive_)),
                name_ + ": " + doing + entry + ": " + zip_strerror(archive_));
  };
  if (source == nullptr) return failed("");
  zip_int64_t index = zip_file_add(archive_, entry.c_str(), source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    return failed("adding ");
  }
  const int32_t method = compression == ZipCompression::kStore ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
  if (zip_set_file_compression(archive_, static_cast<zip_uint64_t>(index), method, 0) != 0) {
    return failed("");
  }
  return Status::Ok();
}

Status ZipWriter::add_file(const std::string& entry, const std::string& file,
                           ZipCompression compression) {
  return add(entry, zip_source_file(archive_, file.c_str(), 0, -1), compression);
}

Status ZipWriter::add_bytes(const std::string& entry, std::string bytes,
                            ZipCompression compression) {
  const std::string& kept = buffers_.emplace_back(std::move(bytes));
  return add(entry, zip_source_buffer(archive_, kept.data(), kept.size(), /*freep=*/0),
             compression);
}

Status ZipWriter::close(const std::function<void(double)>& progress) {
  if (progress) {
    progress_ = progress;
    zip_register_progress_callback_with_state(
        archive_, 0.001,
        [](zip_t*, double done, void* self) { static_cast<ZipWriter*>(self)->progress_(done); },
        nullptr, this);
  }
  if (zip_close(archive_) != 0) {
    const Failure failure =
        fail(code_of(zip_get_error(archive_)),
             name_ + ": writing the ZIP file failed: " + zip_strerror(archive_));
    zip_discard(archive_);  // libzip has removed its temporary file already
    archive_ = nullptr;
    return failure;
  }
  archive_ = nullptr;
  return Status::Ok();
}

// ---- ZipReader

class ZipReader::EntryStream::Buffer : public std::streambuf {
 public:
  explicit Buffer(zip_file_t* file) : file_(file) {}
  ~Buffer() override { zip_fclose(file_); }

  const std::string& error() const { return error_; }
  std::string sha256_hex() { return hash_.hex(); }
  int64_t bytes_read() const { return bytes_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!error_.empty()) return traits_type::eof();
    zip_int64_t n = zip_fread(file_, data_, sizeof data_);
    if (n < 0) {
      error_ = zip_file_strerror(file_);
      return traits_type::eof();
    }
    if (n == 0) return traits_type::eof();
    hash_.update(std::string_view(data_, static_cast<size_t>(n)));
    bytes_ += n;
    setg(data_, data_, data_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  zip_file_t* file_;
  char data_[64 * 1024];
  std::string error_;
  Sha256 hash_;
  int64_t bytes_ = 0;
};

ZipReader::EntryStream::EntryStream(std::unique_ptr<Buffer> buffer)
    : std::istream(buffer.get()), buffer_(std::move(buffer)) {}

ZipReader::EntryStream::~EntryStream() = default;

const std::string& ZipReader::EntryStream::error() const { return buffer_->error(); }
std::string ZipReader::EntryStream::sha256_hex() { return buffer_->sha256_hex(); }
int64_t ZipReader::EntryStream::bytes_read() const { return buffer_->bytes_read(); }

Result<std::unique_ptr<ZipReader>> ZipReader::open(const std::string& path) {
  int code = 0;
  ::zip* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (archive == nullptr) {
    return fail(code_of(code, errno), path + ": cannot read it as a ZIP file: " + open_error(code));
  }
  return std::unique_ptr<ZipReader>(new ZipReader(archive, path));
}

ZipReader::~ZipReader() { zip_discard(archive_); }

std::vector<std::string> ZipReader::entries() const {
  std::vector<std::string> names;
  const zip_int64_t count = zip_get_num_entries(archive_, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive_, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) names.push_back(name);
  }
  return names;
}

Result<int64_t> ZipReader::size_of(const std::string& entry) const {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive_, entry.c_str(), 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
    return fail(ErrorCode::kNotFound, path_ + ": no entry " + entry);
  }
  return static_cast<int64_t>(stat.size);
}

Result<std::unique_ptr<ZipReader::EntryStream>> ZipReader::open_entry(const std::string& entry) {
  zip_file_t* file = zip_fopen(archive_, entry.c_str(), 0);
  if (file == nullptr) {
    return fail(code_of(zip_get_error(archive_)),
                path_ + ": " + entry + ": " + zip_strerror(archive_));
  }
  return std::unique_ptr<EntryStream>(new EntryStream(std::make_unique<EntryStream::Buffer>(file)));
}

Result<std::string> ZipReader::read_entry(const std::string& entry, int64_t max_bytes) {
  Result<int64_t> size = size_of(entry);
  if (!size.ok()) return size.failure();
  if (*size > max_bytes) {
    return fail(ErrorCode::kInvalidInput,
                path_ + ": " + entry + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  Result<std::unique_ptr<EntryStream>> in = open_entry(entry);
  if (!in.ok()) return in.failure();
  std::string bytes(static_cast<size_t>(*size), '\0');
  (*in)->read(bytes.data(), *size);
  const std::streamsize got = (*in)->gcount();
  (*in)->peek();  // reads to the end of the entry, where libzip checks its CRC
  if (got != *size || !(*in)->error().empty()) {
    return fail(ErrorCode::kCorrupt,
                path_ + ": " + entry + ": " +
                    ((*in)->error().empty() ? "shorter than its size" : (*in)->error()));
  }
  return bytes;
}

}  // namespace provarc
