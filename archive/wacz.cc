// export_wacz: WACZ 1.1.1 packages. The WARC files come from WarcWriter, the ZIP from libzip
// (archive/zip.h); this file stages the parts and writes pages.jsonl and the datapackage.
#include "archive/wacz.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "archive/zip.h"
#include "common/digest.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kWaczVersion = "1.1.1";
constexpr const char* kIndexEntry = "indexes/index.cdxj";
constexpr const char* kPagesEntry = "pages/pages.jsonl";

std::string json_text(const OrderedJson& json, int indent = -1) {
  return json.dump(indent, ' ', false, OrderedJson::error_handler_t::replace);
}

// A directory beside the package for its parts, removed with its contents when destroyed.
class StagingDir {
 public:
  static Result<std::unique_ptr<StagingDir>> create(const std::string& package_path) {
    std::string pattern = package_path + ".parts-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      return fail(errno == ENOSPC ? ErrorCode::kFull : ErrorCode::kIo,
                  pattern + ": cannot create a directory for the package's parts: " +
                      std::strerror(errno));
    }
    auto dir = std::unique_ptr<StagingDir>(new StagingDir(pattern));
    std::error_code ec;
    for (const char* sub : {"archive", "indexes", "pages"}) {
      if (!fs::create_directory(dir->path_ + "/" + sub, ec)) {
        return fail(ErrorCode::kIo, dir->path_ + "/" + sub + ": cannot create: " + ec.message());
      }
    }
    return dir;
  }
  ~StagingDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit StagingDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// One file of the package, for the datapackage's resource list.
struct Part {
  std::string entry;  // its path in the ZIP
  std::string file;   // where it is staged
  std::string sha256;
  ZipCompression compression = ZipCompression::kDeflate;
};

// "no capture of site bac-kan fetched from ... until ...".
std::string describe_filter(const CaptureFilter& filter) {
  std::string what = "no capture";
  if (!filter.site.empty()) what += " of site " + filter.site;
  if (!filter.fetched.since.empty() || !filter.fetched.until.empty()) what += " fetched";
  if (!filter.fetched.since.empty()) what += " from " + filter.fetched.since;
  if (!filter.fetched.until.empty()) what += " until " + filter.fetched.until;
  return what;
}

// Writes the selected captures as WARC files and their index into `staging`; notes the main
// page's last 2xx capture in `counts`.
Status write_warcs(Archive& archive, const WaczOptions& options, const StagingDir& staging,
                   WaczCounts& counts) {
  WarcWriterOptions warc;
  warc.directory = staging.path() + "/archive";
  warc.index_path = staging.path() + "/" + kIndexEntry;
  warc.max_file_bytes = options.max_warc_bytes;
  Result<std::unique_ptr<WarcWriter>> writer = WarcWriter::create(warc);
  if (!writer.ok()) return writer.failure();
  WaczProgress progress;
  Status written = archive.for_each_capture(
      options.filter, /*with_body=*/true, [&](const StoredCapture& stored) -> Status {
        const Capture& c = stored.capture;
        if (Status s = (*writer)->write(c); !s.ok()) return s;
        if (c.url == options.main_page_url && c.outcome == CaptureOutcome::kOk &&
            c.status >= 200 && c.status <= 299) {
          counts.main_page_url = c.url;
          counts.main_page_date = c.fetched_at;
        }
        ++progress.captures;
        if (options.progress && progress.captures % 100 == 0) options.progress(progress);
        return Status::Ok();
      });
  if (!written.ok()) return written;
  Result<WarcExportCounts> finished = (*writer)->finish();
  if (!finished.ok()) return finished.failure();
  counts.warc = std::move(*finished);
  if (counts.warc.files.empty()) {
    return fail(ErrorCode::kNotFound,
                "nothing to export: " + describe_filter(options.filter) + " has a response");
  }
  return Status::Ok();
}

// One pages.jsonl line for an article version; nullopt when its stored JSON is damaged.
std::optional<std::string> page_line(const ArticleVersion& v) {
  OrderedJson article = OrderedJson::parse(v.json, nullptr, /*allow_exceptions=*/false);
  if (article.is_discarded() || !article.is_object()) return std::nullopt;
  OrderedJson line = {{"id", "v" + std::to_string(v.id)}, {"url", v.url}, {"ts", v.captured_at}};
  if (!v.title.empty()) line["title"] = v.title;
  auto text = article.find("text");
  if (text != article.end() && text->is_string()) line["text"] = *text;
  return json_text(line);
}

// Writes pages/pages.jsonl: the header, then every version read from a capture in the export.
Result<Part> write_pages(Archive& archive, const WaczOptions& options, const StagingDir& staging,
                         WaczCounts& counts) {
  Part part{kPagesEntry, staging.path() + "/" + kPagesEntry, "", ZipCompression::kDeflate};
  std::FILE* out = std::fopen(part.file.c_str(), "wb");
  if (out == nullptr) {
    return fail(ErrorCode::kIo, part.file + ": cannot create: " + std::strerror(errno));
  }
  Sha256 hash;
  bool ok = true;
  auto put = [&](const std::string& line) {
    hash.update(line);
    hash.update("\n");
    ok = ok && std::fwrite(line.data(), 1, line.size(), out) == line.size() &&
         std::fputc('\n', out) != EOF;
  };
  put(json_text({{"format", "json-pages-1.0"}, {"id", "pages"}, {"title", "All Pages"},
                 {"hasText", true}}));
  WaczProgress progress{WaczProgress::Stage::kPages};
  VersionFilter filter{options.filter.site, /*all_versions=*/true, options.filter.fetched};
  Status listed = archive.for_each_version(filter, [&](const ArticleVersion& v) -> Status {
    std::optional<std::string> line = page_line(v);
    if (!line) {
      return fail(ErrorCode::kCorrupt,
                  "version " + std::to_string(v.id) + " of " + v.url + ": stored JSON is damaged");
    }
    put(*line);
    ++counts.pages;
    progress.pages = counts.pages;
    if (options.progress && counts.pages % 100 == 0) options.progress(progress);
    return Status::Ok();
  });
  ok = std::fclose(out) == 0 && ok;
  if (!listed.ok()) return listed.failure();
  if (!ok) return fail(ErrorCode::kIo, part.file + ": write failed (disk full?)");
  part.sha256 = hash.hex();
  return part;
}

// datapackage.json: the package's metadata and every part with its hash and size.
Result<std::string> datapackage(const WaczOptions& options, const WaczCounts& counts,
                                const std::vector<Part>& parts) {
  OrderedJson resources = OrderedJson::array();
  for (const Part& part : parts) {
    std::error_code ec;
    const uintmax_t bytes = fs::file_size(part.file, ec);
    if (ec) return fail(ErrorCode::kIo, part.file + ": " + ec.message());
    resources.push_back({{"name", fs::path(part.entry).filename().string()},
                         {"path", part.entry},
                         {"hash", "sha256:" + part.sha256},
                         {"bytes", bytes}});
  }
  OrderedJson package = {{"profile", "data-package"},
                         {"wacz_version", kWaczVersion},
                         {"title", options.title},
                         {"description", options.description},
                         {"created", utc_now()},
                         {"software", options.software}};
  if (!counts.main_page_url.empty()) {
    package["mainPageUrl"] = counts.main_page_url;
    package["mainPageDate"] = counts.main_page_date;
  }
  package["resources"] = std::move(resources);
  return json_text(package, 2);
}

// Copies the parts and the two JSON files into the ZIP file at options.path.
Status pack(const WaczOptions& options, const std::vector<Part>& parts, std::string package) {
  Result<std::unique_ptr<ZipWriter>> zip = ZipWriter::create(options.path);
  if (!zip.ok()) return zip.failure();
  for (const Part& part : parts) {
    if (Status s = (*zip)->add_file(part.entry, part.file, part.compression); !s.ok()) return s;
  }
  const std::string digest =
      json_text({{"path", "datapackage.json"}, {"hash", "sha256:" + sha256_hex(package)}}, 2);
  Status added = (*zip)->add_bytes("datapackage.json", std::move(package), ZipCompression::kDeflate);
  if (added.ok()) {
    added = (*zip)->add_bytes("datapackage-digest.json", digest, ZipCompression::kDeflate);
  }
  if (!added.ok()) return added;
  std::function<void(double)> on_zip;
  if (options.progress) {
    on_zip = [&](double done) {
      WaczProgress progress{WaczProgress::Stage::kZip};
      progress.zipped = done;
      options.progress(progress);
    };
  }
  return (*zip)->close(on_zip);
}

}  // namespace

Result<WaczCounts> export_wacz(Archive& archive, const WaczOptions& options) {
  if (fs::path(options.path).extension() != ".wacz") {
    return fail(ErrorCode::kInvalidInput,
                options.path + ": a WACZ package's name must end in .wacz");
  }
  Result<std::unique_ptr<StagingDir>> staging = StagingDir::create(options.path);
  if (!staging.ok()) return staging.failure();
  WaczCounts counts;
  if (Status s = write_warcs(archive, options, **staging, counts); !s.ok()) return s.failure();
  std::vector<Part> parts;
  for (size_t i = 0; i < counts.warc.files.size(); ++i) {
    const std::string& file = counts.warc.files[i];
    parts.push_back({"archive/" + fs::path(file).filename().string(), file,
                     counts.warc.file_sha256[i], ZipCompression::kStore});
  }
  parts.push_back({kIndexEntry, counts.warc.index, counts.warc.index_sha256,
                   ZipCompression::kDeflate});
  Result<Part> pages = write_pages(archive, options, **staging, counts);
  if (!pages.ok()) return pages.failure();
  parts.push_back(std::move(*pages));
  Result<std::string> package = datapackage(options, counts, parts);
  if (!package.ok()) return package.failure();
  if (Status s = pack(options, parts, std::move(*package)); !s.ok()) return s.failure();
  std::error_code ec;
  counts.bytes = static_cast<int64_t>(fs::file_size(options.path, ec));
  return counts;
}

}  // namespace provarc
