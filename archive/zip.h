// archive/zip.h: ZIP files (PKWARE APPNOTE 6.3, with ZIP64) through libzip, for WACZ packages:
// writing entries from files and bytes, and reading an entry as a stream. Internal to archive/.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

struct zip;         // libzip's zip_t
struct zip_source;  // libzip's zip_source_t

namespace provarc {

enum class ZipCompression {
  kStore,    // as is: WARCs (gzipped already), so readers can reach a record by its offset
  kDeflate,  // JSON, JSON lines and CDXJ
};

// Builds a ZIP file. libzip writes nothing until close(): entries are recorded, and their data
// is read (files) or copied (bytes) then, one entry after another, through buffers of a few
// KiB: memory does not grow with the entries' sizes. ZIP64 size and offset fields are written
// where a size or an offset passes 4 GiB (libzip decides per entry and for the directory). Not
// thread-safe.
class ZipWriter {
 public:
  // A new ZIP file at `path`. close() writes it into a temporary file beside `path`
  // ("<path>.XXXXXX") and renames that over `path`, replacing a file there; a writer that fails
  // or is destroyed unclosed removes its temporary file and leaves `path` as it was. Fails,
  // naming `path`, when it cannot be opened for writing.
  static Result<std::unique_ptr<ZipWriter>> create(const std::string& path);
  // A new ZIP file written through `sink`, a libzip source that supports writing (taken over,
  // freed by the writer); `name` names it in messages. For tests that write somewhere else
  // than a plain file.
  static Result<std::unique_ptr<ZipWriter>> create(zip_source* sink, const std::string& name);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds entry `entry` ("archive/a.warc.gz") with the bytes of the file at `file`, which must
  // stay unchanged until close(). The entry's time is the file's. Fails on a name already added.
  Status add_file(const std::string& entry, const std::string& file, ZipCompression compression);
  // Adds entry `entry` holding `bytes`, with the current time.
  Status add_bytes(const std::string& entry, std::string bytes, ZipCompression compression);
  // Adds entry `entry` with the data of `source`, a libzip read source (taken over, and freed
  // on failure too), read at close(): for data that is neither a file nor in memory.
  Status add(const std::string& entry, zip_source* source, ZipCompression compression);

  // Writes the ZIP file. `progress`, when set, is called from time to time with the fraction
  // done (0 to 1). Fails, naming the file and the entry when libzip says which, when reading an
  // entry's file or writing fails; the target is then left as it was.
  Status close(const std::function<void(double)>& progress = {});

 private:
  ZipWriter(::zip* archive, std::string name) : archive_(archive), name_(std::move(name)) {}

  ::zip* archive_;
  std::string name_;
  std::list<std::string> buffers_;  // the bytes of add_bytes entries, read at close()
  std::function<void(double)> progress_;
};

// Reads a ZIP file. Not thread-safe; entry streams must not outlive their reader.
class ZipReader {
 public:
  // Opens the ZIP file at `path`, checking its central directory (ZIP_CHECKCONS). Fails, naming
  // `path`, when it cannot be read or is no ZIP file.
  static Result<std::unique_ptr<ZipReader>> open(const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // The entries' names, in the order of the central directory.
  std::vector<std::string> entries() const;
  // The uncompressed size of `entry`; fails when there is no such entry.
  Result<int64_t> size_of(const std::string& entry) const;

  // An input stream over the uncompressed bytes of `entry`, read as they are consumed. A read
  // error (a damaged entry, a CRC mismatch at its end) ends the stream early; error() of the
  // returned stream's reader then says what happened. Fails when the entry cannot be opened.
  class EntryStream;
  Result<std::unique_ptr<EntryStream>> open_entry(const std::string& entry);

  // The whole of `entry`, when it has at most `max_bytes` bytes.
  Result<std::string> read_entry(const std::string& entry, int64_t max_bytes);

  const std::string& path() const { return path_; }

 private:
  ZipReader(::zip* archive, std::string path) : archive_(archive), path_(std::move(path)) {}

  ::zip* archive_;
  std::string path_;
};

// The stream open_entry() gives: an std::istream, plus what went wrong and a running SHA-256
// of the bytes read so far.
class ZipReader::EntryStream : public std::istream {
 public:
  ~EntryStream() override;
  // "" while no read failed, else libzip's message ("CRC error").
  const std::string& error() const;
  // The SHA-256 (hex) of every byte the stream has delivered.
  std::string sha256_hex();
  int64_t bytes_read() const;

 private:
  friend class ZipReader;
  class Buffer;
  explicit EntryStream(std::unique_ptr<Buffer> buffer);
  std::unique_ptr<Buffer> buffer_;
};

}  // namespace provarc
