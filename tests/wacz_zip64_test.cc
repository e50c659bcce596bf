// ZIP64 in WACZ packages, cheaply: a package whose first entry is 4 GiB and 1 MiB of zeros
// (generated as libzip reads them) and whose WARC file therefore starts past 4 GiB is written
// through archive/zip.h, the writer export_wacz uses, into a file that skips its runs of zeros
// (so it takes a few KiB of disk); libzip then reads it back and WarcImport imports its WARC from
// beyond 4 GiB. libzip still computes the CRC of every byte: a few seconds.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/warc.h"
#include "archive/zip.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::temp_dir;

constexpr int64_t kPadding = (4LL << 30) + (1 << 20);  // past 4 GiB, and so past 0xffffffff

// A libzip write source over a file that seeks over all-zero buffers instead of writing them:
// the file gets holes where the padding is. Reading is not supported: the ZIP is new.
struct SparseSink {
  explicit SparseSink(std::string file) : path(std::move(file)) { zip_error_init(&error); }

  std::string path;
  int fd = -1;
  int64_t position = 0;
  int64_t size = 0;
  zip_error_t error;

  static zip_int64_t callback(void* self, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    return static_cast<SparseSink*>(self)->handle(data, len, cmd);
  }

  zip_int64_t failed(int zip_code) {
    zip_error_set(&error, zip_code, errno);
    return -1;
  }

  zip_int64_t write(const char* bytes, zip_uint64_t len) {
    static const char kZeros[64 * 1024] = {};
    bool zeros = true;
    for (zip_uint64_t at = 0; zeros && at < len; at += sizeof kZeros) {
      zeros = std::memcmp(bytes + at, kZeros, std::min<zip_uint64_t>(sizeof kZeros, len - at)) == 0;
    }
    if (!zeros && pwrite(fd, bytes, len, position) != static_cast<ssize_t>(len)) {
      return failed(ZIP_ER_WRITE);
    }
    position += static_cast<int64_t>(len);
    size = std::max(size, position);
    return static_cast<zip_int64_t>(len);
  }

  zip_int64_t handle(void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    switch (cmd) {
      case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_WRITABLE;
      case ZIP_SOURCE_STAT:  // no file yet: libzip starts a new archive
        zip_error_set(&error, ZIP_ER_READ, ENOENT);
        return -1;
      case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&error, data, len);
      case ZIP_SOURCE_BEGIN_WRITE:
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        position = size = 0;
        return fd < 0 ? failed(ZIP_ER_OPEN) : 0;
      case ZIP_SOURCE_WRITE:
        return write(static_cast<const char*>(data), len);
      case ZIP_SOURCE_TELL_WRITE:
        return position;
      case ZIP_SOURCE_SEEK_WRITE: {
        zip_int64_t to = zip_source_seek_compute_offset(position, size, data, len, &error);
        if (to < 0) return -1;
        position = to;
        return 0;
      }
      case ZIP_SOURCE_COMMIT_WRITE:
        if (ftruncate(fd, size) != 0 || ::close(fd) != 0) return failed(ZIP_ER_WRITE);
        fd = -1;
        return 0;
      case ZIP_SOURCE_ROLLBACK_WRITE:
      case ZIP_SOURCE_REMOVE:
        if (fd >= 0) ::close(fd);
        fd = -1;
        ::unlink(path.c_str());
        return 0;
      case ZIP_SOURCE_FREE:
        if (fd >= 0) ::close(fd);
        zip_error_fini(&error);
        delete this;
        return 0;
      default:
        zip_error_set(&error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
  }
};

// A libzip read source of `size` zero bytes, made as they are read.
struct Zeros {
  explicit Zeros(int64_t bytes) : size(bytes) { zip_error_init(&error); }

  int64_t size = 0;
  int64_t position = 0;
  zip_error_t error;

  static zip_int64_t callback(void* self, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* zeros = static_cast<Zeros*>(self);
    switch (cmd) {
      case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_READABLE;
      case ZIP_SOURCE_OPEN:
        zeros->position = 0;
        return 0;
      case ZIP_SOURCE_READ: {
        const int64_t n = std::min<int64_t>(static_cast<int64_t>(len), zeros->size - zeros->position);
        std::memset(data, 0, static_cast<size_t>(n));
        zeros->position += n;
        return n;
      }
      case ZIP_SOURCE_CLOSE:
        return 0;
      case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = static_cast<zip_uint64_t>(zeros->size);
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
      }
      case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&zeros->error, data, len);
      case ZIP_SOURCE_FREE:
        zip_error_fini(&zeros->error);
        delete zeros;
        return 0;
      default:
        zip_error_set(&zeros->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
  }
};

// The offset of the last "PK<a><b>" signature in the file's last 64 KiB, or -1.
int64_t find_signature_near_end(const std::string& path, char a, char b) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const int64_t size = in.tellg();
  const int64_t tail = std::min<int64_t>(size, 64 * 1024);
  std::string bytes(tail, '\0');
  in.seekg(size - tail);
  in.read(bytes.data(), tail);
  size_t at = bytes.rfind(std::string{'P', 'K', a, b});
  return at == std::string::npos ? -1 : size - tail + static_cast<int64_t>(at);
}

TEST(WaczZip64, EntriesAndOffsetsPast4GiBAreWrittenAndReadBack) {
  const std::string dir = temp_dir();
  // A WARC file with two captures, and the datapackage that lists it.
  WarcWriterOptions warc;
  warc.directory = dir + "/warc";
  auto writer = WarcWriter::create(warc);
  ASSERT_TRUE(writer.ok()) << writer.error();
  for (const char* path : {"/a.html", "/b.html"}) {
    Capture c;
    c.url = std::string("https://sotttt.backan.gov.vn") + path;
    c.fetched_at = "2026-11-21T23:55:25.000Z";
    c.status = 200;
    c.response_headers = {{"Content-Type", "text/html"}};
    c.body = std::string("<html>") + path + "</html>";
    ASSERT_TRUE((*writer)->write(c).ok());
  }
  auto written = (*writer)->finish();
  ASSERT_TRUE(written.ok()) << written.error();
  ASSERT_EQ(written->files.size(), 1u);
  const std::string warc_entry = "archive/small.warc.gz";
  const std::string datapackage =
      nlohmann::json{{"profile", "data-package"},
                     {"wacz_version", "1.1.1"},
                     {"resources", {{{"path", warc_entry},
                                     {"hash", "sha256:" + written->file_sha256[0]}}}}}
          .dump();

  const std::string package = dir + "/large.wacz";
  auto* sink = new SparseSink(package);
  zip_source_t* source = zip_source_function_create(&SparseSink::callback, sink, nullptr);
  ASSERT_NE(source, nullptr);
  auto zip = ZipWriter::create(source, package);
  ASSERT_TRUE(zip.ok()) << zip.error();
  auto* zeros = new Zeros(kPadding);
  zip_source_t* padding = zip_source_function_create(&Zeros::callback, zeros, nullptr);
  ASSERT_NE(padding, nullptr);
  ASSERT_TRUE((*zip)->add("padding/zeros.bin", padding, ZipCompression::kStore).ok());
  ASSERT_TRUE((*zip)->add_file(warc_entry, written->files[0], ZipCompression::kStore).ok());
  ASSERT_TRUE((*zip)->add_bytes("datapackage.json", datapackage, ZipCompression::kDeflate).ok());
  ASSERT_TRUE((*zip)->close().ok());

  struct stat st;
  ASSERT_EQ(::stat(package.c_str(), &st), 0);
  EXPECT_GT(st.st_size, kPadding);
  RecordProperty("disk_bytes", std::to_string(st.st_blocks * 512));

  // The ZIP64 end of central directory record and its locator, then the classic end record.
  const int64_t record = find_signature_near_end(package, '\x06', '\x06');
  const int64_t locator = find_signature_near_end(package, '\x06', '\x07');
  const int64_t end = find_signature_near_end(package, '\x05', '\x06');
  EXPECT_GT(record, kPadding) << "no ZIP64 end of central directory record";
  EXPECT_GT(locator, record);
  EXPECT_GT(end, locator);

  // libzip reads the sizes back, and the WARC from its offset past 4 GiB.
  auto reader = ZipReader::open(package);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(*(*reader)->size_of("padding/zeros.bin"), kPadding);
  auto bytes = (*reader)->read_entry(warc_entry, 1 << 20);
  ASSERT_TRUE(bytes.ok()) << bytes.error();
  EXPECT_EQ(*bytes, testing::read_file(written->files[0]));

  Result<std::unique_ptr<Archive>> archive = Archive::open(dir + "/imported.sqlite");
  ASSERT_TRUE(archive.ok());
  WarcImport import(**archive, [&](const Capture& c) { return (*archive)->store_capture(c, 0); });
  ASSERT_TRUE(import.import_file(package).ok());
  EXPECT_EQ(import.counts().errors, std::vector<std::string>());
  EXPECT_EQ(import.counts().captures, 2);
}

}  // namespace
}  // namespace provarc
