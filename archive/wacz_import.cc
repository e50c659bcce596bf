// Reading WACZ packages: WarcImport::import_wacz imports the WARC files of a package, each
// checked against the hash its datapackage.json gives.
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "archive/wacz.h"
#include "archive/warc.h"
#include "archive/zip.h"
#include "common/ascii.h"

namespace provarc {
namespace {

// datapackage.json is metadata: a larger one is no package of ours or anyone's.
constexpr int64_t kMaxDatapackageBytes = 64 * 1024 * 1024;

// A WARC file of the package: archive/<name>.warc or archive/<name>.warc.gz.
bool is_package_warc(const std::string& entry) {
  const std::string name = ascii::lowercase(entry);
  return name.starts_with("archive/") && (name.ends_with(".warc") || name.ends_with(".warc.gz"));
}

// The "sha256:<hex>" hash datapackage.json gives each resource path. Fails when the package has
// no readable datapackage.json.
Result<std::map<std::string, std::string>> resource_hashes(ZipReader& zip) {
  Result<std::string> text = zip.read_entry("datapackage.json", kMaxDatapackageBytes);
  if (!text.ok()) return fail(text.error() + " (WACZ requires datapackage.json)");
  nlohmann::json package = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (package.is_discarded() || !package.is_object() || !package.contains("resources") ||
      !package["resources"].is_array()) {
    return fail(zip.path() + ": datapackage.json is not a JSON object with a resources list");
  }
  std::map<std::string, std::string> hashes;
  for (const nlohmann::json& resource : package["resources"]) {
    if (resource.is_object() && resource.value("path", nlohmann::json()).is_string() &&
        resource.value("hash", nlohmann::json()).is_string()) {
      const std::string hash = resource["hash"];
      hashes[resource["path"].get<std::string>()] = ascii::lowercase(hash);
    }
  }
  return hashes;
}

}  // namespace

bool is_wacz_file(const std::string& path) {
  if (ascii::lowercase(path).ends_with(".wacz")) return true;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, sizeof magic) && std::string(magic, 4) == std::string("PK\3\4", 4);
}

Status WarcImport::import_wacz(const std::string& path) {
  Result<std::unique_ptr<ZipReader>> zip = ZipReader::open(path);
  if (!zip.ok()) {
    counts_.errors.push_back(zip.error());
    return Status::Ok();
  }
  Result<std::map<std::string, std::string>> hashes = resource_hashes(**zip);
  if (!hashes.ok()) counts_.errors.push_back(hashes.error() + "; its WARC files are not verified");
  for (const std::string& entry : (*zip)->entries()) {
    if (!is_package_warc(entry)) continue;
    const std::string name = path + " (" + entry + ")";
    Result<std::unique_ptr<ZipReader::EntryStream>> in = (*zip)->open_entry(entry);
    if (!in.ok()) {
      counts_.errors.push_back(in.error());
      continue;
    }
    ZipReader::EntryStream& stream = **in;
    if (Status s = import_records(std::make_unique<WarcReader>(stream, name, options_), name);
        !s.ok()) {
      return s;
    }
    Result<int64_t> size = (*zip)->size_of(entry);
    if (!stream.error().empty()) {
      counts_.errors.push_back(name + ": reading it failed: " + stream.error());
    } else if (hashes.ok() && size.ok() && stream.bytes_read() == *size) {
      auto expected = hashes->find(entry);
      const std::string actual = "sha256:" + stream.sha256_hex();
      if (expected == hashes->end()) {
        counts_.errors.push_back(name + ": not listed in datapackage.json");
      } else if (expected->second != actual) {
        counts_.errors.push_back(name + ": its SHA-256 is " + actual + ", datapackage.json says " +
                                 expected->second + " (the package is damaged or was altered)");
      }
    }
  }
  return Status::Ok();
}

}  // namespace provarc
